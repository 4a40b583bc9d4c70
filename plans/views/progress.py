"""The progress pages: the list of reports, the report form (new and edit), the report's page
with its values, evidence, history of steps and the buttons of the steps the person may take,
and the evidence files, served only to those who may see them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plans import progress_policies, progress_selectors, services
from plans.api.progress import evidence_response
from plans.models import Measure, ProgressReport, ReportState, StepAction
from plans.progress_forms import EvidenceForm, ReportForm, StepForm
from tracker.decorators import member_view, public_view
from tracker.exceptions import ApplicationError, ConflictError
from tracker.locking import StaleVersionError
from tracker.policies import Actor, as_actor

REPORTS_PER_PAGE = 25

STEP_SERVICES: dict[str, Callable[..., ProgressReport]] = {
    StepAction.SUBMIT: services.progress_report_submit,
    StepAction.VALIDATE: services.progress_report_validate,
    StepAction.ACCEPT: services.progress_report_accept,
    StepAction.PUBLISH: services.progress_report_publish,
    StepAction.RETURN: services.progress_report_return,
}


def _apply_errors(form: Any, exc: ApplicationError) -> None:
    fields = exc.extra.get("fields") if isinstance(exc.extra, dict) else None
    if isinstance(fields, dict):
        for name, messages in fields.items():
            target = name if name in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        form.add_error(None, exc.message)


@public_view
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    """The reports the person may see (the public: the published ones), by state."""
    actor = as_actor(request.user)
    state = request.GET.get("state", "")
    reports = progress_selectors.report_list(actor=actor, filters={"state": state})
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "progress/report_list.html",
        {
            "page": page,
            "state": state,
            "states": ReportState.choices,
            "measures": progress_selectors.measures_for_reporting(actor=actor)[:200]
            if progress_policies.can_write_reports(actor)
            else [],
        },
    )


def _form_page(
    request: HttpRequest,
    form: ReportForm,
    measure: Measure,
    report: ProgressReport | None,
    status: int = 200,
    conflict: str = "",
) -> HttpResponse:
    return render(
        request,
        "progress/report_form.html",
        {"form": form, "measure": measure, "report": report, "conflict": conflict},
        status=status,
    )


@member_view
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, measure_pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    measure = get_object_or_404(
        progress_selectors.measures_for_reporting(actor=actor), pk=measure_pk
    )
    progress_policies.ensure_can_report_on_measure(actor, measure)
    indicators = list(measure.indicators.order_by("id"))
    form = ReportForm(request.POST or None, indicators=indicators)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.progress_report_create(
                    actor=actor,
                    measure=measure,
                    period=data["period"],
                    narrative=data["narrative"],
                    measure_status=data["measure_status"],
                    values=form.values(),
                )
            except ApplicationError as exc:
                _apply_errors(form, exc)
                status = 409 if isinstance(exc, ConflictError) else 400
                return _form_page(request, form, measure, None, status)
            return redirect("progress:report-detail", pk=report.pk)
        return _form_page(request, form, measure, None, 400)
    return _form_page(request, form, measure, None)


def _editable_report(actor: Actor, pk: int) -> ProgressReport:
    report = progress_selectors.report_get(actor=actor, pk=pk)
    progress_policies.ensure_can_edit_report(actor, report)
    return report


@member_view
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft or returned report. A save from a stale version is a 409 that says so and
    shows the report as it is now, nothing written."""
    actor = as_actor(request.user)
    report = _editable_report(actor, pk)
    indicators = list(report.measure.indicators.order_by("id"))
    initial: dict[str, Any] = {
        "period": report.period,
        "narrative": report.narrative,
        "measure_status": report.measure_status,
        "version": report.version,
        **{f"value_{v.indicator_id}": v.value for v in report.values.all() if not v.disaggregation},
    }
    if request.method == "GET":
        form = ReportForm(initial=initial, indicators=indicators)
        return _form_page(request, form, report.measure, report)
    form = ReportForm(request.POST, indicators=indicators)
    if not form.is_valid():
        return _form_page(request, form, report.measure, report, 400)
    data = form.cleaned_data
    try:
        services.progress_report_update(
            actor=actor,
            report=report,
            version=data["version"],
            period=data["period"],
            narrative=data["narrative"],
            measure_status=data["measure_status"],
            values=form.values(),
        )
    except StaleVersionError as exc:
        report = progress_selectors.report_get(actor=actor, pk=pk)
        fresh = ReportForm(initial={**initial, "version": report.version}, indicators=indicators)
        return _form_page(request, fresh, report.measure, report, 409, conflict=exc.message)
    except ApplicationError as exc:
        _apply_errors(form, exc)
        return _form_page(
            request, form, report.measure, report, 409 if isinstance(exc, ConflictError) else 400
        )
    return redirect("progress:report-detail", pk=report.pk)


def _steps_allowed(actor: Actor, report: ProgressReport) -> list[str]:
    """The steps whose button the person sees: those the policy lets them take from here."""
    allowed: list[str] = []
    if report.state in (ReportState.DRAFT, ReportState.RETURNED) and (
        progress_policies.can_edit_report(actor, report)
    ):
        allowed.append(StepAction.SUBMIT)
    if report.state == ReportState.SUBMITTED and progress_policies.can_validate_report(
        actor, report
    ):
        allowed.append(StepAction.VALIDATE)
    if report.state == ReportState.VALIDATED and progress_policies.can_accept_report(actor):
        allowed.append(StepAction.ACCEPT)
    if report.state == ReportState.ACCEPTED and progress_policies.can_publish_report(actor):
        allowed.append(StepAction.PUBLISH)
    if report.state in (
        ReportState.SUBMITTED,
        ReportState.VALIDATED,
        ReportState.ACCEPTED,
    ) and progress_policies.can_return_report(actor, report):
        allowed.append(StepAction.RETURN)
    return allowed


def _detail(
    request: HttpRequest,
    report: ProgressReport,
    *,
    status: int = 200,
    error: str = "",
    evidence_form: EvidenceForm | None = None,
) -> HttpResponse:
    actor = as_actor(request.user)
    editable = report.is_editable and progress_policies.can_edit_report(actor, report)
    return render(
        request,
        "progress/report_detail.html",
        {
            "report": report,
            "evidence": progress_selectors.report_evidence(actor=actor, report=report),
            "steps_allowed": _steps_allowed(actor, report),
            "editable": editable,
            "evidence_form": evidence_form or (EvidenceForm() if editable else None),
            "error": error,
        },
        status=status,
    )


@public_view
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = progress_selectors.report_get(actor=as_actor(request.user), pk=pk)
    return _detail(request, report)


@member_view
@require_POST
def report_step(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a step of the workflow (the buttons of the report's page)."""
    actor = as_actor(request.user)
    report = progress_selectors.report_get(actor=actor, pk=pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, status=400, error=_("Choose a step."))
    step = form.cleaned_data["step"]
    kwargs: dict[str, Any] = {"version": form.cleaned_data["version"]}
    if step == StepAction.RETURN:
        kwargs["reason"] = form.cleaned_data["reason"]
    try:
        STEP_SERVICES[step](actor=actor, report=report, **kwargs)
    except PermissionDenied:
        raise
    except ApplicationError as exc:
        fields = exc.extra.get("fields") if isinstance(exc.extra, dict) else None
        message = exc.message
        if isinstance(fields, dict):
            message = " ".join(m for messages in fields.values() for m in messages)
        report = progress_selectors.report_get(actor=actor, pk=pk)
        return _detail(
            request,
            report,
            status=409 if isinstance(exc, ConflictError) else 400,
            error=message,
        )
    return redirect("progress:report-detail", pk=pk)


@member_view
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    report = _editable_report(actor, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_evidence_add(
                actor=actor,
                report=report,
                file=data["file"],
                title=data["title"],
                is_public=data["is_public"],
                version=data["version"],
            )
        except ApplicationError as exc:
            _apply_errors(form, exc)
            report = progress_selectors.report_get(actor=actor, pk=pk)
            status = 409 if isinstance(exc, ConflictError) else 400
            return _detail(request, report, status=status, evidence_form=form)
        return redirect(reverse("progress:report-detail", args=[pk]) + "#evidence")
    return _detail(request, report, status=400, evidence_form=form)


@public_view
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An evidence file, to those who may see it (404 to anyone else)."""
    evidence = progress_selectors.evidence_get(actor=as_actor(request.user), pk=pk)
    return evidence_response(evidence)


@member_view
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    evidence = progress_selectors.evidence_get(actor=actor, pk=pk)
    report = _editable_report(actor, evidence.report_id)
    try:
        services.progress_evidence_delete(actor=actor, evidence=evidence)
    except ApplicationError as exc:
        return _detail(request, report, status=409, error=exc.message)
    return redirect(reverse("progress:report-detail", args=[report.pk]) + "#evidence")
