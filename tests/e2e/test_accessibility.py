"""Every page of the site (tests/pages.py), opened in Chromium as each persona, in English and in
Arabic: axe-core finds no serious or critical violation, and no Content-Security-Policy violation
happens (the ``page`` fixture of conftest.py). Latin runs keep their order in Arabic pages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.conftest import PERSONAS
from tests.e2e.browser_checks import assert_accessible, scan
from tests.e2e.demo_site import choose_language, sign_in
from tests.pages import PAGES, PageData

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("en", "ar")


@pytest.mark.parametrize("who", PERSONAS)
def test_every_page_has_no_serious_accessibility_violation_in_english_and_arabic(
    page: Page, live_server, site: PageData, who: str
):
    base = live_server.url
    sign_in(page.context, base, who)
    pages = [entry for entry in PAGES if who in entry.browser]
    assert pages
    failures = []
    for language in LANGUAGES:
        choose_language(page.context, base, language)
        for entry in pages:
            page.goto(base + entry.path(site))
            if entry.ready:
                page.wait_for_selector(entry.ready)
            if entry.name != "api-docs":  # Swagger UI is in English only
                assert page.evaluate("document.documentElement.lang") == language, entry.id
            failures += [
                f"{entry.id}: {line}" for line in scan(page, exceptions=entry.axe_exceptions)
            ]
    assert not failures, f"axe-core, as {who}:\n" + "\n".join(failures)


def _left_edges(page: Page, selector: str, parts: list[str]) -> list[float]:
    """The left edge on screen of each of ``parts`` in the text of the element."""
    return page.evaluate(
        """([selector, parts]) => {
          const element = document.querySelector(selector);
          const text = element.firstChild;
          return parts.map((part) => {
            const start = text.data.indexOf(part);
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, start + part.length);
            return range.getBoundingClientRect().left;
          });
        }""",
        [selector, parts],
    )


def test_document_references_read_left_to_right_in_arabic_pages(
    page: Page, live_server, site: PageData
):
    base = live_server.url
    choose_language(page.context, base, "ar")
    recommendation = site.recommendation
    detail = reverse("recommendations:recommendation-detail", args=[recommendation.pk])
    parts = ["A/HRC/58/14", "¶", "127.1"]

    listed = reverse("recommendations:recommendation-list")
    page.goto(f"{base}{listed}?document={recommendation.document.symbol}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    reference = f'#results a[href="{detail}"] bdi'
    expect(page.locator(reference)).to_have_attribute("dir", "ltr")
    expect(page.locator(reference)).to_have_text("A/HRC/58/14, ¶ 127.1")
    edges = _left_edges(page, reference, parts)
    assert edges == sorted(edges), f"symbol, ¶ and paragraph are not left to right: {edges}"

    page.goto(base + detail)
    heading = "h1 bdi"
    expect(page.locator(heading)).to_have_attribute("dir", "ltr")
    edges = _left_edges(page, heading, parts)
    assert edges == sorted(edges), f"symbol, ¶ and paragraph are not left to right: {edges}"


def test_the_menu_opens_and_closes_on_a_narrow_screen_without_breaking_the_policy(
    page: Page, live_server
):
    """static/js/menu.js shows and hides the menu of narrow screens (by its button, and Escape
    closes it, giving the focus back to the button); the page fixture fails the test on any
    policy violation."""
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto(live_server.url)
    toggler = page.get_by_role("button", name="Show or hide the menu")
    menu = page.locator("#main-nav")
    link = menu.get_by_role("link", name="Recommendations", exact=True)
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(link).to_be_hidden()
    toggler.click()
    expect(menu).to_have_class(re.compile(r"\bshow\b"))
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(link).to_be_visible()
    assert_accessible(page)
    toggler.click()
    expect(link).to_be_hidden()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    # By keyboard: Enter opens, Escape closes and the focus is on the button again.
    toggler.focus()
    page.keyboard.press("Enter")
    expect(link).to_be_visible()
    link.focus()
    page.keyboard.press("Escape")
    expect(link).to_be_hidden()
    expect(toggler).to_be_focused()


def test_without_javascript_the_menu_of_a_narrow_screen_is_shown_open(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 400, "height": 800})
    try:
        page = context.new_page()
        page.goto(live_server.url)
        expect(page.get_by_role("button", name="Show or hide the menu")).to_be_hidden()
        menu = page.locator("#main-nav")
        expect(menu.get_by_role("link", name="Recommendations", exact=True)).to_be_visible()
    finally:
        context.close()
