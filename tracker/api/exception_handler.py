"""One error shape for the whole API: ``{"message": ..., "extra": {"fields": {...}}}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from tracker.exceptions import ApplicationError, ConflictError
from tracker.security import log_event
from tracker.uploads import UploadTooLarge


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    request = context.get("request")
    if isinstance(exc, UploadTooLarge):
        # A body DRF read itself (methods other than POST) past TRACKER_UPLOAD_MAX_MB.
        log_event("upload_refused", request=request, limit_mb=exc.limit_mb)
        return Response(
            {"message": exc.message, "extra": {"limit_mb": exc.limit_mb}},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, ApplicationError):
        code = (
            status.HTTP_409_CONFLICT
            if isinstance(exc, ConflictError)
            else status.HTTP_400_BAD_REQUEST
        )
        return Response({"message": exc.message, "extra": exc.extra}, status=code)

    if isinstance(exc, exceptions.AuthenticationFailed) and _sent_a_key(request):
        # An API key that is unknown, expired or revoked: 401, asking for a key. (DRF answers 403
        # when the session, the first way to authenticate, asks for none.)
        return Response(
            {"message": str(exc.detail), "extra": {}},
            status=status.HTTP_401_UNAUTHORIZED,
            headers={"WWW-Authenticate": "Token"},
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if response.status_code == status.HTTP_403_FORBIDDEN:
        detail = str(getattr(exc, "detail", ""))
        event = "csrf_failure" if detail.startswith("CSRF Failed") else "forbidden"
        log_event(event, request=request, reason=detail)
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"message": "Validation error", "extra": {"fields": response.data}}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"message": str(response.data["detail"]), "extra": {}}
    return response


def _sent_a_key(request: Any) -> bool:
    return bool(request is not None and request.META.get("HTTP_AUTHORIZATION"))
