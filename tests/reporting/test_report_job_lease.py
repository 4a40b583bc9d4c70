"""Report drafts as leased jobs (``tracker.jobs``), without a worker: a delivery while another
worker holds the draft does nothing; a draft whose worker is gone is sent again by the sweeper,
or failed with the reason past the limit; a draft that waited for the broker is sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from reporting.models import ReportJob, ReportJobStatus
from reporting.services import report_job_run, report_jobs_sweep
from reporting.services.reports import REPORT_JOB
from tracker import jobs

pytestmark = pytest.mark.django_db


def _recorder(sent: list[int]):
    """``jobs.dispatch`` as the broker would take it: the id recorded, the job marked sent."""

    def dispatch(kind, row) -> bool:
        sent.append(row.pk)
        ReportJob.objects.filter(pk=row.pk).update(dispatched_at=timezone.now())
        return True

    return dispatch


@pytest.fixture
def job(report_data, media, secretariat) -> ReportJob:
    return ReportJob.objects.create(
        kind="upr-midterm", format="docx", cycle=4, requested_by=secretariat
    )


def test_a_delivery_while_another_worker_holds_the_draft_does_nothing(job):
    token = jobs.claim(REPORT_JOB, job.pk)
    assert token is not None
    result = report_job_run(job_id=job.pk)
    assert (result.status, result.lease_owner, bool(result.file)) == (
        ReportJobStatus.RUNNING,
        token,
        False,
    )


def test_a_built_draft_lets_its_lease_go(job):
    result = report_job_run(job_id=job.pk)
    assert result.status == ReportJobStatus.DONE
    assert (result.lease_owner, result.lease_expires_at, result.attempts) == ("", None, 1)
    assert (result.items_done, result.items_total, result.progress) == (2, 2, 100)


def test_the_sweeper_sends_again_a_draft_whose_worker_is_gone(job, monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(jobs, "dispatch", _recorder(sent))
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJobStatus.RUNNING,
        lease_owner="gone",
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )
    swept = report_jobs_sweep()
    assert (swept.resumed, swept.failed) == ([job.pk], [])
    job.refresh_from_db()
    assert (job.status, job.interruptions, job.lease_owner) == (ReportJobStatus.QUEUED, 1, "")
    assert sent == [job.pk]
    # sent again, it is built from the start
    assert report_job_run(job_id=job.pk).status == ReportJobStatus.DONE


def test_a_draft_lost_too_often_fails_with_the_reason(job, settings):
    settings.TRACKER_JOB_MAX_REDELIVERIES = 1
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJobStatus.RUNNING,
        interruptions=1,
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )
    swept = report_jobs_sweep()
    assert (swept.resumed, swept.failed) == ([], [job.pk])
    job.refresh_from_db()
    assert job.status == ReportJobStatus.FAILED
    assert "report draft was lost 2 times" in job.error
    assert job.finished_at is not None
    # a late delivery of the old message does not build it
    assert report_job_run(job_id=job.pk).status == ReportJobStatus.FAILED


def test_a_draft_kept_waiting_for_the_broker_is_sent_by_the_sweeper(job, monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(jobs, "dispatch", _recorder(sent))
    assert job.dispatched_at is None
    report_jobs_sweep()
    assert sent == [job.pk]
