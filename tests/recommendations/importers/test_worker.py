"""The import task on real Celery workers over Redis, including a worker killed in the middle of a run.

These tests need Redis at 127.0.0.1:6379 (database 15) and fail, never skip, when it is not there. They
commit to the test database (``transaction=True``): the workers use their own connections.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.db.models.functions import Now
from kombu import pools

from recommendations.models import ImportRun, ImportStatus, Recommendation
from recommendations.services import import_run_create, import_run_execute
from recommendations.tasks import uhri_import_run
from tests.factories.recommendations import DocumentFactory, RecommendationFactory
from tracker import celery_app, embedded
from tracker.models import Country

pytestmark = pytest.mark.django_db(transaction=True)

# Another database number lets two checkouts run their suites side by side.
BROKER = os.environ.get("TRACKER_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
TEST_TIMEOUT = 90  # seconds: a hung test fails instead of blocking the suite
KILL_FEED_RECORDS = 6_000  # three batches of the default 2,000
WORKER_LEASE_SECONDS = 4


def _redis() -> redis.Redis:
    """Redis, or an exception: these tests must fail, not skip, without it."""
    client = redis.Redis.from_url(BROKER, socket_connect_timeout=3, socket_timeout=5)
    client.ping()
    return client


def _forget_queue(client: redis.Redis, queue: str) -> None:
    """Drop the test queue and any message of it left unacknowledged by a killed worker."""
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    for tag, payload in client.hgetall("unacked").items():
        try:
            routing_key = json.loads(payload)[2]
        except (ValueError, IndexError, TypeError):
            continue
        if routing_key == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


@pytest.fixture
def timeout() -> Iterator[None]:
    """Fail the test after TEST_TIMEOUT seconds rather than hang."""

    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError(f"worker test still running after {TEST_TIMEOUT} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(TEST_TIMEOUT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def queue() -> Iterator[str]:
    """A queue of its own, so that no other worker on this Redis takes the test's messages."""
    client = _redis()
    name = f"tracker-test-{uuid.uuid4().hex[:12]}"
    try:
        yield name
    finally:
        _forget_queue(client, name)
        client.close()


def _reset_app_connections(app: Celery) -> None:
    """Forget the broker pools and result backend built for the previous configuration.

    The pools are kombu's, shared by URL between apps: they are closed and forgotten together.
    """
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    if hasattr(app._local, "backend"):
        del app._local.backend


@pytest.fixture
def redis_celery_app(queue: str) -> Iterator[Celery]:
    """``tracker.celery_app`` on Redis and not eager, restored afterwards."""
    app = celery_app
    overrides = {
        "broker_url": BROKER,
        "result_backend": BROKER,
        "task_always_eager": False,
        "broker_connection_retry_on_startup": False,
        "broker_connection_max_retries": 3,
    }
    saved = {key: app.conf.get(key) for key in overrides}
    consume_from = app.amqp.queues._consume_from
    app.conf.update(overrides)
    _reset_app_connections(app)
    try:
        yield app
    finally:
        app.conf.update(saved)
        app.amqp.queues._consume_from = consume_from
        app.amqp.queues.pop(queue, None)
        _reset_app_connections(app)


def test_the_import_task_runs_on_a_real_worker(
    timeout: None,
    committed_reference_data: None,
    redis_celery_app: Celery,
    queue: str,
    feed_json: Path,
) -> None:
    run = import_run_create(actor=None, source=str(feed_json), enqueue=False)

    with start_worker(
        redis_celery_app,
        pool="solo",
        perform_ping_check=False,
        queues=[queue],
        shutdown_timeout=15,
        loglevel="WARNING",
    ):
        result = uhri_import_run.apply_async(args=[run.pk], queue=queue)
        assert result.get(timeout=30) == ImportStatus.SUCCEEDED
        result.forget()

    run.refresh_from_db()
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert run.summary() == {
        "created": 11,
        "updated": 0,
        "unchanged": 0,
        "withdrawn": 0,
        "rejected": 0,
    }
    assert (run.rows_read, run.rows_done) == (11, 11)
    assert run.started_at is not None
    assert run.finished_at is not None
    assert Recommendation.objects.count() == 11


# -- a worker killed in the middle of a run --------------------------------------------------------


def _large_feed(path: Path, count: int) -> Path:
    """``count`` small, valid UPR records for Iraq, spread over twenty documents."""
    records = [
        {
            "AnnotationId": str(uuid.UUID(int=n + 1, version=4)),
            "Text": f"136.{n + 1} Ensure the protection of human rights defenders ({n})",
            "Symbol": f"A/HRC/99/{n % 20}",
            "Body": "UPR",
            "AnnotationType": "Recommendations",
            "Countries": ["Iraq"],
            "UprPosition": "Supported",
        }
        for n in range(count)
    ]
    path.write_text(json.dumps(records))
    return path


def _database_url() -> str:
    """The URL of the database the tests use (the test database, not the configured one)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    # The embedded server's socket directory arrives in OPTIONS (from the URL's ?host=).
    host = db["HOST"] or db.get("OPTIONS", {}).get("host") or "127.0.0.1"
    port = db["PORT"] or db.get("OPTIONS", {}).get("port") or "5432"
    if host.startswith("/"):  # a unix socket, as with the embedded server
        return embedded.database_url(Path(host), int(port), db["NAME"])
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def _start_worker_process(queue: str, log: Path) -> subprocess.Popen[bytes]:
    celery = Path(sys.executable).with_name("celery")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "DJANGO_SETTINGS_MODULE": "tracker.settings.test",
        "CELERY_SKIP_CHECKS": "1",
        # A short lease, renewed every quarter of it: once the worker is killed, it runs out soon.
        "TRACKER_JOB_LEASE_SECONDS": str(WORKER_LEASE_SECONDS),
    }
    return subprocess.Popen(  # noqa: S603 (fixed arguments)
        [
            str(celery),
            "-A",
            "tracker",
            "worker",
            "--pool=solo",
            "-c",
            "1",
            "-l",
            "info",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def _wait_for_lease_to_expire(run: ImportRun) -> None:
    """Until the database's clock passes the run's lease (nobody renews it any more)."""
    deadline = time.monotonic() + 3 * WORKER_LEASE_SECONDS
    while ImportRun.objects.filter(pk=run.pk, lease_expires_at__gte=Now()).exists():
        assert time.monotonic() < deadline, "the lease is still renewed"
        time.sleep(0.2)


def _progress(run: ImportRun) -> tuple[int, str]:
    rows_done, status = ImportRun.objects.values_list("rows_done", "status").get(pk=run.pk)
    return rows_done, status


def test_a_run_whose_worker_is_killed_completes_when_run_again(
    timeout: None,
    committed_reference_data: None,
    queue: str,
    tmp_path: Path,
) -> None:
    broker = _redis()  # fail here, clearly, without Redis
    broker.close()
    iraq = Country.objects.get(iso3="IRQ")
    # Imported before and absent from the feed: the completed run withdraws it, and only it.
    gone = RecommendationFactory(
        annotation_id=uuid.uuid4(), document=DocumentFactory(symbol="A/HRC/43/14", country=iraq)
    )
    feed = _large_feed(tmp_path / "large.json", KILL_FEED_RECORDS)
    run = import_run_create(actor=None, source=str(feed), enqueue=False)
    log = tmp_path / "worker.log"
    client = Celery("tracker-test-client", broker=BROKER, set_as_current=False)
    worker = _start_worker_process(queue, log)
    try:
        with client.connection_for_write() as broker_connection:
            client.send_task(
                "recommendations.tasks.uhri_import_run",
                args=[run.pk],
                queue=queue,
                connection=broker_connection,
            )
        deadline = time.monotonic() + 60
        rows_done, status = _progress(run)
        while not (rows_done > 0 and status == ImportStatus.RUNNING):
            assert worker.poll() is None, log.read_text(errors="replace")[-3000:]
            assert status != ImportStatus.SUCCEEDED, "the run finished before the kill"
            assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
            time.sleep(0.05)
            rows_done, status = _progress(run)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=10)
        client.close()
    time.sleep(0.5)  # let PostgreSQL notice the dead connection and roll its batch back

    run.refresh_from_db()
    assert run.status == ImportStatus.RUNNING
    assert 0 < run.rows_done < KILL_FEED_RECORDS
    # Each batch commits with its counts: what is stored is what the run says it did, whole
    # batches only.
    assert Recommendation.objects.exclude(pk=gone.pk).count() == run.rows_done == run.created
    assert run.lease_owner
    # A second delivery while the dead worker's lease still lives does nothing.
    assert import_run_execute(import_run_id=run.pk).rows_done == run.rows_done
    assert ImportRun.objects.get(pk=run.pk).attempts == 1
    _wait_for_lease_to_expire(run)

    resumed = import_run_execute(import_run_id=run.pk)
    assert (resumed.attempts, resumed.interruptions) == (2, 1)

    assert resumed.status == ImportStatus.SUCCEEDED, resumed.error
    assert resumed.summary() == {
        "created": KILL_FEED_RECORDS,
        "updated": 0,
        "unchanged": 0,
        "withdrawn": 1,
        "rejected": 0,
    }
    assert (resumed.rows_read, resumed.rows_done) == (KILL_FEED_RECORDS, KILL_FEED_RECORDS)
    assert Recommendation.objects.count() == KILL_FEED_RECORDS + 1
    annotation_ids = list(Recommendation.objects.values_list("annotation_id", flat=True))
    assert len(set(annotation_ids)) == len(annotation_ids)
    assert resumed.review_list("new").count() == KILL_FEED_RECORDS
    assert list(Recommendation.objects.filter(withdrawn_at__isnull=False)) == [gone]
