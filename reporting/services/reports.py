"""Report drafts: asked for on the Reports page or the command line, built by a worker."""

from __future__ import annotations

import logging
import tempfile
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation

from reporting import policies
from reporting.models import ReportFormat, ReportJob, ReportJobStatus, ReportKind
from reporting.reports.content import ReportRequest, build_report
from reporting.reports.writers import WRITERS
from tracker.audit import audited
from tracker.exceptions import ApplicationError
from tracker.models import User

logger = logging.getLogger(__name__)


def _paragraphs(value: str) -> list[str]:
    return [p.strip() for p in value.split(",") if p.strip()]


@audited
def report_write(
    *,
    request: ReportRequest,
    format: str,
    stream: IO[bytes],
    actor: User | None = None,
    system: bool = False,
    on_progress: object = None,
) -> int:
    """Write the report asked for to ``stream`` in ``format``, in ``request.language``; returns the
    number of items. Read-only: it changes nothing, and needs no audit."""
    if format not in WRITERS:
        raise ApplicationError(f"Unknown format: {format}")
    languages = {code for code, _name in settings.LANGUAGES}
    if request.language not in languages:
        raise ApplicationError(f"Unknown language: {request.language}")
    with translation.override(request.language):
        report = build_report(request, actor=actor, system=system)
        WRITERS[format](report, stream, on_progress)  # type: ignore[arg-type]
    return report.total


@audited
@transaction.atomic
def report_job_create(
    *,
    actor: User | None,
    kind: str,
    format: str,
    language: str = "en",
    cycle: int | None = None,
    mechanism: str = "",
    paragraphs: str = "",
) -> ReportJob:
    """Ask for a report draft; the worker builds it (``report_job_run``) after the commit.

    Raises ``PermissionDenied`` unless the actor is the secretariat, ``ValidationError`` with the
    fields on a bad kind, format or language (nothing is written then)."""
    policies.ensure_can_build_reports(actor)
    job = ReportJob(
        kind=kind,
        format=format,
        language=language,
        cycle=cycle,
        mechanism=mechanism.strip(),
        paragraphs=", ".join(_paragraphs(paragraphs)),
        requested_by=actor,
    )
    job.full_clean(exclude=["file"])
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError({"language": ["Not one of the site's languages."]})
    job.save()
    from reporting.tasks import report_job_run as task

    task.delay_on_commit(job.pk)  # type: ignore[attr-defined]
    return job


@audited
def report_job_run(*, job_id: int) -> ReportJob:
    """Build a queued report draft: claims it (a second run of the same job does nothing), writes
    the file with its progress recorded every chunk, and marks it ready, or failed with the
    reason. Built with the rights of whoever asked for it."""
    claimed = ReportJob.objects.filter(pk=job_id, status=ReportJobStatus.QUEUED).update(
        status=ReportJobStatus.RUNNING, updated_at=timezone.now()
    )
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    if not claimed:
        return job
    request = ReportRequest(
        kind=job.kind,
        language=job.language,
        cycle=job.cycle,
        mechanism=job.mechanism,
        paragraphs=_paragraphs(job.paragraphs),
    )

    def on_progress(done: int) -> None:
        total = max(job.items_total, 1)
        ReportJob.objects.filter(pk=job.pk).update(
            items_done=done, progress=min(99, done * 100 // total)
        )

    try:
        with tempfile.TemporaryFile() as stream:
            with translation.override(job.language):
                report = build_report(request, actor=job.requested_by)
                ReportJob.objects.filter(pk=job.pk).update(items_total=report.total)
                job.items_total = report.total
                WRITERS[job.format](report, stream, on_progress)
            stream.seek(0)
            job.file.save(job.filename, File(stream), save=False)
    except ApplicationError as exc:
        job.status, job.error = ReportJobStatus.FAILED, exc.message
    except Exception as exc:  # the job must end as failed, whatever broke; the log has the trace
        logger.exception("Report draft %s failed", job.pk)
        job.status, job.error = ReportJobStatus.FAILED, f"{type(exc).__name__}: {exc}"
    else:
        job.status, job.progress, job.items_done = ReportJobStatus.DONE, 100, job.items_total
    job.finished_at = timezone.now()
    job.save()
    return job


__all__ = ["ReportFormat", "ReportKind", "report_job_create", "report_job_run", "report_write"]
