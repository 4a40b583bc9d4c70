from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "SITE_NAME": settings.SITE_NAME,
        # The login page says when two-factor sign-in is off (the local demo).
        "REQUIRE_MFA": settings.TRACKER_REQUIRE_MFA,
        "LOCKOUT_MINUTES": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }


def csp_nonce(request: HttpRequest) -> dict[str, object]:
    """The request's Content-Security-Policy nonce, as ``csp_nonce`` (the name django-htmx's
    ``{% htmx_script %}`` and Django 6's own CSP support read). It is made only if a template uses
    it; the middleware then names it in the header. Empty for a request that did not pass
    through the middleware (a template rendered by hand)."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
