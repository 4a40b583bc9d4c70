"""Audit context: every service runs inside one so that history events carry who and why.

django-pghistory records each insert, update and delete of a tracked model with database triggers, so
bulk writes and raw SQL are captured too. The context attached here (acting user, action name and any
extra keys such as an import run) is stored with every event written inside the block.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pghistory

if TYPE_CHECKING:
    from .models import User


@contextmanager
def audit_context(*, actor: User | None, action: str, **extra: Any) -> Iterator[None]:
    """Attach the acting user and the action name to every history event written inside the block."""
    with pghistory.context(
        user=actor.pk if actor is not None else None,
        username=actor.get_username() if actor is not None else None,
        action=action,
        **extra,
    ):
        yield
