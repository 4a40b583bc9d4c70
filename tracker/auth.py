"""Sign-in rules on top of django-allauth: no self-service sign-up, two-factor sign-in required
for the roles that see drafts or approve, and the client's address as the proxy reports it.

Accounts are made by the secretariat (``tracker.services.user_create``); a person sets their
password through "Forgotten your password?". Single sign-on (OpenID Connect, optional) signs in
the account whose e-mail address the identity provider has verified, and makes none.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from .roles import Role
from .security import client_ip, log_event

# The roles whose members must sign in with a second factor (DESIGN.md §6), besides operators.
MFA_ROLES = (Role.SECRETARIAT, Role.VALIDATOR)
# What a person who must set up two-factor sign-in may still open: the set-up pages, signing out,
# the language switch, and the health check.
MFA_SETUP_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "set_language",
        "healthz",
        "readyz",
    }
)


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up: the secretariat makes accounts."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_ip(request) or "0.0.0.0"  # noqa: S104 (a placeholder, nothing listens)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on signs in existing accounts only (matched on a verified e-mail address)."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False


def must_use_mfa(user: Any) -> bool:
    """Whether this signed-in person must use two-factor sign-in: operators (superusers), the
    secretariat and validators, when ``TRACKER_REQUIRE_MFA`` is on."""
    if not settings.TRACKER_REQUIRE_MFA or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.has_role(*MFA_ROLES))


def has_authenticator_app(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def needs_mfa_setup(user: Any) -> bool:
    """Whether this person must use two-factor sign-in and has not set it up yet."""
    return must_use_mfa(user) and not has_authenticator_app(user)


def _url_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


class MfaRequiredMiddleware:
    """Sends a person who must use two-factor sign-in and has not set it up to the set-up page,
    from every page but the set-up pages themselves; the API answers 403. Once set up, allauth
    asks for a code at every sign-in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.TRACKER_REQUIRE_MFA
            and user is not None
            and user.is_authenticated
            and _url_name(request) not in MFA_SETUP_URL_NAMES
            and needs_mfa_setup(user)
        ):
            log_event("mfa_required", request=request)
            message = _(
                "Your role needs two-factor sign-in. Set up an authenticator app to continue."
            )
            if request.path_info.startswith("/api/"):
                return JsonResponse({"message": message, "extra": {}}, status=403)
            messages.warning(request, message)
            return redirect("mfa_activate_totp")
        return self.get_response(request)


# --- Idle sessions -----------------------------------------------------------------------------

ACTIVITY_KEY = "_tracker_activity"
# A session's expiry is pushed back at most this often: a save per request would cost three
# queries on every page, and the idle time is counted in minutes anyway.
ACTIVITY_STEP_SECONDS = 60


def note_activity(request: HttpRequest) -> None:
    """Mark the session active now: saved with it, its expiry becomes now + the idle time."""
    request.session[ACTIVITY_KEY] = int(time.time())


class SessionIdleMiddleware:
    """Sessions end after ``TRACKER_SESSION_IDLE_MINUTES`` without a request: each request
    (at most once a minute) pushes the session's expiry back by that much. The database row's
    expiry decides, whatever the browser keeps; the cookie itself lasts until the browser closes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            seen = session.get(ACTIVITY_KEY)
            if not isinstance(seen, int) or time.time() - seen >= ACTIVITY_STEP_SECONDS:
                note_activity(request)
        return self.get_response(request)
