"""The import pages: only the secretariat; bad input is a 400 with reasons."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from recommendations.models import ImportRun, ImportStatus, Recommendation
from tests.recommendations.helpers import OTHER_ROLES, import_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference_data():
    call_command("load_reference_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_secretariat_uploads_a_feed_and_reads_the_summary_and_issues(
    client, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("recommendations:import-list"), {"upload": import_upload(), "country": "IRQ"}
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


def test_dry_run_from_the_page_writes_nothing(
    client, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("recommendations:import-list"), {"upload": import_upload(), "dry_run": "on"}
        )
    run = ImportRun.objects.get()
    assert run.dry_run
    assert run.created == 1
    assert Recommendation.objects.count() == 0


def test_import_form_without_file_or_url_is_a_400_with_the_reason(client, secretariat):
    client.force_login(secretariat)
    response = client.post(reverse("recommendations:import-list"), {"source": "not a url"})
    assert response.status_code == 400
    assert ImportRun.objects.count() == 0


@pytest.mark.parametrize("persona_name", OTHER_ROLES)
def test_other_roles_cannot_open_or_start_imports(client, persona, persona_name):
    client.force_login(persona(persona_name))
    assert client.get(reverse("recommendations:import-list")).status_code == 403
    assert (
        client.post(reverse("recommendations:import-list"), {"upload": import_upload()}).status_code
        == 403
    )
    assert ImportRun.objects.count() == 0


def test_the_public_is_sent_to_the_login_page(client):
    response = client.get(reverse("recommendations:import-list"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


# -- a dry run imported for real -------------------------------------------------------------------


def _dry_run(client, django_capture_on_commit_callbacks) -> ImportRun:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("recommendations:import-list"),
            {"upload": import_upload(), "country": "IRQ", "dry_run": "on"},
        )
    return ImportRun.objects.get()


def test_a_dry_run_is_imported_for_real_from_its_page(
    client, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    dry = _dry_run(client, django_capture_on_commit_callbacks)
    apply_url = reverse("recommendations:import-apply", args=[dry.pk])
    assert (
        apply_url
        in client.get(reverse("recommendations:import-detail", args=[dry.pk])).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url)

    real = ImportRun.objects.exclude(pk=dry.pk).get()
    assert response.status_code == 302
    assert response.url == reverse("recommendations:import-detail", args=[real.pk])
    assert (real.dry_run, real.applies, real.triggered_by) == (False, dry, secretariat)
    assert (real.upload.name, real.format, real.country) == (dry.upload.name, "json", dry.country)
    assert real.status == ImportStatus.SUCCEEDED, real.error
    assert (real.created, real.rejected) == (dry.created, dry.rejected) == (1, 1)
    assert Recommendation.objects.count() == 1
    page = client.get(response.url).content.decode()
    assert reverse("recommendations:import-detail", args=[dry.pk]) in page
    assert "Import for real" not in page  # a real run has no such button

    # Asked again (a second click), it leads to the same run.
    again = client.post(apply_url)
    assert again.url == response.url
    assert ImportRun.objects.count() == 2


def test_only_a_finished_dry_run_is_imported_for_real(client, secretariat):
    client.force_login(secretariat)
    real = ImportRun.objects.create(
        source="feed.json", format="json", status=ImportStatus.SUCCEEDED, triggered_by=secretariat
    )
    pending = ImportRun.objects.create(source="feed.json", format="json", dry_run=True)
    for run in (real, pending):
        response = client.post(reverse("recommendations:import-apply", args=[run.pk]))
        assert response.status_code == 400
        assert "Only a dry run that finished" in response.content.decode()
    assert client.get(reverse("recommendations:import-apply", args=[pending.pk])).status_code == 405
    assert client.post(reverse("recommendations:import-apply", args=[9999])).status_code == 404
    assert ImportRun.objects.count() == 2


def test_a_dry_run_whose_file_is_gone_asks_for_it_again(
    client, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    dry = _dry_run(client, django_capture_on_commit_callbacks)
    dry.upload.storage.delete(dry.upload.name)

    response = client.post(reverse("recommendations:import-apply", args=[dry.pk]))

    assert response.status_code == 400
    assert "upload it again" in response.content.decode()
    assert ImportRun.objects.count() == 1


@pytest.mark.parametrize("persona_name", OTHER_ROLES)
def test_other_roles_cannot_import_a_dry_run_for_real(client, persona, persona_name, secretariat):
    dry = ImportRun.objects.create(
        source="feed.json", format="json", dry_run=True, status=ImportStatus.SUCCEEDED
    )
    client.force_login(persona(persona_name))
    assert client.post(reverse("recommendations:import-apply", args=[dry.pk])).status_code == 403
    assert ImportRun.objects.count() == 1


def test_the_page_takes_the_feeds_language_and_shows_it_on_the_run(
    client, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("recommendations:import-list"), {"upload": import_upload(), "language": "es"}
        )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert run.language == "es"
    body = client.get(response.url).content.decode()
    assert "Spanish" in body
    assert "Spanish" in client.get(reverse("recommendations:import-list")).content.decode()


def test_the_page_detects_the_language_when_not_told(
    client, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("recommendations:import-list"), {"upload": import_upload()})
    assert ImportRun.objects.get().language == "en"


def test_the_page_refuses_an_unknown_language(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("recommendations:import-list"), {"upload": import_upload(), "language": "xx"}
    )
    assert response.status_code == 400
    assert ImportRun.objects.count() == 0
