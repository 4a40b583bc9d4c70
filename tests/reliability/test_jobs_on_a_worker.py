"""Import jobs on real Celery workers over the real Redis: a run kept waiting while the broker was
away is sent and run when it is back; a run whose worker is SIGKILLed is resumed by the sweeper on
another worker, with no duplicate. These fail, never skip, without Redis."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.db.models.functions import Now

from recommendations.models import ImportRun, ImportStatus, Recommendation
from recommendations.services import import_run_create, import_runs_sweep
from tests.recommendations.importers.helpers import FEED_JSON
from tests.recommendations.importers.test_worker import (
    KILL_FEED_RECORDS,
    WORKER_LEASE_SECONDS,
    _large_feed,
    _progress,
    _redis,
    _start_worker_process,
    queue,
    timeout,
)

from .conftest import BROKER, DEAD_BROKER

pytestmark = pytest.mark.django_db(transaction=True)

__all__ = ["queue", "timeout"]  # fixtures, shared with the import worker tests


@pytest.fixture
def committed(media: Path) -> None:
    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0)


def test_a_run_kept_waiting_for_the_broker_runs_when_it_is_back(
    timeout: None,
    committed: None,
    queue: str,
    broker_at: Callable[..., Celery],
    django_capture_on_commit_callbacks,
) -> None:
    broker_at(DEAD_BROKER)
    with django_capture_on_commit_callbacks(execute=True):
        run = import_run_create(actor=None, source=str(FEED_JSON))
    run.refresh_from_db()
    assert (run.status, run.dispatched_at) == (ImportStatus.PENDING, None)

    app = broker_at(BROKER, queue=queue)  # the broker is back
    with start_worker(
        app,
        pool="solo",
        perform_ping_check=False,
        queues=[queue],
        shutdown_timeout=15,
        loglevel="WARNING",
    ):
        import_runs_sweep()  # the beat task: the outbox relay
        deadline = time.monotonic() + 30
        while _progress(run)[1] != ImportStatus.SUCCEEDED:
            assert time.monotonic() < deadline, ImportRun.objects.get(pk=run.pk).error
            time.sleep(0.1)

    run.refresh_from_db()
    assert run.dispatched_at is not None
    assert (run.created, run.attempts, run.interruptions) == (11, 1, 0)
    assert Recommendation.objects.count() == 11


def test_the_sweeper_resumes_a_killed_workers_run_on_another_worker(
    timeout: None,
    committed: None,
    queue: str,
    broker_at: Callable[..., Celery],
    tmp_path: Path,
) -> None:
    _redis().close()
    feed = _large_feed(tmp_path / "large.json", KILL_FEED_RECORDS)
    app = broker_at(BROKER, queue=queue)
    run = import_run_create(actor=None, source=str(feed), enqueue=False)
    first = _start_worker_process(queue, tmp_path / "first.log")
    second = None
    try:
        with app.connection_for_write() as connection:
            app.send_task(
                "recommendations.tasks.uhri_import_run",
                args=[run.pk],
                queue=queue,
                connection=connection,
            )
        deadline = time.monotonic() + 60
        while _progress(run)[0] == 0:
            assert first.poll() is None, (tmp_path / "first.log").read_text()[-3000:]
            assert time.monotonic() < deadline
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        # Nothing resumes it while the dead worker's lease lives...
        assert import_runs_sweep().resumed == []
        deadline = time.monotonic() + 3 * WORKER_LEASE_SECONDS
        while ImportRun.objects.filter(pk=run.pk, lease_expires_at__gte=Now()).exists():
            assert time.monotonic() < deadline
            time.sleep(0.2)
        rows_at_kill = _progress(run)[0]
        assert 0 < rows_at_kill < KILL_FEED_RECORDS

        # ...then the sweeper sends it again, and another worker finishes it.
        second = _start_worker_process(queue, tmp_path / "second.log")
        assert import_runs_sweep().resumed == [run.pk]
        deadline = time.monotonic() + 60
        while _progress(run)[1] != ImportStatus.SUCCEEDED:
            assert second.poll() is None, (tmp_path / "second.log").read_text()[-3000:]
            assert time.monotonic() < deadline, (tmp_path / "second.log").read_text()[-3000:]
            time.sleep(0.1)
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)

    run.refresh_from_db()
    assert (run.created, run.rows_done, run.interruptions) == (
        KILL_FEED_RECORDS,
        KILL_FEED_RECORDS,
        1,
    )
    assert Recommendation.objects.count() == KILL_FEED_RECORDS
    ids = list(Recommendation.objects.values_list("annotation_id", flat=True))
    assert len(set(ids)) == len(ids)
    assert run.review_list("new").count() == KILL_FEED_RECORDS
