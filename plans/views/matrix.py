"""The planning matrix in the layout of OHCHR's thematic lists: cluster → recommendations →
measures → institutions → timeline → indicators, a page of recommendations at a time.

Quick to fill in with the keyboard: a measure's row turns into a form in place (htmx; Enter
saves, Escape cancels) and back; several measures get a status or a lead institution at once.
Without JavaScript the same forms are plain: the row's "Edit" leads to the measure's form, the
bulk form posts and comes back to the matrix.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plans import policies, selectors, services
from plans.forms import BulkForm, MatrixRowForm, apply_errors
from plans.models import ImplementationPlan, Measure
from plans.views._common import conflict, frozen, next_url
from tracker.decorators import member_view, public_view
from tracker.exceptions import ApplicationError, ConflictError
from tracker.http import HtmxHttpRequest
from tracker.models import Institution
from tracker.policies import Actor, as_actor

PAGE_SIZE = 50


def _institutions() -> Any:
    return Institution.objects.filter(is_active=True).order_by("name")


def _can_edit(actor: Actor, plan: ImplementationPlan) -> bool:
    return policies.can_create_measure(actor, plan) and not plan.is_frozen


def _matrix_context(
    request: HtmxHttpRequest, actor: Actor, plan: ImplementationPlan, bulk: BulkForm | None
) -> tuple[dict[str, Any], bool]:
    matrix = selectors.plan_matrix(actor=actor, plan=plan, filters=request.GET)
    page = Paginator(matrix.recommendations, PAGE_SIZE).get_page(request.GET.get("page"))
    can_edit = _can_edit(actor, plan)
    if bulk is None and can_edit:
        bulk = BulkForm(measures=Measure.objects.none(), institutions=_institutions())
    context = {
        "plan": plan,
        "filterset": matrix.filterset,
        "page": page,
        "can_edit": can_edit,
        "bulk": bulk,
        "matrix_url": request.get_full_path(),
    }
    return context, matrix.is_valid


@public_view
@require_GET
def plan_matrix(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    plan = selectors.plan_get(actor=actor, pk=pk)
    context, valid = _matrix_context(request, actor, plan, None)
    return render(request, "plans/plan_matrix.html", context, status=200 if valid else 400)


@member_view
@require_POST
def matrix_bulk(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Set the status or the lead institution of the selected measures, all or none."""
    actor = as_actor(request.user)
    plan = selectors.plan_get(actor=actor, pk=pk)
    policies.ensure_can_create_measure(actor, plan)
    form = BulkForm(
        request.POST,
        measures=selectors.matrix_measures(actor=actor, plan=plan),
        institutions=_institutions(),
    )
    back = next_url(request, reverse("plans:plan-matrix", args=[plan.pk]))
    if form.is_valid():
        action = form.cleaned_data["action"]
        value = form.cleaned_data[action]
        chosen = list(form.cleaned_data["measures"])
        try:
            with transaction.atomic():
                for measure in chosen:
                    services.measure_update(actor=actor, measure=measure, **{action: value})
        except ConflictError as exc:
            return conflict(request, exc)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext("%(count)d measure changed.", "%(count)d measures changed.", len(chosen))
                % {"count": len(chosen)},
            )
            return redirect(back)
    context, _valid = _matrix_context(request, actor, plan, form)
    return render(request, "plans/plan_matrix.html", context, status=400)


def _row_measure(actor: Actor, plan: ImplementationPlan, measure_pk: int) -> Measure:
    try:
        return selectors.matrix_measures(actor=actor, plan=plan).get(pk=measure_pk)
    except Measure.DoesNotExist:
        raise Http404 from None


def _rec(request: HtmxHttpRequest) -> str:
    """The recommendation under which the row is shown (a measure may address several)."""
    rec = request.GET.get("rec") or request.POST.get("rec") or ""
    return rec if rec.isdigit() else "0"


def _form_id(measure: Measure, request: HtmxHttpRequest) -> str:
    return f"rowform-{measure.pk}-{_rec(request)}"


def _row(
    request: HtmxHttpRequest,
    plan: ImplementationPlan,
    measure: Measure,
    *,
    can_edit: bool,
    form: MatrixRowForm | None = None,
    focus: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = {
        "plan": plan,
        "measure": measure,
        "rec": _rec(request),
        "rec_id": _rec(request),
        "can_edit": can_edit,
        "form": form,
        "focus": focus,
        "matrix_url": next_url(request, reverse("plans:plan-matrix", args=[plan.pk])),
    }
    template = "plans/_matrix_row_form.html" if form is not None else "plans/_matrix_row.html"
    return render(request, template, context, status=status)


@public_view
@require_http_methods(["GET", "POST"])
def matrix_row(request: HtmxHttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    """A measure's row of the matrix (GET: as shown, after a cancelled edit); POST saves the
    row's form: the row again (htmx), or back to the matrix (a plain form)."""
    actor = as_actor(request.user)
    if request.method == "POST" and actor is None:
        return redirect_to_login(request.get_full_path())
    plan = selectors.plan_get(actor=actor, pk=pk)
    measure = _row_measure(actor, plan, measure_pk)
    can_edit = _can_edit(actor, plan)
    if request.method == "GET":
        return _row(request, plan, measure, can_edit=can_edit, focus=True)
    policies.ensure_can_edit_measure(actor, measure)
    form = MatrixRowForm(
        request.POST, institutions=_institutions(), form_id=_form_id(measure, request)
    )
    if form.is_valid():
        try:
            services.measure_update(actor=actor, measure=measure, **form.cleaned_data)
        except ConflictError as exc:
            return conflict(request, exc)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, _("The measure was saved."))
                return redirect(next_url(request, reverse("plans:plan-matrix", args=[plan.pk])))
            measure = _row_measure(actor, plan, measure_pk)
            return _row(request, plan, measure, can_edit=can_edit, focus=True)
    if not request.htmx:
        return render(
            request,
            "plans/matrix_row_page.html",
            {"plan": plan, "measure": measure, "form": form, "rec": _rec(request)},
            status=400,
        )
    return _row(request, plan, measure, can_edit=can_edit, form=form, status=400)


@member_view
@require_GET
def matrix_row_edit(request: HtmxHttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    """A measure's row as a form, in place of the row (htmx) or as a small page of its own."""
    actor = as_actor(request.user)
    plan = selectors.plan_get(actor=actor, pk=pk)
    measure = _row_measure(actor, plan, measure_pk)
    policies.ensure_can_edit_measure(actor, measure)
    refused = frozen(request, plan)
    if refused is not None:
        return refused
    form = MatrixRowForm(
        initial=MatrixRowForm.initial_for(measure),
        institutions=_institutions(),
        form_id=_form_id(measure, request),
    )
    if not request.htmx:
        context = {
            "plan": plan,
            "measure": measure,
            "form": form,
            "rec": request.GET.get("rec", ""),
        }
        return render(request, "plans/matrix_row_page.html", context)
    return _row(request, plan, measure, can_edit=True, form=form)
