"""The scheduled import: the configured UHRI feed, in each configured language, in order."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from recommendations.importers import languages as feed_languages
from recommendations.models import ImportRun
from tracker.audit import audited
from tracker.models import Country

from .imports import import_run_create


@audited
def import_runs_schedule() -> list[ImportRun]:
    """Record one import per configured feed (``importers.languages.scheduled_feeds``) and, after commit, run them
    one after the other in that order (a Celery chain), so that each language's feed finds the
    records of the previous ones. Returns the runs (none when no feed is configured)."""
    feeds = feed_languages.scheduled_feeds()
    if not feeds:
        return []
    country = None
    if settings.TRACKER_UHRI_FEED_COUNTRY:
        country = Country.objects.get(iso3=settings.TRACKER_UHRI_FEED_COUNTRY.upper())
    with transaction.atomic():
        runs = [
            import_run_create(
                actor=None,
                source=url,
                format=settings.TRACKER_UHRI_FEED_FORMAT,
                country=country,
                language=language,
                enqueue=False,
            )
            for language, url in feeds
        ]
        ids = [run.pk for run in runs]
        transaction.on_commit(lambda: _run_in_order(ids))
    return runs


def _run_in_order(ids: list[int]) -> None:
    from celery import chain

    from recommendations.tasks import uhri_import_run

    chain(*(uhri_import_run.si(pk) for pk in ids)).delay()
