"""The focal point's and the validator's homes: measures, milestones and indicator values due
in the next 30 days and overdue, drafts and returned reports, reports waiting for validation;
the same number of queries for 10 and 1,000 items."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans import progress_selectors
from plans.models import Milestone, ProgressReport, ReportState
from tests.factories.plans import IndicatorFactory, MilestoneFactory

from .conftest import report_in

pytestmark = pytest.mark.django_db


def test_focal_point_home_shows_what_falls_due_and_reports_waiting(
    client_as, users, adopted_measure, report
):
    today = timezone.localdate()
    MilestoneFactory(
        measure=adopted_measure, title="Bill tabled", due_on=today - datetime.timedelta(days=3)
    )
    MilestoneFactory(
        measure=adopted_measure, title="Decree signed", due_on=today + datetime.timedelta(days=10)
    )
    MilestoneFactory(
        measure=adopted_measure, title="Far away", due_on=today + datetime.timedelta(days=90)
    )
    MilestoneFactory(
        measure=adopted_measure,
        title="Done already",
        due_on=today - datetime.timedelta(days=9),
        done_on=today,
    )
    page = client_as("focal_point").get(reverse("home")).text
    assert "Bill tabled" in page
    assert "Decree signed" in page
    assert "Far away" not in page
    assert "Done already" not in page
    assert adopted_measure.title in page
    assert reverse("progress:report-detail", args=[report.pk]) in page  # the draft
    assert reverse("progress:report-create", args=[adopted_measure.pk]) in page


def test_returned_reports_show_their_reason_and_validators_see_their_queue(
    client_as, users, report, adopted_measure
):
    from tests.factories.plans import ProgressReportFactory

    report_in(ReportState.RETURNED, report, users)
    waiting = report_in(
        ReportState.SUBMITTED, ProgressReportFactory(measure=adopted_measure, period="2026"), users
    )
    focal = client_as("focal_point").get(reverse("home")).text
    assert "Add the figures." in focal
    validator = client_as("validator").get(reverse("home")).text
    assert "Reports waiting for your validation" in validator
    assert reverse("progress:report-detail", args=[waiting.pk]) in validator
    # A validator does not write reports: no link to the form.
    assert reverse("progress:report-create", args=[adopted_measure.pk]) not in validator
    other = client_as("other_focal_point").get(reverse("home")).text
    assert adopted_measure.title not in other


def test_indicator_values_due_are_listed_until_recorded(focal_point, adopted_measure):
    adopted_measure.starts_on = datetime.date(2025, 1, 1)
    adopted_measure.ends_on = datetime.date(2025, 12, 31)
    adopted_measure.save()
    indicator = IndicatorFactory(measure=adopted_measure, frequency="quarterly")
    today = datetime.date(2025, 5, 15)  # Q1 due on 30 April: overdue; Q2 due 30 July: later
    portfolio = progress_selectors.institution_portfolio(actor=focal_point, today=today)
    assert [(d.period, d.overdue) for d in portfolio.indicators_due] == [("2025-Q1", True)]
    indicator.values.create(period="2025-Q1", value=3)
    portfolio = progress_selectors.institution_portfolio(actor=focal_point, today=today)
    assert portfolio.indicators_due == []


def _fill(measure, ministry, n: int) -> None:
    today = timezone.localdate()
    Milestone.objects.bulk_create(
        Milestone(
            measure=measure, title=f"M{i}", due_on=today + datetime.timedelta(days=i % 40 - 10)
        )
        for i in range(n)
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            measure=measure,
            institution=ministry,
            period="2025",
            state=[ReportState.DRAFT, ReportState.RETURNED, ReportState.SUBMITTED][i % 3],
        )
        for i in range(n)
    )


@pytest.mark.parametrize("who", ["focal_point", "validator"])
def test_home_queries_do_not_grow_with_the_portfolio(client_as, adopted_measure, ministry_a, who):
    client = client_as(who)
    _fill(adopted_measure, ministry_a, 10)
    client.get(reverse("home"))  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("home")).status_code == 200
    _fill(adopted_measure, ministry_a, 990)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("home")).status_code == 200
    assert len(large) == len(small)


def test_report_list_queries_do_not_grow(client_as, adopted_measure, ministry_a):
    client = client_as("focal_point")
    _fill(adopted_measure, ministry_a, 10)
    url = reverse("progress:report-list")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _fill(adopted_measure, ministry_a, 990)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
