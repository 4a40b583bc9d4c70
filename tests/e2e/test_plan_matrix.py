"""The planning matrix filled in with the keyboard only, in Chromium: Tab to a measure's "Edit",
Enter turns the row into a form with the focus in its first field, Enter saves, Escape cancels,
and the focus comes back to the row's "Edit" each time; Enter saves from a list too."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from plans.models import Measure
from tests.conftest import sign_in
from tests.e2e.browser_checks import assert_accessible
from tests.factories.plans import MeasureFactory, PlanFactory
from tests.factories.recommendations import ClusterFactory, RecommendationFactory
from tests.factories.tracker import InstitutionFactory, MembershipFactory, UserFactory
from tracker.models import InstitutionKind
from tracker.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _tab_to(page: Page, selector: str, limit: int = 120) -> None:
    """Press Tab until the focus is on ``selector``: the way a keyboard user gets there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    pytest.fail(f"Tab never reached {selector}")


def test_a_matrix_row_is_edited_with_the_keyboard_only(page: Page, live_server):
    office = InstitutionFactory(name="NMRF secretariat", kind=InstitutionKind.SECRETARIAT)
    user = UserFactory(username="secretariat")
    MembershipFactory(user=user, institution=office, role=Role.SECRETARIAT)
    ministry = InstitutionFactory(name="Ministry of Justice", acronym="MOJ")
    recommendation = RecommendationFactory(
        cluster=ClusterFactory(name="Justice"), text="Ratify the Optional Protocol."
    )
    plan = PlanFactory(title="Draft plan")
    measure = MeasureFactory(
        plan=plan,
        title="Draft the bill",
        lead_institution=ministry,
        recommendations=[recommendation],
    )

    client = Client()
    sign_in(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    base = live_server.url
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
    page.goto(base + reverse("plans:plan-matrix", args=[plan.pk]))

    edit = f"#row-{measure.pk}-{recommendation.pk} [data-row-edit]"
    _tab_to(page, edit)
    page.keyboard.press("Enter")
    title = page.get_by_label("Title", exact=True)
    expect(title).to_be_focused()
    assert_accessible(page)  # the row's form: every field labelled
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Table the bill in parliament")
    page.keyboard.press("Enter")

    row = page.locator(f"#row-{measure.pk}-{recommendation.pk}")
    expect(row).to_contain_text("Table the bill in parliament")
    expect(page.locator(edit)).to_be_focused()
    assert Measure.objects.get(pk=measure.pk).title == "Table the bill in parliament"

    # Escape leaves the row as it was.
    page.keyboard.press("Enter")
    expect(page.get_by_label("Title", exact=True)).to_be_focused()
    page.keyboard.type(" (not saved)")
    page.keyboard.press("Escape")
    expect(page.locator(edit)).to_be_focused()
    expect(row).not_to_contain_text("not saved")
    assert Measure.objects.get(pk=measure.pk).title == "Table the bill in parliament"

    # Enter saves from a list too: the status, changed with an arrow key.
    page.keyboard.press("Enter")
    expect(page.get_by_label("Title", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Status", exact=True)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Status", exact=True)).to_have_value("in_progress")
    page.keyboard.press("Enter")
    expect(row).to_contain_text("In progress")
    expect(page.locator(edit)).to_be_focused()
    assert Measure.objects.get(pk=measure.pk).status == "in_progress"
