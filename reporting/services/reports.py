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
from tracker import jobs
from tracker.audit import audited
from tracker.exceptions import ApplicationError
from tracker.models import User

logger = logging.getLogger(__name__)

# Report drafts as jobs (tracker/jobs.py): one worker at a time under a lease, a limit on
# redeliveries, an outbox while the broker is away. A draft is not resumable half-way: a job taken
# over after its worker was lost is built again from the start.
REPORT_JOB = jobs.JobKind(
    name="report draft",
    model=ReportJob,
    task="reporting.tasks.report_job_run",
    pending=ReportJobStatus.QUEUED,
    running=ReportJobStatus.RUNNING,
    failed=ReportJobStatus.FAILED,
)


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
    jobs.dispatch_on_commit(REPORT_JOB, job)
    return job


@audited
def report_job_run(*, job_id: int) -> ReportJob:
    """Build a queued report draft. Safe to deliver twice: the job is claimed under a lease
    (``tracker.jobs``), so a second delivery while a worker holds it does nothing, and one after
    the worker was lost builds it again from the start (or fails it past
    ``TRACKER_JOB_MAX_REDELIVERIES``). Writes the file with its progress recorded every chunk,
    while a heartbeat renews the lease, and marks it ready, or failed with the reason. Built with
    the rights of whoever asked for it."""
    token = jobs.claim(REPORT_JOB, job_id)
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    if token is None:
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
        ReportJob.objects.filter(pk=job.pk, lease_owner=token).update(
            items_done=done, progress=min(99, done * 100 // total)
        )

    try:
        with jobs.hold(REPORT_JOB, job.pk, token), tempfile.TemporaryFile() as stream:
            with translation.override(job.language):
                report = build_report(request, actor=job.requested_by)
                ReportJob.objects.filter(pk=job.pk).update(items_total=report.total, items_done=0)
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
        job.status, job.error = ReportJobStatus.DONE, ""
        job.progress, job.items_done = 100, job.items_total
    job.finished_at = timezone.now()
    if not jobs.finish(
        REPORT_JOB,
        job.pk,
        token,
        status=job.status,
        error=job.error[:2000],
        file=job.file.name or "",
        progress=job.progress,
        items_done=job.items_done,
        items_total=job.items_total,
        finished_at=job.finished_at,
    ):
        logger.warning("Report draft %s: the lease was lost before the end", job.pk)
    job.refresh_from_db()
    return job


@audited
def report_jobs_sweep() -> jobs.Swept:
    """Report drafts whose worker is gone (lease expired) are sent again to be built anew, or
    failed past ``TRACKER_JOB_MAX_REDELIVERIES`` with that reason; drafts that never reached the
    broker are sent now."""
    swept = jobs.sweep(REPORT_JOB)
    jobs.dispatch_pending(REPORT_JOB)
    return swept


__all__ = [
    "REPORT_JOB",
    "ReportFormat",
    "ReportKind",
    "report_job_create",
    "report_job_run",
    "report_jobs_sweep",
    "report_write",
]
