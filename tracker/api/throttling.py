"""Request limits: anonymous clients by address, API keys by key (and a browser session by its
user). The rates are read from the settings at each request (``TRACKER_API_THROTTLE_ANON``,
``TRACKER_API_THROTTLE_KEY``; empty: no limit). Past the limit the answer is 429 with
``Retry-After``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from tracker.models import ApiKey

if TYPE_CHECKING:  # DRF loads this module from its settings, before its views exist.
    from rest_framework.request import Request
    from rest_framework.views import APIView


class _SettingsRateThrottle(SimpleRateThrottle):
    setting = ""

    def __init__(self) -> None:
        # SimpleRateThrottle reads its rate once, from DRF's settings; ours may change (tests).
        pass

    def allow_request(self, request: Request, view: APIView) -> bool:
        self.rate = getattr(settings, self.setting) or None
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonymousThrottle(_SettingsRateThrottle):
    scope = "anon"
    setting = "TRACKER_API_THROTTLE_ANON"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class KeyThrottle(_SettingsRateThrottle):
    scope = "key"
    setting = "TRACKER_API_THROTTLE_KEY"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        key = request.auth
        ident = f"key-{key.pk}" if isinstance(key, ApiKey) else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
