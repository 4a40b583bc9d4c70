"""The public transparency portal: views by institution, by national cluster and by SDG goal,
and the adopted plan. Open to everyone, and showing everyone the same thing: what is published
(``reporting.portal`` reads as the public whoever asks, so a signed-in secretariat never sees a
draft here by mistake)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from plans.models import Measure
from recommendations.models import Recommendation
from tracker.decorators import public_view

from . import portal, selectors

PAGE_SIZE = 25
MEASURE_PAGE_SIZE = 20


def _render(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    """A portal page, saying how fresh its data are (the last UHRI import, the last published
    progress report: two queries)."""
    context["freshness"] = selectors.data_freshness()
    return render(request, f"reporting/portal/{template}", context)


def _page(request: HttpRequest, qs: object, size: int, param: str = "page") -> object:
    return Paginator(qs, size).get_page(request.GET.get(param))  # type: ignore[arg-type]


def _recommendations_and_measures(
    request: HttpRequest,
    *,
    query: str,
    statuses: portal.StatusCounts,
    recommendations: QuerySet[Recommendation],
    measures: QuerySet[Measure],
) -> dict[str, object]:
    """What a cluster's and a goal's pages show alike: the published recommendations by status
    (each linking to the list filtered by ``query``), a page of them, and the first measures
    that address them with how many there are."""
    return {
        "query": query,
        "statuses": statuses,
        "page": _page(request, recommendations, PAGE_SIZE),
        "measures": list(measures[: portal.MEASURES_SHOWN]),
        "measure_count": measures.count(),
    }


@public_view
@require_GET
def institution_list(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        "institution_list.html",
        {"institutions": portal.portal_institutions()},
    )


@public_view
@require_GET
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    institution = portal.portal_institution(pk)
    context = {
        "institution": institution,
        "clusters": portal.institution_clusters(institution),
        "measures": _page(request, portal.institution_measures(institution), MEASURE_PAGE_SIZE),
    }
    return _render(request, "institution_detail.html", context)


@public_view
@require_GET
def cluster_list(request: HttpRequest) -> HttpResponse:
    return _render(request, "cluster_list.html", {"rows": portal.portal_clusters()})


@public_view
@require_GET
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = portal.portal_cluster(pk)
    recommendations = portal.cluster_recommendations(cluster)
    context = {
        "cluster": cluster,
        **_recommendations_and_measures(
            request,
            query=f"cluster={cluster.pk}",
            statuses=portal.status_counts(portal.public_recommendations().filter(cluster=cluster)),
            recommendations=recommendations,
            measures=portal.measures_addressing(recommendations),
        ),
    }
    return _render(request, "cluster_detail.html", context)


@public_view
@require_GET
def goal_list(request: HttpRequest) -> HttpResponse:
    return _render(request, "goal_list.html", {"rows": portal.portal_goals()})


@public_view
@require_GET
def goal_detail(request: HttpRequest, number: int) -> HttpResponse:
    goal = portal.portal_goal(number)
    recommendations = portal.goal_recommendations(goal)
    context = {
        "goal": goal,
        "targets": portal.goal_targets(goal),
        **_recommendations_and_measures(
            request,
            query=f"sdg_goal={goal.number}",
            statuses=portal.status_counts(recommendations),
            recommendations=recommendations,
            measures=portal.goal_measures(goal),
        ),
    }
    return _render(request, "goal_detail.html", context)


@public_view
@require_GET
def adopted_plan(request: HttpRequest) -> HttpResponse:
    plan = portal.adopted_plan()
    context: dict[str, object] = {"plan": plan, "others": portal.other_public_plans(plan)}
    if plan is not None:
        context["clusters"] = portal.plan_clusters(plan)
        context["measures"] = _page(request, portal.plan_measures(plan), MEASURE_PAGE_SIZE)
    return _render(request, "plan.html", context)
