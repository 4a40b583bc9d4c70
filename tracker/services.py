"""Writes of the core: accounts, institutions and memberships, by the secretariat; operator
rights, by operators. Every function checks its policy and runs inside an audit context.

The secretariat's pages (``tracker/views.py``) call these; so does the admin, for operator rights
only (``tracker/admin.py``). Nobody gets a password from here: a new account has none, and its
owner sets one through "Forgotten your password?".
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction

from . import policies
from .audit import audited
from .exceptions import ApplicationError
from .models import Institution, Membership, User
from .policies import Actor


@audited
@transaction.atomic
def user_create(*, actor: Actor, username: str, name: str, email: str) -> User:
    """Make an account with no password and no role (add memberships next).

    Raises ``PermissionDenied`` unless the actor manages users, ``ApplicationError`` when the
    user name is taken."""
    policies.ensure_can_manage_users(actor)
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(
            "This user name is taken.", {"fields": {"username": ["This user name is taken."]}}
        )
    user = User(username=username, name=name, email=email)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@audited
@transaction.atomic
def user_update(*, actor: Actor, user: User, name: str, email: str, is_active: bool) -> User:
    """Change a person's name, e-mail address, or whether the account may sign in.

    An operator's account is changed by operators only (``policies.can_manage_user``); the
    secretariat cannot deactivate its own account (nobody would be left to turn it back on)."""
    policies.ensure_can_manage_user(actor, user)
    if actor is not None and actor.pk == user.pk and not is_active:
        raise ApplicationError("You cannot deactivate your own account.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if (user.name, user.email, user.is_active) == (name, email, is_active):
        return user
    user.name, user.email, user.is_active = name, email, is_active
    user.full_clean()
    user.save(update_fields=["name", "email", "is_active"])
    return user


@audited
@transaction.atomic
def user_set_operator_rights(
    *,
    actor: Actor,
    user: User,
    is_active: bool,
    is_staff: bool,
    is_superuser: bool,
    groups: Iterable[Group],
) -> User:
    """Change an account's operator rights (the admin's user page). Operators only.

    Raises ``PermissionDenied`` for anyone else, ``ApplicationError`` when an operator would take
    their own rights away (the last one could lock everybody out of the admin)."""
    policies.ensure_is_operator(actor)
    if actor is not None and actor.pk == user.pk and not (is_superuser and is_active):
        raise ApplicationError("You cannot take away your own operator rights.")
    user = User.objects.select_for_update().get(pk=user.pk)
    user.is_active, user.is_staff, user.is_superuser = is_active, is_staff, is_superuser
    user.save(update_fields=["is_active", "is_staff", "is_superuser"])
    user.groups.set(list(groups))
    return user


@audited
@transaction.atomic
def membership_add(*, actor: Actor, user: User, institution: Institution, role: str) -> Membership:
    """Give a person a role in an institution; the existing membership if they hold it."""
    policies.ensure_can_manage_user(actor, user)
    membership, _created = Membership.objects.get_or_create(
        user=user, institution=institution, role=role
    )
    return membership


@audited
@transaction.atomic
def membership_remove(*, actor: Actor, membership: Membership) -> None:
    """Take a role away. The audit keeps the membership's history."""
    policies.ensure_can_manage_user(actor, membership.user)
    if actor is not None and membership.user_id == actor.pk and membership.role == "secretariat":
        remaining = actor.memberships.filter(role="secretariat").exclude(pk=membership.pk)
        if not remaining.exists() and not actor.is_superuser:
            raise ApplicationError("You cannot take away your own last secretariat role.")
    membership.delete()


@audited
@transaction.atomic
def institution_create(
    *,
    actor: Actor,
    name: str,
    acronym: str,
    kind: str,
    parent: Institution | None = None,
    website: str = "",
) -> Institution:
    """Add an institution to the directory."""
    policies.ensure_can_manage_users(actor)
    institution = Institution(name=name, acronym=acronym, kind=kind, parent=parent, website=website)
    institution.full_clean()
    institution.save()
    return institution


@audited
@transaction.atomic
def institution_update(
    *,
    actor: Actor,
    institution: Institution,
    name: str,
    acronym: str,
    kind: str,
    parent: Institution | None,
    website: str,
    is_active: bool,
) -> Institution:
    """Change an institution; inactive ones leave the public directory but keep their history."""
    policies.ensure_can_manage_users(actor)
    if parent is not None and parent.pk == institution.pk:
        raise ApplicationError(
            "An institution cannot be its own parent.",
            {"fields": {"parent": ["An institution cannot be its own parent."]}},
        )
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    institution.name, institution.acronym, institution.kind = name, acronym, kind
    institution.parent, institution.website, institution.is_active = parent, website, is_active
    institution.full_clean()
    institution.save()
    return institution
