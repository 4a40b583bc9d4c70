"""The plans API: indicators and their values."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from plans import filters, policies, selectors, services
from plans.models import (
    Indicator,
    IndicatorValue,
)

from . import serializers as s
from .base import ServiceViewSet
from .docs import ERRORS, FROZEN, writes

# --- indicators ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        description="Indicators of the measures and recommendations you see. `next_due_on`: "
        "the due date of the earliest period without a value (past: overdue); a period's value "
        "is due 30 days after it ends."
    ),
    create=extend_schema(
        request=s.IndicatorInputSerializer,
        responses={201: s.IndicatorSerializer, 409: FROZEN, **ERRORS},
        examples=[
            OpenApiExample(
                "An outcome indicator",
                value={
                    "measure": 12,
                    "name": "Share of pre-trial detainees in the prison population",
                    "kind": "outcome",
                    "unit": "%",
                    "baseline_value": "41.0",
                    "baseline_year": 2024,
                    "target_value": "25.0",
                    "target_year": 2029,
                    "frequency": "yearly",
                    "data_source": "Prison service annual statistics",
                    "disaggregation": ["sex", "age"],
                    "sdg_indicator": 233,
                },
                request_only=True,
            )
        ],
    ),
    partial_update=extend_schema(
        request=s.IndicatorUpdateInputSerializer,
        responses={200: s.IndicatorSerializer, 409: FROZEN, **ERRORS},
    ),
    update=extend_schema(
        request=s.IndicatorUpdateInputSerializer,
        responses={200: s.IndicatorSerializer, 409: FROZEN, **ERRORS},
    ),
    destroy=extend_schema(responses={204: None, 409: FROZEN, **ERRORS}),
)
class IndicatorViewSet(ServiceViewSet[Indicator]):
    serializer_class = s.IndicatorSerializer
    input_serializer_class = s.IndicatorInputSerializer
    update_serializer_class = s.IndicatorUpdateInputSerializer
    filterset_class = filters.IndicatorFilter
    write_checks = writes(policies.can_write_measure_parts)
    object_checks = writes(policies.can_edit_indicator)

    def selector(self) -> QuerySet[Indicator]:
        return selectors.indicator_queryset(actor=self.actor)

    def service_create(self, data: dict[str, Any]) -> Indicator:
        return services.indicator_create(actor=self.actor, **data)

    def service_update(self, obj: Indicator, data: dict[str, Any]) -> Indicator:
        return services.indicator_update(actor=self.actor, indicator=obj, **data)

    def service_delete(self, obj: Indicator) -> None:
        services.indicator_delete(actor=self.actor, indicator=obj)


@extend_schema_view(
    create=extend_schema(
        request=s.IndicatorValueInputSerializer,
        responses={201: s.IndicatorValueSerializer, 409: FROZEN, **ERRORS},
        examples=[
            OpenApiExample(
                "Women, third quarter",
                value={
                    "indicator": 31,
                    "period": "2027-Q3",
                    "value": "37.5",
                    "disaggregation": {"sex": "female"},
                    "source": "Prison service",
                },
                request_only=True,
            )
        ],
        description="The secretariat records values while the plan is a draft or adopted; "
        "a closed plan takes no more (409). The period follows the indicator's frequency.",
    ),
    partial_update=extend_schema(
        request=s.IndicatorValueUpdateInputSerializer,
        responses={200: s.IndicatorValueSerializer, 409: FROZEN, **ERRORS},
    ),
    update=extend_schema(
        request=s.IndicatorValueUpdateInputSerializer,
        responses={200: s.IndicatorValueSerializer, 409: FROZEN, **ERRORS},
    ),
    destroy=extend_schema(responses={204: None, 409: FROZEN, **ERRORS}),
)
class IndicatorValueViewSet(ServiceViewSet[IndicatorValue]):
    serializer_class = s.IndicatorValueSerializer
    input_serializer_class = s.IndicatorValueInputSerializer
    update_serializer_class = s.IndicatorValueUpdateInputSerializer
    filterset_class = filters.IndicatorValueFilter
    write_checks = writes(policies.can_record_indicator_value)
    object_checks = writes(lambda actor, obj: policies.can_record_indicator_value(actor))

    def selector(self) -> QuerySet[IndicatorValue]:
        return selectors.indicator_value_queryset(actor=self.actor)

    def service_create(self, data: dict[str, Any]) -> IndicatorValue:
        return services.indicator_value_create(actor=self.actor, **data)

    def service_update(self, obj: IndicatorValue, data: dict[str, Any]) -> IndicatorValue:
        return services.indicator_value_update(actor=self.actor, indicator_value=obj, **data)

    def service_delete(self, obj: IndicatorValue) -> None:
        services.indicator_value_delete(actor=self.actor, indicator_value=obj)
