"""The home page (a different landing for each role) and the health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from recommendations import policies as recommendation_policies
from reporting import selectors as reporting
from tracker.policies import as_actor, has_role, is_secretariat
from tracker.roles import INDEPENDENT_ROLES, INSTITUTION_ROLES, Role

from .decorators import public_view


def landing_for(request: HttpRequest) -> str:
    """Which landing page the user gets: the first of their roles in order of responsibility."""
    actor = as_actor(request.user)
    if actor is None:
        return "public"
    if is_secretariat(actor):
        return "secretariat"
    if has_role(actor, *INSTITUTION_ROLES):
        return "institution"
    if has_role(actor, *INDEPENDENT_ROLES):
        return "independent"
    if has_role(actor, Role.PARTNER):
        return "partner"
    return "public"


@public_view
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = as_actor(request.user)
    landing = landing_for(request)
    context: dict[str, object] = {
        "landing": landing,
        "overview": reporting.recommendation_overview(actor=actor),
        "institutions": reporting.actor_institutions(actor=actor),
        "can_view_drafts": recommendation_policies.can_view_drafts(actor),
    }
    if landing == "institution":
        context["clusters"] = reporting.institution_clusters(actor=actor)
    if landing in {"partner", "independent", "public"}:
        context["sdg_goals"] = reporting.sdg_goal_counts(actor=actor)
    return render(request, f"tracker/home_{landing}.html", context)


@public_view
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and container health checks: the app answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
