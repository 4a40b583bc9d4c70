"""Shared permission helpers. Each app's ``policies.py`` builds its rules on these.

An actor is a signed-in ``User`` or ``None`` for the public. Superusers are operators: they pass every
check, as the Django admin expects.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from .models import User
from .roles import Role

Actor = User | None


def as_actor(user: Any) -> Actor:
    """Turn ``request.user`` into an actor: ``None`` for anonymous visitors."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    return user  # type: ignore[no-any-return]


def is_operator(actor: Actor) -> bool:
    return actor is not None and actor.is_active and actor.is_superuser


def has_role(actor: Actor, *roles: str) -> bool:
    return actor is not None and actor.is_active and actor.has_role(*roles)


def is_secretariat(actor: Actor) -> bool:
    return is_operator(actor) or has_role(actor, Role.SECRETARIAT)


def can_manage_users(actor: Actor) -> bool:
    return is_secretariat(actor)


def ensure(allowed: bool, message: str = "You are not allowed to do this.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def can_manage_user(actor: Actor, user: User) -> bool:
    """Whether ``actor`` may change this account on the secretariat's pages. An operator's account
    (a superuser) is changed by operators only: otherwise the secretariat could change its e-mail
    address and take it over through a password reset."""
    return can_manage_users(actor) and (not user.is_superuser or is_operator(actor))


def ensure_can_manage_users(actor: Actor) -> None:
    ensure(can_manage_users(actor), "Only the secretariat manages users and institutions.")


def ensure_can_manage_user(actor: Actor, user: User) -> None:
    ensure(can_manage_user(actor, user), "Only an operator changes an operator's account.")


def ensure_is_operator(actor: Actor) -> None:
    ensure(is_operator(actor), "Only an operator changes operator rights.")
