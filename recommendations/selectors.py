"""Reads of recommendations, scoped by who is asking, with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import translation

from tracker.models import localized
from tracker.policies import Actor

from . import policies
from .filters import RecommendationFilter
from .models import (
    AffectedGroup,
    Cluster,
    ImplementationStatus,
    Mechanism,
    Position,
    Recommendation,
    RecommendationText,
    SdgGoal,
    SdgTarget,
    Theme,
)


def _texts_for_display() -> Prefetch[Any]:
    """Only the texts in the active language and in English, without the search vector."""
    language = translation.get_language() or "en"
    return Prefetch(
        "texts",
        queryset=RecommendationText.objects.filter(language__in={language, "en"}).defer(
            "search_vector", "html"
        ),
        to_attr="display_texts",
    )


def with_list_relations(qs: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    return (
        qs.select_related("document__mechanism", "document__cycle", "cluster")
        .prefetch_related(
            _texts_for_display(),
            Prefetch("themes", queryset=Theme.objects.only("id", "name", "names")),
            Prefetch("recommending_states"),
            Prefetch("sdg_targets", queryset=SdgTarget.objects.only("id", "code", "goal_id")),
        )
        .defer("raw_record", "national_notes", "status_override_reason")
    )


@dataclass
class RecommendationList:
    filterset: RecommendationFilter
    queryset: QuerySet[Recommendation]

    @property
    def is_valid(self) -> bool:
        return self.filterset.is_valid()


def recommendation_list(*, actor: Actor, filters: Mapping[str, Any]) -> RecommendationList:
    """Visible recommendations filtered by ``filters`` (query parameters), ready to paginate.

    Invalid filter values (an unknown theme id, say) are reported by ``filterset.errors``; the
    queryset is then empty rather than silently unfiltered.
    """
    base = policies.visible_recommendations(actor)
    filterset = RecommendationFilter(data=filters, queryset=base)
    qs = filterset.qs if filterset.is_valid() else base.none()
    return RecommendationList(filterset=filterset, queryset=with_list_relations(qs))


def recommendation_get(*, actor: Actor, pk: int) -> Recommendation:
    """One visible recommendation with everything the detail page shows, or ``Http404``."""
    qs = (
        policies.visible_recommendations(actor)
        .select_related(
            "document__mechanism",
            "document__cycle",
            "document__country",
            "cluster__lead_institution",
        )
        .prefetch_related(
            Prefetch(
                "texts",
                queryset=RecommendationText.objects.defer("search_vector").order_by("language"),
            ),
            "themes",
            "affected_groups",
            "recommending_states",
            Prefetch("sdg_targets", queryset=SdgTarget.objects.select_related("goal")),
            Prefetch(
                "related",
                queryset=policies.visible_recommendations(actor).select_related("document"),
            ),
        )
    )
    try:
        return qs.get(pk=pk)
    except Recommendation.DoesNotExist:
        raise Http404 from None


def display_text(recommendation: Recommendation) -> str:
    """The text in the active language, else English, else any."""
    texts = getattr(recommendation, "display_texts", None)
    if texts is None:
        texts = list(recommendation.texts.all())
    by_language = {t.language: t.text for t in texts}
    return localized(by_language) or next(iter(by_language.values()), "")


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


def _choice_facet(qs: QuerySet[Recommendation], field: str, choices: Any) -> list[FacetValue]:
    labels = dict(choices)
    rows = qs.order_by().values(field).annotate(n=Count("id")).order_by("-n")
    return [
        FacetValue(str(r[field]), str(labels.get(r[field], r[field])), r["n"])
        for r in rows
        if r[field]
    ]


def _related_facet(
    qs: QuerySet[Recommendation], field: str, model: Any, value_field: str, limit: int | None = None
) -> list[FacetValue]:
    rows = (
        qs.order_by()
        .filter(**{f"{field}__isnull": False})
        .values(field)
        .annotate(n=Count("id", distinct=True))
        .order_by("-n")
    )
    if limit:
        rows = rows[:limit]
    counts = {r[field]: r["n"] for r in rows}
    objects = model.objects.in_bulk(list(counts))
    facets = [
        FacetValue(str(getattr(objects[pk], value_field)), str(objects[pk]), n)
        for pk, n in counts.items()
        if pk in objects
    ]
    return sorted(facets, key=lambda f: (-f.count, f.label))


def recommendation_facets(qs: QuerySet[Recommendation]) -> dict[str, list[FacetValue]]:
    """Counts per value of the main facets over a filtered list: a fixed number of queries."""
    base = qs.order_by().values("pk")
    scoped = Recommendation.objects.filter(pk__in=base)
    return {
        "mechanism": _related_facet(scoped, "document__mechanism", Mechanism, "code"),
        "position": _choice_facet(scoped, "position", Position.choices),
        "status": _choice_facet(scoped, "status", ImplementationStatus.choices),
        "cluster": _related_facet(scoped, "cluster", Cluster, "pk"),
        "theme": _related_facet(scoped, "themes", Theme, "pk", limit=15),
        "affected_group": _related_facet(scoped, "affected_groups", AffectedGroup, "pk", limit=15),
        "sdg_goal": _related_facet(scoped, "sdg_targets__goal", SdgGoal, "number"),
    }
