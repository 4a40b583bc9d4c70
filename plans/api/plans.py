"""The plans API: plans (adopt, close, new version), measures (proposals, accept, decline, the
SMART check), milestones and budget lines."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from plans import filters, policies, selectors, services
from plans.models import (
    BudgetLine,
    ImplementationPlan,
    Measure,
    Milestone,
)
from tracker.policies import Actor

from . import serializers as s
from .base import ServiceViewSet
from .docs import ERRORS, FROZEN, writes

# --- plans --------------------------------------------------------------------------------------

PLAN_EXAMPLE = OpenApiExample(
    "A draft plan",
    value={
        "title": "National action plan on the UPR recommendations 2025-2029",
        "description": "",
        "starts_on": "2025-01-01",
        "ends_on": "2029-12-31",
    },
    request_only=True,
)


@extend_schema_view(
    list=extend_schema(
        summary="Plans",
        description="The secretariat sees every plan; focal points and validators also the "
        "drafts; everyone else (the public too) the adopted and closed plans.",
    ),
    create=extend_schema(
        request=s.PlanInputSerializer,
        responses={201: s.PlanSerializer, **ERRORS},
        examples=[PLAN_EXAMPLE],
        description="A new plan is a draft, version 1. The secretariat only.",
    ),
    update=extend_schema(
        request=s.PlanInputSerializer, responses={200: s.PlanSerializer, 409: FROZEN, **ERRORS}
    ),
    partial_update=extend_schema(
        request=s.PlanInputSerializer, responses={200: s.PlanSerializer, 409: FROZEN, **ERRORS}
    ),
    destroy=extend_schema(
        description="A draft only; an adopted plan is never deleted (409).",
        responses={204: None, 409: FROZEN, **ERRORS},
    ),
)
class PlanViewSet(ServiceViewSet[ImplementationPlan]):
    serializer_class = s.PlanSerializer
    input_serializer_class = s.PlanInputSerializer
    filterset_class = filters.PlanFilter
    write_checks = writes(
        policies.can_create_plan, "adopt", "close", "new_version"
    )  # the secretariat
    object_checks = writes(policies.can_edit_plan, "adopt", "close", "new_version")
    lock_kwarg = "revision"

    def selector(self) -> QuerySet[ImplementationPlan]:
        return selectors.plan_queryset(actor=self.actor)

    def service_create(self, data: dict[str, Any]) -> ImplementationPlan:
        return services.plan_create(actor=self.actor, **data)

    def service_update(self, obj: ImplementationPlan, data: dict[str, Any]) -> ImplementationPlan:
        return services.plan_update(actor=self.actor, plan=obj, **data)

    def service_delete(self, obj: ImplementationPlan) -> None:
        services.plan_delete(actor=self.actor, plan=obj)

    @extend_schema(
        request=s.PlanAdoptInputSerializer,
        responses={
            200: s.PlanSerializer,
            409: OpenApiResponse(description="Closed, or proposals wait for an answer."),
            **ERRORS,
        },
        examples=[OpenApiExample("Adopted on", value={"adopted_on": "2025-03-01"})],
    )
    @action(detail=True, methods=["post"])
    def adopt(self, request: Request, pk: str | None = None) -> Response:
        """Adopt a draft plan: it is frozen from then on. Adopting a new version closes the
        version it was made from. Adopting an adopted plan again changes nothing."""
        plan = self.get_object()
        data = self.validated(s.PlanAdoptInputSerializer)
        return self.output(services.plan_adopt(actor=self.actor, plan=plan, **data))

    @extend_schema(
        request=s.PlanCloseInputSerializer,
        responses={200: s.PlanSerializer, 409: OpenApiResponse(description="A draft."), **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close an adopted plan: it stays readable and takes no more indicator values."""
        plan = self.get_object()
        data = self.validated(s.PlanCloseInputSerializer)
        return self.output(services.plan_close(actor=self.actor, plan=plan, **data))

    @extend_schema(
        request=None,
        responses={
            201: s.PlanSerializer,
            409: OpenApiResponse(description="A draft, or a newer version exists already."),
            **ERRORS,
        },
    )
    @action(detail=True, methods=["post"], url_path="new-version", url_name="new-version")
    def new_version(self, request: Request, pk: str | None = None) -> Response:
        """Make the next version of an adopted or closed plan: a draft copy of it with its
        measures, milestones, budget lines and indicators (with their values)."""
        plan = self.get_object()
        draft = services.plan_new_version(actor=self.actor, plan=plan)
        return self.output(draft, code=status.HTTP_201_CREATED)


# --- measures -----------------------------------------------------------------------------------

MEASURE_EXAMPLE = OpenApiExample(
    "A measure",
    value={
        "plan": 1,
        "title": "Table a bill on the independence of the judiciary",
        "description": "",
        "kind": "legislative",
        "recommendations": [101, 102],
        "lead_institution": 4,
        "supporting_institutions": [7],
        "starts_on": "2025-06-01",
        "ends_on": "2026-12-31",
        "status": "planned",
        "sdg_targets": ["16.3", "16.6"],
        "framework_goals": [2],
        "gender_marker": "significant",
        "technical_assistance": "Comparative review of judicial councils.",
        "expected_outcome": "A judicial council appoints judges.",
    },
    request_only=True,
)


def _may_write_measures(actor: Actor) -> bool:
    return policies.can_create_measure(actor) or policies.can_propose_measure(actor)


@extend_schema_view(
    list=extend_schema(
        summary="Measures",
        description="Measures of the plans you see (filter by `plan`); a focal point also sees "
        "its institution's measures of draft plans, its proposals included.",
    ),
    create=extend_schema(
        request=s.MeasureInputSerializer,
        responses={201: s.MeasureSerializer, 409: FROZEN, **ERRORS},
        examples=[MEASURE_EXAMPLE],
        description="The secretariat adds a measure to a draft plan; a focal point proposes one "
        "that its own institution leads (`lead_institution`), which the secretariat accepts or "
        "declines.",
    ),
    update=extend_schema(
        request=s.MeasureUpdateInputSerializer,
        responses={200: s.MeasureSerializer, 409: FROZEN, **ERRORS},
    ),
    partial_update=extend_schema(
        request=s.MeasureUpdateInputSerializer,
        responses={200: s.MeasureSerializer, 409: FROZEN, **ERRORS},
        description="A measure of an adopted or closed plan cannot be changed: 409.",
    ),
    destroy=extend_schema(responses={204: None, 409: FROZEN, **ERRORS}),
)
class MeasureViewSet(ServiceViewSet[Measure]):
    serializer_class = s.MeasureSerializer
    input_serializer_class = s.MeasureInputSerializer
    update_serializer_class = s.MeasureUpdateInputSerializer
    filterset_class = filters.MeasureFilter
    write_checks = {
        **writes(_may_write_measures),
        "accept": policies.can_review_measure,
        "decline": policies.can_review_measure,
        "smart_check": policies.can_review_measure,
    }
    object_checks = {
        **writes(policies.can_edit_measure),
        "accept": policies.can_review_measure,
        "decline": policies.can_review_measure,
        "smart_check": policies.can_review_measure,
    }
    lock_kwarg = "version"

    def selector(self) -> QuerySet[Measure]:
        return selectors.measure_queryset(actor=self.actor)

    def service_create(self, data: dict[str, Any]) -> Measure:
        plan = data.pop("plan")
        title = data.pop("title")
        if policies.can_create_measure(self.actor, plan):
            return services.measure_create(actor=self.actor, plan=plan, title=title, **data)
        lead = data.pop("lead_institution", None)
        if lead is None:
            raise ValidationError(
                {"lead_institution": ["A proposal names the institution that would lead it."]}
            )
        assert self.actor is not None  # noqa: S101 (the permission class let only focal points in)
        return services.measure_propose(
            actor=self.actor, plan=plan, title=title, lead_institution=lead, **data
        )

    def service_update(self, obj: Measure, data: dict[str, Any]) -> Measure:
        return services.measure_update(actor=self.actor, measure=obj, **data)

    def service_delete(self, obj: Measure) -> None:
        services.measure_delete(actor=self.actor, measure=obj)

    @extend_schema(request=None, responses={200: s.MeasureSerializer, 409: FROZEN, **ERRORS})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """The secretariat accepts a proposed measure into the draft plan."""
        return self.output(services.measure_accept(actor=self.actor, measure=self.get_object()))

    @extend_schema(
        request=s.MeasureDeclineInputSerializer,
        responses={200: s.MeasureSerializer, 409: FROZEN, **ERRORS},
        examples=[OpenApiExample("Reason", value={"reason": "Covered by measure 12."})],
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        """The secretariat declines a proposed measure, with the reason."""
        measure = self.get_object()
        data = self.validated(s.MeasureDeclineInputSerializer)
        return self.output(
            services.measure_decline(actor=self.actor, measure=measure, reason=data["reason"])
        )

    @extend_schema(
        request=s.MeasureSmartInputSerializer,
        responses={200: s.MeasureSerializer, 409: FROZEN, **ERRORS},
        examples=[
            OpenApiExample(
                "SMART check",
                value={
                    "specific": True,
                    "measurable": False,
                    "achievable": True,
                    "relevant": True,
                    "time_bound": True,
                    "note": "Add an indicator of the number of judges appointed.",
                },
            )
        ],
    )
    @action(detail=True, methods=["post"], url_path="smart-check", url_name="smart-check")
    def smart_check(self, request: Request, pk: str | None = None) -> Response:
        """The secretariat records its SMART check of the measure (null: not judged)."""
        measure = self.get_object()
        data = self.validated(s.MeasureSmartInputSerializer)
        return self.output(services.measure_check_smart(actor=self.actor, measure=measure, **data))


# --- milestones, budget lines -------------------------------------------------------------------


def _may_edit_parent_measure(actor: Actor, obj: Any) -> bool:
    return policies.can_edit_measure(actor, obj.measure)


@extend_schema_view(
    create=extend_schema(
        request=s.MilestoneInputSerializer,
        responses={201: s.MilestoneSerializer, 409: FROZEN, **ERRORS},
        examples=[
            OpenApiExample(
                "A milestone",
                value={"measure": 12, "title": "Bill tabled", "due_on": "2026-03-31"},
                request_only=True,
            )
        ],
    ),
    partial_update=extend_schema(
        request=s.MilestoneUpdateInputSerializer,
        responses={200: s.MilestoneSerializer, 409: FROZEN, **ERRORS},
    ),
    update=extend_schema(
        request=s.MilestoneUpdateInputSerializer,
        responses={200: s.MilestoneSerializer, 409: FROZEN, **ERRORS},
    ),
    destroy=extend_schema(responses={204: None, 409: FROZEN, **ERRORS}),
)
class MilestoneViewSet(ServiceViewSet[Milestone]):
    serializer_class = s.MilestoneSerializer
    input_serializer_class = s.MilestoneInputSerializer
    update_serializer_class = s.MilestoneUpdateInputSerializer
    filterset_class = filters.MilestoneFilter
    write_checks = writes(policies.can_write_measure_parts)
    object_checks = writes(_may_edit_parent_measure)

    def selector(self) -> QuerySet[Milestone]:
        return selectors.milestone_queryset(actor=self.actor).select_related("measure")

    def service_create(self, data: dict[str, Any]) -> Milestone:
        return services.milestone_create(actor=self.actor, **data)

    def service_update(self, obj: Milestone, data: dict[str, Any]) -> Milestone:
        return services.milestone_update(actor=self.actor, milestone=obj, **data)

    def service_delete(self, obj: Milestone) -> None:
        services.milestone_delete(actor=self.actor, milestone=obj)


@extend_schema_view(
    list=extend_schema(
        description="Amounts are decimals written as strings. Filter by `plan` or `measure`."
    ),
    create=extend_schema(
        request=s.BudgetLineInputSerializer,
        responses={201: s.BudgetLineSerializer, 409: FROZEN, **ERRORS},
        examples=[
            OpenApiExample(
                "A budget line",
                value={
                    "measure": 12,
                    "amount": "250000.00",
                    "currency": "KES",
                    "funding_source": "State budget",
                    "committed": "100000.00",
                    "spent": "0.00",
                },
                request_only=True,
            )
        ],
    ),
    partial_update=extend_schema(
        request=s.BudgetLineUpdateInputSerializer,
        responses={200: s.BudgetLineSerializer, 409: FROZEN, **ERRORS},
    ),
    update=extend_schema(
        request=s.BudgetLineUpdateInputSerializer,
        responses={200: s.BudgetLineSerializer, 409: FROZEN, **ERRORS},
    ),
    destroy=extend_schema(responses={204: None, 409: FROZEN, **ERRORS}),
)
class BudgetLineViewSet(ServiceViewSet[BudgetLine]):
    serializer_class = s.BudgetLineSerializer
    input_serializer_class = s.BudgetLineInputSerializer
    update_serializer_class = s.BudgetLineUpdateInputSerializer
    filterset_class = filters.BudgetLineFilter
    write_checks = writes(policies.can_write_measure_parts)
    object_checks = writes(_may_edit_parent_measure)

    def selector(self) -> QuerySet[BudgetLine]:
        return selectors.budget_line_queryset(actor=self.actor).select_related("measure")

    def service_create(self, data: dict[str, Any]) -> BudgetLine:
        return services.budget_line_create(actor=self.actor, **data)

    def service_update(self, obj: BudgetLine, data: dict[str, Any]) -> BudgetLine:
        return services.budget_line_update(actor=self.actor, budget_line=obj, **data)

    def service_delete(self, obj: BudgetLine) -> None:
        services.budget_line_delete(actor=self.actor, budget_line=obj)
