"""Imports that write take turns; dry runs do not wait.

Committed data (``transaction=True``): the import runs in a thread of its own, with its own connection.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection, connections

from recommendations.importers.pipeline import WRITE_LOCK
from recommendations.models import ImportRun, ImportStatus, Recommendation
from recommendations.services import import_run_create, import_run_execute

pytestmark = pytest.mark.django_db(transaction=True)

ALL = 11  # records in feed.json


@pytest.fixture
def import_lock() -> Iterator[object]:
    """The import lock, held by another session (as another import would) until released."""
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [WRITE_LOCK])
    try:
        yield other
    finally:
        other.close()  # the session's lock goes with it


def _release(other: object) -> None:
    with other.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [WRITE_LOCK])


def _in_thread(run: ImportRun) -> tuple[threading.Thread, list[ImportRun]]:
    done: list[ImportRun] = []

    def work() -> None:
        try:
            done.append(import_run_execute(import_run_id=run.pk))
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread, done


def test_an_import_waits_until_the_one_writing_has_finished(
    committed_reference_data: None, import_lock: object, feed_json: Path
) -> None:
    run = import_run_create(actor=None, source=str(feed_json), enqueue=False)

    thread, done = _in_thread(run)
    time.sleep(1.5)

    assert thread.is_alive()  # waiting for the lock
    assert not Recommendation.objects.exists()
    _release(import_lock)
    thread.join(timeout=30)
    assert not thread.is_alive()
    [finished] = done
    assert finished.status == ImportStatus.SUCCEEDED, finished.error
    assert finished.created == ALL
    assert Recommendation.objects.count() == ALL


def test_a_dry_run_does_not_wait(
    committed_reference_data: None, import_lock: object, feed_json: Path
) -> None:
    run = import_run_create(actor=None, source=str(feed_json), dry_run=True, enqueue=False)

    thread, done = _in_thread(run)
    thread.join(timeout=30)

    assert not thread.is_alive()
    [finished] = done
    assert finished.status == ImportStatus.SUCCEEDED, finished.error
    assert finished.created == ALL  # would be created
    assert not Recommendation.objects.exists()
