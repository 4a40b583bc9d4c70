"""Read-side summaries for dashboards, scoped by who is asking."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from recommendations import policies as recommendation_policies
from recommendations.models import (
    Cluster,
    ImplementationStatus,
    MechanismFamily,
    PublicationState,
    SdgGoal,
)
from tracker.models import Institution
from tracker.policies import Actor
from tracker.roles import INSTITUTION_ROLES


@dataclass
class StatCount:
    key: str
    label: str
    count: int


@dataclass
class Overview:
    total: int
    by_status: list[StatCount]
    by_family: list[StatCount]
    by_publication: list[StatCount] = field(default_factory=list)
    unclustered: int = 0


def _counts(rows: dict[str, int], choices: list[tuple[str, Any]]) -> list[StatCount]:
    return [StatCount(key, str(label), rows.get(key, 0)) for key, label in choices]


def recommendation_overview(*, actor: Actor) -> Overview:
    """Totals of the recommendations ``actor`` may see, by status, mechanism kind and publication."""
    qs = recommendation_policies.visible_recommendations(actor).order_by()
    totals = qs.aggregate(
        total=Count("id"),
        unclustered=Count("id", filter=Q(cluster__isnull=True)),
        **{f"status_{k}": Count("id", filter=Q(status=k)) for k in ImplementationStatus.values},
        **{f"pub_{k}": Count("id", filter=Q(publication_state=k)) for k in PublicationState.values},
        **{
            f"family_{k}": Count("id", filter=Q(document__mechanism__family=k))
            for k in MechanismFamily.values
        },
    )
    return Overview(
        total=totals["total"],
        unclustered=totals["unclustered"],
        by_status=_counts(
            {k: totals[f"status_{k}"] for k in ImplementationStatus.values},
            ImplementationStatus.choices,
        ),
        by_family=[
            c
            for c in _counts(
                {k: totals[f"family_{k}"] for k in MechanismFamily.values}, MechanismFamily.choices
            )
            if c.count
        ],
        by_publication=_counts(
            {k: totals[f"pub_{k}"] for k in PublicationState.values}, PublicationState.choices
        ),
    )


def institution_clusters(*, actor: Actor) -> list[Cluster]:
    """Clusters led by the actor's institutions, with the number of visible recommendations in each."""
    if actor is None:
        return []
    institutions = actor.institution_ids(INSTITUTION_ROLES)
    visible = recommendation_policies.visible_recommendations(actor).values("pk")
    return list(
        Cluster.objects.filter(lead_institution__in=institutions)
        .select_related("lead_institution")
        .annotate(
            recommendation_count=Count("recommendations", filter=Q(recommendations__in=visible)),
            open_count=Count(
                "recommendations",
                filter=Q(recommendations__in=visible)
                & ~Q(recommendations__status=ImplementationStatus.IMPLEMENTED),
            ),
        )
        .order_by("name")
    )


def actor_institutions(*, actor: Actor) -> list[Institution]:
    if actor is None:
        return []
    return list(Institution.objects.filter(memberships__user=actor).distinct().order_by("name"))


def sdg_goal_counts(*, actor: Actor) -> list[SdgGoal]:
    """The 17 goals with the number of visible recommendations linked to each."""
    visible = recommendation_policies.visible_recommendations(actor).values("pk")
    return list(
        SdgGoal.objects.annotate(
            recommendation_count=Count(
                "targets__recommendations",
                filter=Q(targets__recommendations__in=visible),
                distinct=True,
            )
        ).order_by("number")
    )


# --- progress and assessments -------------------------------------------------------------------
# Progress reports and assessments are another app's models (plans, issue 11). Reports and
# dashboards read them only through the two functions below, so that wiring them in is one change.


def progress_for_recommendations(ids: Sequence[int]) -> dict[int, list[str]]:
    """The published progress of each recommendation of ``ids``, one line per progress report
    ("2026-03-31, Ministry of Justice: the bill was tabled…"), newest first; ids without any are
    absent. One query for the whole list.

    Today: nothing (no progress report model exists yet): every report shows "no information"."""
    return {}


def assessments_for_recommendations(ids: Sequence[int]) -> dict[int, list[str]]:
    """The published assessments of each recommendation of ``ids``, one line per assessor kind
    ("Government: partially implemented (2026-02-01)", "NHRI: …", "Civil society: …"), in that
    order; ids without any are absent. One query for the whole list.

    Today: nothing (no assessment model exists yet)."""
    return {}
