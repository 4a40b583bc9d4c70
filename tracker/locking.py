"""Optimistic locking: an editable record counts its changes in a version column; whoever saves
it says which version they read, and a save from a stale version is refused with a clear
message, writing nothing. Two people editing the same record never silently overwrite each
other: the second is told to reload and redo their change.

The services call ``ensure_current`` on the row they locked (``select_for_update``) and
``bump`` before saving. The pages answer ``StaleVersionError`` with 409; the API with 409, or
412 when the version came in an ``If-Match`` header (``ETag`` on reads).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from .exceptions import ConflictError


class StaleVersionError(ConflictError):
    """The record changed since the client read it."""


def lock_field(obj: models.Model) -> str | None:
    """The name of the model's version column, or ``None`` for a model without one."""
    return getattr(type(obj), "LOCK_FIELD", None)


def ensure_current(obj: models.Model, expected: int | None) -> None:
    """Raise ``StaleVersionError`` when ``expected`` (the version the client read) is not the
    record's; ``None`` means the client did not say (a service called by the system)."""
    field = lock_field(obj)
    if expected is None or field is None:
        return
    current = getattr(obj, field)
    if int(expected) != current:
        raise StaleVersionError(
            _(
                "Someone else changed this record while you were editing it (you read "
                "version %(expected)s, it is now at version %(current)s). Nothing was saved: "
                "reload it, then make your change again."
            )
            % {"expected": expected, "current": current},
            {"code": "stale_version", "expected": int(expected), "current": current},
        )


def bump(obj: models.Model) -> list[str]:
    """Count one more change of ``obj``; the names of the fields to save with it."""
    field = lock_field(obj)
    if field is None:
        return []
    setattr(obj, field, getattr(obj, field) + 1)
    return [field]


def etag(obj: models.Model) -> str:
    field = lock_field(obj)
    return f'"{getattr(obj, field) if field else 0}"'


def version_from_if_match(header: Any) -> int | None:
    """The version an ``If-Match`` header names ("3", '"3"' or 'W/"3"'); ``None`` when absent
    or not a version (``*`` matches any)."""
    if not header:
        return None
    match = re.fullmatch(r'\s*(?:W/)?"?([0-9]{1,9})"?\s*', str(header))
    return int(match[1]) if match else None
