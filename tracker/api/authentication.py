"""API keys: ``Authorization: Token <key>`` (django-rest-knox, ``tracker.models.ApiKey``)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework import exceptions, permissions
from rest_framework.authentication import SessionAuthentication, get_authorization_header

from tracker.models import ApiKey, ApiKeyScope
from tracker.security import log_event

if TYPE_CHECKING:  # DRF loads this module from its settings, before its views exist.
    from rest_framework.request import Request

# The last use of a key is written at most this often: a busy client costs no write per request.
LAST_USE_PRECISION = timedelta(minutes=1)
READ_ONLY = "This API key may only read: its scope is 'read'."


class ApiKeyAuthentication(TokenAuthentication):
    """Knox's token check, with the key's last use recorded and refusals logged as security
    events (``api_key_refused``). An expired key is deleted by knox and refused. A ``read`` key
    reads and never writes: any other method is a 403, whatever the view."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = get_authorization_header(request)
        if "HTTP_AUTHORIZATION" in request.META and not header.lower().startswith(b"token "):
            # Only API keys are accepted in this header: anything else is refused, not ignored.
            log_event("api_key_refused", request=request._request)
            raise exceptions.AuthenticationFailed("Send an API key as: Authorization: Token <key>.")
        try:
            found = super().authenticate(request)
        except exceptions.AuthenticationFailed:
            log_event("api_key_refused", request=request._request)
            raise
        if found is None:
            return None
        user, key = found
        if key.scope != ApiKeyScope.WRITE and request.method not in permissions.SAFE_METHODS:
            # Here rather than in a permission class: a view's own permission_classes cannot
            # forget it.
            log_event("forbidden", request=request._request, user=user, reason="read key")
            raise exceptions.PermissionDenied(READ_ONLY)
        return user, key

    def validate_user(self, auth_token: ApiKey) -> tuple[Any, ApiKey]:
        user, key = super().validate_user(auth_token)
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USE_PRECISION:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
            key.last_used_at = now
        return user, key


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """How the schema tells clients to send a key: ``Authorization: Token <key>``."""

    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An API key made by the secretariat, sent as `Token <key>`.",
        }


class BrowserSessionAuthentication(SessionAuthentication):
    """The browser's session (with its CSRF token), unless the request carries an
    ``Authorization`` header: then the header alone decides, so a wrong key is refused even from a
    signed-in browser."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        if "HTTP_AUTHORIZATION" in request.META:
            return None
        return super().authenticate(request)  # type: ignore[no-any-return]
