"""The scheduled import: one run per configured language, in order."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from recommendations.importers.languages import scheduled_feeds
from recommendations.models import ImportRun
from recommendations.services import import_runs_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_country(settings):
    settings.TRACKER_UHRI_FEED_COUNTRY = ""
    settings.TRACKER_UHRI_FEED_FORMAT = "json"
    settings.TRACKER_UHRI_FEED_URLS = {}
    settings.TRACKER_UHRI_FEED_LANGUAGES = []


def test_one_url_without_languages_is_one_feed_with_its_language_left_to_detection(settings):
    settings.TRACKER_UHRI_FEED_URL = "https://uhri.example/export.json"
    assert scheduled_feeds() == [("", "https://uhri.example/export.json")]


def test_a_url_pattern_gives_one_feed_per_language_in_order(settings):
    settings.TRACKER_UHRI_FEED_URL = "https://uhri.example/export-{language}.json"
    settings.TRACKER_UHRI_FEED_LANGUAGES = ["en", "es", "zh"]
    assert scheduled_feeds() == [
        ("en", "https://uhri.example/export-en.json"),
        ("es", "https://uhri.example/export-es.json"),
        ("zh-hans", "https://uhri.example/export-zh.json"),
    ]


def test_a_language_may_have_its_own_url(settings):
    settings.TRACKER_UHRI_FEED_URL = "https://uhri.example/export-{language}.json"
    settings.TRACKER_UHRI_FEED_URLS = {"fr": "https://mirror.example/fr.json"}
    settings.TRACKER_UHRI_FEED_LANGUAGES = ["en", "fr"]
    assert scheduled_feeds() == [
        ("en", "https://uhri.example/export-en.json"),
        ("fr", "https://mirror.example/fr.json"),
    ]


@pytest.mark.parametrize(
    ("url", "languages"),
    [
        ("https://uhri.example/export.json", ["en", "es"]),  # one URL for two languages
        ("https://uhri.example/{language}.json", ["en", "de"]),  # not a UN language
        ("", ["en"]),  # no URL
    ],
)
def test_a_bad_configuration_says_so(settings, url, languages):
    settings.TRACKER_UHRI_FEED_URL = url
    settings.TRACKER_UHRI_FEED_LANGUAGES = languages
    with pytest.raises(ImproperlyConfigured):
        scheduled_feeds()


def test_the_schedule_records_one_run_per_language_each_following_the_one_before(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TRACKER_UHRI_FEED_URL = "https://uhri.example/export-{language}.json"
    settings.TRACKER_UHRI_FEED_LANGUAGES = ["en", "es", "fr"]
    sent: list[int] = []
    monkeypatch.setattr("tracker.jobs.dispatch", lambda kind, job: sent.append(job.pk))

    with django_capture_on_commit_callbacks(execute=True):
        runs = import_runs_schedule()

    assert [(run.language, run.source) for run in runs] == [
        ("en", "https://uhri.example/export-en.json"),
        ("es", "https://uhri.example/export-es.json"),
        ("fr", "https://uhri.example/export-fr.json"),
    ]
    stored = list(ImportRun.objects.order_by("pk").values_list("pk", "follows_id"))
    assert stored == [(runs[0].pk, None), (runs[1].pk, runs[0].pk), (runs[2].pk, runs[1].pk)]
    # Only the first is sent: each of the others is sent when the one before it finishes.
    assert sent == [runs[0].pk]


def test_nothing_is_scheduled_without_a_feed(settings):
    settings.TRACKER_UHRI_FEED_URL = ""
    assert import_runs_schedule() == []
    assert not ImportRun.objects.exists()
