"""The plan as a spreadsheet, from the plan's page: download it; upload it back, see row by row
what it would change (a dry run), then apply it.

The uploaded file is kept in private storage between the dry run and the apply (its name in the
person's session, never in the form), so that what is applied is the file that was checked; it is
deleted once applied. Its size was limited as it arrived (``tracker.uploads``); the import checks
its type and zip bomb before reading it (``plans.spreadsheet``).
"""

from __future__ import annotations

import tempfile
import uuid
from typing import Any

from django import forms
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from plans import policies, selectors
from plans.models import ImplementationPlan
from plans.spreadsheet import (
    ImportReport,
    SpreadsheetRefused,
    export_filename,
    export_plan,
    import_plan,
)
from plans.spreadsheet.importer import CREATED, REJECTED, UNCHANGED, UPDATED
from tracker.decorators import member_view, public_view
from tracker.policies import as_actor

SESSION_KEY = "plans.spreadsheet_import"
UPLOAD_DIR = "plan-imports"
# Up to this size the workbook is built in memory, beyond it in a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@public_view
@require_GET
def plan_export(request: HttpRequest, pk: int) -> FileResponse:
    """The plan as a workbook, for whoever may see it (what they may see of it)."""
    actor = as_actor(request.user)
    plan = selectors.plan_get(actor=actor, pk=pk)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (FileResponse closes it)
    export_plan(actor=actor, plan=plan, stream=spool)
    spool.seek(0)
    response = FileResponse(
        spool, as_attachment=True, filename=export_filename(plan), content_type=XLSX
    )
    response["Cache-Control"] = "private, no-store"
    return response


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label=gettext_lazy("Workbook (XLSX)"),
        help_text=gettext_lazy("A file exported from this plan and edited."),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": f".xlsx,{XLSX}",
                "aria-describedby": "id_workbook_help",
            }
        ),
    )


def _stored_upload(request: HttpRequest, plan: ImplementationPlan) -> str | None:
    held = request.session.get(SESSION_KEY) or {}
    if held.get("plan") != plan.pk or held.get("token") != request.POST.get("token"):
        return None
    name = held.get("name")
    return name if isinstance(name, str) and default_storage.exists(name) else None


def _forget(request: HttpRequest) -> None:
    held = request.session.pop(SESSION_KEY, None) or {}
    name = held.get("name")
    if isinstance(name, str) and default_storage.exists(name):
        default_storage.delete(name)


@member_view
@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the upload form. POST with a file: the dry run, row by row, with the button that
    applies it. POST ``apply``: the import of the file the dry run read."""
    actor = as_actor(request.user)
    plan = selectors.plan_get(actor=actor, pk=pk)
    policies.ensure_can_edit_plan(actor, plan)
    context: dict[str, Any] = {"plan": plan, "form": UploadForm()}
    status = 200
    if request.method == "POST" and "apply" in request.POST:
        name = _stored_upload(request, plan)
        if name is None:
            context["error"] = _("The file of the dry run is no longer here: upload it again.")
            return render(request, "plans/spreadsheet_import.html", context, status=400)
        try:
            with default_storage.open(name, "rb") as stream:
                report = import_plan(actor=actor, plan=plan, stream=stream)
        except SpreadsheetRefused as exc:
            context["error"] = exc.message
            status = 400
        else:
            context["report"] = report
        _forget(request)
    elif request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if not form.is_valid():
            return render(request, "plans/spreadsheet_import.html", context, status=400)
        upload = form.cleaned_data["workbook"]
        try:
            report = import_plan(actor=actor, plan=plan, stream=upload, dry_run=True)
        except SpreadsheetRefused as exc:
            form.add_error("workbook", exc.message)
            return render(request, "plans/spreadsheet_import.html", context, status=400)
        context["report"] = report
        if report.changed and not report.refused:
            _forget(request)
            upload.seek(0)
            name = default_storage.save(f"{UPLOAD_DIR}/{uuid.uuid4().hex}.xlsx", upload)
            token = uuid.uuid4().hex
            request.session[SESSION_KEY] = {"plan": plan.pk, "name": name, "token": token}
            context["token"] = token
    if "report" in context:
        context.update(_summary(context["report"]))
    return render(request, "plans/spreadsheet_import.html", context, status=status)


def _summary(report: ImportReport) -> dict[str, Any]:
    counts = report.counts
    return {
        "updated": counts[UPDATED],
        "created": counts[CREATED],
        "unchanged": counts[UNCHANGED],
        "rejected": counts[REJECTED],
        "applicable": counts[UPDATED] + counts[CREATED],
    }
