"""Every unsafe route refuses a forged request under session authentication.

The walk takes every URL pattern of the site (``tests.pages.url_patterns``: pages, the API,
django-allauth's pages, the admin), fills its arguments, and sends POST, PUT, PATCH and DELETE
from a signed-in browser (an operator for the admin, the secretariat elsewhere):

- without a CSRF token (each of the four methods): refused (403, and a ``csrf_failure`` security
  event);
- with the token of another session (an attacker's own, sent with the victim's cookie): refused;
- with the session's own token (the control): not refused for CSRF, so the walk does reach the
  check and is not vacuous.

A new route joins by existing: nothing to register. A route that must do without the check
(a webhook signed otherwise) would have to be listed in ``EXEMPT`` with the reason; there is none.
"""

from __future__ import annotations

import logging
import re

import pytest
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import Resolver404, resolve

from tests.conftest import sign_in
from tests.pages import url_patterns
from tracker.models import User

pytestmark = pytest.mark.django_db

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
EXEMPT: dict[str, str] = {}
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
GROUP = re.compile(r"\(\?P<(\w+)>([^)]*)\)")
SAMPLE = {
    "int": "1",
    "path": "1",
    "str": "x",
    "slug": "x",
    "uuid": "00000000-0000-0000-0000-000000000001",
    "drf_format_suffix": ".json",
}


def concrete(route: str) -> str | None:
    """A path that the route matches: arguments filled with sample values."""
    groups = {"provider_id": "government", "format": "json", "code": "16.3", "pk": "1"}
    path = GROUP.sub(
        lambda m: groups.get(m.group(1), "1" if m.group(2) == "[0-9]+" else "1-x"), route
    ).replace("/?", "/")
    path = CONVERTER.sub(lambda m: SAMPLE.get(m.group(1) or "str", "x"), path)
    path = "/" + path.replace("^", "").replace("$", "").replace("\\", "")
    try:
        resolve(path)
    except Resolver404:
        return None
    return path


def routes() -> list[tuple[str, str]]:
    found = []
    for name, route in url_patterns():
        path = concrete(route)
        assert path is not None, f"cannot fill the route {route!r} ({name}): add a sample"
        if name not in EXEMPT:
            found.append((name, path))
    return found


ROUTES = routes()


def _browser(user: User | None) -> Client:
    """A browser that enforces CSRF, signed in as ``user``, holding a CSRF cookie of its own."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        sign_in(client, user)
    client.cookies[settings.CSRF_COOKIE_NAME] = _get_new_csrf_string()
    return client


def _refused_for_csrf(response, caplog) -> bool:
    events = [r for r in caplog.records if getattr(r, "event", None) == "csrf_failure"]
    caplog.clear()
    return response.status_code == 403 and bool(events)


def _send(client: Client, method: str, path: str, token: str | None):
    headers = {"HTTP_X_CSRFTOKEN": token} if token else {}
    return client.generic(method, path, b"", content_type="application/json", **headers)


def test_the_walk_covers_pages_api_sign_in_and_admin():
    names = {name for name, _ in ROUTES}
    assert {
        "recommendations:import-list",
        "tracker:membership-remove",
        "account_login",
        "mfa_activate_totp",
        "api:import-run-list",
        "api:import-run-apply",
        "admin:recommendations_recommendation_delete",
    } <= names
    assert len(ROUTES) > 100


def test_every_unsafe_route_refuses_a_missing_or_foreign_token(secretariat, caplog):
    caplog.set_level(logging.INFO, logger="tracker.security")
    operator = User.objects.create_superuser("operator", "operator@example.org", "x" * 20)
    victims = {"site": _browser(secretariat), "admin": _browser(operator)}
    # The controls, in browsers of their own: a control request may sign its browser out
    # (logout), which changes nothing for the check (CSRF is checked signed in or not).
    controls = {"site": _browser(secretariat), "admin": _browser(operator)}
    attackers_token = _get_new_csrf_string()  # from the attacker's own session
    failures = []
    for name, path in ROUTES:
        who = operator if name.startswith("admin:") else secretariat
        victim = victims["admin" if who is operator else "site"]
        failures += [
            f"{name} {path}: {method} without a token was not refused"
            for method in UNSAFE
            if not _refused_for_csrf(_send(victim, method, path, None), caplog)
        ]
        if not _refused_for_csrf(_send(victim, "POST", path, attackers_token), caplog):
            failures.append(f"{name} {path}: POST with another session's token was not refused")
        control = controls["admin" if who is operator else "site"]
        own = control.cookies[settings.CSRF_COOKIE_NAME].value
        if _refused_for_csrf(_send(control, "POST", path, own), caplog):
            failures.append(f"{name} {path}: POST with its own token was refused (a vacuous walk)")
    assert not failures, "\n".join(failures)
