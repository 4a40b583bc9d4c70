"""The scheduled import: the configured UHRI feed, in each configured language, in order."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from recommendations.importers import languages as feed_languages
from recommendations.models import FeedLanguage, ImportRun
from tracker.audit import audited
from tracker.models import Country

from .imports import import_run_create


def _uhri_code(language: str) -> str:
    """The code UHRI writes for a language (``zh`` for the stored ``zh-hans``)."""
    return "zh" if language == FeedLanguage.ZH else language


def scheduled_feeds() -> list[tuple[str, str]]:
    """``(language, url)`` of each feed the schedule imports, in order: the languages of
    ``TRACKER_UHRI_FEED_LANGUAGES``, each with its URL in ``TRACKER_UHRI_FEED_URLS`` or else
    ``TRACKER_UHRI_FEED_URL`` (its ``{language}`` filled in); without languages, the one URL with
    its language left to detection (``""``). Raises ``ImproperlyConfigured`` for an unknown
    language, one without a URL, or two languages sharing one URL."""
    pattern = settings.TRACKER_UHRI_FEED_URL
    try:
        urls = {
            feed_languages.normalise(code): url
            for code, url in settings.TRACKER_UHRI_FEED_URLS.items()
        }
        wanted = [feed_languages.normalise(code) for code in settings.TRACKER_UHRI_FEED_LANGUAGES]
    except feed_languages.UnknownLanguageError as exc:
        raise ImproperlyConfigured(f"TRACKER_UHRI_FEED_LANGUAGES / _URLS: {exc}") from None
    if not wanted:
        if pattern:
            return [("", pattern)]
        return list(urls.items())
    feeds: list[tuple[str, str]] = []
    for language in dict.fromkeys(wanted):
        url = urls.get(language) or pattern.replace("{language}", _uhri_code(language))
        if not url:
            raise ImproperlyConfigured(f"No UHRI feed URL for the language {language}.")
        feeds.append((language, url))
    if len({url for _language, url in feeds}) < len(feeds):
        raise ImproperlyConfigured(
            "Two languages of TRACKER_UHRI_FEED_LANGUAGES share one URL: put {language} in "
            "TRACKER_UHRI_FEED_URL or give each its URL in TRACKER_UHRI_FEED_URLS."
        )
    return feeds


@audited
def import_runs_schedule() -> list[ImportRun]:
    """Record one import per configured feed (``scheduled_feeds``) and, after commit, run them
    one after the other in that order (a Celery chain), so that each language's feed finds the
    records of the previous ones. Returns the runs (none when no feed is configured)."""
    feeds = scheduled_feeds()
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
