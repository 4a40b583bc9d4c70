"""Thin tasks: they take ids and call services."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def report_job_run(job_id: int) -> str:
    """Build one report draft. Idempotent: a job already claimed is left alone."""
    from .services import report_job_run as service

    return str(service(job_id=job_id).status)
