"""Reads of recommendations, scoped by who is asking, with a fixed number of queries."""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity
from django.core.cache import cache
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import get_language

from tracker.counting import BoundedCount, bounded_count, id_among, round_estimate
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
    RelatedDismissal,
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
    qs: QuerySet[Recommendation], *, every_language: bool = False, as_lists: bool = False
) -> QuerySet[Recommendation]:
    """What a list of recommendations shows, in a fixed number of queries: the pages and the API.

    ``as_lists`` (the API) puts the tags in plain lists (``listed_themes``, ``listed_affected_groups``,
    ``listed_states``, ``listed_sdg_targets``) rather than in each row's related managers: Django
    builds a manager and clones a queryset for each row and relation otherwise, which was a fifth
    of the time of an API page of 50.
    """

    def tags(lookup: str, queryset: QuerySet[Any] | None, to_attr: str) -> Prefetch[Any]:
        return Prefetch(lookup, queryset=queryset, to_attr=to_attr if as_lists else None)

    return (
        qs.select_related("document__mechanism", "document__cycle", "cluster")
        .prefetch_related(
            _listed_texts(every_language=every_language),
            tags(
                "themes",
                Theme.objects.only("id", "name", "names", "source"),
                "listed_themes",
            ),
            tags(
                "affected_groups",
                AffectedGroup.objects.only("id", "name", "names", "source"),
                "listed_affected_groups",
            ),
            tags("recommending_states", None, "listed_states"),
            tags(
                "sdg_targets",
                SdgTarget.objects.only("id", "code", "goal_id"),
                "listed_sdg_targets",
            ),
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
    return RecommendationList(filterset=filterset, queryset=with_list_relations(qs, as_lists=True))


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


def _choice_facet(
    qs: QuerySet[Recommendation], field: str, choices: Any, scale: int = 1
) -> list[FacetValue]:
    labels = dict(choices)
    rows = qs.order_by().values(field).annotate(n=Count("id")).order_by("-n")
    return [
        FacetValue(str(r[field]), str(labels.get(r[field], r[field])), _scaled(r["n"], scale))
        for r in rows
        if r[field]
    ]


def _scaled(n: int, scale: int) -> int:
    return n if scale == 1 else round_estimate(n * scale)


def _related_facet(
    qs: QuerySet[Recommendation],
    field: str,
    model: Any,
    value_field: str,
    limit: int | None = None,
    scale: int = 1,
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
        FacetValue(str(getattr(objects[pk], value_field)), str(objects[pk]), _scaled(n, scale))
        for pk, n in counts.items()
        if pk in objects
    ]
    return sorted(facets, key=lambda f: (-f.count, f.label))


def recommendation_count(qs: QuerySet[Recommendation]) -> BoundedCount:
    """How many recommendations ``qs`` holds: exact up to ``TRACKER_FACET_EXACT_LIMIT`` (one
    query), else estimated from a sample of the table (three queries)."""
    return bounded_count(qs, settings.TRACKER_FACET_EXACT_LIMIT)


def recommendation_facets(
    qs: QuerySet[Recommendation], count: BoundedCount | None = None
) -> dict[str, list[FacetValue]]:
    """Counts per value of the main facets over a filtered list: a fixed number of queries.

    Up to ``TRACKER_FACET_EXACT_LIMIT`` recommendations (``count``, from ``recommendation_count``)
    the counts are exact; past it they are counted in ``count``'s sample of the table and scaled
    up (rounded): each query reads only those rows, by id, however long the list.
    """
    count = recommendation_count(qs) if count is None else count
    if count.exact or not settings.TRACKER_FACET_CACHE_SECONDS:
        return _count_facets(count)
    # Estimated counts are kept a while (TRACKER_FACET_CACHE_SECONDS), under the rows they were
    # counted on: another filter, or another reader's view of the table, samples other rows.
    rows = hashlib.sha256(array("q", count.ids).tobytes()).hexdigest()
    key = f"recommendation-facets:{get_language()}:{count.scale}:{rows}"
    facets: dict[str, list[FacetValue]] | None = cache.get(key)
    if facets is None:
        facets = _count_facets(count)
        cache.set(key, facets, settings.TRACKER_FACET_CACHE_SECONDS)
    return facets


def _count_facets(count: BoundedCount) -> dict[str, list[FacetValue]]:
    # The rows counted, by id: the filter is not evaluated again for each facet.
    scoped = Recommendation.objects.filter(id_among(count.ids))
    scale = count.scale
    return {
        "mechanism": _related_facet(scoped, "document__mechanism", Mechanism, "code", scale=scale),
        "position": _choice_facet(scoped, "position", Position.choices, scale),
        "status": _choice_facet(scoped, "status", ImplementationStatus.choices, scale),
        "cluster": _related_facet(scoped, "cluster", Cluster, "pk", scale=scale),
        "theme": _related_facet(scoped, "themes", Theme, "pk", limit=15, scale=scale),
        "affected_group": _related_facet(
            scoped, "affected_groups", AffectedGroup, "pk", limit=15, scale=scale
        ),
        "sdg_goal": _related_facet(scoped, "sdg_targets__goal", SdgGoal, "number", scale=scale),
    }


# -- clusters, suggestions, related recommendations, taxonomy review ---------------------------


def cluster_list(*, actor: Actor, include_retired: bool = True) -> QuerySet[Cluster]:
    """The clusters with their lead institution and how many recommendations ``actor`` sees in
    each: one query."""
    visible = policies.visible_recommendations(actor).filter(cluster=OuterRef("pk"))
    qs = Cluster.objects.select_related("lead_institution").annotate(
        recommendation_count=Coalesce(
            Subquery(visible.order_by().values("cluster").annotate(n=Count("pk")).values("n")[:1]),
            0,
        )
    )
    if not include_retired:
        qs = qs.filter(is_active=True)
    return qs.order_by("-is_active", "name")


@dataclass
class ClusterSuggestion:
    theme: Theme
    count: int
    taken: bool  # a cluster already has the theme's name


def cluster_suggestions(*, actor: Actor, limit: int = 50) -> list[ClusterSuggestion]:
    """Clusters to suggest: the UHRI themes of the recommendations in no cluster (not archived),
    by how many of them each theme has, most first. Two queries."""
    unclustered = policies.visible_recommendations(actor).filter(
        cluster__isnull=True, publication_state__in=["draft", "published"]
    )
    rows = (
        Theme.objects.filter(recommendations__in=unclustered.values("pk"))
        .annotate(n=Count("recommendations", distinct=True))
        .order_by("-n", "name")[:limit]
    )
    names = {name.casefold() for name in Cluster.objects.values_list("name", flat=True)}
    return [ClusterSuggestion(theme=t, count=t.n, taken=t.label.casefold() in names) for t in rows]


@dataclass
class RelatedSuggestion:
    recommendation: Recommendation
    similarity: float


RELATED_SIMILARITY = 0.3


def related_suggestions(
    *, actor: Actor, recommendation: Recommendation, limit: int = 5
) -> list[RelatedSuggestion]:
    """Recommendations whose English text is most like this one's (pg_trgm similarity above
    ``RELATED_SIMILARITY``), from other documents of the same State, not already related and
    not dismissed. Two queries; the candidates are those of one country, not the whole index."""
    own = (
        RecommendationText.objects.filter(recommendation=recommendation, language="en")
        .values_list("text", flat=True)
        .first()
    )
    if not own:
        return []
    pk = recommendation.pk
    dismissed = RelatedDismissal.objects.filter(Q(first_id=pk) | Q(second_id=pk))
    candidates = (
        policies.visible_recommendations(actor)
        .exclude(pk=pk)
        .exclude(document_id=recommendation.document_id)
        .exclude(related=pk)
        .exclude(pk__in=dismissed.values("first_id"))
        .exclude(pk__in=dismissed.values("second_id"))
    )
    country = recommendation.document.country_id
    if country is not None:
        candidates = candidates.filter(document__country_id=country)
    texts = (
        RecommendationText.objects.filter(language="en", recommendation__in=candidates.values("pk"))
        .annotate(similarity=TrigramSimilarity("text", own))
        .filter(similarity__gt=RELATED_SIMILARITY)
        .order_by("-similarity", "recommendation_id")
        .values_list("recommendation_id", "similarity")[:limit]
    )
    scores = dict(texts)
    found = (
        policies.visible_recommendations(actor)
        .select_related("document__mechanism", "document__cycle")
        .in_bulk(list(scores))
    )
    return [
        RelatedSuggestion(found[rec_id], score)
        for rec_id, score in scores.items()
        if rec_id in found
    ]


def unreviewed_terms() -> dict[str, list[Any]]:
    """The entries an import created and nobody reviewed yet, by kind, with how many
    recommendations (documents, for a mechanism) use each: three queries."""
    return {
        "theme": list(Theme.objects.filter(is_reviewed=False).annotate(n=Count("recommendations"))),
        "affected_group": list(
            AffectedGroup.objects.filter(is_reviewed=False).annotate(n=Count("recommendations"))
        ),
        "mechanism": list(
            Mechanism.objects.filter(is_reviewed=False).annotate(n=Count("documents"))
        ),
    }


def recommendation_filtered_ids(*, actor: Actor, filters: Mapping[str, Any]) -> list[int] | None:
    """The ids of every visible recommendation matching ``filters`` (the list page's query), for
    an action on "all N matching this filter"; ``None`` when a filter is invalid. One query."""
    base = policies.visible_recommendations(actor)
    filterset = RecommendationFilter(data=filters, queryset=base)
    if not filterset.is_valid():
        return None
    return list(filterset.qs.order_by().values_list("pk", flat=True).distinct())


def cluster_choices() -> list[Cluster]:
    """The active clusters, to choose from in a form: one query."""
    return list(Cluster.objects.filter(is_active=True).only("pk", "name", "code").order_by("name"))
