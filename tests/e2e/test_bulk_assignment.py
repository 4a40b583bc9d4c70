"""The secretariat assigns recommendations to a cluster from a filtered list, with the keyboard
alone: the checked ones, then every one matching the filter."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from recommendations.models import Recommendation
from tests.conftest import sign_in
from tests.factories.recommendations import ClusterFactory, RecommendationFactory, ThemeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_bulk_assignment_from_a_filtered_list_with_the_keyboard(
    page: Page, live_server, secretariat
):
    water = ThemeFactory(name="Water and sanitation")
    cluster = ClusterFactory(name="Water", code="WAT")
    matching = [
        RecommendationFactory(text=f"Improve access to safe water, plan {n}.") for n in range(3)
    ]
    for rec in matching:
        rec.themes.add(water)
    outside = RecommendationFactory(text="Ratify the Optional Protocol.")
    client = Client()
    sign_in(client, secretariat)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    list_url = f"{live_server.url}{reverse('recommendations:recommendation-list')}"

    page.goto(f"{list_url}?theme={water.pk}")
    expect(page.get_by_role("status")).to_contain_text("3 recommendations found")
    # Check two of them with the space bar.
    for rec in matching[:2]:
        page.locator(f"#pick-{rec.pk}").focus()
        page.keyboard.press("Space")
        expect(page.locator(f"#pick-{rec.pk}")).to_be_checked()
    # Choose the cluster with the arrow keys, then Tab to "Assign the selected" and press Enter.
    page.get_by_label("Target cluster").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Target cluster")).to_have_value(str(cluster.pk))
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Assign the selected")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert").or_(page.locator(".messages"))).to_contain_text(
        "2 recommendations moved to Water"
    )
    assert set(cluster.recommendations.all()) == set(matching[:2])
    assert page.url.endswith(f"?theme={water.pk}")  # back on the same filtered list

    # Then all the ones matching the filter: Tab past "Assign the selected" to the next button.
    page.get_by_label("Target cluster").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Assign all 3 matching this filter")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text("1 recommendation moved to Water")
    assert set(cluster.recommendations.all()) == set(matching)
    assert Recommendation.objects.get(pk=outside.pk).cluster_id is None
