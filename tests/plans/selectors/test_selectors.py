"""The plan selectors: scoped lists, versions, budget totals, due dates of indicators."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.http import Http404

from plans import selectors, services
from plans.models import ProposalState
from plans.periods import DUE_AFTER
from tests.factories.plans import (
    BudgetLineFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db


def test_plan_list_is_scoped_and_filtered(nhri, draft_plan, adopted_plan, closed_plan):
    assert set(selectors.plan_list(actor=nhri, filters={}).queryset) == {adopted_plan, closed_plan}
    assert list(selectors.plan_list(actor=nhri, filters={"state": "closed"}).queryset) == [
        closed_plan
    ]
    with pytest.raises(Http404):
        selectors.plan_get(actor=nhri, pk=draft_plan.pk)
    with pytest.raises(Http404):
        selectors.plan_get(actor=nhri, pk="not a number")


def test_an_invalid_filter_gives_an_empty_list_never_an_unfiltered_one(secretariat, draft_measure):
    result = selectors.measure_list(actor=secretariat, filters={"plan": "abc"})
    assert not result.is_valid
    assert list(result.queryset) == []
    assert "plan" in result.filterset.errors


def test_measure_list_by_plan_and_recommendation(
    secretariat, draft_measure, adopted_measure, recommendation
):
    by_plan = selectors.measure_list(actor=secretariat, filters={"plan": draft_measure.plan_id})
    assert list(by_plan.queryset) == [draft_measure]
    by_rec = selectors.measure_list(
        actor=secretariat, filters={"recommendation": recommendation.pk}
    )
    assert set(by_rec.queryset) == {draft_measure, adopted_measure}


def test_every_version_of_a_lineage_oldest_first(secretariat, nhri, adopted_plan):
    v2 = services.plan_new_version(actor=secretariat, plan=adopted_plan)
    services.plan_adopt(actor=secretariat, plan=v2)
    v3 = services.plan_new_version(actor=secretariat, plan=v2)
    PlanFactory()  # another lineage
    for plan in (adopted_plan, v2, v3):
        assert selectors.plan_versions(actor=secretariat, plan=plan) == [adopted_plan, v2, v3]
    # The public sees the versions adopted, not the draft.
    assert selectors.plan_versions(actor=nhri, plan=v2) == [adopted_plan, v2]


def test_budget_totals_by_currency(secretariat, draft_plan):
    measure = MeasureFactory(plan=draft_plan)
    BudgetLineFactory(measure=measure, amount=Decimal(100), currency="USD", spent=Decimal(10))
    BudgetLineFactory(measure=measure, amount=Decimal(50), currency="USD", committed=Decimal(5))
    BudgetLineFactory(measure=measure, amount=Decimal(1000), currency="KES")
    declined = MeasureFactory(plan=draft_plan, proposal_state=ProposalState.DECLINED)
    BudgetLineFactory(measure=declined, amount=Decimal(999), currency="USD")
    totals = selectors.plan_budget_totals(actor=secretariat, plan=draft_plan)
    assert [(t.currency, t.amount, t.committed, t.spent) for t in totals] == [
        ("KES", Decimal(1000), Decimal(0), Decimal(0)),
        ("USD", Decimal(150), Decimal(5), Decimal(10)),
    ]


def test_due_periods_of_a_measures_indicator(secretariat):
    measure = MeasureFactory(
        starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 12, 31)
    )
    indicator = IndicatorFactory(measure=measure, frequency="quarterly")
    IndicatorValueFactory(indicator=indicator, period="2025-Q1")
    indicator = selectors.indicator_queryset(actor=secretariat).get(pk=indicator.pk)

    periods = selectors.indicator_reporting_periods(indicator)
    assert [p.period for p in periods] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    # On 15 August, Q2 is overdue (due 30 days after 30 June); Q3 is not due yet.
    due = selectors.indicator_due_periods(indicator, until=datetime.date(2025, 8, 15))
    assert [p.period for p in due] == ["2025-Q2"]
    assert (
        selectors.indicator_next_due_date(indicator, today=datetime.date(2025, 8, 15))
        == datetime.date(2025, 6, 30) + DUE_AFTER
    )


def test_an_indicator_with_every_period_reported_has_nothing_due(secretariat):
    measure = MeasureFactory(
        starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2026, 12, 31)
    )
    indicator = IndicatorFactory(measure=measure, frequency="yearly")
    IndicatorValueFactory(indicator=indicator, period="2025")
    IndicatorValueFactory(indicator=indicator, period="2026", disaggregation={"sex": "male"})
    assert selectors.indicator_next_due_date(indicator, today=datetime.date(2030, 1, 1)) is None
    assert selectors.indicator_due_periods(indicator, until=datetime.date(2030, 1, 1)) == []


def test_a_measure_without_dates_reports_over_the_plans_period():
    plan = PlanFactory(starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2026, 12, 31))
    indicator = IndicatorFactory(
        measure=MeasureFactory(plan=plan, starts_on=None, ends_on=None), frequency="yearly"
    )
    assert [p.period for p in selectors.indicator_reporting_periods(indicator)] == ["2025", "2026"]


def test_a_recommendations_indicator_reports_from_the_year_after_its_baseline(recommendation):
    indicator = IndicatorFactory(
        measure=None,
        recommendation=recommendation,
        baseline_year=2024,
        target_year=2026,
        frequency="yearly",
    )
    assert [p.period for p in selectors.indicator_reporting_periods(indicator)] == ["2025", "2026"]
    open_ended = IndicatorFactory(
        measure=None, recommendation=recommendation, baseline_year=2024, target_year=None
    )
    assert selectors.indicator_reporting_periods(open_ended) == []
    assert [
        p.period
        for p in selectors.indicator_reporting_periods(open_ended, until=datetime.date(2026, 6, 1))
    ] == ["2025", "2026"]
