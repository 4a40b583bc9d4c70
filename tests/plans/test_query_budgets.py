"""The plans API makes as many queries for measures addressing 1,000 recommendations as for
measures addressing 10, and for many rows as for few, and no more than its budget: a change that
adds a query to one of them says so here."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Measure
from tests.db import analyze
from tests.factories.plans import (
    BudgetLineFactory,
    ConsultationFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    MilestoneFactory,
    PlanFactory,
)
from tests.factories.tracker import InstitutionFactory
from tests.recommendations.helpers import bulk_recommendations, sdg_target

pytestmark = pytest.mark.django_db

# Queries of the first page of measures: the page, its count and one prefetch per kind of link
# (recommendations, supporting institutions, SDG targets, national goals); a signed-in persona
# adds the session, the user and its roles, a focal point the institutions its roles are in
# (once for the measures it sees, once for the recommendations).
MEASURE_LIST_QUERIES = {"public": 6, "secretariat": 9, "focal_point": 11}
MEASURE_DETAIL_QUERIES = {"public": 5, "secretariat": 8, "focal_point": 10}
# Other lists, read by the secretariat: the session, the user, its roles, the page and its
# count, and for consultations their participants, recommendations and documents.
LIST_QUERIES = {
    "api:plan-list": 5,
    "api:milestone-list": 5,
    "api:budget-line-list": 5,
    "api:indicator-list": 5,
    "api:indicator-value-list": 5,
    "api:consultation-list": 8,
}


def _queries(client, url: str) -> int:
    """Queries of one request, signed in by session as a browser or a script would be."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


def _measures(plan, recommendations, count: int = 3) -> list[Measure]:
    target = sdg_target("16.3")
    measures = []
    for _ in range(count):
        measure = MeasureFactory(plan=plan, recommendations=recommendations)
        measure.supporting_institutions.add(InstitutionFactory())
        measure.sdg_targets.add(target)
        measures.append(measure)
    return measures


@pytest.mark.parametrize("persona_name", ["public", "secretariat", "focal_point"])
def test_measure_list_queries_do_not_grow_with_the_recommendations(client_as, persona_name):
    client = client_as(persona_name)
    plan = PlanFactory(adopted=True)
    few = bulk_recommendations(10)
    _measures(plan, few)
    url = reverse("api:measure-list")
    small = _queries(client, url)
    assert small == MEASURE_LIST_QUERIES[persona_name]

    many = bulk_recommendations(1000, document=few[0].document, start=11)
    for measure in Measure.objects.all():
        measure.recommendations.add(*many)
    _measures(plan, many, count=5)
    analyze()
    assert _queries(client, url) == small
    assert _queries(client, url + f"?plan={plan.pk}") == small
    rows = client.get(url).json()["results"]
    assert {len(r["recommendations"]) for r in rows} == {1010, 1000}


@pytest.mark.parametrize("persona_name", ["public", "secretariat", "focal_point"])
def test_measure_detail_queries_do_not_grow_with_the_recommendations(client_as, persona_name):
    client = client_as(persona_name)
    few = bulk_recommendations(10)
    (measure,) = _measures(PlanFactory(adopted=True), few, count=1)
    url = reverse("api:measure-detail", args=[measure.pk])
    small = _queries(client, url)
    assert small == MEASURE_DETAIL_QUERIES[persona_name]
    measure.recommendations.add(*bulk_recommendations(1000, document=few[0].document, start=11))
    analyze()
    assert _queries(client, url) == small


def _rows(count: int) -> None:
    plan = PlanFactory(adopted=True)
    for _ in range(count):
        measure = MeasureFactory(plan=plan)
        MilestoneFactory(measure=measure)
        BudgetLineFactory(measure=measure)
        indicator = IndicatorFactory(measure=measure)
        IndicatorValueFactory(indicator=indicator)
        ConsultationFactory(participants=[InstitutionFactory(), InstitutionFactory()])


@pytest.mark.parametrize("url_name", sorted(LIST_QUERIES))
def test_list_queries_do_not_grow_with_the_rows(client_as, url_name):
    client = client_as("secretariat")
    _rows(2)
    url = reverse(url_name)
    small = _queries(client, url)
    assert small == LIST_QUERIES[url_name]
    _rows(30)
    assert _queries(client, url) == small
