"""The reporting API: the paragraphs a committee selected for follow-up, read by those who see the
reporting calendar and written by the secretariat, through the same services as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from plans.api.base import ServiceViewSet
from plans.api.docs import ERRORS, writes
from reporting import policies, selectors, services
from reporting.models import FollowUpSelection
from tracker.policies import Actor

from . import serializers as s


@extend_schema_view(
    list=extend_schema(
        description="The follow-up selections, for the secretariat and the institutions."
    ),
    create=extend_schema(
        request=s.FollowUpSelectionInputSerializer,
        responses={201: s.FollowUpSelectionSerializer, **ERRORS},
        description="The secretariat records the paragraphs a treaty body selected for "
        "follow-up in its concluding observations (`document`), with the reply's due date; "
        "the reply appears on the reporting calendar. One selection per document.",
        examples=[
            OpenApiExample(
                "A selection",
                value={"document": 7, "recommendations": [101, 108], "due_on": "2026-06-01"},
                request_only=True,
            )
        ],
    ),
    update=extend_schema(
        request=s.FollowUpSelectionUpdateSerializer,
        responses={200: s.FollowUpSelectionSerializer, **ERRORS},
    ),
    partial_update=extend_schema(
        request=s.FollowUpSelectionUpdateSerializer,
        responses={200: s.FollowUpSelectionSerializer, **ERRORS},
    ),
    destroy=extend_schema(responses={204: None, **ERRORS}),
)
class FollowUpSelectionViewSet(ServiceViewSet[FollowUpSelection]):
    serializer_class = s.FollowUpSelectionSerializer
    input_serializer_class = s.FollowUpSelectionInputSerializer
    update_serializer_class = s.FollowUpSelectionUpdateSerializer
    write_checks = writes(policies.can_edit_follow_up)
    object_checks = writes(policies.can_edit_follow_up)

    def read_allowed(self, actor: Actor) -> bool:
        return policies.can_view_calendar(actor)

    def selector(self) -> QuerySet[FollowUpSelection]:
        return selectors.follow_up_selection_list(actor=self.actor)

    def service_create(self, data: dict[str, Any]) -> FollowUpSelection:
        return services.follow_up_selection_create(actor=self.actor, **data)

    def service_update(self, obj: FollowUpSelection, data: dict[str, Any]) -> FollowUpSelection:
        return services.follow_up_selection_update(actor=self.actor, selection=obj, **data)

    def service_delete(self, obj: FollowUpSelection) -> None:
        services.follow_up_selection_delete(actor=self.actor, selection=obj)
