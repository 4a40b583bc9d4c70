"""The plumbing the plans API's viewsets share: a permission class that asks the policies for
each action, and a viewset whose writes go through the services.

A read is scoped by the viewset's queryset (a selector): what the caller may not see is a 404.
A write is first asked of the policy for the action (``write_checks``: may this person do this
kind of thing at all?), then, on the object found, of the object's policy (``object_checks``):
a refusal is a 403 and nothing is written. The service checks again, and adds the rules that
are not about people (the frozen rule: 409).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

from django.db.models import Model, QuerySet
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.locking import StaleVersionError, etag, lock_field, version_from_if_match
from tracker.policies import Actor, as_actor

M = TypeVar("M", bound=Model)
R = TypeVar("R")


class ActionPolicy(permissions.BasePermission):
    """Delegates to the view's ``read_allowed``, ``write_checks`` and ``object_checks``."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        actor = as_actor(request.user)
        if request.method in permissions.SAFE_METHODS:
            read: Callable[[Actor], bool] | None = getattr(view, "read_allowed", None)
            return read is None or read(actor)
        check = getattr(view, "write_checks", {}).get(getattr(view, "action", None))
        return check is not None and bool(check(actor))

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        check = getattr(view, "object_checks", {}).get(getattr(view, "action", None))
        return check is None or bool(check(as_actor(request.user), obj))


class ServiceViewSet(viewsets.ModelViewSet[M]):
    """A viewset whose reads come from a selector and whose writes call a service.

    Subclasses set ``serializer_class`` (the output), ``input_serializer_class`` (and
    ``update_serializer_class`` when an update accepts less), the checks, and implement
    ``service_create``, ``service_update`` and ``service_delete``.
    """

    permission_classes = [ActionPolicy]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    input_serializer_class: ClassVar[type[serializers.BaseSerializer[Any]]]
    update_serializer_class: ClassVar[type[serializers.BaseSerializer[Any]] | None] = None
    write_checks: ClassVar[Mapping[str, Callable[[Actor], bool]]] = {}
    object_checks: ClassVar[Mapping[str, Callable[[Actor, Any], bool]]] = {}

    def read_allowed(self, actor: Actor) -> bool:
        """Whether ``actor`` may read this kind of row at all (which rows: the selector)."""
        return True

    @property
    def actor(self) -> Actor:
        return as_actor(self.request.user)

    def selector(self) -> QuerySet[M]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[M]:
        return self.selector()

    def validated(
        self, serializer_class: type[serializers.BaseSerializer[Any]], *, partial: bool = False
    ) -> dict[str, Any]:
        payload = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        return dict(payload.validated_data)

    def output(self, obj: M, *, code: int = status.HTTP_200_OK) -> Response:
        """The row as stored, read again through the selector (its links as they are now)."""
        fresh = self.get_queryset().filter(pk=obj.pk).first() or obj
        return Response(self.get_serializer(fresh).data, status=code)

    def service_create(self, data: dict[str, Any]) -> M:
        raise NotImplementedError

    def service_update(self, obj: M, data: dict[str, Any]) -> M:
        raise NotImplementedError

    def service_delete(self, obj: M) -> None:
        raise NotImplementedError

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated(self.input_serializer_class)
        if self.lock_kwarg:
            data.pop(self.lock_kwarg, None)
        obj = self.service_create(data)
        return self.output(obj, code=status.HTTP_201_CREATED)

    # Optimistic locking (``tracker.locking``): the service's keyword for the version the client
    # read, for models that have one. It comes in the body or in an If-Match header (the ETag
    # of a read); a stale one is a 409, or a 412 when it came in If-Match.
    lock_kwarg: ClassVar[str | None] = None

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        response = Response(self.get_serializer(obj).data)
        if lock_field(obj):
            response["ETag"] = etag(obj)
        return response

    def locked(self, data: dict[str, Any], call: Callable[[dict[str, Any]], R]) -> R | Response:
        """Call ``call(data)`` with the version the client read; a stale one from If-Match is
        a 412 (from the body, the exception handler's 409)."""
        header = version_from_if_match(self.request.headers.get("If-Match"))
        if self.lock_kwarg and header is not None:
            data[self.lock_kwarg] = header
        try:
            return call(data)
        except StaleVersionError as exc:
            if header is None:
                raise
            return Response(
                {"message": exc.message, "extra": exc.extra},
                status=status.HTTP_412_PRECONDITION_FAILED,
            )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        serializer_class = self.update_serializer_class or self.input_serializer_class
        data = self.validated(serializer_class, partial=kwargs.get("partial", False))
        result = self.locked(data, lambda d: self.service_update(obj, d))
        if isinstance(result, Response):
            return result
        response = self.output(result)
        if lock_field(result):
            response["ETag"] = etag(result)
        return response

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.service_delete(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
