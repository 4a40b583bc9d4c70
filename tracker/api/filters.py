"""Filters every list shares: ``updated_since`` (ISO 8601), for clients that keep a copy."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import make_aware
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request
from rest_framework.views import APIView

PARAMETER = "updated_since"
# Moments outside these are brought back to them: no row changed before or after, and
# PostgreSQL's and Python's ranges differ at the edges.
FIRST = datetime(1900, 1, 1, tzinfo=UTC)
LAST = datetime(9998, 12, 31, tzinfo=UTC)


def has_updated_at(model: type[Model] | None) -> bool:
    return model is not None and any(f.name == "updated_at" for f in model._meta.get_fields())


def _model(view: APIView) -> type[Model] | None:
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model  # type: ignore[no-any-return]
    serializer = getattr(view, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def _moment(raw: str) -> datetime | None:
    """The moment a client gave: a date and time (without a zone: the site's), or a date.
    Moments before ``FIRST`` are taken as ``FIRST`` (nothing changed earlier), after ``LAST`` as
    ``LAST`` (nothing changed later): any well-formed moment is answered."""
    try:
        moment = parse_datetime(raw)
        if moment is None and (day := parse_date(raw)) is not None:
            moment = datetime.combine(day, time.min)
    except ValueError:  # well formed, but no such day or hour
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = (
            make_aware(moment)
            if FIRST.year < moment.year < LAST.year
            else moment.replace(tzinfo=UTC)
        )
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:  # an offset that takes it past the first or last year
        return FIRST if moment.year <= FIRST.year else LAST
    return min(max(moment, FIRST), LAST)


class UpdatedSinceFilter(BaseFilterBackend):
    """``updated_since=2027-01-31T12:00:00Z`` (or a date): the rows changed at or after it,
    on every list whose rows record their last change. A value that is not a date is a 400."""

    def filter_queryset(
        self, request: Request, queryset: QuerySet[Any], view: APIView
    ) -> QuerySet[Any]:
        raw = request.query_params.get(PARAMETER)
        if raw is None or not has_updated_at(queryset.model):
            return queryset
        moment = _moment(raw)
        if moment is None:
            raise exceptions.ValidationError(
                {PARAMETER: ["Give a date or a date and time in ISO 8601, e.g. 2027-01-31T12:00Z."]}
            )
        return queryset.filter(updated_at__gte=moment)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        if not has_updated_at(_model(view)):
            return []
        return [
            {
                "name": PARAMETER,
                "required": False,
                "in": "query",
                "description": "Only the rows changed at or after this moment (ISO 8601).",
                "schema": {"type": "string", "format": "date-time"},
            }
        ]
