"""The plan's spreadsheet in a real browser: the secretariat uploads an edited export, reads the
dry run row by row (axe-core finds nothing serious, in English and Arabic) and applies it with
the keyboard."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.conftest import sign_in
from tests.e2e.browser_checks import assert_accessible
from tests.factories.plans import BudgetLineFactory, MeasureFactory, PlanFactory
from tests.factories.tracker import InstitutionFactory, MembershipFactory, UserFactory
from tests.plans.spreadsheet.helpers import edited, exported, set_cell
from tracker.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_dry_run_is_read_then_applied(page: Page, live_server, tmp_path, settings, language):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(username="planner")
    MembershipFactory(user=user, institution=InstitutionFactory(), role=Role.SECRETARIAT)
    plan = PlanFactory(title="National plan")
    line = BudgetLineFactory(measure=MeasureFactory(plan=plan, title="=1+1 <b>bold</b>"))
    workbook = edited(
        exported(plan), lambda s: set_cell(s, "Budget lines", line.pk, "Amount", 4321)
    )
    client = Client()
    sign_in(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    base = live_server.url
    page.context.add_cookies(
        [
            {"name": cookie.key, "value": cookie.value, "url": base},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base},
        ]
    )
    page.goto(base + reverse("plans:plan_import", args=[plan.pk]))
    assert_accessible(page)
    page.set_input_files(
        "#id_workbook",
        files=[
            {
                "name": "plan.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": workbook.getvalue(),
            }
        ],
    )
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator("table")).to_contain_text("4321.00")
    assert_accessible(page)
    line.refresh_from_db()
    assert line.amount == Decimal("100000.00")
    apply = page.locator("button[name=apply]")
    apply.focus()
    page.keyboard.press("Enter")
    expect(page.locator("button[name=apply]")).to_have_count(0)
    assert_accessible(page)
    line.refresh_from_db()
    assert line.amount == Decimal("4321.00")
