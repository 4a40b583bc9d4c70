"""Which rows are demo data: ``DemoRecord`` lists them, and ``delete_marked`` removes them.

A reset deletes the marked rows of one model at a time, with Django's rules: what cascades from a
demo row (a recommendation's texts and links, a user's memberships) goes with it, a reference a
real row holds through ``SET_NULL`` is cleared. A demo row that a row outside the demo still
needs (a ``PROTECT`` or ``RESTRICT`` reference: a real document in a demo review cycle, a real
cluster led by a demo institution) is kept, with its mark, and counted as kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models

from tracker.models import DemoRecord

M = TypeVar("M", bound=models.Model)


def _content_type(model: type[models.Model]) -> ContentType:
    return ContentType.objects.get_for_model(model, for_concrete_model=False)


def mark(objects: Iterable[models.Model], *, step: str) -> int:
    """Record saved rows as demo data; a row marked already stays as it is. Returns how many."""
    rows = [
        DemoRecord(content_type=_content_type(type(obj)), object_id=obj.pk, step=step)
        for obj in objects
    ]
    DemoRecord.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def mark_ids(model: type[models.Model], ids: Iterable[int], *, step: str) -> int:
    content_type = _content_type(model)
    rows = [DemoRecord(content_type=content_type, object_id=pk, step=step) for pk in ids]
    DemoRecord.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def marked_ids(model: type[models.Model]) -> models.QuerySet[DemoRecord, Any]:
    return DemoRecord.objects.filter(content_type=_content_type(model)).values("object_id")


def marked(model: type[M]) -> models.QuerySet[M]:
    """The demo rows of ``model``."""
    return model._default_manager.filter(pk__in=marked_ids(model))


def _held(model: type[models.Model], ids: set[int]) -> set[int]:
    """The rows among ``ids`` that another row refers to through PROTECT or RESTRICT."""
    held: set[int] = set()
    for relation in model._meta.related_objects:
        if relation.many_to_many or relation.on_delete not in (models.PROTECT, models.RESTRICT):
            continue
        field = relation.field
        held.update(
            relation.related_model._base_manager.filter(**{f"{field.name}__in": ids})  # type: ignore[union-attr]
            .values_list(field.attname, flat=True)
            .distinct()
        )
    return held


def delete_marked(model: type[models.Model]) -> tuple[int, int]:
    """Delete the demo rows of ``model``; ``(deleted, kept)``. Rows that other rows still need
    are kept (see the module docstring). Rows that refer to one another (an institution and its
    parent) go in rounds, those nothing refers to first."""
    content_type = _content_type(model)
    marks = DemoRecord.objects.filter(content_type=content_type)
    ids = set(
        model._base_manager.filter(pk__in=marks.values("object_id")).values_list("pk", flat=True)
    )
    deleted = 0
    while ids:
        free = ids - _held(model, ids)
        if not free:
            break
        model._base_manager.filter(pk__in=free).delete()
        deleted += len(free)
        ids -= free
    # Marks of deleted rows, and of rows deleted since by other means.
    marks.exclude(object_id__in=ids).delete()
    return deleted, len(ids)
