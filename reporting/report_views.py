"""The secretariat's Reports page: ask for a draft, follow it being built, download it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from tracker.decorators import member_view
from tracker.http import HtmxHttpRequest
from tracker.policies import as_actor

from . import policies, services
from .forms import ReportJobForm
from .models import ReportJobStatus

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@member_view
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_build_reports(actor)
    form = ReportJobForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.report_job_create(
                actor=actor,
                kind=data["kind"],
                format=data["format"],
                language=data["language"],
                cycle=data["cycle"],
                mechanism=data["mechanism"],
                paragraphs=data["paragraphs"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("reporting:report-detail", pk=job.pk)
    jobs = policies.visible_report_jobs(actor).select_related("requested_by")[:50]
    status = 400 if request.method == "POST" else 200
    return render(
        request, "reporting/report_list.html", {"form": form, "jobs": jobs}, status=status
    )


@member_view
@require_GET
def report_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_build_reports(actor)
    job = get_object_or_404(
        policies.visible_report_jobs(actor).select_related("requested_by"), pk=pk
    )
    template = "reporting/report_detail.html"
    if request.htmx and request.GET.get("part") == "progress":
        template += "#progress"
    return render(request, template, {"job": job})


@member_view
@require_GET
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file of a finished draft, to those allowed only: never a public media address."""
    actor = as_actor(request.user)
    job = get_object_or_404(policies.visible_report_jobs(actor), pk=pk)
    if not policies.can_download_report(actor, job) or job.status != ReportJobStatus.DONE:
        raise Http404
    if not job.file:
        raise Http404
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=CONTENT_TYPES[job.format],
    )
    response["Cache-Control"] = "private, no-store"
    return response
