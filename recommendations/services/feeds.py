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
    """Record one import per configured feed (``importers.languages.scheduled_feeds``) and run
    them one after the other in that order, so that each language's feed finds the records of
    the previous ones. Returns the runs (none when no feed is configured).

    Each run after the first ``follows`` the one before it: the jobs' relay does not send it and
    no worker claims it until that one has finished (``tracker.jobs``, ``IMPORT_JOB.ready``), and
    the run that finishes sends it. The first is sent after commit. A worker lost in the middle
    holds up nothing: the sweeper resumes its run, and the next ones follow."""
    feeds = feed_languages.scheduled_feeds()
    if not feeds:
        return []
    country = None
    if settings.TRACKER_UHRI_FEED_COUNTRY:
        country = Country.objects.get(iso3=settings.TRACKER_UHRI_FEED_COUNTRY.upper())
    with transaction.atomic():
        runs: list[ImportRun] = []
        for language, url in feeds:
            run = import_run_create(
                actor=None,
                source=url,
                format=settings.TRACKER_UHRI_FEED_FORMAT,
                country=country,
                language=language,
                enqueue=not runs,
            )
            if runs:
                run.follows = runs[-1]
                run.save(update_fields=["follows"])
            runs.append(run)
    return runs
