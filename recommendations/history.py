"""The activity log of a recommendation, read from the audit events (django-pghistory)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pghistory.models import Events

from .models import Recommendation

HISTORY_LIMIT = 100


@dataclass
class HistoryEntry:
    at: datetime
    model: str
    label: str
    actor: str
    action: str
    changes: dict[str, Any]


def recommendation_history(recommendation: Recommendation) -> list[HistoryEntry]:
    """Newest first: changes to the recommendation, its texts and its tags, with who and why."""
    events = Events.objects.references(recommendation).order_by("-pgh_created_at", "-pgh_id")[
        :HISTORY_LIMIT
    ]
    entries = []
    for event in events:
        context = event.pgh_context or {}
        entries.append(
            HistoryEntry(
                at=event.pgh_created_at,
                model=event.pgh_model.rsplit(".", 1)[-1].removesuffix("Event"),
                label=event.pgh_label,
                actor=context.get("username") or "",
                action=context.get("action") or context.get("url") or "",
                changes=event.pgh_diff or {},
            )
        )
    return entries
