"""Milestones, budget lines, indicators, indicator values and national frameworks in the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import BudgetLine, Indicator, IndicatorValue, Milestone
from recommendations.models import SdgIndicator
from tests.factories.plans import (
    BudgetLineFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    MilestoneFactory,
    NationalFrameworkFactory,
)
from tests.recommendations.helpers import sdg_target

pytestmark = pytest.mark.django_db


def test_milestones(api_client_as, draft_measure, adopted_measure):
    client = api_client_as("secretariat")
    response = client.post(
        reverse("api:milestone-list"),
        {"measure": draft_measure.pk, "title": "Bill tabled", "due_on": "2026-03-31"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) >= {"measure", "title", "due_on", "done_on"}
    url = reverse("api:milestone-detail", args=[body["id"]])
    assert client.patch(url, {"done_on": "2026-03-01"}, format="json").json()["done_on"] == (
        "2026-03-01"
    )
    frozen = MilestoneFactory(measure=adopted_measure)
    response = client.patch(
        reverse("api:milestone-detail", args=[frozen.pk]), {"title": "X"}, format="json"
    )
    assert response.status_code == 409
    response = client.post(
        reverse("api:milestone-list"),
        {"measure": draft_measure.pk, "title": "", "due_on": "soon"},
        format="json",
    )
    assert response.status_code == 400
    assert {"title", "due_on"} <= set(response.json()["extra"]["fields"])


def test_budget_lines_have_decimals_as_strings_and_filters(
    api_client_as, draft_measure, adopted_measure
):
    client = api_client_as("secretariat")
    response = client.post(
        reverse("api:budget-line-list"),
        {
            "measure": draft_measure.pk,
            "amount": "250000.00",
            "currency": "KES",
            "funding_source": "State budget",
            "committed": 1000,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["amount"], body["committed"], body["spent"], body["currency"]) == (
        "250000.00",
        "1000.00",
        "0.00",
        "KES",
    )
    BudgetLineFactory(measure=adopted_measure)
    rows = client.get(reverse("api:budget-line-list"), {"plan": draft_measure.plan_id}).json()
    assert [r["id"] for r in rows["results"]] == [body["id"]]
    rows = client.get(reverse("api:budget-line-list"), {"measure": adopted_measure.pk}).json()
    assert len(rows["results"]) == 1
    response = client.post(
        reverse("api:budget-line-list"),
        {"measure": draft_measure.pk, "amount": "-5", "currency": "dollars", "funding_source": ""},
        format="json",
    )
    assert response.status_code == 400
    assert {"amount", "currency", "funding_source"} <= set(response.json()["extra"]["fields"])
    assert BudgetLine.objects.count() == 2


def test_indicators_on_measures_and_recommendations(api_client_as, draft_measure, recommendation):
    client = api_client_as("secretariat")
    sdg = SdgIndicator.objects.create(code="16.3.2", target=sdg_target("16.3"))
    response = client.post(
        reverse("api:indicator-list"),
        {
            "measure": draft_measure.pk,
            "name": "Pre-trial detainees",
            "kind": "outcome",
            "unit": "%",
            "baseline_value": "41.0",
            "baseline_year": 2024,
            "target_value": "25",
            "target_year": 2029,
            "frequency": "quarterly",
            "data_source": "Prison service",
            "disaggregation": ["sex", "age"],
            "sdg_indicator": sdg.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["baseline_value"], body["target_value"], body["sdg_indicator"]) == (
        "41.0000",
        "25.0000",
        sdg.pk,
    )
    assert body["next_due_on"] is not None
    response = client.post(
        reverse("api:indicator-list"),
        {"recommendation": recommendation.pk, "name": "Law adopted", "kind": "structure"},
        format="json",
    )
    assert (response.status_code, response.json()["recommendation"]) == (201, recommendation.pk)
    response = client.post(
        reverse("api:indicator-list"),
        {"name": "Nowhere", "kind": "process"},
        format="json",
    )
    assert response.status_code == 400
    response = client.post(
        reverse("api:indicator-list"),
        {"measure": draft_measure.pk, "name": "X", "kind": "input", "frequency": "weekly"},
        format="json",
    )
    assert {"kind", "frequency"} <= set(response.json()["extra"]["fields"])
    assert Indicator.objects.count() == 2


def test_indicator_values(api_client_as, adopted_measure):
    client = api_client_as("secretariat")
    indicator = IndicatorFactory(measure=adopted_measure, frequency="quarterly")
    url = reverse("api:indicator-value-list")
    response = client.post(
        url,
        {
            "indicator": indicator.pk,
            "period": "2027-Q3",
            "value": "37.5",
            "disaggregation": {"sex": "female"},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["value"], response.json()["disaggregation"]) == (
        "37.5000",
        {"sex": "female"},
    )
    again = client.post(
        url,
        {
            "indicator": indicator.pk,
            "period": "2027-Q3",
            "value": "1",
            "disaggregation": {"sex": "female"},
        },
        format="json",
    )
    assert again.status_code == 400
    assert "period" in again.json()["extra"]["fields"]
    wrong = client.post(
        url, {"indicator": indicator.pk, "period": "2027", "value": "abc"}, format="json"
    )
    assert wrong.status_code == 400
    assert "value" in wrong.json()["extra"]["fields"]
    rows = client.get(url, {"indicator": indicator.pk}).json()["results"]
    assert [r["period"] for r in rows] == ["2027-Q3"]
    assert IndicatorValue.objects.count() == 1


def test_values_of_a_closed_plan_are_a_conflict(api_client_as):
    indicator = IndicatorFactory(measure=MeasureFactory(plan__adopted=True, plan__state="closed"))
    value = IndicatorValueFactory(indicator=indicator)
    client = api_client_as("secretariat")
    response = client.patch(
        reverse("api:indicator-value-detail", args=[value.pk]), {"value": "3"}, format="json"
    )
    assert response.status_code == 409


def test_national_frameworks_and_goals(api_client_as, recommendation):
    client = api_client_as("secretariat")
    response = client.post(
        reverse("api:national-framework-list"),
        {"name": "Vision 2030", "kind": "development_plan"},
        format="json",
    )
    assert response.status_code == 201
    framework = response.json()["id"]
    duplicate = client.post(
        reverse("api:national-framework-list"),
        {"name": "Vision 2030", "kind": "other"},
        format="json",
    )
    assert duplicate.status_code == 400
    response = client.post(
        reverse("api:national-goal-list"),
        {
            "framework": framework,
            "code": "2.1",
            "title": "Justice",
            "recommendations": [recommendation.pk],
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["recommendations"] == [recommendation.pk]
    public = api_client_as("public")
    assert (
        public.get(reverse("api:national-goal-list"), {"framework": framework}).json()["count"] == 1
    )
    assert (
        public.post(
            reverse("api:national-framework-list"), {"name": "X", "kind": "other"}, format="json"
        ).status_code
        == 403
    )
    NationalFrameworkFactory()
    assert public.get(reverse("api:national-framework-list")).json()["count"] == 2


def test_milestones_are_filtered_by_plan(api_client_as, draft_measure, adopted_measure):
    MilestoneFactory(measure=draft_measure)
    MilestoneFactory(measure=adopted_measure)
    rows = api_client_as("secretariat").get(
        reverse("api:milestone-list"), {"plan": adopted_measure.plan_id}
    )
    assert [r["measure"] for r in rows.json()["results"]] == [adopted_measure.pk]
    assert Milestone.objects.count() == 2
