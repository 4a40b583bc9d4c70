"""Recommendation pages: the searchable, faceted list and the detail page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tracker.counting import BoundedPaginator
from tracker.decorators import public_view
from tracker.http import HtmxHttpRequest
from tracker.policies import Actor, as_actor

from . import policies, selectors
from .forms import NationalFieldsForm
from .history import recommendation_history
from .models import Recommendation

PAGE_SIZE = 25


@public_view
@require_GET
def recommendation_list(request: HtmxHttpRequest) -> HttpResponse:
    actor = as_actor(request.user)
    result = selectors.recommendation_list(actor=actor, filters=request.GET)
    # Past TRACKER_FACET_EXACT_LIMIT rows, the count and the facets are estimated from one
    # sample of the table, and the page says "about".
    paginator = BoundedPaginator(
        result.queryset, PAGE_SIZE, limit=settings.TRACKER_FACET_EXACT_LIMIT
    )
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "filterset": result.filterset,
        "page": page,
        "count_is_exact": paginator.count_is_exact,
        "facets": (
            selectors.recommendation_facets(result.queryset, paginator.bounded)
            if result.is_valid
            else {}
        ),
        "can_view_drafts": policies.can_view_drafts(actor),
        # The secretariat assigns from the list: one more query, for the clusters to choose from.
        "assign_clusters": (
            selectors.cluster_choices() if policies.can_manage_clusters(actor) else None
        ),
        "understood": getattr(result.filterset, "understood", None),
        "ranked": getattr(result.filterset, "ranked", True),
        "rank_limit": settings.TRACKER_SEARCH_RANK_LIMIT,
    }
    template = "recommendations/recommendation_list.html"
    if request.htmx:
        template += "#results"
    status = 200 if result.is_valid else 400
    return render(request, template, context, status=status)


@public_view
@require_GET
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    recommendation = selectors.recommendation_get(actor=actor, pk=pk)
    return render_detail(request, actor, recommendation)


def render_detail(
    request: HttpRequest,
    actor: Actor,
    recommendation: Recommendation,
    *,
    national_form: NationalFieldsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The detail page; for the secretariat, with the form of the cluster and priority (bound
    and with its errors after a refused save) and the suggested related recommendations."""
    can_edit = policies.can_edit_recommendation(actor, recommendation)
    if can_edit and national_form is None:
        national_form = NationalFieldsForm(
            initial={
                "cluster": recommendation.cluster_id,
                "priority": recommendation.priority,
                "priority_reason": recommendation.priority_reason,
                "version": recommendation.national_version,
            },
            current=recommendation.cluster_id,
        )
    context = {
        "recommendation": recommendation,
        "texts": list(recommendation.texts.all()),
        "can_edit": can_edit,
        "national_form": national_form if can_edit else None,
        "suggestions": (
            selectors.related_suggestions(actor=actor, recommendation=recommendation)
            if can_edit
            else []
        ),
        "can_view_notes": policies.can_view_national_notes(actor, recommendation),
        "history": (
            recommendation_history(recommendation)
            if policies.can_view_history(actor, recommendation)
            else None
        ),
    }
    return render(request, "recommendations/recommendation_detail.html", context, status=status)
