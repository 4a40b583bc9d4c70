"""The import-runs API: only the secretariat starts and reads imports; bad input is a 400 with fields."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from recommendations.models import ImportRun, ImportStatus, Recommendation
from tests.recommendations.helpers import OTHER_ROLES, import_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference_data():
    call_command("load_reference_data", stdout=io.StringIO())


def test_api_secretariat_starts_an_import_and_reads_its_issues(
    api_client, secretariat, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            reverse("api:import-run-list"), {"upload": import_upload()}, format="multipart"
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


@pytest.mark.parametrize("persona_name", ["public", *OTHER_ROLES])
def test_api_other_roles_cannot_read_or_start_imports(
    api_client, persona, persona_name, secretariat
):
    ImportRun.objects.create(source="x.json", format="json", triggered_by=secretariat)
    user = persona(persona_name)
    if user is not None:
        api_client.force_authenticate(user)
    assert api_client.get(reverse("api:import-run-list")).status_code in {401, 403}
    response = api_client.post(
        reverse("api:import-run-list"), {"upload": import_upload()}, format="multipart"
    )
    assert response.status_code in {401, 403}
    assert ImportRun.objects.count() == 1


def test_api_imports_a_dry_run_for_real(
    api_client, secretariat, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        dry_id = api_client.post(
            reverse("api:import-run-list"),
            {"upload": import_upload(), "dry_run": True},
            format="multipart",
        ).json()["id"]
    url = reverse("api:import-run-apply", args=[dry_id])

    with django_capture_on_commit_callbacks(execute=True):
        first = api_client.post(url)
    second = api_client.post(url)

    assert first.status_code == 201, first.content
    assert second.status_code == 200
    assert first.json()["id"] == second.json()["id"] != dry_id
    assert first.json()["applies"] == dry_id
    assert (
        api_client.get(reverse("api:import-run-detail", args=[first.json()["id"]])).json()["status"]
        == "succeeded"
    )
    assert Recommendation.objects.count() == 1
    refused = api_client.post(reverse("api:import-run-apply", args=[first.json()["id"]]))
    assert refused.status_code == 400
    assert "Only a dry run" in json.dumps(refused.json())


@pytest.mark.parametrize("persona_name", ["public", *OTHER_ROLES])
def test_api_other_roles_cannot_import_a_dry_run_for_real(api_client, persona, persona_name):
    dry = ImportRun.objects.create(
        source="feed.json", format="json", dry_run=True, status=ImportStatus.SUCCEEDED
    )
    user = persona(persona_name)
    if user is not None:
        api_client.force_authenticate(user)
    response = api_client.post(reverse("api:import-run-apply", args=[dry.pk]))
    assert response.status_code in {401, 403}
    assert ImportRun.objects.count() == 1


def test_api_takes_the_feeds_language_and_shows_it(
    api_client, secretariat, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            reverse("api:import-run-list"),
            {"upload": import_upload(), "language": "zh"},
            format="multipart",
        )
    assert response.status_code == 201, response.content
    assert response.json()["language"] == "zh-hans"
    detail = api_client.get(reverse("api:import-run-detail", args=[response.json()["id"]])).json()
    assert detail["language"] == "zh-hans"
    # A feed in another language than the reference creates its record with that language's text.
    assert ImportRun.objects.get().language == "zh-hans"
    assert list(Recommendation.objects.get().texts.values_list("language", flat=True)) == [
        "zh-hans"
    ]


def test_api_an_unknown_language_is_a_400_with_the_field(api_client, secretariat):
    api_client.force_authenticate(secretariat)
    response = api_client.post(
        reverse("api:import-run-list"),
        {"upload": import_upload(), "language": "de"},
        format="multipart",
    )
    assert response.status_code == 400
    assert "language" in response.json()["extra"]["fields"]
    assert ImportRun.objects.count() == 0
