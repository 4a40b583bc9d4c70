"""The planning matrix and the plan page make as many queries for a plan addressing 1,000
recommendations as for one addressing 10 (the matrix shows a page of them at a time), for the
public, the secretariat and a focal point."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.views.matrix import PAGE_SIZE
from tests.db import analyze
from tests.factories.plans import (
    BudgetLineFactory,
    IndicatorFactory,
    MeasureFactory,
    MilestoneFactory,
    PlanFactory,
)
from tests.factories.recommendations import ClusterFactory
from tests.factories.tracker import InstitutionFactory
from tests.recommendations.helpers import bulk_recommendations

pytestmark = pytest.mark.django_db

# Queries of the matrix, the filtered matrix and the plan page. The matrix: the plan, the
# filters' choices (clusters, mechanisms, institutions), the bulk form's institutions (the
# secretariat), the count, the page, its texts and measures with their lead institution,
# supporting institutions, milestones and indicators. A signed-in persona adds the session, the
# user and its roles; a focal point the institutions its roles are in (the scoping of measures,
# recommendations, budget lines).
BUDGETS = {"public": [11, 12, 10], "secretariat": [14, 15, 13], "focal_point": [17, 18, 21]}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


def _measures(plan, recommendations, lead, count: int = 3) -> None:
    for _ in range(count):
        measure = MeasureFactory(plan=plan, recommendations=recommendations, lead_institution=lead)
        measure.supporting_institutions.add(InstitutionFactory())
        MilestoneFactory(measure=measure)
        BudgetLineFactory(measure=measure)
        IndicatorFactory(measure=measure)


@pytest.mark.parametrize("persona_name", ["public", "secretariat", "focal_point"])
def test_matrix_and_plan_page_queries_do_not_grow_with_the_recommendations(
    client_as, persona_name, ministry_a
):
    client = client_as(persona_name)
    plan = PlanFactory(adopted=True)
    cluster = ClusterFactory(name="Justice")
    few = bulk_recommendations(10, cluster=cluster)
    _measures(plan, few, ministry_a)
    urls = [
        reverse("plans:plan-matrix", args=[plan.pk]),
        reverse("plans:plan-matrix", args=[plan.pk]) + f"?cluster={cluster.pk}&status=planned",
        reverse("plans:plan-detail", args=[plan.pk]),
    ]
    small = [_queries(client, url) for url in urls]
    assert small == BUDGETS[persona_name]

    many = bulk_recommendations(1000, document=few[0].document, start=11, cluster=cluster)
    _measures(plan, many, ministry_a, count=5)
    analyze()
    assert [_queries(client, url) for url in urls] == small
    page = client.get(urls[0]).context["page"]
    assert page.paginator.count == 1010
    assert len(page.object_list) == PAGE_SIZE
    # The first ten recommendations have the first three measures; the next forty, five more.
    assert [len(r.plan_measures) for r in page.object_list] == [3] * 10 + [5] * 40
