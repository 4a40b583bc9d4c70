"""The API's filter backend: django-filter's, with one difference. A filter naming a row that does
not exist (``theme=99999``, ``mechanism=XYZ``) matches nothing: the answer is an empty list, not a
400, since the request is well formed. Values of the wrong type (``theme=abc``) remain a 400 with
the parameter named."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.request import Request
from rest_framework.views import APIView

# The codes of a choice that is well formed but names no row.
UNKNOWN = {"invalid_choice", "invalid_list"}


def _only_unknown_rows(form: Any) -> bool:
    """Whether every error says that a choice among rows names no row (not a fixed choice)."""
    errors = form.errors.as_data()
    return bool(errors) and all(
        isinstance(form.fields.get(name), ModelChoiceField) and error.code in UNKNOWN
        for name, field_errors in errors.items()
        for error in field_errors
    )


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(
        self, request: Request, queryset: QuerySet[Any], view: APIView
    ) -> QuerySet[Any]:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not (
            set(request.query_params) & set(filterset_class.base_filters)
        ):
            # No filter named: the filter set would change nothing, and building its form and
            # its fields' choices costs more than a detail's own queries.
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            if _only_unknown_rows(filterset.form):
                return queryset.none()
            raise utils.translate_validation(filterset.errors)
        return filterset.qs  # type: ignore[no-any-return]
