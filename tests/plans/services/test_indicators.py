"""Indicators on measures and recommendations, and their values by period."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from plans import services
from plans.frozen import FrozenError
from plans.models import Indicator, IndicatorValue
from tests.factories.plans import IndicatorFactory, IndicatorValueFactory, MeasureFactory
from tests.plans.conftest import actions_of, event_count
from tracker.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def test_an_indicator_on_a_measure(secretariat, draft_measure):
    indicator = services.indicator_create(
        actor=secretariat,
        measure=draft_measure,
        name="Judges appointed by the council",
        kind="outcome",
        unit="judges",
        baseline_value=Decimal(0),
        baseline_year=2024,
        target_value=Decimal(120),
        target_year=2029,
        frequency="quarterly",
        disaggregation=["sex", "region"],
    )
    assert (indicator.measure, indicator.recommendation) == (draft_measure, None)
    assert actions_of(indicator) == ["indicator_create"]


def test_an_indicator_on_a_recommendation_is_the_secretariats(
    secretariat, focal_point, recommendation
):
    indicator = services.indicator_create(
        actor=secretariat, recommendation=recommendation, name="Law adopted", kind="structure"
    )
    assert indicator.recommendation == recommendation
    with pytest.raises(PermissionDenied):
        services.indicator_create(
            actor=focal_point, recommendation=recommendation, name="Mine", kind="process"
        )
    assert Indicator.objects.count() == 1


def test_an_indicator_is_on_one_thing(secretariat, draft_measure, recommendation):
    for kwargs in ({}, {"measure": draft_measure, "recommendation": recommendation}):
        with pytest.raises(ApplicationError) as exc:
            services.indicator_create(actor=secretariat, name="X", kind="process", **kwargs)
        assert {"measure", "recommendation"} <= set(exc.value.extra["fields"])
    assert not Indicator.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"disaggregation": ["sex", "shoe size"]}, "disaggregation"),
        ({"disaggregation": ["sex", "sex"]}, "disaggregation"),
        ({"disaggregation": "sex"}, "disaggregation"),
        ({"baseline_year": 2028, "target_year": 2026}, "target_year"),
        ({"target_year": 3000}, "target_year"),
        ({"frequency": "weekly"}, "frequency"),
    ],
)
def test_bad_indicator_values_are_refused_with_the_field(secretariat, draft_measure, fields, field):
    with pytest.raises(ApplicationError) as exc:
        services.indicator_create(
            actor=secretariat, measure=draft_measure, name="X", kind="process", **fields
        )
    assert field in exc.value.extra["fields"]


def test_an_indicator_of_an_adopted_plan_does_not_change(secretariat, adopted_measure):
    indicator = IndicatorFactory(measure=adopted_measure)
    with pytest.raises(FrozenError):
        services.indicator_update(actor=secretariat, indicator=indicator, name="Changed")
    with pytest.raises(FrozenError):
        services.indicator_delete(actor=secretariat, indicator=indicator)
    assert Indicator.objects.filter(pk=indicator.pk, name=indicator.name).exists()


def test_an_indicator_of_a_recommendation_changes_whatever_the_plans(secretariat, recommendation):
    indicator = IndicatorFactory(measure=None, recommendation=recommendation)
    services.indicator_update(actor=secretariat, indicator=indicator, unit="cases")
    indicator.refresh_from_db()
    assert indicator.unit == "cases"


def test_the_focal_point_adds_indicators_to_its_proposal(focal_point, proposal, draft_measure):
    services.indicator_create(actor=focal_point, measure=proposal, name="Mine", kind="process")
    with pytest.raises(PermissionDenied):
        services.indicator_create(
            actor=focal_point, measure=draft_measure, name="Not mine", kind="process"
        )


# --- values -------------------------------------------------------------------------------------


def test_values_are_recorded_on_an_adopted_plan(secretariat, adopted_measure):
    indicator = IndicatorFactory(measure=adopted_measure, frequency="quarterly")
    value = services.indicator_value_create(
        actor=secretariat,
        indicator=indicator,
        period="2027-Q3",
        value=Decimal("37.5"),
        disaggregation={"sex": "female"},
    )
    assert (value.period, value.disaggregation) == ("2027-Q3", {"sex": "female"})
    assert actions_of(value) == ["indicator_value_create"]


def test_a_closed_plan_takes_no_more_values(secretariat):
    indicator = IndicatorFactory(measure=MeasureFactory(plan__adopted=True, plan__state="closed"))
    with pytest.raises(FrozenError):
        services.indicator_value_create(
            actor=secretariat, indicator=indicator, period="2027", value=Decimal(1)
        )
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("frequency", "good", "bad"),
    [
        ("yearly", "2027", "2027-Q1"),
        ("quarterly", "2027-Q4", "2027"),
        ("monthly", "2027-12", "2027-13"),
    ],
)
def test_the_period_follows_the_frequency(secretariat, draft_measure, frequency, good, bad):
    indicator = IndicatorFactory(measure=draft_measure, frequency=frequency)
    services.indicator_value_create(
        actor=secretariat, indicator=indicator, period=good, value=Decimal(1)
    )
    with pytest.raises(ApplicationError) as exc:
        services.indicator_value_create(
            actor=secretariat, indicator=indicator, period=bad, value=Decimal(1)
        )
    assert "period" in exc.value.extra["fields"]


def test_a_value_is_broken_down_by_the_indicators_dimensions_only(secretariat, draft_measure):
    indicator = IndicatorFactory(measure=draft_measure, disaggregation=["sex"])
    for breakdown in ({"age": "0-17"}, {"sex": ""}, {"sex": 1}):
        with pytest.raises(ApplicationError) as exc:
            services.indicator_value_create(
                actor=secretariat,
                indicator=indicator,
                period="2026",
                value=Decimal(1),
                disaggregation=breakdown,
            )
        assert "disaggregation" in exc.value.extra["fields"]


def test_one_value_per_period_and_breakdown(secretariat, draft_measure):
    indicator = IndicatorFactory(measure=draft_measure)
    services.indicator_value_create(
        actor=secretariat, indicator=indicator, period="2026", value=Decimal(1)
    )
    services.indicator_value_create(
        actor=secretariat,
        indicator=indicator,
        period="2026",
        value=Decimal(1),
        disaggregation={"sex": "male"},
    )
    with pytest.raises(ApplicationError) as exc:
        services.indicator_value_create(
            actor=secretariat, indicator=indicator, period="2026", value=Decimal(2)
        )
    assert "period" in exc.value.extra["fields"]
    assert indicator.values.count() == 2


def test_a_value_is_corrected_and_deleted(secretariat, draft_measure):
    value = IndicatorValueFactory(indicator=IndicatorFactory(measure=draft_measure))
    services.indicator_value_update(actor=secretariat, indicator_value=value, value=Decimal(21))
    value.refresh_from_db()
    assert value.value == Decimal(21)
    before = event_count()
    services.indicator_value_update(actor=secretariat, indicator_value=value, value=Decimal(21))
    assert event_count() == before
    services.indicator_value_delete(actor=secretariat, indicator_value=value)
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("persona_name", ["focal_point", "validator", "nhri", "cso", "partner"])
def test_only_the_secretariat_records_values(persona, persona_name, draft_measure):
    indicator = IndicatorFactory(measure=draft_measure)
    with pytest.raises(PermissionDenied):
        services.indicator_value_create(
            actor=persona(persona_name), indicator=indicator, period="2026", value=Decimal(1)
        )
    assert not IndicatorValue.objects.exists()


def test_a_new_frequency_or_dimensions_must_fit_the_values(secretariat, draft_measure):
    indicator = IndicatorFactory(measure=draft_measure, disaggregation=["sex"])
    IndicatorValueFactory(indicator=indicator, period="2025", disaggregation={"sex": "female"})
    with pytest.raises(ApplicationError) as exc:
        services.indicator_update(actor=secretariat, indicator=indicator, frequency="monthly")
    assert "frequency" in exc.value.extra["fields"]
    with pytest.raises(ApplicationError) as exc:
        services.indicator_update(actor=secretariat, indicator=indicator, disaggregation=[])
    assert "disaggregation" in exc.value.extra["fields"]
    services.indicator_update(actor=secretariat, indicator=indicator, disaggregation=["sex", "age"])
