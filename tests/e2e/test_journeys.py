"""Journeys in the browser, with the keyboard where a person would use it: the secretariat imports
a UHRI export (upload, dry run, review, import for real), in English and in Arabic; a public
reader browses and searches the portal. Screenshots of a failure are kept (``screenshot_on_failure``
in conftest.py)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from recommendations.models import ImportRun, ImportStatus, Recommendation
from tests.e2e.browser_checks import assert_accessible, switch_language
from tests.recommendations.importers.helpers import FEED_JSON
from tracker.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in_secretariat(page: Page, live_server, secretariat) -> Page:
    call_command("load_reference_data", verbosity=0)
    secretariat.set_password(DEMO_PASSWORD)
    secretariat.save()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill(secretariat.username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.get_by_test_id("current-user")).to_be_visible()
    return page


@pytest.mark.usefixtures("screenshot_on_failure")
@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_the_secretariat_imports_an_export_with_a_dry_run_first(
    signed_in_secretariat: Page, live_server, language: str, direction: str
) -> None:
    page = signed_in_secretariat
    page.goto(f"{live_server.url}/recommendations/imports/")
    if language != "en":
        switch_language(page, language)
    expect(page.locator("html")).to_have_attribute("dir", direction)

    page.locator("#id_upload").set_input_files(str(FEED_JSON))
    dry_run = page.locator("#id_dry_run")
    dry_run.focus()
    page.keyboard.press("Space")
    expect(dry_run).to_be_checked()
    page.locator("form[enctype] button[type=submit]").focus()
    page.keyboard.press("Enter")

    # The dry run's page: it finished (tasks run in-process in the tests), nothing written yet.
    expect(page).to_have_url(re.compile(r"/recommendations/imports/\d+/$"))
    dry = ImportRun.objects.get()
    expect(page).to_have_url(f"{live_server.url}/recommendations/imports/{dry.pk}/")
    expect(page.locator("#progress tbody tr").first).to_contain_text("11")
    assert ImportRun.objects.get().status == ImportStatus.SUCCEEDED
    assert not Recommendation.objects.exists()
    assert_accessible(page)

    apply = page.locator("form[action$='/apply/'] button[type=submit]")
    apply.focus()
    page.keyboard.press("Enter")

    expect(page).not_to_have_url(f"{live_server.url}/recommendations/imports/{dry.pk}/")
    real = ImportRun.objects.exclude(pk=dry.pk).get()
    expect(page).to_have_url(f"{live_server.url}/recommendations/imports/{real.pk}/")
    assert (real.applies_id, real.status, real.created) == (dry.pk, ImportStatus.SUCCEEDED, 11)
    assert Recommendation.objects.count() == 11
    expect(page.locator("#progress tbody tr").first).to_contain_text("11")
    expect(page.locator("html")).to_have_attribute("dir", direction)


@pytest.mark.usefixtures("screenshot_on_failure")
@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_public_reader_browses_and_searches_the_portal(
    page: Page, live_server, sample_recommendations, language: str
) -> None:
    page.goto(f"{live_server.url}/recommendations/")
    if language != "en":
        switch_language(page, language)
    results = page.locator("#results article")
    expect(results.first).to_be_visible()
    count = results.count()
    assert count >= 1

    first_link = results.first.locator("a").first
    title = first_link.inner_text()
    first_link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/recommendations/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert title.strip()
    assert_accessible(page)

    page.go_back()
    search = page.locator("input[name=q]")
    search.fill("judiciary")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=judiciary"))
    expect(page.locator("#results article")).to_have_count(1)
    search.fill("zzzznothingmatches")
    search.press("Enter")
    expect(page.locator("#results article")).to_have_count(0)
