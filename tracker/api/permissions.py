"""DRF permission classes that delegate to the policy functions, as the pages do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.views import APIView

from tracker.policies import Actor, as_actor


def policy_permission(check: Callable[[Actor], bool]) -> type[permissions.BasePermission]:
    """A permission class allowing the request when ``check(actor)`` is true."""

    class PolicyPermission(permissions.BasePermission):
        def has_permission(self, request: Request, view: APIView) -> bool:
            return check(as_actor(request.user))

        def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
            return check(as_actor(request.user))

    PolicyPermission.__name__ = f"Policy_{check.__name__}"
    return PolicyPermission
