"""Every list endpoint's default ordering, and the cursor pages' ordering, is backed by an index.

At 268,000 recommendations, a list whose ``ORDER BY`` no index starts with sorts the whole table
for each page. For each list endpoint of the API router this reads the ordering of the queryset the
endpoint lists (as the secretariat, who sees every row), follows it to the table of its leading
columns, and asks the database catalog (``pg_index``, through Django's introspection) for an index
whose first columns are those: the columns of the ordering that are on that table, in order, up to
the first that is not (``-publication_date, symbol`` on documents, ``updated_at, id``).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import F, Model, OrderBy, QuerySet
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from tracker.api.filters import has_updated_at
from tracker.api.pagination import SyncCursorPagination
from tracker.urls import api_router

pytestmark = pytest.mark.django_db


def _names(queryset: QuerySet[Any]) -> list[str]:
    """The ordering of ``queryset`` as field paths, ``-`` for descending (``-document__date``)."""
    query = queryset.query
    ordering: list[Any] = list(query.order_by) or (
        list(query.get_meta().ordering) if query.default_ordering else []
    )
    names = []
    for item in ordering:
        if isinstance(item, str):
            names.append(item.lstrip("?"))
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            names.append(("-" if item.descending else "") + item.expression.name)
        else:  # an expression (a rank, a Coalesce): not a column an index could hold
            break
    return names


def _column(model: type[Model], path: str) -> tuple[str, str]:
    """The table and column a field path ends on, following foreign keys and a Meta ordering."""
    parts = path.lstrip("-").split("__")
    for part in parts[:-1]:
        model = model._meta.get_field(part).related_model  # type: ignore[assignment]
    field = model._meta.get_field("id" if parts[-1] == "pk" else parts[-1])
    if field.is_relation and not field.concrete:  # pragma: no cover - not in our orderings
        raise AssertionError(path)
    if field.is_relation and field.related_model is not None and not parts[-1].endswith("_id"):
        column = field.column  # the foreign key's own column (document_id), as Django orders it
    else:
        column = field.column
    return model._meta.db_table, column


def leading_columns(model: type[Model], names: list[str]) -> tuple[str, list[str]]:
    """The table of the first ordering column and its columns, in order, while they stay on it
    (``-`` before a descending one)."""
    table, first = _column(model, names[0])
    columns = [("-" if names[0].startswith("-") else "") + first]
    for name in names[1:]:
        other_table, column = _column(model, name)
        if other_table != table:
            break
        columns.append(("-" if name.startswith("-") else "") + column)
    return table, columns


def index_prefixes(table: str) -> list[list[str]]:
    """The columns of each B-tree index of ``table`` (``-`` before a descending one)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    found = []
    for c in constraints.values():
        if not c["columns"] or not (c["index"] or c["unique"] or c["primary_key"]):
            continue
        if c.get("type") not in (None, "btree", "idx"):
            continue
        orders = c.get("orders") or ["ASC"] * len(c["columns"])
        found.append(
            [
                ("-" if order == "DESC" else "") + col
                for col, order in zip(c["columns"], orders, strict=True)
            ]
        )
    return found


def _flipped(columns: list[str]) -> list[str]:
    return [c[1:] if c.startswith("-") else "-" + c for c in columns]


def covered(table: str, columns: list[str]) -> bool:
    """An index starts with ``columns``, in their directions or all reversed (scanned backwards)."""
    return any(
        index[: len(columns)] in (columns, _flipped(columns)) for index in index_prefixes(table)
    )


def list_querysets(secretariat: Any) -> list[tuple[str, QuerySet[Any]]]:
    factory = APIRequestFactory()
    found = []
    for prefix, viewset, basename in api_router.registry:
        if not hasattr(viewset, "list"):
            continue
        request = Request(factory.get(f"/api/v1/{prefix}/"))
        request.user = secretariat
        view = viewset(request=request, format_kwarg=None, action="list", kwargs={})
        view.args = ()
        view.headers = {}
        found.append((basename, view.get_queryset()))
    return found


def test_every_list_endpoints_default_ordering_is_backed_by_an_index(secretariat: Any) -> None:
    querysets = list_querysets(secretariat)
    assert len(querysets) > 20  # every list of the API, not a few
    missing = []
    for basename, queryset in querysets:
        names = _names(queryset)
        assert names, f"{basename}: no ordering (pages would shift between requests)"
        table, columns = leading_columns(queryset.model, names)
        if not covered(table, columns):
            missing.append(f"{basename}: {queryset.model.__name__} {table}({', '.join(columns)})")
    assert missing == [], "\n".join(missing)


def test_cursor_ordering_is_backed_by_an_index(secretariat: Any) -> None:
    names = list(SyncCursorPagination.ordering)
    missing = []
    for basename, queryset in list_querysets(secretariat):
        if not has_updated_at(queryset.model):
            continue
        table, columns = leading_columns(queryset.model, names)
        if not covered(table, columns):
            missing.append(f"{basename}: {table}({', '.join(columns)})")
    assert missing == [], "\n".join(missing)


def test_the_check_finds_an_ordering_without_an_index() -> None:
    """The check can fail: no index of the recommendations table starts with its text fields."""
    from recommendations.models import Recommendation

    table, columns = leading_columns(Recommendation, ["position_source", "id"])
    assert (table, columns) == ("recommendations_recommendation", ["position_source", "id"])
    assert not covered(table, columns)
    assert covered("recommendations_recommendation", ["id"])
    assert covered("recommendations_recommendation", ["-id"])
    # A two-column index in one direction does not serve an ordering of mixed directions.
    assert covered("recommendations_recommendation", ["document_id", "paragraph_sort"])
    assert not covered("recommendations_recommendation", ["document_id", "-paragraph_sort"])
