"""The core's demo step: institutions, one account per role with its membership, a superuser.

The content is ``content/people.yaml``. Accounts that exist already (matched on the username)
keep their password and rights; institutions are matched on their name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tracker.models import Institution, InstitutionKind, Membership, User
from tracker.roles import Role

from .datafiles import ContentError, mapping, read_yaml, text
from .steps import DemoContext, DemoLogin, register

CONTENT = Path(__file__).parent / "content" / "people.yaml"
# Shown on the login table and in the docs. It protects nothing: the command refuses to load demo
# data where DEBUG is off unless TRACKER_DEMO_DATA_ALLOWED says otherwise.
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (a documented demo password, not a secret)
LOGIN_URL = "http://127.0.0.1:8000/accounts/login/"


@dataclass(frozen=True)
class InstitutionSpec:
    name: str
    acronym: str
    kind: str
    parent: str | None


@dataclass(frozen=True)
class AccountSpec:
    username: str
    name: str
    role: str  # tracker.roles.Role; "" for the superuser
    institution: str  # "" for the superuser


@dataclass(frozen=True)
class People:
    institutions: tuple[InstitutionSpec, ...]
    users: tuple[AccountSpec, ...]
    superuser: AccountSpec


@cache
def people() -> People:
    """The content of ``people.yaml``, checked: kinds and roles exist, parents and the users'
    institutions are listed."""
    data = mapping(
        read_yaml(CONTENT), CONTENT.name, required=["institutions", "users", "superuser"]
    )
    institutions: list[InstitutionSpec] = []
    for n, item in enumerate(data["institutions"]):
        where = f"{CONTENT.name}: institutions[{n}]"
        item = mapping(item, where, required=["name", "kind"], optional=["acronym", "parent"])
        spec = InstitutionSpec(
            text(item["name"], where),
            str(item.get("acronym") or ""),
            item["kind"],
            item.get("parent"),
        )
        if spec.kind not in InstitutionKind.values:
            raise ContentError(f"{where}: unknown kind {spec.kind!r}.")
        if spec.parent is not None and spec.parent not in {i.name for i in institutions}:
            raise ContentError(f"{where}: the parent {spec.parent!r} is not listed before it.")
        institutions.append(spec)
    names = {i.name for i in institutions}
    users: list[AccountSpec] = []
    for n, item in enumerate(data["users"]):
        where = f"{CONTENT.name}: users[{n}]"
        item = mapping(item, where, required=["username", "name", "role", "institution"])
        account = AccountSpec(
            *(text(item[key], where) for key in ("username", "name", "role", "institution"))
        )
        if account.role not in Role.values:
            raise ContentError(f"{where}: unknown role {account.role!r}.")
        if account.institution not in names:
            raise ContentError(f"{where}: the institution {account.institution!r} is not listed.")
        users.append(account)
    where = f"{CONTENT.name}: superuser"
    item = mapping(data["superuser"], where, required=["username", "name"])
    superuser = AccountSpec(text(item["username"], where), text(item["name"], where), "", "")
    return People(tuple(institutions), tuple(users), superuser)


@register("people", order=100, marks=(Institution, User, Membership), summary_order=900)
def load_people(context: DemoContext) -> None:
    content = people()
    with context.audit():
        institutions = _institutions(context, content)
        context.logins.extend(_accounts(context, content, institutions))
    context.count("institutions", len(institutions))
    usernames = [u.username for u in (*content.users, content.superuser)]
    context.count("users", User.objects.filter(username__in=usernames).count(), label="demo users")


def _institutions(context: DemoContext, content: People) -> dict[str, Institution]:
    found = {
        i.name: i
        for i in Institution.objects.filter(name__in=[spec.name for spec in content.institutions])
    }
    new = []
    for spec in content.institutions:  # parents are listed before their children
        if spec.name not in found:
            found[spec.name] = Institution.objects.create(
                name=spec.name,
                acronym=spec.acronym,
                kind=spec.kind,
                parent=found[spec.parent] if spec.parent else None,
            )
            new.append(found[spec.name])
    context.mark(new)
    context.created["institutions"] += len(new)
    return found


def _accounts(
    context: DemoContext, content: People, institutions: dict[str, Institution]
) -> list[DemoLogin]:
    """One user per role and a superuser; existing accounts keep their password and rights."""
    accounts = _Accounts(context)
    logins = []
    for spec in content.users:
        user = accounts.get_or_create(spec)
        membership, created = Membership.objects.get_or_create(
            user=user, institution=institutions[spec.institution], role=spec.role
        )
        if created:
            context.mark([membership])
            context.created["memberships"] += 1
        logins.append(
            DemoLogin(spec.username, DEMO_PASSWORD, str(Role(spec.role).label), spec.institution)
        )
    accounts.get_or_create(content.superuser, superuser=True)
    logins.append(
        DemoLogin(content.superuser.username, DEMO_PASSWORD, "superuser (Django admin)", "—")
    )
    return logins


class _Accounts:
    def __init__(self, context: DemoContext) -> None:
        self.context = context
        self._password_hash: str | None = None

    def get_or_create(self, spec: AccountSpec, *, superuser: bool = False) -> User:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(
                username=spec.username,
                name=spec.name,
                email=f"{spec.username}@example.org",
                is_staff=superuser,
                is_superuser=superuser,
            )
            self._set_demo_password(user)
            user.save()
            self.context.mark([user])
            self.context.created["users"] += 1
        elif not user.has_usable_password():
            self._set_demo_password(user)
            user.save(update_fields=["password"])
        return user

    def _set_demo_password(self, user: User) -> None:
        """Hash the demo password once and give every demo account the same hash.

        One PBKDF2 hash costs about a second with the production hasher, which would make the
        load seven times slower; sharing the salt reveals nothing as the password is published.
        """
        if self._password_hash is None:
            user.set_password(DEMO_PASSWORD)
            self._password_hash = user.password
        else:
            user.password = self._password_hash
