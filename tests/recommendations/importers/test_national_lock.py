"""The national fields lock on their own version (``national_version``): an import that changes
the UN text between opening a national form (or reading the API) and saving it is no conflict,
while two national saves from the same version still are."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from recommendations.importers import sql
from recommendations.models import Recommendation
from recommendations.services import recommendation_set_national_fields

from .helpers import feed_records, run_import, write_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

DEATH_PENALTY = feed_records()[0]["AnnotationId"]


def _import_new_text(tmp_path: Path, text: str) -> None:
    records = feed_records()
    [changed] = [r for r in records if r["AnnotationId"] == DEATH_PENALTY]
    changed["Text"] = f"<p>{text}</p>"
    run = run_import(write_json(tmp_path / "changed.json", records))
    assert run.updated == 1


@pytest.fixture
def imported(feed_json: Path) -> Recommendation:
    run_import(feed_json)
    return Recommendation.objects.get(annotation_id=DEATH_PENALTY)


def test_an_import_raises_the_version_but_not_the_national_version(
    imported: Recommendation, tmp_path: Path
) -> None:
    assert (imported.version, imported.national_version) == (1, 1)

    _import_new_text(tmp_path, "136.45 Abolish the death penalty without delay")

    imported.refresh_from_db()
    assert (imported.version, imported.national_version) == (2, 1)


def test_a_national_save_raises_both_versions(imported: Recommendation, secretariat) -> None:
    recommendation_set_national_fields(
        actor=secretariat, recommendation=imported, expected_version=1, priority="high"
    )

    imported.refresh_from_db()
    assert (imported.priority, imported.version, imported.national_version) == ("high", 2, 2)


def test_the_page_form_opened_before_an_import_saves_without_conflict(
    imported: Recommendation, tmp_path: Path, client_as
) -> None:
    client = client_as("secretariat")
    detail = client.get(reverse("recommendations:recommendation-detail", args=[imported.pk]))
    assert 'name="version" value="1"' in detail.content.decode()

    _import_new_text(tmp_path, "136.45 Abolish the death penalty without delay")
    saved = client.post(
        reverse("recommendations:recommendation-national", args=[imported.pk]),
        {"priority": "high", "priority_reason": "Due at mid-term.", "version": 1},
    )

    assert saved.status_code == 302
    imported.refresh_from_db()
    assert (imported.priority, imported.priority_reason) == ("high", "Due at mid-term.")
    assert (imported.version, imported.national_version) == (3, 2)
    assert imported.texts.get(language="en").text.endswith("without delay")


def test_two_national_saves_from_the_same_form_still_conflict(
    imported: Recommendation, tmp_path: Path, client_as
) -> None:
    client = client_as("secretariat")
    url = reverse("recommendations:recommendation-national", args=[imported.pk])
    assert client.post(url, {"priority": "low", "version": 1}).status_code == 302
    _import_new_text(tmp_path, "136.45 Abolish the death penalty without delay")

    stale = client.post(url, {"priority": "high", "version": 1})

    assert stale.status_code == 409
    imported.refresh_from_db()
    assert (imported.priority, imported.national_version) == ("low", 2)


def test_the_api_patch_after_an_import_keeps_its_version_and_etag(
    imported: Recommendation, tmp_path: Path, api_client_as
) -> None:
    api = api_client_as("secretariat")
    url = reverse("api:recommendation-detail", args=[imported.pk])
    read = api.get(url)
    assert read.json()["version"] == 1
    etag = read["ETag"]
    assert etag == f'"rec-{imported.pk}-v1"'

    _import_new_text(tmp_path, "136.45 Abolish the death penalty without delay")
    after_import = api.get(url)
    assert after_import["ETag"] == etag
    assert after_import.json()["version"] == 1
    by_version = api.patch(url, {"priority": "low", "version": 1}, format="json")
    assert by_version.status_code == 200, by_version.content
    assert by_version.json()["version"] == 2
    assert by_version["ETag"] == f'"rec-{imported.pk}-v2"'

    _import_new_text(tmp_path, "136.45 Abolish the death penalty at once")
    by_etag = api.patch(url, {"priority": "high"}, format="json", HTTP_IF_MATCH=by_version["ETag"])
    assert by_etag.status_code == 200, by_etag.content

    stale_version = api.patch(url, {"priority": "medium", "version": 2}, format="json")
    stale_etag = api.patch(
        url, {"priority": "medium"}, format="json", HTTP_IF_MATCH=by_version["ETag"]
    )
    assert (stale_version.status_code, stale_etag.status_code) == (409, 412)
    imported.refresh_from_db()
    assert (imported.priority, imported.national_version, imported.version) == ("high", 3, 5)


def test_the_import_statements_never_write_the_national_version() -> None:
    assert "national_version" not in sql.UPSERT
    assert "national_version" not in sql.WITHDRAW
