"""Security events: who signed in, who failed, who was locked out, what was refused.

Each event is one line of the logger ``tracker.security`` with the fields ``event``, ``user``,
``ip`` and ``path`` (and more for some events), written as ``key=value`` in the message and set on
the log record as attributes, so that a log shipper can read them either way. The password typed
is never logged; a failed sign-in names the user name that was tried.

Events: ``login`` (signed in), ``login_failed`` (a wrong user name or password), ``lockout``
(too many failures: django-axes refuses the user name from that address), ``logout``,
``forbidden`` (a 403, page or API), ``csrf_failure`` (a form or API call without its token, or
with another's), ``upload_refused`` (an upload past the limit), ``mfa_required`` (a person who
must use two-factor sign-in and has not set it up was sent to the set-up page), ``api_key_created``
and ``api_key_revoked`` (by the secretariat or the command line), ``api_key_refused`` (an API
call with an unknown, expired or revoked key).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("tracker.security")

FIELDS = ("event", "user", "ip", "path")


def client_ip(request: HttpRequest | None) -> str:
    """The address of the client. Behind the trusted proxy (``TRACKER_TRUSTED_PROXY``) that is
    the last address of ``X-Forwarded-For``, the one the proxy itself appended; the addresses
    before it are whatever the client claimed. Otherwise the peer of the connection."""
    if request is None:
        return ""
    if settings.TRACKER_TRUSTED_PROXY:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if hops:
            return hops[-1]
    return str(request.META.get("REMOTE_ADDR", ""))


def _username(request: HttpRequest | None, user: Any) -> str:
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return "-"
    return str(user.get_username())


def log_event(
    event: str,
    *,
    request: HttpRequest | None = None,
    user: Any = None,
    username: str | None = None,
    level: int = logging.INFO,
    **fields: Any,
) -> None:
    """Write one security event. ``username`` names an account that is not signed in (a failed
    sign-in); otherwise ``user`` or the request's user is named."""
    record: dict[str, Any] = {
        "event": event,
        "user": username if username is not None else _username(request, user),
        "ip": client_ip(request),
        "path": request.path if request is not None else "",
        **fields,
    }
    message = " ".join(f"{key}={json.dumps(value, default=str)}" for key, value in record.items())
    logger.log(level, message, extra={"security": record, **{k: record[k] for k in FIELDS}})


@receiver(user_logged_in, dispatch_uid="tracker.security.logged_in")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    log_event("login", request=request, user=user)
    if request is not None and hasattr(request, "session"):
        from .auth import note_activity

        note_activity(request)


@receiver(user_logged_out, dispatch_uid="tracker.security.logged_out")
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    log_event("logout", request=request, user=user)


@receiver(user_login_failed, dispatch_uid="tracker.security.login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    tried = credentials.get("username") or credentials.get("email") or credentials.get("login")
    log_event("login_failed", request=request, username=str(tried or ""), level=logging.WARNING)


def _locked_out(
    sender: Any, request: HttpRequest | None, username: str | None, ip_address: str, **kwargs: Any
) -> None:
    log_event("lockout", request=request, username=str(username or ""), level=logging.WARNING)


def connect_signals() -> None:
    """Connect what cannot be connected at import time (django-axes' signal needs its app)."""
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="tracker.security.locked_out")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 403 page (``handler403``), logged."""
    log_event("forbidden", request=request, level=logging.WARNING, reason=str(exception or ""))
    template = loader.get_template("403.html")
    return HttpResponseForbidden(template.render(request=request))


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The page of a refused form (``CSRF_FAILURE_VIEW``): the 403 page, logged with the reason."""
    log_event("csrf_failure", request=request, level=logging.WARNING, reason=reason)
    template = loader.get_template("403_csrf.html")
    return HttpResponseForbidden(template.render({"reason": reason}, request=request))
