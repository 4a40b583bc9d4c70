"""The export reads each table in chunks: the same number of queries for a small and a larger
plan (rows and links prefetched per chunk, never one query per row)."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.spreadsheet import export_plan
from tests.factories.plans import (
    BudgetLineFactory,
    IndicatorFactory,
    MeasureFactory,
    MilestoneFactory,
    PlanFactory,
)
from tests.factories.recommendations import DocumentFactory, RecommendationFactory
from tests.factories.tracker import InstitutionFactory

pytestmark = pytest.mark.django_db


def _plan(measures: int):
    plan = PlanFactory(adopted=True)
    document = DocumentFactory()
    lead, other = InstitutionFactory(), InstitutionFactory()
    for n in range(measures):
        measure = MeasureFactory(
            plan=plan,
            lead_institution=lead,
            recommendations=[RecommendationFactory(document=document) for _ in range(2)],
        )
        measure.supporting_institutions.add(other)
        MilestoneFactory(measure=measure)
        BudgetLineFactory(measure=measure)
        IndicatorFactory(measure=measure, name=f"Indicator {n}")
    return plan


def _queries(plan, actor) -> int:
    with CaptureQueriesContext(connection) as queries:
        export_plan(actor=actor, plan=plan, stream=io.BytesIO())
    return len(queries.captured_queries)


@pytest.mark.parametrize("who", ["secretariat", "focal_point", "public"])
def test_the_export_makes_the_same_number_of_queries_for_2_and_30_measures(persona, who):
    actor = persona(who)
    small, large = _plan(2), _plan(30)
    _queries(small, actor)  # the first reads the actor's memberships once
    assert _queries(small, actor) == _queries(large, actor)
