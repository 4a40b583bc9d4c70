"""Thin tasks: they take ids and call services."""

from __future__ import annotations

from celery import Task, shared_task

from .importers.fetch import TransientFeedError


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(TransientFeedError,),
    retry_backoff=True,
    max_retries=5,
)
def uhri_import_run(self: Task[[int], str], import_run_id: int) -> str:
    """Run or resume one import. Idempotent: each batch commits, a re-run continues after it, and a
    second delivery while the run's lease lives does nothing (``tracker.jobs``). A feed that cannot
    be fetched is retried; after the last retry the run fails with the reason."""
    from .services import import_run_execute, import_run_give_up

    try:
        return import_run_execute(import_run_id=import_run_id, resume_failed=False).status
    except TransientFeedError as exc:
        if self.request.retries >= (self.max_retries or 0):
            import_run_give_up(import_run_id=import_run_id, reason=str(exc))
        raise


@shared_task
def uhri_import_scheduled() -> list[int]:
    """The nightly import of the configured feeds (``TRACKER_UHRI_FEED_URL``, per language of
    ``TRACKER_UHRI_FEED_LANGUAGES``), run in order; the ids of the runs."""
    from .services import import_runs_schedule

    return [run.pk for run in import_runs_schedule()]


@shared_task
def import_uploads_purge() -> int:
    """Daily: delete uploaded feeds past ``TRACKER_IMPORT_UPLOAD_DAYS``."""
    from .services import import_uploads_purge as purge

    return purge()


@shared_task
def import_runs_sweep() -> dict[str, list[int]]:
    """Every minute: resume or fail the runs whose worker is gone, send the runs that waited for
    the broker (``tracker.jobs``)."""
    from .services import import_runs_sweep as sweep

    swept = sweep()
    return {"resumed": swept.resumed, "failed": swept.failed}
