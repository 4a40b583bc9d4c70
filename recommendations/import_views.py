"""The secretariat's import pages: start an import, follow it, review what it changed."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker.decorators import member_view
from tracker.exceptions import ApplicationError
from tracker.http import HtmxHttpRequest
from tracker.policies import as_actor

from . import policies, services
from .forms import ImportRunForm
from .models import ImportChange, ImportIssue, ImportRun

ISSUES_PER_PAGE = 50
CHANGES_PER_PAGE = 25


@member_view
@require_http_methods(["GET", "POST"])
def import_run_list(request: HttpRequest) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_import(actor)
    form = ImportRunForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.import_run_create(
                actor=actor,
                source=data["source"] or "",
                upload=data["upload"],
                format=data["format"],
                country=data["country"],
                dry_run=data["dry_run"],
                language=data["language"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("recommendations:import-detail", pk=run.pk)
    runs = ImportRun.objects.select_related("country", "triggered_by")[:50]
    status = 400 if request.method == "POST" else 200
    return render(
        request, "recommendations/importrun_list.html", {"form": form, "runs": runs}, status=status
    )


@member_view
@require_GET
def import_run_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_view_import_run(actor)
    run = get_object_or_404(ImportRun.objects.select_related("country", "triggered_by"), pk=pk)
    issues = Paginator(run.issues.order_by("severity", "row", "id"), ISSUES_PER_PAGE).get_page(
        request.GET.get("issues")
    )
    kind = request.GET.get("kind", "")
    if kind not in ImportChange.Kind.values:
        kind = ""
    changes = Paginator(run.review_list(kind), CHANGES_PER_PAGE).get_page(
        request.GET.get("changes")
    )
    changes.object_list = [ImportChange.from_review(row) for row in changes.object_list]
    context = {
        "run": run,
        "issues": issues,
        "changes": changes,
        "kind": kind,
        "kinds": ImportChange.Kind.choices,
        "error_count": run.issues.filter(severity=ImportIssue.Severity.ERROR).count(),
    }
    template = "recommendations/importrun_detail.html"
    if request.htmx and request.GET.get("part") == "progress":
        template += "#progress"
    return render(request, template, context)


@member_view
@require_POST
def import_run_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Import for real what a dry run showed."""
    actor = as_actor(request.user)
    policies.ensure_can_import(actor)
    dry_run = get_object_or_404(ImportRun, pk=pk)
    try:
        run, _created = services.import_run_apply(actor=actor, dry_run=dry_run)
    except ApplicationError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    return redirect("recommendations:import-detail", pk=run.pk)
