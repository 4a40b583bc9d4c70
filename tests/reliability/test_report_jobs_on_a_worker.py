"""Report drafts as leased jobs on real Celery workers over the real Redis: a draft whose worker is
SIGKILLed mid-report is not left "being built": the sweeper sends it again once the lease has
run out and another worker builds it, or, past the limit of redeliveries, fails it with the
reason. These fail, never skip, without Redis."""

from __future__ import annotations

import datetime
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from django.db.models.functions import Now

from recommendations.models import (
    Document,
    MechanismFamily,
    PublicationState,
    Recommendation,
    RecommendationText,
    ReviewCycle,
)
from reporting.models import ReportJob, ReportJobStatus
from reporting.services import report_jobs_sweep
from tests.factories.recommendations import MechanismFactory
from tests.recommendations.importers.test_worker import (
    WORKER_LEASE_SECONDS,
    _redis,
    _start_worker_process,
    queue,
)

from .conftest import BROKER

pytestmark = pytest.mark.django_db(transaction=True)

__all__ = ["queue"]  # a fixture, shared with the import worker tests

ITEMS = 400  # a pdf long enough to kill its worker in the middle


@pytest.fixture
def slow_timeout() -> Iterator[None]:
    """Fail after four minutes rather than hang (two workers and a pdf on a busy machine)."""

    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError("report worker test still running after 240 s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(240)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def report_job(secretariat, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReportJob:
    """A queued pdf draft of a UPR mid-term report of ``ITEMS`` recommendations; the workers
    write files under the test's own media folder."""
    monkeypatch.setenv("TRACKER_MEDIA_ROOT", str(tmp_path / "media"))
    upr = MechanismFactory(code="UPR", family=MechanismFamily.UPR)
    cycle = ReviewCycle.objects.create(mechanism=upr, number=4)
    document = Document.objects.create(
        symbol="A/HRC/58/12", mechanism=upr, cycle=cycle, publication_date=datetime.date(2024, 1, 5)
    )
    rows = Recommendation.objects.bulk_create(
        Recommendation(
            document=document,
            paragraph=f"136.{i}",
            paragraph_sort=Recommendation.paragraph_sort_key(f"136.{i}"),
            publication_state=PublicationState.PUBLISHED,
        )
        for i in range(1, ITEMS + 1)
    )
    RecommendationText.objects.bulk_create(
        RecommendationText(
            recommendation=r,
            language="en",
            text=f"Recommendation {r.paragraph}: guarantee access to justice for all. " * 4,
        )
        for r in rows
    )
    return ReportJob.objects.create(
        kind="upr-midterm", format="pdf", cycle=4, requested_by=secretariat
    )


def _send(app: Celery, queue: str, job: ReportJob) -> None:
    with app.connection_for_write() as connection:
        app.send_task(
            "reporting.tasks.report_job_run", args=[job.pk], queue=queue, connection=connection
        )


def _kill_once_running(worker: subprocess.Popen[bytes], job: ReportJob, log: Path) -> None:
    """Kill the worker (SIGKILL) once it holds the job, and wait for its lease to run out."""
    deadline = time.monotonic() + 90
    while not ReportJob.objects.filter(pk=job.pk, status=ReportJobStatus.RUNNING).exists():
        assert worker.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(0.05)
    time.sleep(1)  # well into the report
    assert ReportJob.objects.get(pk=job.pk).status == ReportJobStatus.RUNNING, "too fast to kill"
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    # Nothing takes it over while the dead worker's lease lives...
    assert report_jobs_sweep().resumed == []
    deadline = time.monotonic() + 3 * WORKER_LEASE_SECONDS
    while ReportJob.objects.filter(pk=job.pk, lease_expires_at__gte=Now()).exists():
        assert time.monotonic() < deadline, "the lease is still renewed"
        time.sleep(0.2)
    assert ReportJob.objects.get(pk=job.pk).status == ReportJobStatus.RUNNING


def _stop(*workers: subprocess.Popen[bytes] | None) -> None:
    for worker in workers:
        if worker is not None and worker.poll() is None:
            worker.kill()
            worker.wait(timeout=10)


def test_a_draft_whose_worker_is_killed_is_built_by_another_worker(
    slow_timeout: None,
    queue: str,
    broker_at: Callable[..., Celery],
    report_job: ReportJob,
    tmp_path: Path,
) -> None:
    _redis().close()
    app = broker_at(BROKER, queue=queue)
    first = _start_worker_process(queue, tmp_path / "first.log")
    second = None
    try:
        _send(app, queue, report_job)
        _kill_once_running(first, report_job, tmp_path / "first.log")

        # ...then the sweeper sends it again, and another worker builds it from the start.
        second = _start_worker_process(queue, tmp_path / "second.log")
        assert report_jobs_sweep().resumed == [report_job.pk]
        deadline = time.monotonic() + 150
        while not ReportJob.objects.get(pk=report_job.pk).is_finished:
            assert second.poll() is None, (tmp_path / "second.log").read_text()[-3000:]
            assert time.monotonic() < deadline, (tmp_path / "second.log").read_text()[-3000:]
            time.sleep(0.2)
    finally:
        _stop(first, second)

    job = ReportJob.objects.get(pk=report_job.pk)
    assert (job.status, job.error) == (ReportJobStatus.DONE, "")
    assert (job.attempts, job.interruptions, job.items_done, job.progress) == (2, 1, ITEMS, 100)
    assert (job.lease_owner, job.lease_expires_at) == ("", None)
    pdf = tmp_path / "media" / job.file.name
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_draft_whose_worker_is_lost_too_often_fails_with_the_reason(
    slow_timeout: None,
    queue: str,
    broker_at: Callable[..., Celery],
    report_job: ReportJob,
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.TRACKER_JOB_MAX_REDELIVERIES = 0
    _redis().close()
    app = broker_at(BROKER, queue=queue)
    worker = _start_worker_process(queue, tmp_path / "worker.log")
    try:
        _send(app, queue, report_job)
        _kill_once_running(worker, report_job, tmp_path / "worker.log")
        swept = report_jobs_sweep()
    finally:
        _stop(worker)

    assert (swept.resumed, swept.failed) == ([], [report_job.pk])
    job = ReportJob.objects.get(pk=report_job.pk)
    assert job.status == ReportJobStatus.FAILED
    assert "the worker running this report draft was lost 1 times" in job.error
    assert job.finished_at is not None
    assert (job.lease_owner, job.lease_expires_at, job.interruptions) == ("", None, 1)
