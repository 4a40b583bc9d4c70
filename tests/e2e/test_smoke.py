"""A person's first minutes with the tracker, in a real browser: log in as each role, switch to
Arabic, search, and move through the page with the keyboard."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.e2e.browser_checks import assert_accessible
from tracker.demo import DEMO_PASSWORD, people

# Set TRACKER_SCREENSHOT_DIR to keep screenshots of the list page in English and Arabic.
SCREENSHOT_DIR = os.environ.get("TRACKER_SCREENSHOT_DIR")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LANDING_HEADINGS = {
    "secretariat": "Coordination overview",
    "focal_point": "Your institution's recommendations",
    "validator": "Your institution's recommendations",
    "nhri": "Independent monitoring",
    "cso": "Independent monitoring",
    "partner": "Recommendations by Sustainable Development Goal",
}


@pytest.fixture
def demo_data() -> None:
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)


def _screenshot(page: Page, name: str) -> None:
    if SCREENSHOT_DIR:
        page.screenshot(path=str(Path(SCREENSHOT_DIR) / name), full_page=False)


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_each_demo_user_logs_in_and_lands_on_the_page_for_their_role(
    page: Page, live_server, demo_data
):
    base = live_server.url
    page.goto(base)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Human rights recommendations to the State"
    )
    for user in people().users:
        _log_in(page, base, user.username)
        expect(page.get_by_role("heading", level=1)).to_have_text(LANDING_HEADINGS[user.role])
        expect(page.get_by_test_id("current-user")).to_contain_text(user.name)
        navigation = page.get_by_role("navigation", name="Main navigation")
        drafts = navigation.get_by_role("link", name="Drafts")
        expect(drafts).to_have_count(1 if user.role == "secretariat" else 0)
        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_the_list_switches_to_arabic_with_the_language_switcher(page: Page, live_server, demo_data):
    page.goto(live_server.url)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Recommendations", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recommendations")
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert "/recommendations/" in page.url
    expect(page.locator("#results article").first).to_be_visible()
    assert_accessible(page)
    _screenshot(page, "list_ar.png")


def test_search_shows_matching_recommendations(page: Page, live_server, demo_data):
    page.goto(f"{live_server.url}/recommendations/")
    _screenshot(page, "list_en.png")
    # htmx is loaded and reads our configuration (400 answers are swapped in; no inline style).
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("htmx.config.responseHandling.some(r => r.code === '400' && r.swap)")
    page.evaluate("window.__same_document = true")
    search = page.get_by_label("Search the texts, or a document symbol")
    search.fill("torture")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=torture"))
    results = page.locator("#results article")
    expect(results.first).to_be_visible()
    expect(page.locator("#results")).to_contain_text(re.compile("recommendations? found"))
    # The results were swapped in by htmx: the page was not reloaded.
    assert page.evaluate("window.__same_document === true")
    first_text = results.first.locator("p").first.inner_text().lower()
    assert "tortur" in first_text
    assert_accessible(page)  # the results as htmx swapped them in


def test_tab_from_the_top_focuses_the_skip_link_first_and_it_moves_to_main(page: Page, live_server):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.tagName, document.activeElement.getAttribute('href'),"
        " document.activeElement.textContent.trim()]"
    )
    assert focused == ["A", "#main", "Skip to main content"]
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_language_switcher_works_with_the_keyboard_alone(page: Page, live_server):
    page.goto(live_server.url)
    page.get_by_label("Language").focus()
    page.keyboard.press("ArrowDown")  # English → français, the next language in the list
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Change"
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_an_invalid_filter_fetched_by_htmx_shows_its_error_in_place(page: Page, live_server):
    page.goto(f"{live_server.url}/recommendations/")
    page.evaluate(
        "htmx.ajax('GET', '/recommendations/?mechanism=NOPE',"
        " {target: '#results', swap: 'outerHTML'})"
    )
    expect(page.locator("#results [role=alert]")).to_contain_text("Some filters are not valid")
    assert_accessible(page)
