"""The plans API: national frameworks and their goals."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from plans import filters, policies, selectors, services
from plans.models import (
    NationalFramework,
    NationalGoal,
)

from . import serializers as s
from .base import ServiceViewSet
from .docs import ERRORS, writes

# --- national frameworks ------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        request=s.NationalFrameworkSerializer,
        responses={201: s.NationalFrameworkSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "A national development plan",
                value={
                    "name": "Vision 2030, fourth medium-term plan",
                    "kind": "development_plan",
                    "starts_on": "2023-07-01",
                    "ends_on": "2027-06-30",
                    "is_active": True,
                },
                request_only=True,
            )
        ],
    ),
)
class NationalFrameworkViewSet(ServiceViewSet[NationalFramework]):
    """The national frameworks beside the SDGs: public; the secretariat keeps them."""

    serializer_class = s.NationalFrameworkSerializer
    input_serializer_class = s.NationalFrameworkSerializer
    write_checks = writes(policies.can_edit_frameworks)
    object_checks = writes(policies.can_edit_frameworks)
    filterset_fields = ["kind", "is_active"]

    def selector(self) -> QuerySet[NationalFramework]:
        return selectors.framework_queryset(actor=self.actor)

    def service_create(self, data: dict[str, Any]) -> NationalFramework:
        return services.national_framework_create(actor=self.actor, **data)

    def service_update(self, obj: NationalFramework, data: dict[str, Any]) -> NationalFramework:
        return services.national_framework_update(actor=self.actor, framework=obj, **data)

    def service_delete(self, obj: NationalFramework) -> None:
        services.national_framework_delete(actor=self.actor, framework=obj)


@extend_schema_view(
    create=extend_schema(
        request=s.NationalGoalInputSerializer,
        responses={201: s.NationalGoalSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "A goal",
                value={
                    "framework": 1,
                    "parent": None,
                    "code": "2.1",
                    "title": "Access to justice for all",
                    "recommendations": [101],
                },
                request_only=True,
            )
        ],
    ),
    partial_update=extend_schema(
        request=s.NationalGoalUpdateInputSerializer,
        responses={200: s.NationalGoalSerializer, **ERRORS},
    ),
    update=extend_schema(
        request=s.NationalGoalUpdateInputSerializer,
        responses={200: s.NationalGoalSerializer, **ERRORS},
    ),
)
class NationalGoalViewSet(ServiceViewSet[NationalGoal]):
    """The goals of the national frameworks, a tree each (``parent``), with the recommendations
    each goal serves."""

    serializer_class = s.NationalGoalSerializer
    input_serializer_class = s.NationalGoalInputSerializer
    update_serializer_class = s.NationalGoalUpdateInputSerializer
    filterset_class = filters.NationalGoalFilter
    write_checks = writes(policies.can_edit_frameworks)
    object_checks = writes(policies.can_edit_frameworks)

    def selector(self) -> QuerySet[NationalGoal]:
        return selectors.goal_queryset(actor=self.actor)

    def service_create(self, data: dict[str, Any]) -> NationalGoal:
        return services.national_goal_create(actor=self.actor, **data)

    def service_update(self, obj: NationalGoal, data: dict[str, Any]) -> NationalGoal:
        return services.national_goal_update(actor=self.actor, goal=obj, **data)

    def service_delete(self, obj: NationalGoal) -> None:
        services.national_goal_delete(actor=self.actor, goal=obj)
