"""Reads of recommendations, scoped by who is asking, with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from tracker.languages import best_language, preferred_languages
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


def _listed_texts(*, every_language: bool) -> Prefetch[Any]:
    """The texts a list needs, without the search vector, as ``listed_texts``: every language
    (the API), or only the active language and English (a page shows one text of each row)."""
    texts = RecommendationText.objects.defer("search_vector")
    if every_language:
        texts = texts.order_by("language")
    else:
        texts = texts.filter(language__in=preferred_languages()).defer("html")
    return Prefetch("texts", queryset=texts, to_attr="listed_texts")


def with_list_relations(
    qs: QuerySet[Recommendation], *, every_language: bool = False
) -> QuerySet[Recommendation]:
    """What a list of recommendations shows, in a fixed number of queries: the pages and the API."""
    return (
        qs.select_related("document__mechanism", "document__cycle", "cluster")
        .prefetch_related(
            _listed_texts(every_language=every_language),
            Prefetch("themes", queryset=Theme.objects.only("id", "name", "names", "source")),
            Prefetch(
                "affected_groups",
                queryset=AffectedGroup.objects.only("id", "name", "names", "source"),
            ),
            Prefetch("recommending_states"),
            Prefetch("sdg_targets", queryset=SdgTarget.objects.only("id", "code", "goal_id")),
        )
        .defer("raw_record", "national_notes", "status_override_reason")
    )


def shown_text(recommendation: Recommendation) -> RecommendationText | None:
    """The text a list shows: in the active language, else English, else any."""
    texts = getattr(recommendation, "listed_texts", None)
    if texts is None:
        texts = list(recommendation.texts.all())
    by_language = {t.language: t for t in texts}
    language = best_language(by_language)
    return by_language[language] if language else None


@dataclass
class RecommendationList:
    filterset: RecommendationFilter
    queryset: QuerySet[Recommendation]

    @property
    def is_valid(self) -> bool:
        return bool(self.filterset.is_valid())


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
