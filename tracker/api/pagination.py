"""Pagination of the API's lists.

Every list pages by number (``page``, ``page_size``, with a ``count``) for people and small
clients. The large lists (recommendations, measures, …) also page by cursor for systems that keep
a copy: a request with ``cursor`` (empty for the first page) or ``updated_since`` is answered in
the order of the last change (``updated_at``, then ``id``), with ``next`` and ``previous`` links
that stay right while rows change, and no count, which costs a scan of the whole list.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from rest_framework import pagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.counting import BoundedPaginator

from .filters import has_updated_at


class _Paginator(BoundedPaginator):
    def __init__(self, object_list: Any, per_page: int, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, limit=settings.TRACKER_FACET_EXACT_LIMIT, **kwargs)


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages by number. Past ``TRACKER_FACET_EXACT_LIMIT`` rows the ``count`` is an estimate
    (``count_is_exact`` false): counting a long list exactly reads all of it for every page;
    ``next`` then comes from the rows themselves, so a client paging to the end misses nothing."""

    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = _Paginator

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None  # noqa: S101 (paginate_queryset made it)
        paginator = self.page.paginator
        exact = not isinstance(paginator, BoundedPaginator) or paginator.count_is_exact
        return Response(
            {
                "count": paginator.count,
                "count_is_exact": exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count_is_exact"] = {
            "type": "boolean",
            "description": (
                "False when the list is longer than the server counts exactly: `count` is then "
                "an estimate (follow `next` to the end)."
            ),
        }
        return described


class SyncCursorPagination(pagination.CursorPagination):
    ordering = ("updated_at", "id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


SYNC_PARAMETERS = ("cursor", "updated_since")


class SyncPagination(pagination.BasePagination):
    """Page numbers, or cursors when the request asks for them (``cursor``, ``updated_since``)
    and the rows record their last change."""

    def __init__(self) -> None:
        self.by_number = PageNumberPagination()
        self.by_cursor = SyncCursorPagination()
        self.chosen: pagination.BasePagination = self.by_number

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        wants_cursor = has_updated_at(queryset.model) and any(
            name in request.query_params for name in SYNC_PARAMETERS
        )
        self.chosen = self.by_cursor if wants_cursor else self.by_number
        return self.chosen.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        return self.chosen.get_paginated_response(data)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described = self.by_number.get_paginated_response_schema(schema)
        described["properties"]["count"]["description"] = "Absent when paging by cursor."
        described["properties"]["count_is_exact"]["description"] += " Absent when paging by cursor."
        described["required"] = ["results"]
        return described

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            *self.by_number.get_schema_operation_parameters(view),
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": (
                    "Page by cursor, in the order of the last change (updated_at, id): empty for "
                    "the first page, then the value from `next`. Stable while rows change; no "
                    "`count`."
                ),
                "schema": {"type": "string"},
            },
        ]
