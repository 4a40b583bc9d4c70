"""Thin tasks: they take ids and call services."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def report_job_run(job_id: int) -> str:
    """Build one report draft. Idempotent: a job held by a live lease, or finished, is left alone
    (``tracker.jobs``); one whose worker was lost is built again from the start."""
    from .services import report_job_run as service

    return str(service(job_id=job_id).status)


@shared_task
def report_jobs_sweep() -> dict[str, list[int]]:
    """Every minute: build again or fail the drafts whose worker is gone, send the drafts that
    waited for the broker (``tracker.jobs``)."""
    from .services import report_jobs_sweep as sweep

    swept = sweep()
    return {"resumed": swept.resumed, "failed": swept.failed}
