"""Serializer fields of the plans API: references to rows the caller may see, checked in one
query however many are given."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from plans.filters import MAX_ID
from tracker.policies import Actor, as_actor

Scope = Callable[[Actor], QuerySet[Any]]


def _actor(field: serializers.Field[Any, Any, Any, Any]) -> Actor:
    request = field.context.get("request")
    return as_actor(request.user if request is not None else None)


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField[Any]):
    """A row by id, among those ``scope(actor)`` gives: one the caller may not see is refused
    as if it did not exist."""

    def __init__(self, scope: Scope, **kwargs: Any) -> None:
        self.scope = scope
        kwargs.setdefault("queryset", scope(None).none())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return self.scope(_actor(self))

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            pk = int(data)
        except ValueError:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= pk <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(pk)


class IdListField(serializers.ListField):  # type: ignore[type-arg]
    """A list of rows by id (or by another unique field, ``slug_field``), checked in one query;
    gives their ids. Unknown ones, or ones the caller may not see, are named in the error."""

    default_error_messages = {"unknown": _("Unknown: {values}.")}

    def __init__(self, scope: Scope, slug_field: str = "pk", **kwargs: Any) -> None:
        self.scope = scope
        self.slug_field = slug_field
        if slug_field == "pk":
            kwargs.setdefault("child", serializers.IntegerField(min_value=1, max_value=MAX_ID))
        else:
            kwargs.setdefault("child", serializers.CharField(max_length=100))
        kwargs.setdefault("max_length", 5000)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[int]:
        values = list(dict.fromkeys(super().to_internal_value(data)))
        if not values:
            return []
        found = dict(
            self.scope(_actor(self))
            .filter(**{f"{self.slug_field}__in": values})
            .values_list(self.slug_field, "pk")
        )
        missing = [str(v) for v in values if v not in found]
        if missing:
            self.fail("unknown", values=", ".join(missing[:20]))
        return [found[v] for v in values]

    def to_representation(self, data: Any) -> list[Any]:
        return [
            getattr(item, self.slug_field) if isinstance(item, Model) else item
            for item in data.all()
        ]
