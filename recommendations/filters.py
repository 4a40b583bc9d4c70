"""The filters of the recommendation list, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchRank
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from tracker.forms import QuickSelectMultiple
from tracker.models import Country

from . import search
from .models import (
    RECOMMENDATION_ORDERING,
    AffectedGroup,
    AnnotationType,
    Cluster,
    Document,
    ImplementationStatus,
    Mechanism,
    MechanismFamily,
    Position,
    Priority,
    PublicationState,
    Recommendation,
    RecommendationText,
    ReviewCycle,
    SdgGoal,
    SdgTarget,
    Theme,
)

MAX_QUERY_LENGTH = search.MAX_QUERY_LENGTH


def _text_rank(understanding: search.Understanding) -> Case:
    return Case(
        *(
            When(language=language, then=SearchRank(F("search_vector"), query))
            for language, query in search.parsed_queries(understanding).items()
        ),
        default=Value(0.1),
        output_field=FloatField(),
    )


def search_matches(
    qs: QuerySet[Recommendation], understanding: search.Understanding
) -> QuerySet[Recommendation]:
    """The recommendations a search finds: by their text in any language, or by a label or a
    symbol; in ``qs``'s order."""
    matching = RecommendationText.objects.filter(
        search.text_match(understanding), recommendation=OuterRef("pk")
    )
    return qs.filter(Exists(matching) | search.other_match(understanding))


def by_relevance(
    qs: QuerySet[Recommendation], understanding: search.Understanding
) -> QuerySet[Recommendation]:
    """``qs`` ranked by the best matching text, first; those found only by a label or a symbol
    follow. Every row of ``qs`` is ranked to order them: keep ``qs`` small."""
    matching = RecommendationText.objects.filter(
        search.text_match(understanding), recommendation=OuterRef("pk")
    )
    best_rank = (
        matching.annotate(rank=_text_rank(understanding)).order_by("-rank").values("rank")[:1]
    )
    return qs.annotate(rank=Subquery(best_rank, output_field=FloatField())).order_by(
        F("rank").desc(nulls_last=True), *RECOMMENDATION_ORDERING
    )


def too_many_to_rank(qs: QuerySet[Recommendation], limit: int | None = None) -> bool:
    """Whether ``qs`` has more rows than ``TRACKER_SEARCH_RANK_LIMIT``: one query, reading at
    most that many rows plus one."""
    limit = settings.TRACKER_SEARCH_RANK_LIMIT if limit is None else limit
    return qs.order_by().values("pk")[: limit + 1].count() > limit


def search_recommendations(
    qs: QuerySet[Recommendation],
    query: str | search.Understanding,
    *,
    rank_limit: int | None = None,
) -> QuerySet[Recommendation]:
    """The search of ``recommendations.search``: every language's text (ranked by the best
    matching text, first), then the recommendations found by a label or a symbol only. With
    more matches than ``rank_limit`` (``TRACKER_SEARCH_RANK_LIMIT``), they keep ``qs``'s order."""
    understanding = search.understand(query) if isinstance(query, str) else query
    if not understanding.query:
        return qs
    found = search_matches(qs, understanding)
    if too_many_to_rank(found, rank_limit):
        return found
    return by_relevance(found, understanding)


def _linked(field: str, lookup: str) -> Any:
    """Filter on a many-to-many link with EXISTS, so that rows are never repeated."""

    def method(qs: QuerySet[Recommendation], name: str, values: Any) -> QuerySet[Recommendation]:
        if not values:
            return qs
        through = Recommendation._meta.get_field(field).remote_field.through  # type: ignore[union-attr]
        links = through.objects.filter(recommendation=OuterRef("pk"), **{f"{lookup}__in": values})
        return qs.filter(Exists(links))

    return method


class SymbolsInput(forms.TextInput):
    """Document symbols typed (several separated by spaces), not chosen from a list: a regional
    instance holds tens of thousands of documents, too many to send as options in every page."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        if hasattr(data, "getlist"):  # a query string
            values = data.getlist(name)
        else:  # a dict, as a report's saved filters: a list of symbols or one
            value = data.get(name)
            values = list(value) if isinstance(value, list | tuple) else [value or ""]
        return [symbol for value in values for symbol in str(value).replace(",", " ").split()]

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, list | tuple):
            return " ".join(str(v) for v in value) or None
        return super().format_value(value)


@extend_schema_field(OpenApiTypes.STR)
class _CodesFilter(django_filters.ModelMultipleChoiceFilter):
    """Rows named by a code or symbol (UPR, A/HRC/58/14, 16.3, KEN): strings in the API schema."""


@extend_schema_field(OpenApiTypes.INT)
class _IdsFilter(django_filters.ModelMultipleChoiceFilter):
    """Rows named by their id (themes, affected groups, SDG goal numbers): integers in the API
    schema, which drf-spectacular cannot guess from a filter method."""


class RecommendationFilter(django_filters.FilterSet):
    # distinct=False: these follow foreign keys or the row's own columns, so they repeat no row,
    # and SELECT DISTINCT would sort the whole filtered list for each page; the many-to-many
    # filters use EXISTS (``_linked``).
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=MAX_QUERY_LENGTH)
    mechanism = _CodesFilter(
        label=_("Mechanism"),
        field_name="document__mechanism__code",
        queryset=Mechanism.objects.all(),
        to_field_name="code",
        distinct=False,
    )
    family = django_filters.MultipleChoiceFilter(
        label=_("Kind of mechanism"),
        field_name="document__mechanism__family",
        choices=MechanismFamily.choices,
        distinct=False,
    )
    cycle = django_filters.ModelMultipleChoiceFilter(
        label=_("Cycle"),
        field_name="document__cycle",
        queryset=ReviewCycle.objects.select_related("mechanism"),
        distinct=False,
    )
    document = _CodesFilter(
        label=_("Document"),
        field_name="document__symbol",
        queryset=Document.objects.all(),
        to_field_name="symbol",
        widget=SymbolsInput,
        distinct=False,
    )
    theme = _IdsFilter(
        label=_("Theme"), queryset=Theme.objects.all(), method=_linked("themes", "theme")
    )
    affected_group = _IdsFilter(
        label=_("Affected group"),
        queryset=AffectedGroup.objects.all(),
        method=_linked("affected_groups", "affectedgroup"),
    )
    sdg_goal = _IdsFilter(
        label=_("SDG goal"),
        queryset=SdgGoal.objects.all(),
        to_field_name="number",
        method=_linked("sdg_targets", "sdgtarget__goal"),
    )
    sdg_target = _CodesFilter(
        label=_("SDG target"),
        queryset=SdgTarget.objects.all(),
        to_field_name="code",
        method=_linked("sdg_targets", "sdgtarget"),
    )
    recommending_state = _CodesFilter(
        label=_("Recommending State"),
        queryset=Country.objects.all(),
        to_field_name="iso3",
        method=_linked("recommending_states", "country"),
    )
    position = django_filters.MultipleChoiceFilter(
        label=_("Position"),
        choices=Position.choices,
        distinct=False,
    )
    cluster = django_filters.ModelMultipleChoiceFilter(
        label=_("Cluster"),
        queryset=Cluster.objects.all(),
        distinct=False,
    )
    unclustered = django_filters.BooleanFilter(
        label=_("Not in a cluster"), field_name="cluster", lookup_expr="isnull"
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Implementation status"),
        choices=ImplementationStatus.choices,
        distinct=False,
    )
    priority = django_filters.MultipleChoiceFilter(
        label=_("Priority"),
        choices=Priority.choices,
        distinct=False,
    )
    annotation_type = django_filters.MultipleChoiceFilter(
        label=_("Type"),
        choices=AnnotationType.choices,
        distinct=False,
    )
    publication_state = django_filters.MultipleChoiceFilter(
        label=_("Publication"),
        choices=PublicationState.choices,
        distinct=False,
    )

    class Meta:
        model = Recommendation
        fields: list[str] = []

    # How the query was understood, once filtered (``search.understand``): the page tells it.
    understood: search.Understanding | None = None
    # Whether the matches are ordered by relevance (False: too many to rank, in the list's order).
    ranked: bool = True

    def filter_q(
        self, qs: QuerySet[Recommendation], name: str, value: str
    ) -> QuerySet[Recommendation]:
        self.understood = search.understand(value)
        if not self.understood.query:
            return qs
        found = search_matches(qs, self.understood)
        self.ranked = not too_many_to_rank(found)
        return by_relevance(found, self.understood) if self.ranked else found


# The page's filter lists hold hundreds of options (States, SDG targets, themes): written in
# Python rather than one template include each.
for _filter in RecommendationFilter.base_filters.values():
    if isinstance(_filter, django_filters.MultipleChoiceFilter) and "widget" not in _filter.extra:
        _filter.extra["widget"] = QuickSelectMultiple
