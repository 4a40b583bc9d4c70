"""The plans API: plans, measures, milestones, budget lines, indicators and their values,
consultations (with their documents) and national frameworks. Reads through the selectors,
writes through the services (``plans.api.base``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from plans import filters, policies, selectors, services
from plans.models import (
    BudgetLine,
    Consultation,
    ImplementationPlan,
    Indicator,
    IndicatorValue,
    Measure,
    Milestone,
    NationalFramework,
    NationalGoal,
)
from tracker.policies import Actor

from . import serializers as s
from .base import ServiceViewSet

WRITES = ("create", "update", "partial_update", "destroy")

ERRORS = {
    400: OpenApiResponse(
        description='Invalid input: {"message": ..., "extra": {"fields": {...}}}',
        examples=[
            OpenApiExample(
                "Invalid input",
                value={
                    "message": "Some values are not valid.",
                    "extra": {"fields": {"ends_on": ["The end comes before the start."]}},
                },
            )
        ],
    ),
    403: OpenApiResponse(description="Not allowed to do this."),
    404: OpenApiResponse(description="No such row, or not one you may see."),
}
FROZEN = OpenApiResponse(
    description="The plan is adopted or closed: its content no longer changes.",
    examples=[
        OpenApiExample(
            "Frozen plan",
            value={
                "message": "The plan “National plan 2025-2029” is adopted: it can no longer be "
                "changed. Make a new version of it to change it.",
                "extra": {"code": "frozen", "plan": 3, "state": "adopted"},
            },
        )
    ],
)


def _writes(check: Any, *extra: str) -> dict[str, Any]:
    return dict.fromkeys((*WRITES, *extra), check)


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
    write_checks = _writes(
        policies.can_create_plan, "adopt", "close", "new_version"
    )  # the secretariat
    object_checks = _writes(policies.can_edit_plan, "adopt", "close", "new_version")

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
        **_writes(_may_write_measures),
        "accept": policies.can_review_measure,
        "decline": policies.can_review_measure,
        "smart_check": policies.can_review_measure,
    }
    object_checks = {
        **_writes(policies.can_edit_measure),
        "accept": policies.can_review_measure,
        "decline": policies.can_review_measure,
        "smart_check": policies.can_review_measure,
    }

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
    write_checks = _writes(policies.can_write_measure_parts)
    object_checks = _writes(_may_edit_parent_measure)

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
    write_checks = _writes(policies.can_write_measure_parts)
    object_checks = _writes(_may_edit_parent_measure)

    def selector(self) -> QuerySet[BudgetLine]:
        return selectors.budget_line_queryset(actor=self.actor).select_related("measure")

    def service_create(self, data: dict[str, Any]) -> BudgetLine:
        return services.budget_line_create(actor=self.actor, **data)

    def service_update(self, obj: BudgetLine, data: dict[str, Any]) -> BudgetLine:
        return services.budget_line_update(actor=self.actor, budget_line=obj, **data)

    def service_delete(self, obj: BudgetLine) -> None:
        services.budget_line_delete(actor=self.actor, budget_line=obj)


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
    write_checks = _writes(policies.can_write_measure_parts)
    object_checks = _writes(policies.can_edit_indicator)

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
    write_checks = _writes(policies.can_record_indicator_value)
    object_checks = _writes(lambda actor, obj: policies.can_record_indicator_value(actor))

    def selector(self) -> QuerySet[IndicatorValue]:
        return selectors.indicator_value_queryset(actor=self.actor)

    def service_create(self, data: dict[str, Any]) -> IndicatorValue:
        return services.indicator_value_create(actor=self.actor, **data)

    def service_update(self, obj: IndicatorValue, data: dict[str, Any]) -> IndicatorValue:
        return services.indicator_value_update(actor=self.actor, indicator_value=obj, **data)

    def service_delete(self, obj: IndicatorValue) -> None:
        services.indicator_value_delete(actor=self.actor, indicator_value=obj)


# --- consultations ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(description="Signed-in people read the consultations."),
    create=extend_schema(
        request=s.ConsultationInputSerializer,
        responses={201: s.ConsultationSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "A consultation",
                value={
                    "held_on": "2025-02-15",
                    "title": "Validation workshop with civil society",
                    "participants": [4, 9, 12],
                    "recommendations": [101, 102],
                    "summary": "The draft plan was discussed measure by measure.",
                },
                request_only=True,
            )
        ],
    ),
    partial_update=extend_schema(
        request=s.ConsultationInputSerializer, responses={200: s.ConsultationSerializer, **ERRORS}
    ),
    update=extend_schema(
        request=s.ConsultationInputSerializer, responses={200: s.ConsultationSerializer, **ERRORS}
    ),
)
class ConsultationViewSet(ServiceViewSet[Consultation]):
    serializer_class = s.ConsultationSerializer
    input_serializer_class = s.ConsultationInputSerializer
    filterset_class = filters.ConsultationFilter
    write_checks = _writes(policies.can_edit_consultation, "documents", "document")
    object_checks = _writes(policies.can_edit_consultation, "documents", "document")

    def read_allowed(self, actor: Actor) -> bool:
        return policies.can_view_consultations(actor)

    def selector(self) -> QuerySet[Consultation]:
        return selectors.consultation_queryset(actor=self.actor)

    def service_create(self, data: dict[str, Any]) -> Consultation:
        return services.consultation_create(actor=self.actor, **data)

    def service_update(self, obj: Consultation, data: dict[str, Any]) -> Consultation:
        return services.consultation_update(actor=self.actor, consultation=obj, **data)

    def service_delete(self, obj: Consultation) -> None:
        services.consultation_delete(actor=self.actor, consultation=obj)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # A file is sent whatever the client accepts; errors are JSON.
        return super().perform_content_negotiation(
            request, force=force or self.action == "document"
        )

    @extend_schema(
        methods=["GET"], request=None, responses={200: s.ConsultationDocumentSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": s.ConsultationDocumentInputSerializer},
        responses={201: s.ConsultationDocumentSerializer, **ERRORS},
        description="Upload a document (multipart: `file`, `title`): PDF, Word, Excel, "
        "OpenDocument text, PNG or JPEG, told from its content; 20 MB at most by default.",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def documents(self, request: Request, pk: str | None = None) -> Response:
        """The consultation's documents; the secretariat uploads one with POST."""
        consultation = self.get_object()
        if request.method == "GET":
            data = s.ConsultationDocumentSerializer(
                consultation.documents.all(), many=True, context=self.get_serializer_context()
            ).data
            return Response(data)
        payload = self.validated(s.ConsultationDocumentInputSerializer)
        document = services.consultation_document_add(
            actor=self.actor, consultation=consultation, **payload
        )
        return Response(
            s.ConsultationDocumentSerializer(document, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={(200, "*/*"): OpenApiTypes.BINARY, 404: ERRORS[404]},
        description="The file, to those who may read the consultation.",
    )
    @extend_schema(methods=["DELETE"], request=None, responses={204: None, **ERRORS})
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"documents/(?P<document_pk>[0-9]+)",
        url_name="document",
    )
    def document(self, request: Request, pk: str | None = None, document_pk: str = "") -> Any:
        """Read a document's file; the secretariat deletes it with DELETE."""
        consultation = self.get_object()
        document = selectors.consultation_document_get(
            actor=self.actor, consultation=consultation, pk=document_pk
        )
        if request.method == "DELETE":
            services.consultation_document_delete(actor=self.actor, document=document)
            return Response(status=status.HTTP_204_NO_CONTENT)
        try:
            handle = document.file.open("rb")
        except OSError:
            raise NotFound("The file of this document is missing.") from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=document.file.name.rsplit("/", 1)[-1],
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


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
    write_checks = _writes(policies.can_edit_frameworks)
    object_checks = _writes(policies.can_edit_frameworks)
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
    write_checks = _writes(policies.can_edit_frameworks)
    object_checks = _writes(policies.can_edit_frameworks)

    def selector(self) -> QuerySet[NationalGoal]:
        return selectors.goal_queryset(actor=self.actor)

    def service_create(self, data: dict[str, Any]) -> NationalGoal:
        return services.national_goal_create(actor=self.actor, **data)

    def service_update(self, obj: NationalGoal, data: dict[str, Any]) -> NationalGoal:
        return services.national_goal_update(actor=self.actor, goal=obj, **data)

    def service_delete(self, obj: NationalGoal) -> None:
        services.national_goal_delete(actor=self.actor, goal=obj)
