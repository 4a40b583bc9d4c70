"""Background work of the plans: the daily reminders."""

from __future__ import annotations

from datetime import date

from celery import shared_task


@shared_task(acks_late=True, time_limit=900, soft_time_limit=840)
def reminders_send(day: str | None = None) -> int:
    """Send the day's reminders (``plans.services.reminders_send``): idempotent, each reminder
    is sent once however often it runs. Returns how many notifications were new.

    Not a leased job (``tracker.jobs``): it leaves no row in a running state to get stuck, and
    every reminder's key names the item and its state, not the day, so the reminders a lost
    worker did not send go with the next run, which sends only those (all but the weekly digest,
    which only a Monday's run sends)."""
    from plans.services import reminders_send as service

    return service(actor=None, today=date.fromisoformat(day) if day else None).sent
