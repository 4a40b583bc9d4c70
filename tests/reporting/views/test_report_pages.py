"""The Reports page: the secretariat asks for a draft, a worker builds it, the file is served
only through a view that checks the role."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from reporting.models import ReportJob, ReportJobStatus
from reporting.services import report_job_run

pytestmark = pytest.mark.django_db

NOT_SECRETARIAT = ["focal_point", "validator", "nhri", "cso", "partner"]


def _ask(client, **data):
    payload = {"kind": "upr-midterm", "format": "docx", "language": "en", "cycle": "4"}
    payload.update(data)
    return client.post(reverse("reporting:report-list"), payload)


def test_secretariat_builds_a_draft_and_downloads_it(
    client_as, report_data, media, django_capture_on_commit_callbacks
):
    client = client_as("secretariat")
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client)
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reporting:report-detail", args=[job.pk])
    assert job.status == ReportJobStatus.DONE
    assert (job.progress, job.items_done, job.items_total) == (100, 2, 2)
    detail = client.get(response.url).content.decode()
    assert reverse("reporting:report-download", args=[job.pk]) in detail
    download = client.get(reverse("reporting:report-download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Cache-Control"] == "private, no-store"
    text = "\n".join(
        p.text for p in Document(io.BytesIO(b"".join(download.streaming_content))).paragraphs
    )
    assert "A/HRC/58/12, para. 136.1" in text


def test_the_progress_part_polls_until_the_draft_is_ready(client_as, report_data, secretariat):
    job = ReportJob.objects.create(
        kind="upr-midterm",
        format="pdf",
        requested_by=secretariat,
        items_total=10,
        items_done=5,
        progress=50,
        status=ReportJobStatus.RUNNING,
    )
    response = client_as("secretariat").get(
        reverse("reporting:report-detail", args=[job.pk]) + "?part=progress", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert 'value="50"' in body
    assert "<h1" not in body


@pytest.mark.parametrize("role", NOT_SECRETARIAT)
def test_others_cannot_ask_for_a_draft_and_nothing_is_written(client_as, report_data, role):
    client = client_as(role)
    assert client.get(reverse("reporting:report-list")).status_code == 403
    assert _ask(client).status_code == 403
    assert not ReportJob.objects.exists()


def test_public_is_sent_to_sign_in(anon_client):
    response = anon_client.get(reverse("reporting:report-list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


@pytest.mark.parametrize("role", NOT_SECRETARIAT)
def test_others_cannot_download_a_draft(client_as, report_data, media, secretariat, role):
    job = ReportJob.objects.create(
        kind="upr-midterm", format="docx", cycle=4, requested_by=secretariat
    )
    report_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ReportJobStatus.DONE
    client = client_as(role)
    assert client.get(reverse("reporting:report-download", args=[job.pk])).status_code == 404
    assert client.get(reverse("reporting:report-detail", args=[job.pk])).status_code == 403
    assert (
        client_as("secretariat")
        .get(reverse("reporting:report-download", args=[job.pk]))
        .status_code
        == 200
    )


def test_the_file_is_not_under_a_public_address(report_data, media, secretariat, settings):
    from django.urls import Resolver404, resolve

    job = ReportJob.objects.create(
        kind="upr-midterm", format="xlsx", cycle=4, requested_by=secretariat
    )
    report_job_run(job_id=job.pk)
    job.refresh_from_db()
    with pytest.raises(Resolver404):
        resolve("/" + settings.MEDIA_URL + job.file.name)


def test_bad_input_is_a_400_with_field_errors(client_as, report_data):
    response = _ask(client_as("secretariat"), kind="annual-report", format="odt", cycle="x")
    assert response.status_code == 400
    body = response.content.decode()
    for field in ("kind", "format", "cycle"):
        assert f'id="id_{field}_errors"' in body
    assert 'id="id_language_errors"' not in body
    assert not ReportJob.objects.exists()


def test_a_job_for_an_unknown_cycle_fails_with_the_reason(report_data, media, secretariat):
    job = ReportJob.objects.create(
        kind="upr-midterm", format="pdf", cycle=9, requested_by=secretariat
    )
    report_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ReportJobStatus.FAILED
    assert "No review cycle 9" in job.error
    assert not job.file


def test_running_a_job_twice_builds_it_once(report_data, media, secretariat):
    job = ReportJob.objects.create(
        kind="upr-midterm", format="xlsx", cycle=4, requested_by=secretariat
    )
    report_job_run(job_id=job.pk)
    job.refresh_from_db()
    name = job.file.name
    report_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.file.name == name
    assert len(list((media / "reports").rglob("*.xlsx"))) == 1


def test_asking_for_a_draft_is_audited(client_as, report_data, secretariat):
    _ask(client_as("secretariat"))
    from pghistory.models import Events

    job = ReportJob.objects.get()
    event = Events.objects.references(job).get(pgh_label="insert")
    assert event.pgh_context["username"] == "secretariat"
    assert event.pgh_context["action"] == "report_job_create"


def test_the_task_builds_the_job_it_is_given(report_data, media, secretariat):
    from reporting.tasks import report_job_run as task

    job = ReportJob.objects.create(
        kind="thematic-matrix", format="docx", mechanism="UPR", requested_by=secretariat
    )
    assert task.apply(args=[job.pk]).get() == ReportJobStatus.DONE
    job.refresh_from_db()
    text = "\n".join(p.text for p in Document(job.file.open("rb")).paragraphs)
    assert "A/HRC/58/12, para. 136.1" in text
