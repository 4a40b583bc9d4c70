"""Writes of the core: accounts, institutions and memberships, by the secretariat; operator
rights, by operators. Every function checks its policy and runs inside an audit context.

The secretariat's pages (``tracker/views.py``) call these; so does the admin, for operator rights
only (``tracker/admin.py``). Nobody gets a password from here: a new account has none, and its
owner sets one through "Forgotten your password?".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from knox.models import get_digest_token
from knox.settings import CONSTANTS as KNOX

from . import policies
from .audit import audited
from .exceptions import ApplicationError
from .models import ApiKey, ApiKeyScope, Institution, Membership, User
from .policies import Actor
from .security import log_event


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


@audited
@transaction.atomic
def api_key_create(
    *,
    actor: Actor,
    user: User,
    scope: str,
    name: str,
    days: int | None = None,
    as_system: bool = False,
) -> tuple[ApiKey, str]:
    """Make an API key for ``user`` (a person or a service account): the key acts as that user,
    seeing what it sees, and only reads unless ``scope`` is ``write``. Returns the stored key and
    the secret itself, which is shown once and stored only as a hash. Expires after ``days``
    (default ``TRACKER_API_KEY_DAYS``).

    ``as_system``: the command line (``create_api_key``), run by whoever runs the server, makes
    the key without a secretariat account."""
    if not as_system:
        policies.ensure_can_manage_users(actor)
        policies.ensure_can_manage_user(actor, user)
    errors: dict[str, list[str]] = {}
    if scope not in ApiKeyScope.values:
        errors["scope"] = [f"Choose one of: {', '.join(ApiKeyScope.values)}."]
    if days is not None and not 1 <= days <= 3650:
        errors["days"] = ["Between 1 and 3650 days."]
    if not name.strip():
        errors["name"] = ["Give the key a name that says who uses it."]
    if not user.is_active:
        errors["user"] = ["This account cannot sign in: it cannot have a key."]
    if errors:
        raise ApplicationError("The key was not made.", {"fields": errors})
    lifetime = timedelta(days=days if days is not None else settings.TRACKER_API_KEY_DAYS)
    digest, secret = get_digest_token()
    key = ApiKey.objects.create(
        digest=digest,
        token_key=secret[: KNOX.TOKEN_KEY_LENGTH],
        user=user,
        expiry=timezone.now() + lifetime,
        name=name.strip()[:100],
        scope=scope,
        created_by=actor,
    )
    log_event("api_key_created", user=actor, owner=user.username, key=key.token_key)
    return key, secret


@audited
@transaction.atomic
def api_key_revoke(*, actor: Actor, key: ApiKey) -> None:
    """Revoke a key at once: its row goes, so it matches nothing."""
    policies.ensure_can_manage_users(actor)
    policies.ensure_can_manage_user(actor, key.user)
    log_event("api_key_revoked", user=actor, owner=key.user.username, key=key.token_key)
    key.delete()
