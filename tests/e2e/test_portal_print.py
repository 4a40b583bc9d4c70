"""The portal printed (Chromium with the print media type): the content only, black on white,
and the address of a UN document printed after its link; and the portal's views reached by
keyboard from the public home."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.factories.recommendations import DocumentFactory, RecommendationFactory
from tests.reporting.portal_data import build_portal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

UN_DOCUMENT = "https://docs.un.org/en/A/HRC/58/14"


def _display(page: Page, selector: str) -> str:
    return page.eval_on_selector(selector, "el => getComputedStyle(el).display")


def test_a_printed_page_keeps_the_content_in_black_on_white_and_shows_document_addresses(
    page: Page, live_server
):
    document = DocumentFactory(symbol="A/HRC/58/14", url=UN_DOCUMENT)
    recommendation = RecommendationFactory(document=document, paragraph="127.1")
    page.goto(
        live_server.url + reverse("recommendations:recommendation-detail", args=[recommendation.pk])
    )
    link = f'main a[href="{UN_DOCUMENT}"]'
    after = "el => getComputedStyle(el, '::after').content"
    assert page.eval_on_selector(link, after) in {"none", "normal"}
    assert _display(page, "header") != "none"

    page.emulate_media(media="print")
    assert UN_DOCUMENT in page.eval_on_selector(link, after)
    for hidden in ("header", "footer", "form"):
        assert _display(page, hidden) == "none", hidden
    assert _display(page, "main") != "none"
    colours = page.evaluate(
        "() => [getComputedStyle(document.body).color, getComputedStyle(document.body)"
        ".backgroundColor, getComputedStyle(document.querySelector('main a')).color]"
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)", "rgb(0, 0, 0)"]


def test_the_portal_views_are_reached_from_the_public_home_with_the_keyboard(
    page: Page, live_server
):
    build_portal(10)
    page.goto(live_server.url + reverse("home"))
    nav = page.get_by_role("navigation", name="Transparency portal")
    link = nav.get_by_role("link", name="By institution")
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + reverse("reporting:portal-institutions"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Who does what: the institutions")
    current = page.get_by_role("navigation", name="Transparency portal").get_by_role(
        "link", name="By institution"
    )
    expect(current).to_have_attribute("aria-current", "page")
