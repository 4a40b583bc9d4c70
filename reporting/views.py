"""The home page: a different dashboard for each role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from plans import progress_selectors
from recommendations import policies as recommendation_policies
from tracker.decorators import public_view
from tracker.policies import Actor, as_actor, has_role, is_secretariat
from tracker.roles import INDEPENDENT_ROLES, INSTITUTION_ROLES, Role

from . import selectors
from .charts import stacked_bars


def landing_for(actor: Actor) -> str:
    """Which landing page the user gets: the first of their roles in order of responsibility."""
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


def _add_dashboard(context: dict[str, object], dashboard: selectors.Dashboard) -> None:
    context["dashboard"] = dashboard
    context["charts"] = [(b, stacked_bars(b.bars)) for b in dashboard.breakdowns]


@public_view
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = as_actor(request.user)
    landing = landing_for(actor)
    context: dict[str, object] = {
        "landing": landing,
        "overview": selectors.recommendation_overview(actor=actor),
        "institutions": selectors.actor_institutions(actor=actor),
        "can_view_drafts": recommendation_policies.can_view_drafts(actor),
    }
    if landing == "secretariat":
        _add_dashboard(context, selectors.dashboard(actor=actor))
    if landing == "public":
        context["freshness"] = selectors.data_freshness()
        _add_dashboard(context, selectors.dashboard(actor=None))
    if landing == "institution":
        context["clusters"] = selectors.institution_clusters(actor=actor)
        # The focal point's and validator's work: measures, what falls due, reports waiting.
        context["portfolio"] = progress_selectors.institution_portfolio(actor=actor)
        assert actor is not None  # an institution landing has a member  # noqa: S101
        _add_dashboard(
            context,
            selectors.dashboard(
                actor=actor, institution_ids=set(actor.institution_ids(INSTITUTION_ROLES))
            ),
        )
    if landing in {"partner", "independent", "public"}:
        context["sdg_goals"] = selectors.sdg_goal_counts(actor=actor)
    return render(request, f"reporting/home_{landing}.html", context)
