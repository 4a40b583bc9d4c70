"""The dashboards of the secretariat and of each institution: progress by cluster, mechanism,
cycle, institution, SDG goal, affected group and status, as SVG charts with their numbers in a
table and links to the list behind each; overdue and at-risk measures; the budget."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans.models import MeasureStatus
from tests.db import analyze
from tests.factories.plans import BudgetLineFactory, MeasureFactory, MilestoneFactory
from tests.recommendations.helpers import bulk_recommendations

pytestmark = pytest.mark.django_db

LIST = "/recommendations/"


def test_secretariat_dashboard_draws_each_breakdown_with_its_table_and_links(
    client_as, report_data
):
    body = client_as("secretariat").get(reverse("home")).content.decode()
    for key in ("cluster", "mechanism", "cycle", "institution", "sdg", "affected_group"):
        assert f'id="chart-{key}-heading"' in body
    # the SVG has a title and a description, and each bar links to its list
    assert '<title id="chart-cluster-title">By national cluster</title>' in body
    assert 'aria-describedby="chart-cluster-desc"' in body
    justice = report_data["upr"][0].cluster
    assert body.count(f'href="{LIST}?cluster={justice.pk}"') >= 2  # the bar and the table row
    assert f'href="{LIST}?mechanism=CRC"' in body
    cycle = report_data["cycle"]
    assert f'href="{LIST}?cycle={cycle.pk}"' in body
    # the table says the same as the chart: Justice has one recommendation, not started
    row = re.search(
        rf"<tr><th scope=\"row\"><a href=\"/recommendations/\?cluster={justice.pk}\">.*?</tr>",
        body,
    )
    assert row is not None
    assert re.findall(r'<td class="text-end">(\d+)</td>', row.group(0)) == [
        "1",
        "0",
        "0",
        "0",
        "0",
        "1",
    ]


def test_dashboard_lists_overdue_and_at_risk_measures_and_the_budget(client_as, report_data):
    today = timezone.localdate()
    plan = report_data["measure"].plan
    MeasureFactory(plan=plan, title="Late registry", ends_on=today - datetime.timedelta(days=3))
    MeasureFactory(plan=plan, title="Ends soon", ends_on=today + datetime.timedelta(days=20))
    slipping = MeasureFactory(
        plan=plan, title="Slipping", ends_on=today + datetime.timedelta(days=400)
    )
    MilestoneFactory(measure=slipping, due_on=today - datetime.timedelta(days=1))
    MeasureFactory(
        plan=plan,
        title="Done early",
        ends_on=today - datetime.timedelta(days=9),
        status=MeasureStatus.COMPLETED,
    )
    BudgetLineFactory(
        measure=report_data["measure"],
        amount=Decimal(1000),
        committed=Decimal(600),
        spent=Decimal(250),
        currency="EUR",
    )
    body = client_as("secretariat").get(reverse("home")).content.decode()
    overdue = body[body.index('id="overdue-heading"') : body.index('id="at-risk-heading"')]
    at_risk = body[body.index('id="at-risk-heading"') : body.index('id="budget-heading"')]
    assert "1 measure overdue" in overdue
    assert "Late registry" in overdue
    assert "Done early" not in body
    for text in ("Ends soon", "Slipping", "a milestone is overdue"):
        assert text in at_risk
    budget = body[body.index('id="budget-heading"') :]
    for text in ("EUR", "1,000", "600", "250"):
        assert text in budget


def test_institution_dashboard_shows_only_what_it_leads(client_as, report_data, ministry_b):
    MeasureFactory(
        plan=report_data["measure"].plan,
        title="Schools inspection",
        lead_institution=ministry_b,
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2020, 1, 1),
    )
    body = client_as("focal_point").get(reverse("home")).content.decode()
    assert 'id="chart-cluster-heading"' in body
    assert "Schools inspection" not in body
    other = client_as("other_focal_point").get(reverse("home")).content.decode()
    assert "Schools inspection" in other


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["secretariat", "focal_point", "public"])
def test_dashboard_queries_do_not_grow_with_the_number_of_recommendations(
    client_as, ministry_a, role
):
    from tests.factories.recommendations import ClusterFactory

    cluster = ClusterFactory(lead_institution=ministry_a)
    client = client_as(role)
    first = bulk_recommendations(10, cluster=cluster)
    small = _queries(client)
    bulk_recommendations(990, document=first[0].document, start=11, cluster=cluster)
    analyze()
    assert _queries(client) == small


def test_public_portal_home_says_how_fresh_its_data_are_and_draws_the_published_progress(
    anon_client, report_data
):
    from recommendations.models import ImportRun, ImportStatus

    ImportRun.objects.create(
        source="feed.json",
        format="json",
        status=ImportStatus.SUCCEEDED,
        finished_at=datetime.datetime(2026, 11, 2, 3, 0, tzinfo=datetime.UTC),
    )
    ImportRun.objects.create(
        source="feed.json",
        format="json",
        dry_run=True,
        status=ImportStatus.SUCCEEDED,
        finished_at=datetime.datetime(2026, 11, 20, 3, 0, tzinfo=datetime.UTC),
    )
    body = anon_client.get(reverse("home")).content.decode()
    assert "Universal Human Rights Index on 2026-11-02." in body
    assert "No progress report published yet." in body
    assert 'id="chart-sdg-heading"' in body
    assert reverse("reporting:open-data") in body
    assert len(body.encode()) < 200_000
