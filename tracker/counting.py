"""Counts that stay cheap on large tables: exact up to a limit, estimated from a sample past it.

A regional or international deployment holds every UHRI recommendation (268,000): counting a
filtered list exactly, or grouping it by each facet, reads all of its rows for every page shown.
Up to ``limit`` rows a count is exact (the ids of at most ``limit + 1`` rows are read, or
counted); past it, the rows are counted in a systematic sample of the table, every
``stride``-th id (probed through the primary key, so about ``sample_size`` rows are read
whatever the filter), and scaled up. The page then says "about".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import F, Lookup, Max, Min, QuerySet
from django.utils.functional import cached_property

# Sampled rows of the table past the limit: facets and counts from them are within a few per
# cent for values that hold a few per cent of the rows; rarer values may be missed.
DEFAULT_SAMPLE_SIZE = 2000


class AnyOf(Lookup):  # type: ignore[type-arg]
    """``column = ANY(%s)``, the values sent as one array: where ``pk__in=[...]`` makes Django
    prepare each of thousands of values one by one (a hundred milliseconds for 3,000), and
    PostgreSQL probes the index for each value either way."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value: Any, connection: Any) -> tuple[str, list[Any]]:
        return "%s", [list(value)]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def id_among(ids: Any) -> AnyOf:
    """A filter condition: the row's primary key is one of ``ids``."""
    return AnyOf(F("pk"), list(ids))


@dataclass(frozen=True)
class IdSample:
    """Every ``stride``-th id of a table from ``first`` to ``last``: a deterministic sample."""

    first: int
    last: int
    stride: int

    def condition(self) -> AnyOf:
        # An array of ids, probed through the primary key (a set-returning subquery would be
        # hashed first, three times slower).
        return id_among(range(self.first, self.last + 1, self.stride))

    def scale(self, n: int) -> int:
        return n * self.stride


@dataclass(frozen=True)
class BoundedCount:
    """How many rows: ``value`` is exact when ``exact``, else an estimate from a sample.

    ``ids`` are the rows counted (every row when exact, the sampled rows when not), for further
    counts by value (facets) that read only them; each of those stands for ``scale`` rows.
    """

    value: int
    exact: bool
    ids: tuple[int, ...] = ()
    scale: int = 1

    @property
    def shown(self) -> int:
        """The value to show: an estimate rounded to three significant figures."""
        return self.value if self.exact else round_estimate(self.value)


def round_estimate(value: int) -> int:
    if value < 1000:
        return value
    digits = int(math.log10(value)) + 1
    unit = 10 ** max(digits - 3, 0)
    return int(round(value / unit) * unit)


def id_sample(queryset: QuerySet[Any], size: int = DEFAULT_SAMPLE_SIZE) -> IdSample | None:
    """A sample of about ``size`` ids of the table of ``queryset``: one query (the primary key
    index's two ends)."""
    bounds = queryset.model._default_manager.order_by().aggregate(first=Min("pk"), last=Max("pk"))
    if bounds["first"] is None:
        return None
    first, last = int(bounds["first"]), int(bounds["last"])
    stride = max(1, math.ceil((last - first + 1) / max(size, 1)))
    return IdSample(first=first, last=last, stride=stride)


def bounded_count(
    queryset: QuerySet[Any],
    limit: int,
    sample_size: int = DEFAULT_SAMPLE_SIZE,
    *,
    with_ids: bool = True,
) -> BoundedCount:
    """The rows of ``queryset``: exact up to ``limit`` (one query, reading at most ``limit + 1``
    rows); past it, estimated from a sample of the table (two more), never below ``limit + 1``.
    ``with_ids``: keep the ids of the rows counted (for facets); else only count them."""
    rows = queryset.order_by().values_list("pk", flat=True)
    if with_ids:
        ids = tuple(rows[: limit + 1])
        found = len(ids)
    else:
        ids, found = (), rows[: limit + 1].count()
    if found <= limit:
        return BoundedCount(found, exact=True, ids=ids)
    sample = id_sample(queryset, sample_size)
    if sample is None:  # emptied since the first query
        return BoundedCount(0, exact=True)
    in_sample = rows.filter(sample.condition())
    if with_ids:
        ids = tuple(in_sample.distinct())
        found = len(ids)
    else:
        found = in_sample.count()
    return BoundedCount(
        max(sample.scale(found), limit + 1), exact=False, ids=ids, scale=sample.stride
    )


class EstimatedPage(Page):
    """A page of a list whose count is an estimate: whether a next page exists is known from one
    more row read with the page, not from the count."""

    more = False

    def has_next(self) -> bool:
        return self.more

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if len(self.object_list) else 0


class BoundedPaginator(Paginator):
    """A paginator whose count is exact up to ``limit`` and estimated past it (``bounded``).

    Past the limit, any page number may be asked for (the estimate may be short of the real
    count): a page past the end is empty (``EmptyPage``), and ``has_next`` comes from the rows.
    """

    def __init__(
        self, object_list: Any, per_page: int, *, limit: int, with_ids: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit
        self.with_ids = with_ids

    @cached_property
    def bounded(self) -> BoundedCount:
        queryset: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        return bounded_count(queryset, self.limit, with_ids=self.with_ids)

    @cached_property
    def count(self) -> int:
        return self.bounded.shown

    @property
    def count_is_exact(self) -> bool:
        return self.bounded.exact

    def validate_number(self, number: Any) -> int:
        if self.bounded.exact:
            return super().validate_number(number)
        try:
            return super().validate_number(number)
        except EmptyPage:
            # Past the estimated last page; ``page`` finds whether it holds rows.
            return int(number)

    def page(self, number: Any) -> Page:
        if self.bounded.exact:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        page = EstimatedPage(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        return page

    def get_page(self, number: Any) -> Page:
        try:
            return super().get_page(number)
        except EmptyPage:
            return self.page(1)
