"""Import runs as jobs (tracker/jobs.py): one claim at a time under a lease, redeliveries
limited, the sweeper for lost workers, and the outbox while the broker is unreachable."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.urls import reverse
from django.utils import timezone

from recommendations.models import (
    ImportIssue,
    ImportRun,
    ImportStatus,
    Recommendation,
    RecommendationText,
)
from recommendations.services import (
    import_run_create,
    import_run_execute,
    import_runs_schedule,
    import_runs_sweep,
)
from recommendations.services.imports import IMPORT_JOB
from recommendations.tasks import uhri_import_run
from tests.recommendations.helpers import import_upload
from tests.recommendations.importers.helpers import FEED_JSON, FIXTURES
from tracker import jobs

from .conftest import DEAD_BROKER

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "media")]

ALL = 11  # records in feed.json


def _held_by_a_live_worker(run: ImportRun) -> str:
    """Claim the run as another worker would, its lease alive."""
    token = jobs.claim(IMPORT_JOB, run.pk)
    assert token is not None
    return token


def _lease_expired(run: ImportRun, *, interruptions: int = 0) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1), interruptions=interruptions
    )


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_running_run_whose_lease_lives_is_not_run_again(dry_run: bool) -> None:
    run = import_run_create(actor=None, source=str(FEED_JSON), dry_run=dry_run, enqueue=False)
    token = _held_by_a_live_worker(run)

    again = import_run_execute(import_run_id=run.pk)
    uhri_import_run.apply(args=[run.pk])  # a second delivery of the task

    again.refresh_from_db()
    assert (again.status, again.lease_owner, again.attempts) == (ImportStatus.RUNNING, token, 1)
    assert (again.rows_read, again.created) == (0, 0)
    assert not ImportIssue.objects.filter(run=run).exists()
    assert not Recommendation.objects.exists()
    assert again.review_list("new").count() == 0


def test_a_dry_run_delivered_twice_counts_its_rows_once() -> None:
    run = import_run_create(actor=None, source=str(FEED_JSON), dry_run=True, enqueue=False)
    first = import_run_execute(import_run_id=run.pk)
    second = import_run_execute(import_run_id=run.pk)
    uhri_import_run.apply(args=[run.pk])

    second.refresh_from_db()
    assert first.status == second.status == ImportStatus.SUCCEEDED
    assert (second.rows_read, second.created, second.attempts) == (ALL, ALL, 1)
    assert second.review_list("new").count() == ALL
    assert not Recommendation.objects.exists()


def test_a_run_whose_lease_expired_is_taken_over_and_counted() -> None:
    run = import_run_create(actor=None, source=str(FEED_JSON), enqueue=False)
    _held_by_a_live_worker(run)
    _lease_expired(run)

    done = import_run_execute(import_run_id=run.pk)

    assert done.status == ImportStatus.SUCCEEDED, done.error
    assert (done.attempts, done.interruptions, done.created) == (2, 1, ALL)
    assert (done.lease_owner, done.lease_expires_at) == ("", None)


def test_past_the_limit_of_redeliveries_the_run_fails_with_the_reason(settings) -> None:
    settings.TRACKER_JOB_MAX_REDELIVERIES = 2
    run = import_run_create(actor=None, source=str(FEED_JSON), enqueue=False)
    _held_by_a_live_worker(run)
    _lease_expired(run, interruptions=2)

    uhri_import_run.apply(args=[run.pk])  # the feed killed the worker twice; here it is again

    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert "was lost 3 times" in run.error
    assert "TRACKER_JOB_MAX_REDELIVERIES = 2" in run.error
    assert run.finished_at is not None
    assert (run.rows_read, run.interruptions) == (0, 3)
    assert not Recommendation.objects.exists()
    # Delivered once more, the task leaves a failed run failed.
    uhri_import_run.apply(args=[run.pk])
    run.refresh_from_db()
    assert (run.status, run.rows_read) == (ImportStatus.FAILED, 0)
    # An operator may run it again on purpose: it starts, its interruptions counted from zero.
    again = import_run_execute(import_run_id=run.pk)
    assert (again.status, again.interruptions, again.created) == (ImportStatus.SUCCEEDED, 0, ALL)


def test_the_sweeper_resumes_runs_whose_worker_is_gone_and_leaves_live_ones() -> None:
    lost = import_run_create(actor=None, source=str(FEED_JSON), enqueue=False)
    live = import_run_create(actor=None, source=str(FEED_JSON), dry_run=True, enqueue=False)
    _held_by_a_live_worker(lost)
    live_token = _held_by_a_live_worker(live)
    _lease_expired(lost)

    swept = import_runs_sweep()

    # No broker in the tests: the run sent again ran in-process.
    assert (swept.resumed, swept.failed) == ([lost.pk], [])
    lost.refresh_from_db()
    assert lost.status == ImportStatus.SUCCEEDED, lost.error
    assert (lost.interruptions, lost.created) == (1, ALL)
    live.refresh_from_db()
    assert (live.status, live.lease_owner, live.interruptions) == (
        ImportStatus.RUNNING,
        live_token,
        0,
    )


def test_the_sweeper_fails_a_run_past_the_limit(settings) -> None:
    settings.TRACKER_JOB_MAX_REDELIVERIES = 1
    run = import_run_create(actor=None, source=str(FEED_JSON), enqueue=False)
    _held_by_a_live_worker(run)
    _lease_expired(run, interruptions=1)

    swept = import_runs_sweep()

    assert (swept.resumed, swept.failed) == ([], [run.pk])
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert "was lost 2 times" in run.error
    assert (run.lease_owner, run.lease_expires_at, run.rows_read) == ("", None, 0)


# -- the broker unreachable ----------------------------------------------------------------------


def test_with_the_broker_down_the_page_answers_and_keeps_the_run_waiting(
    client, secretariat, broker_at: Callable[..., Celery], django_capture_on_commit_callbacks
) -> None:
    broker_at(DEAD_BROKER)
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("recommendations:import-list"), {"upload": import_upload()})

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert (run.status, run.dispatched_at, run.attempts) == (ImportStatus.PENDING, None, 0)
    page = client.get(response.url).content.decode()
    assert "The task queue cannot be reached just now" in page
    # The relay tries again, and waits while the broker is still away.
    assert jobs.dispatch_pending(IMPORT_JOB) == 0
    run.refresh_from_db()
    assert (run.status, run.dispatched_at) == (ImportStatus.PENDING, None)


def test_with_the_broker_down_the_api_answers_201_with_the_run_waiting(
    api_client, secretariat, broker_at: Callable[..., Celery], django_capture_on_commit_callbacks
) -> None:
    broker_at(DEAD_BROKER)
    api_client.force_authenticate(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v1/import-runs/", {"upload": import_upload()}, format="multipart"
        )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["dispatched_at"], body["attempts"]) == ("pending", None, 0)
    assert ImportRun.objects.get(pk=body["id"]).dispatched_at is None


def test_a_run_sent_to_the_broker_is_marked_sent(
    broker_at: Callable[..., Celery], django_capture_on_commit_callbacks, tmp_path: Path
) -> None:
    from tests.recommendations.importers.test_worker import _forget_queue, _redis

    queue = f"tracker-test-sent-{tmp_path.name[-12:]}"
    broker_at(__import__("tests.reliability.conftest", fromlist=["BROKER"]).BROKER, queue=queue)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run = import_run_create(actor=None, source=str(FEED_JSON))
        run.refresh_from_db()
        assert run.dispatched_at is not None
        assert run.status == ImportStatus.PENDING
        message = json.loads(_redis().lpop(queue) or b"{}")
        assert message["headers"]["task"] == "recommendations.tasks.uhri_import_run"
    finally:
        _forget_queue(_redis(), queue)


def test_a_run_sent_long_ago_and_never_started_is_sent_again() -> None:
    """Its message was lost (Redis restarted without its data, say)."""
    lost = import_run_create(actor=None, source=str(FEED_JSON), enqueue=False)
    recent = import_run_create(actor=None, source=str(FEED_JSON), dry_run=True, enqueue=False)
    ImportRun.objects.filter(pk=lost.pk).update(
        dispatched_at=timezone.now() - jobs.resend_after() - timedelta(seconds=1)
    )
    ImportRun.objects.filter(pk=recent.pk).update(dispatched_at=timezone.now())

    assert jobs.dispatch_pending(IMPORT_JOB) == 1

    lost.refresh_from_db()
    recent.refresh_from_db()
    # No broker in the tests: the run sent again ran in-process.
    assert (lost.status, lost.created) == (ImportStatus.SUCCEEDED, ALL)
    assert recent.status == ImportStatus.PENDING


def test_a_failed_task_is_logged_with_the_run_it_belongs_to(caplog) -> None:
    result = uhri_import_run.apply(args=[987654], throw=False)  # no such run

    assert result.failed()
    failures = [r for r in caplog.records if r.name == "tracker.jobs" and "failed" in r.message]
    assert len(failures) == 1
    assert "recommendations.tasks.uhri_import_run" in failures[0].message
    assert "987654" in failures[0].message
    assert failures[0].task_args in ([987654], (987654,))  # type: ignore[attr-defined]


# -- the scheduled feeds, one language after the other ------------------------------------------


@pytest.fixture
def two_languages(settings, tmp_path: Path) -> None:
    """The schedule's feeds: English, then Spanish (local copies of the fixture feeds)."""
    shutil.copy(FEED_JSON, tmp_path / "feed-en.json")
    shutil.copy(FIXTURES / "feed_es.json", tmp_path / "feed-es.json")
    settings.TRACKER_UHRI_FEED_URL = str(tmp_path / "feed-{language}.json")
    settings.TRACKER_UHRI_FEED_URLS = {}
    settings.TRACKER_UHRI_FEED_LANGUAGES = ["en", "es"]
    settings.TRACKER_UHRI_FEED_COUNTRY = ""
    settings.TRACKER_UHRI_FEED_FORMAT = "json"


def _spanish_texts() -> int:
    return RecommendationText.objects.filter(language="es").count()


@pytest.mark.usefixtures("two_languages")
def test_the_scheduled_feeds_run_one_after_the_other(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        english, spanish = import_runs_schedule()

    # No broker in the tests: the first ran in-process after commit, and sent the next.
    english.refresh_from_db()
    spanish.refresh_from_db()
    assert english.status == spanish.status == ImportStatus.SUCCEEDED, (
        english.error,
        spanish.error,
    )
    assert spanish.follows_id == english.pk
    assert spanish.started_at >= english.finished_at
    assert (english.created, spanish.updated) == (ALL, ALL)
    assert _spanish_texts() == ALL + 1  # and the record only the Spanish feed carries


@pytest.mark.usefixtures("two_languages")
def test_a_scheduled_feed_waits_for_the_one_before_it_even_from_the_relay() -> None:
    english, spanish = import_runs_schedule()  # the first is sent after commit: not here
    english_token = _held_by_a_live_worker(english)

    # The Spanish run never reached the broker, but its turn has not come: the relay leaves it,
    # and a delivery of its task does not start it.
    assert jobs.dispatch_pending(IMPORT_JOB) == 0
    assert jobs.claim(IMPORT_JOB, spanish.pk) is None
    uhri_import_run.apply(args=[spanish.pk])
    spanish.refresh_from_db()
    assert (spanish.status, spanish.attempts, spanish.dispatched_at) == (
        ImportStatus.PENDING,
        0,
        None,
    )
    assert _spanish_texts() == 0

    # The worker running the English feed is lost: the sweeper resumes it, then the Spanish one.
    _lease_expired(english)
    swept = import_runs_sweep()

    assert swept.resumed == [english.pk]
    english.refresh_from_db()
    spanish.refresh_from_db()
    assert english.lease_owner != english_token
    assert english.status == spanish.status == ImportStatus.SUCCEEDED, (
        english.error,
        spanish.error,
    )
    assert spanish.started_at >= english.finished_at
    assert _spanish_texts() == ALL + 1


@pytest.mark.usefixtures("two_languages")
def test_a_scheduled_feed_follows_a_run_that_failed(settings) -> None:
    settings.TRACKER_JOB_MAX_REDELIVERIES = 0
    english, spanish = import_runs_schedule()
    _held_by_a_live_worker(english)
    _lease_expired(english)

    swept = import_runs_sweep()

    # The English run is failed for its lost worker; the Spanish one is not held up by it.
    assert swept.failed == [english.pk]
    spanish.refresh_from_db()
    assert spanish.status == ImportStatus.SUCCEEDED, spanish.error
