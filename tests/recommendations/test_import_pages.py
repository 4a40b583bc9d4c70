"""The import pages and API: only the secretariat; bad input is a 400 with reasons."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from recommendations.models import ImportRun, ImportStatus, Recommendation

pytestmark = pytest.mark.django_db

FEED = [
    {
        "AnnotationId": "6f1d2a4e-0000-4000-8000-000000000001",
        "Text": "<p>136.1&nbsp;Ratify the Optional Protocol to the Convention against Torture</p>",
        "Symbol": "A/HRC/52/10",
        "Body": "UPR",
        "AnnotationType": "Recommendations",
        "PublicationDate": "2023-01-05",
        "Countries": ["Iraq"],
        "Sdgs": ["16.3 - Promote the rule of law"],
        "UprRecommendingStates": ["France"],
        "UprSession": "42nd Session",
        "UprPosition": "Supported",
    },
    {
        "AnnotationId": "not-a-uuid",
        "Text": "x",
        "Symbol": "X",
        "Body": "UPR",
        "Countries": ["Iraq"],
    },
]
OTHERS = ["focal_point", "validator", "nhri", "cso", "partner"]


@pytest.fixture(autouse=True)
def reference_data():
    call_command("load_reference_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("feed.json", json.dumps(FEED).encode(), "application/json")


def test_secretariat_uploads_a_feed_and_reads_the_summary_and_issues(
    client, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("recommendations:import-list"), {"upload": _upload(), "country": "IRQ"}
        )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("recommendations:import-detail", args=[run.pk])
    # No broker in the tests: the task ran in-process once the request committed.
    run.refresh_from_db()
    assert run.status == ImportStatus.SUCCEEDED
    assert (run.created, run.rejected) == (1, 1)
    assert run.triggered_by == secretariat
    page = client.get(response.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "AnnotationId is not a UUID" in body
    assert "Ratify the Optional Protocol" in body
    assert "INVALID_TEMPLATE_VARIABLE" not in body


def test_dry_run_from_the_page_writes_nothing(
    client, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("recommendations:import-list"), {"upload": _upload(), "dry_run": "on"})
    run = ImportRun.objects.get()
    assert run.dry_run
    assert run.created == 1
    assert Recommendation.objects.count() == 0


def test_import_form_without_file_or_url_is_a_400_with_the_reason(client, secretariat):
    client.force_login(secretariat)
    response = client.post(reverse("recommendations:import-list"), {"source": "not a url"})
    assert response.status_code == 400
    assert ImportRun.objects.count() == 0


@pytest.mark.parametrize("persona_name", OTHERS)
def test_other_roles_cannot_open_or_start_imports(client, persona, persona_name):
    client.force_login(persona(persona_name))
    assert client.get(reverse("recommendations:import-list")).status_code == 403
    assert (
        client.post(reverse("recommendations:import-list"), {"upload": _upload()}).status_code
        == 403
    )
    assert ImportRun.objects.count() == 0


def test_the_public_is_sent_to_the_login_page(client):
    response = client.get(reverse("recommendations:import-list"))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_api_secretariat_starts_an_import_and_reads_its_issues(
    api_client, secretariat, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            reverse("api:import-run-list"), {"upload": _upload()}, format="multipart"
        )
    assert response.status_code == 201, response.content
    run_id = response.json()["id"]
    detail = api_client.get(reverse("api:import-run-detail", args=[run_id])).json()
    assert detail["created"] == 1
    assert detail["status"] == "succeeded"
    issues = api_client.get(reverse("api:import-run-issues", args=[run_id])).json()["results"]
    assert [i["field"] for i in issues if i["severity"] == "error"] == ["AnnotationId"]


def test_api_bad_payload_is_a_400_with_fields(api_client, secretariat):
    api_client.force_authenticate(secretariat)
    response = api_client.post(
        reverse("api:import-run-list"), {"source": "ftp://x", "format": "doc"}, format="json"
    )
    assert response.status_code == 400
    assert {"source", "format"} <= set(response.json()["extra"]["fields"])
    assert ImportRun.objects.count() == 0


@pytest.mark.parametrize("persona_name", ["public", *OTHERS])
def test_api_other_roles_cannot_read_or_start_imports(
    api_client, persona, persona_name, secretariat
):
    ImportRun.objects.create(source="x.json", format="json", triggered_by=secretariat)
    user = persona(persona_name)
    if user is not None:
        api_client.force_authenticate(user)
    assert api_client.get(reverse("api:import-run-list")).status_code in {401, 403}
    response = api_client.post(
        reverse("api:import-run-list"), {"upload": _upload()}, format="multipart"
    )
    assert response.status_code in {401, 403}
    assert ImportRun.objects.count() == 1
