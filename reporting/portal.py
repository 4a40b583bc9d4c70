"""Reads of the public transparency portal: the views by institution, by national cluster and by
SDG goal, and the adopted plan.

Everything here is what the public sees (``actor=None``): published recommendations, the measures
of adopted and closed plans (proposals declined or pending left out), published progress reports.
Each function makes a fixed number of queries, whatever the number of recommendations; lists are
paginated by the views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from plans import policies as plan_policies
from plans import progress_policies
from plans.models import (
    ImplementationPlan,
    Indicator,
    IndicatorValue,
    Measure,
    Milestone,
    PlanState,
)
from recommendations import policies as recommendation_policies
from recommendations.models import (
    Cluster,
    ImplementationStatus,
    Recommendation,
    RecommendationText,
    SdgGoal,
    SdgTarget,
)
from tracker.languages import preferred_languages
from tracker.models import Institution

# The portal is the public's: every read below is scoped to what an anonymous visitor sees.
PUBLIC = None

# How many measures a cluster's or a goal's page lists (with their total).
MEASURES_SHOWN = 50
# How many of the recommendations a measure addresses its card lists (with their total): a
# measure may address hundreds, and a page of measures must stay light.
RECOMMENDATIONS_SHOWN = 10


def public_recommendations() -> QuerySet[Recommendation]:
    return recommendation_policies.visible_recommendations(PUBLIC)


def public_measures() -> QuerySet[Measure]:
    return plan_policies.visible_measures(PUBLIC)


def _count(qs: QuerySet[Any], column: str) -> Coalesce:
    """A correlated count of ``qs`` grouped by ``column`` (which refers to ``OuterRef("pk")``)."""
    return Coalesce(
        Subquery(
            qs.order_by().values(column).annotate(n=Count("pk", distinct=True)).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def listed_recommendations(qs: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """What a portal list shows of each recommendation: its document, mechanism and cluster, and
    its text in the page's language (or English), without the search vector: two queries."""
    texts = (
        RecommendationText.objects.filter(language__in=preferred_languages())
        .defer("search_vector", "html")
        .order_by("language")
    )
    return (
        qs.select_related("document__mechanism", "cluster")
        .prefetch_related(Prefetch("texts", queryset=texts, to_attr="listed_texts"))
        .defer("raw_record", "national_notes", "status_override_reason")
        .order_by("document__symbol", "paragraph_sort", "pk")
    )


@dataclass
class StatusCounts:
    """Recommendations by implementation status, in the order of the choices."""

    counts: list[tuple[str, str, int]] = field(default_factory=list)  # (key, label, count)

    @property
    def total(self) -> int:
        return sum(n for _key, _label, n in self.counts)


def status_counts(qs: QuerySet[Recommendation]) -> StatusCounts:
    """Counts by status of ``qs``: one query."""
    rows = dict(qs.order_by().values_list("status").annotate(n=Count("pk", distinct=True)))
    return StatusCounts(
        [(key, str(label), rows.get(key, 0)) for key, label in ImplementationStatus.choices]
    )


def _status_by(qs: QuerySet[Recommendation], key: str) -> dict[Any, dict[str, int]]:
    """{value of ``key``: {status: count}}: one query."""
    out: dict[Any, dict[str, int]] = {}
    rows = (
        qs.order_by()
        .values(key, "status")
        .annotate(n=Count("pk", distinct=True))
        .values_list(key, "status", "n")
    )
    for value, status, n in rows:
        if value is not None:
            out.setdefault(value, {})[status] = n
    return out


def _as_status_counts(counts: dict[str, int]) -> StatusCounts:
    return StatusCounts(
        [(key, str(label), counts.get(key, 0)) for key, label in ImplementationStatus.choices]
    )


def with_recommendation_count(qs: QuerySet[Measure]) -> QuerySet[Measure]:
    """Each measure's number of published recommendations, as ``portal_recommendation_count``."""
    published = public_recommendations().filter(measures=OuterRef("pk"))
    return qs.annotate(portal_recommendation_count=_count(published, "measures"))


def _supporting() -> Prefetch[Any]:
    """A measure's supporting institutions by name, as ``portal_supporting``."""
    return Prefetch(
        "supporting_institutions",
        queryset=Institution.objects.order_by("name"),
        to_attr="portal_supporting",
    )


def _shown_recommendations(*, with_cluster: bool = False) -> Prefetch[Any]:
    """The first ``RECOMMENDATIONS_SHOWN`` published recommendations a measure addresses, by
    symbol and paragraph, as ``portal_recommendations`` (with their cluster's name if asked)."""
    related = ("document", "cluster") if with_cluster else ("document",)
    fields: tuple[str, ...] = ("pk", "paragraph", "status", "document__symbol")
    fields += ("cluster__name",) if with_cluster else ()
    return Prefetch(
        "recommendations",
        queryset=public_recommendations()
        .select_related(*related)
        .only(*fields)
        .order_by("document__symbol", "paragraph_sort", "pk")[:RECOMMENDATIONS_SHOWN],
        to_attr="portal_recommendations",
    )


def _published_reports() -> Prefetch[Any]:
    """A measure's published progress reports, newest first, as ``portal_reports``."""
    return Prefetch(
        "reports",
        queryset=progress_policies.visible_reports(PUBLIC)
        .select_related("institution")
        .order_by("-published_at", "-pk"),
        to_attr="portal_reports",
    )


def with_measure_parts(qs: QuerySet[Measure]) -> QuerySet[Measure]:
    """A public measure with what the portal shows of it: its plan, lead and supporting
    institutions, the published recommendations it addresses, its published progress reports
    (newest first): four queries (the measures, three prefetches) for any number of them."""
    return (
        with_recommendation_count(qs)
        .select_related("plan", "lead_institution")
        .prefetch_related(
            _supporting(),
            _shown_recommendations(),
            _published_reports(),
        )
    )


# --- institutions -------------------------------------------------------------------------------


def portal_institutions() -> list[Institution]:
    """The institutions that lead or support a public measure or lead a cluster, with how many
    public measures they lead and support and how many clusters they lead: one query."""
    measures = public_measures()
    supported = Measure.supporting_institutions.through.objects.filter(
        measure__in=measures.values("pk"), institution_id=OuterRef("pk")
    )
    rows = Institution.objects.filter(is_active=True).annotate(
        led_count=_count(measures.filter(lead_institution=OuterRef("pk")), "lead_institution"),
        supported_count=_count(supported, "institution_id"),
        cluster_count=_count(
            Cluster.objects.filter(lead_institution=OuterRef("pk"), is_active=True),
            "lead_institution",
        ),
    )
    return list(
        rows.filter(
            Q(led_count__gt=0) | Q(supported_count__gt=0) | Q(cluster_count__gt=0)
        ).order_by("name")
    )


def portal_institution(pk: int) -> Institution:
    try:
        return Institution.objects.get(pk=pk, is_active=True)
    except Institution.DoesNotExist:
        raise Http404 from None


def institution_measures(institution: Institution) -> QuerySet[Measure]:
    """The public measures ``institution`` leads or supports, ready to paginate."""
    measures = public_measures().filter(
        Q(lead_institution=institution) | Q(supporting_institutions=institution)
    )
    return with_measure_parts(
        Measure.objects.filter(pk__in=measures.values("pk")).order_by(
            "-plan__starts_on", "plan_id", "position", "pk"
        )
    )


def institution_clusters(institution: Institution) -> list[Cluster]:
    """The active clusters ``institution`` leads, with their published recommendations: one
    query."""
    published = public_recommendations().filter(cluster=OuterRef("pk"))
    return list(
        Cluster.objects.filter(lead_institution=institution, is_active=True)
        .annotate(recommendation_count=_count(published, "cluster"))
        .order_by("name")
    )


# --- clusters -----------------------------------------------------------------------------------


@dataclass
class ClusterRow:
    cluster: Cluster
    statuses: StatusCounts


def portal_clusters() -> list[ClusterRow]:
    """The active clusters, with their lead institution and their published recommendations by
    status: two queries."""
    by_cluster = _status_by(public_recommendations(), "cluster_id")
    clusters = Cluster.objects.filter(is_active=True).select_related("lead_institution")
    return [
        ClusterRow(cluster, _as_status_counts(by_cluster.get(cluster.pk, {})))
        for cluster in clusters.order_by("name")
    ]


def portal_cluster(pk: int) -> Cluster:
    """A cluster the public may read: an active one, or a retired one that still holds
    published recommendations."""
    cluster = Cluster.objects.select_related("lead_institution").filter(pk=pk).first()
    if cluster is None or (
        not cluster.is_active and not public_recommendations().filter(cluster=cluster).exists()
    ):
        raise Http404
    return cluster


def cluster_recommendations(cluster: Cluster) -> QuerySet[Recommendation]:
    return listed_recommendations(public_recommendations().filter(cluster=cluster))


def measures_addressing(recommendations: QuerySet[Recommendation]) -> QuerySet[Measure]:
    """The public measures addressing any of ``recommendations``."""
    ids = public_measures().filter(recommendations__in=recommendations.values("pk")).values("pk")
    return with_measure_parts(
        Measure.objects.filter(pk__in=ids).order_by("-plan__starts_on", "plan_id", "position", "pk")
    )


# --- SDG goals ----------------------------------------------------------------------------------


@dataclass
class GoalRow:
    goal: SdgGoal
    statuses: StatusCounts
    measure_count: int


def portal_goals() -> list[GoalRow]:
    """The 17 goals with their published recommendations by status and how many public measures
    contribute to each: three queries."""
    by_goal = _status_by(public_recommendations(), "sdg_targets__goal_id")
    measures = dict(
        public_measures()
        .order_by()
        .filter(sdg_targets__isnull=False)
        .values_list("sdg_targets__goal_id")
        .annotate(n=Count("pk", distinct=True))
    )
    return [
        GoalRow(goal, _as_status_counts(by_goal.get(goal.pk, {})), measures.get(goal.pk, 0))
        for goal in SdgGoal.objects.order_by("number")
    ]


def portal_goal(number: int) -> SdgGoal:
    try:
        return SdgGoal.objects.get(number=number)
    except SdgGoal.DoesNotExist:
        raise Http404 from None


def goal_targets(goal: SdgGoal) -> list[SdgTarget]:
    """The goal's targets with how many published recommendations each has: one query."""
    published = public_recommendations().filter(sdg_targets=OuterRef("pk"))
    return list(
        goal.targets.annotate(recommendation_count=_count(published, "sdg_targets")).order_by(
            "sort_key", "code"
        )
    )


def goal_recommendations(goal: SdgGoal) -> QuerySet[Recommendation]:
    ids = public_recommendations().filter(sdg_targets__goal=goal).values("pk")
    return listed_recommendations(Recommendation.objects.filter(pk__in=ids))


def goal_measures(goal: SdgGoal) -> QuerySet[Measure]:
    """The public measures linked to a target of the goal, or addressing a recommendation that
    is."""
    ids = public_measures().filter(
        Q(sdg_targets__goal=goal) | Q(recommendations__in=goal_recommendations(goal).values("pk"))
    )
    return with_measure_parts(
        Measure.objects.filter(pk__in=ids.values("pk")).order_by(
            "-plan__starts_on", "plan_id", "position", "pk"
        )
    )


# --- the adopted plan ---------------------------------------------------------------------------


def adopted_plan() -> ImplementationPlan | None:
    """The plan in force: the latest adopted one (``None`` when no plan has been adopted)."""
    return (
        plan_policies.visible_plans(PUBLIC)
        .filter(state=PlanState.ADOPTED)
        .order_by("-adopted_on", "-version", "-pk")
        .first()
    )


def other_public_plans(plan: ImplementationPlan | None) -> list[ImplementationPlan]:
    """The other adopted and closed plans, newest first: one query."""
    qs = plan_policies.visible_plans(PUBLIC)
    if plan is not None:
        qs = qs.exclude(pk=plan.pk)
    return list(qs.order_by("-starts_on", "-version", "-pk"))


def plan_measures(plan: ImplementationPlan) -> QuerySet[Measure]:
    """The plan's public measures with their institutions, milestones (the timeline), indicators
    with their values, the published recommendations they address (with their cluster) and
    their published progress reports: seven queries (the measures, six prefetches) for any
    number of them."""
    return (
        with_recommendation_count(public_measures().filter(plan=plan))
        .select_related("lead_institution")
        .prefetch_related(
            _supporting(),
            Prefetch(
                "milestones",
                queryset=Milestone.objects.order_by("due_on", "pk"),
                to_attr="portal_milestones",
            ),
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("pk").prefetch_related(
                    Prefetch(
                        "values",
                        queryset=IndicatorValue.objects.order_by("period", "pk"),
                        to_attr="portal_values",
                    )
                ),
                to_attr="portal_indicators",
            ),
            _shown_recommendations(with_cluster=True),
            _published_reports(),
        )
        .order_by("position", "pk")
    )


@dataclass
class PlanCluster:
    cluster_id: int
    name: str
    measure_count: int


def plan_clusters(plan: ImplementationPlan) -> list[PlanCluster]:
    """The national clusters the plan's public measures work in (through the published
    recommendations they address), with how many measures each: one query."""
    rows = (
        public_measures()
        .filter(
            plan=plan,
            recommendations__in=public_recommendations().values("pk"),
            recommendations__cluster__isnull=False,
        )
        .order_by()
        .values_list("recommendations__cluster_id", "recommendations__cluster__name")
        .annotate(n=Count("pk", distinct=True))
    )
    return sorted(
        (PlanCluster(pk, name, n) for pk, name, n in rows), key=lambda row: row.name.casefold()
    )
