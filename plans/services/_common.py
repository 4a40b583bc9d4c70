"""What the plan services share: checking the names and values of the fields they are given,
writing only what differs, and setting many-to-many links by difference.

These helpers are private (the audit test lists every public function of a services module):
each service calls them inside its own audit context.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Iterable, Mapping
from datetime import date
from typing import Any, TypeVar

import nh3
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker import locking
from tracker.exceptions import ApplicationError

M = TypeVar("M", bound=models.Model)


def _today() -> date:
    return timezone.localdate()


def _plain(text: str) -> str:
    """Untrusted text as plain text: every tag removed (nh3), whitespace trimmed. nh3 gives
    HTML (``&`` as ``&amp;``, ``<`` as ``&lt;``): it is read back to the characters typed, so
    that the pages, which escape what they show, show "a < b & c" and not "a &lt; b &amp; c"."""
    cleaned = nh3.clean(str(text or ""), tags=set(), attributes={}, strip_comments=True)
    return html.unescape(cleaned).strip()


def _split(
    changes: Mapping[str, Any], fields: Collection[str], links: Collection[str] = ()
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split ``changes`` into field values and many-to-many links; an unknown name is refused
    (a programming error of the caller, not the user's: no field to report it on)."""
    unknown = sorted(set(changes) - set(fields) - set(links))
    if unknown:
        raise ApplicationError(_("Not a field that can be set here: %s.") % ", ".join(unknown))
    return (
        {name: value for name, value in changes.items() if name in fields},
        {name: value for name, value in changes.items() if name in links},
    )


def _assign(obj: models.Model, values: Mapping[str, Any]) -> list[str]:
    """Set the attributes that differ; the names of those changed (for ``update_fields``)."""
    changed = []
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            current = getattr(obj, field.attname)
            wanted = value.pk if isinstance(value, models.Model) else value
            if current != wanted:
                setattr(obj, name, value)
                changed.append(name)
        elif getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _errors(exc: ValidationError) -> ApplicationError:
    """Django's validation errors as the one shape the interfaces report: fields and messages."""
    if hasattr(exc, "error_dict"):
        fields = {
            ("non_field_errors" if name == NON_FIELD_ERRORS else name): list(messages)
            for name, messages in exc.message_dict.items()
        }
    else:
        fields = {"non_field_errors": list(exc.messages)}
    return ApplicationError(_("Some values are not valid."), {"fields": fields})


def _invalid(fields: Mapping[str, list[str]]) -> ApplicationError:
    return ApplicationError(_("Some values are not valid."), {"fields": dict(fields)})


def _validate(obj: models.Model, *, only: Collection[str] | None = None) -> None:
    """``full_clean`` of the fields in ``only`` (all of them when ``None``), as an
    ``ApplicationError`` with the fields. Constraints are checked by the services themselves,
    which name the field at fault, and by the database."""
    exclude = None
    if only is not None:
        exclude = [f.name for f in obj._meta.concrete_fields if f.name not in only]
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise _errors(exc) from None


def _check_dates(
    values: Mapping[str, Any], errors: dict[str, list[str]], start: str, end: str
) -> None:
    starts_on, ends_on = values.get(start), values.get(end)
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        errors.setdefault(end, []).append(_("The end comes before the start."))


def _ids(objs: Iterable[Any]) -> set[int]:
    return {obj.pk if isinstance(obj, models.Model) else int(obj) for obj in objs}


def _set_links(obj: models.Model, links: Mapping[str, Iterable[Any]]) -> bool:
    """Set many-to-many links (objects or ids) by difference: only the links added and removed
    are written. Whether anything changed."""
    changed = False
    for name, wanted in links.items():
        manager = getattr(obj, name)
        wanted_ids = _ids(wanted)
        current = set(manager.values_list("pk", flat=True))
        if current - wanted_ids:
            manager.remove(*(current - wanted_ids))
            changed = True
        if wanted_ids - current:
            manager.add(*(wanted_ids - current))
            changed = True
    return changed


def _save(obj: models.Model, changed: list[str]) -> None:
    """Save the changed fields (and the time of the change); nothing when nothing changed. A
    record with a version column (``tracker.locking``) counts the change."""
    if changed:
        fields = {f.name for f in obj._meta.concrete_fields}
        bumped = [name for name in locking.bump(obj) if name not in changed]
        obj.save(
            update_fields=[
                *changed,
                *bumped,
                *(["updated_at"] if "updated_at" in fields else []),
            ]
        )


def _clone(obj: M, **overrides: Any) -> M:
    """An unsaved copy of ``obj`` (its concrete fields, without its key and time stamps)."""
    model = type(obj)
    values = {
        f.attname: getattr(obj, f.attname)
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in ("created_at", "updated_at")
    }
    values.update(overrides)
    return model(**values)
