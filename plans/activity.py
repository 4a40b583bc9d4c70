"""The activity feed of a recommendation or a measure, read from the audit events (pghistory):
who did what, when, through which action. The secretariat and the State institutions read
every event that touches the item (its own and those of rows that point at it: measures,
reports, comments…); everyone else reads the item's own events, with the names of the fields
that changed but not their values (drafts and pending comments stay private)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Model
from pghistory.models import Events

from tracker.policies import Actor, has_role, is_secretariat
from tracker.roles import INSTITUTION_ROLES


@dataclass
class Activity:
    at: datetime
    model: str
    object_id: str | None
    event: str
    action: str
    actor: str | None
    fields: list[str]


def activity_events(*, actor: Actor, obj: Model) -> Any:
    """The events of the feed, newest first (a queryset: the caller pages it)."""
    full = is_secretariat(actor) or has_role(actor, *INSTITUTION_ROLES)
    events = Events.objects.references(obj) if full else Events.objects.tracks(obj)
    return events.order_by("-pgh_created_at", "-pgh_id")


def as_activity(event: Any) -> Activity:
    context = event.pgh_context or {}
    diff = event.pgh_diff or {}
    fields = sorted(k for k in diff if k not in ("updated_at", "version", "revision"))
    return Activity(
        at=event.pgh_created_at,
        model=str(event.pgh_model).rsplit(".", 1)[-1].removesuffix("Event"),
        object_id=str(event.pgh_obj_id) if event.pgh_obj_id is not None else None,
        event=event.pgh_label,
        action=str(context.get("action") or ""),
        actor=context.get("username"),
        fields=fields,
    )
