"""The spreadsheet from the plan's pages: who may download it, who may import it, the dry run then
the apply, and nothing written on a refusal."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import BudgetLine
from tests.factories.plans import BudgetLineFactory, MeasureFactory, PlanFactory
from tests.plans.conftest import event_count

from .helpers import edited, exported, read_sheets, set_cell

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(ministry_a):
    plan = PlanFactory(title="Draft plan")
    BudgetLineFactory(measure=MeasureFactory(plan=plan, lead_institution=ministry_a))
    return plan


@pytest.fixture
def adopted(ministry_b):
    plan = PlanFactory(title="Adopted plan", adopted=True)
    BudgetLineFactory(measure=MeasureFactory(plan=plan, lead_institution=ministry_b))
    return plan


# Who may download: whoever may see the plan. Drafts: the secretariat and the institutions.
EXPORT_MATRIX = [
    ("public", "draft", 404),
    ("public", "adopted", 200),
    ("nhri", "draft", 404),
    ("cso", "draft", 404),
    ("partner", "draft", 404),
    ("cso", "adopted", 200),
    ("focal_point", "draft", 200),
    ("validator", "draft", 200),
    ("secretariat", "draft", 200),
]


@pytest.mark.parametrize(("who", "which", "status"), EXPORT_MATRIX)
def test_the_plan_is_downloaded_by_those_who_may_see_it(client_as, request, who, which, status):
    plan = request.getfixturevalue(which)
    response = client_as(who).get(reverse("plans:plan_export", args=[plan.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment")
        sheets = read_sheets(b"".join(response.streaming_content))
        assert len(sheets["Measures"]) == 2


def test_a_focal_point_downloads_only_the_draft_measures_of_its_institution(
    client_as, draft, ministry_b
):
    MeasureFactory(plan=draft, lead_institution=ministry_b, title="Not yours")
    response = client_as("other_focal_point").get(reverse("plans:plan_export", args=[draft.pk]))
    sheets = read_sheets(b"".join(response.streaming_content))
    assert [row[1] for row in sheets["Measures"][1:]] == ["Not yours"]
    assert sheets["Budget lines"][1:] == []


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("secretariat", 200),
        ("focal_point", 403),
        ("validator", 403),
        ("other_focal_point", 403),
        ("nhri", 404),
        ("cso", 404),
        ("partner", 404),
    ],
)
def test_only_the_secretariat_opens_the_import_page(client_as, draft, who, status):
    response = client_as(who).get(reverse("plans:plan_import", args=[draft.pk]))
    assert response.status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(anon_client, draft):
    response = anon_client.get(reverse("plans:plan_import", args=[draft.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _edited_amount(plan, amount):
    line = BudgetLine.objects.get(measure__plan=plan)
    stream = edited(
        exported(plan), lambda s: set_cell(s, "Budget lines", line.pk, "Amount", amount)
    )
    return line, stream


def _upload(client, plan, stream, name="plan.xlsx"):
    stream.name = name
    return client.post(reverse("plans:plan_import", args=[plan.pk]), {"workbook": stream})


def test_the_dry_run_lists_the_changes_then_apply_writes_them(client_as, draft):
    client = client_as("secretariat")
    line, stream = _edited_amount(draft, 777)
    before = event_count()
    response = _upload(client, draft, stream)
    assert response.status_code == 200
    page = response.content.decode()
    assert "dry run" in page
    assert "777.00" in page
    line.refresh_from_db()
    assert line.amount == Decimal("100000.00")
    assert event_count() == before
    token = response.context["token"]

    response = client.post(
        reverse("plans:plan_import", args=[draft.pk]), {"apply": "1", "token": token}
    )
    assert response.status_code == 200
    line.refresh_from_db()
    assert line.amount == Decimal("777.00")
    # Applied once: the stored file is gone, a second apply is refused.
    again = client.post(
        reverse("plans:plan_import", args=[draft.pk]), {"apply": "1", "token": token}
    )
    assert again.status_code == 400


def test_a_focal_point_cannot_import_and_nothing_is_written(client_as, draft):
    line, stream = _edited_amount(draft, 5)
    client = client_as("focal_point")
    before = event_count()
    response = _upload(client, draft, stream)
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.amount == Decimal("100000.00")
    assert event_count() == before


def test_a_wrong_file_is_refused_with_its_reason(client_as, draft):
    response = _upload(client_as("secretariat"), draft, io.BytesIO(b"not,a,workbook\n"))
    assert response.status_code == 400
    assert "does not match its format XLSX" in response.content.decode()


def test_an_adopted_plan_refuses_the_changes_with_the_reason(client_as, adopted):
    line, stream = _edited_amount(adopted, 5)
    response = _upload(client_as("secretariat"), adopted, stream)
    assert response.status_code == 200
    assert "is adopted" in response.content.decode()
    assert "token" not in response.context
    line.refresh_from_db()
    assert line.amount == Decimal("100000.00")


def test_an_upload_past_the_limit_is_refused(client_as, draft, settings):
    settings.TRACKER_UPLOAD_MAX_MB = 1
    response = _upload(client_as("secretariat"), draft, io.BytesIO(b"x" * (2 * 1024 * 1024)))
    assert response.status_code == 413


def test_the_frozen_rule_concerns_only_files_that_change_something(client_as, adopted):
    response = _upload(client_as("secretariat"), adopted, io.BytesIO(exported(adopted)))
    assert response.status_code == 200
    assert response.context["report"].refused == ""
    assert adopted.adopted_on == date(2025, 3, 1)
