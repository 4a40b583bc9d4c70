"""View guards. Every view of ours carries one, and a test checks that none is missing.

``public_view``: anyone may open the page; what it shows is scoped by a selector for the actor.
``member_view``: signed-in users only; anonymous visitors are sent to the login page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required

F = TypeVar("F", bound=Callable[..., Any])


def public_view(view: F) -> F:
    view.policy_guard = "public"  # type: ignore[attr-defined]
    return view


def member_view(view: F) -> F:
    guarded = login_required(view)
    guarded.policy_guard = "member"  # type: ignore[attr-defined]
    return guarded  # type: ignore[return-value]
