"""The progress reports API: ``/api/v1/progress-reports/`` with the workflow's steps
(``submit``, ``validate``, ``accept``, ``publish``, ``return``: each → 200 with the report) and
the evidence files (``/api/v1/progress-reports/{id}/evidence/``, multipart).

A step the caller may not take is a 403 (a 404 when they may not see the report); a step from
the wrong state is a 409 with the reason; nothing is written either way. Every change takes the
``version`` the caller read, in the body or in an ``If-Match`` header (the ``ETag`` of a read):
a stale one is refused (409, or 412 with If-Match).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from plans import progress_policies, progress_selectors, services
from plans.models import (
    Evidence,
    Measure,
    MeasureStatus,
    ProgressReport,
    ProgressStep,
    ProgressValue,
)
from tracker.locking import etag
from tracker.policies import Actor

from .base import ServiceViewSet
from .docs import ERRORS
from .fields import ScopedPrimaryKeyField


def _visible_measures(actor: Actor) -> QuerySet[Measure]:
    from plans import policies

    return policies.visible_measures(actor)


def _signed_in(actor: Actor) -> bool:
    return actor is not None and actor.is_active


class ProgressStepSerializer(serializers.ModelSerializer[ProgressStep]):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ProgressStep
        fields = ["action", "from_state", "to_state", "actor", "at", "reason"]
        read_only_fields = fields

    def get_actor(self, obj: ProgressStep) -> str | None:
        return obj.actor.get_full_name() or obj.actor.get_username() if obj.actor else None


class ProgressValueSerializer(serializers.ModelSerializer[ProgressValue]):
    class Meta:
        model = ProgressValue
        fields = ["indicator", "value", "disaggregation", "source"]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer[Evidence]):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "title", "content_type", "size", "is_public", "created_at", "download"]
        read_only_fields = fields

    def get_download(self, obj: Evidence) -> str:
        return f"/api/v1/progress-reports/{obj.report_id}/evidence/{obj.pk}/"


class ProgressReportSerializer(serializers.ModelSerializer[ProgressReport]):
    values = ProgressValueSerializer(many=True, read_only=True)
    steps = ProgressStepSerializer(many=True, read_only=True)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "measure",
            "institution",
            "period",
            "narrative",
            "measure_status",
            "values",
            "state",
            "return_reason",
            "steps",
            "evidence",
            "version",
            "published_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(EvidenceSerializer(many=True))  # type: ignore[misc]
    def get_evidence(self, obj: ProgressReport) -> Any:
        request = self.context.get("request")
        actor = getattr(request, "user", None)
        from tracker.policies import as_actor

        shown = progress_selectors.report_evidence(actor=as_actor(actor), report=obj)
        return EvidenceSerializer(shown, many=True).data


class ValueInputSerializer(serializers.Serializer[Any]):
    indicator = serializers.IntegerField(min_value=1)
    value = serializers.DecimalField(max_digits=20, decimal_places=4)
    disaggregation = serializers.DictField(
        child=serializers.CharField(max_length=100), required=False, default=dict
    )
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=300, required=False, allow_blank=True, default=""
    )


class ProgressReportInputSerializer(serializers.Serializer[Any]):
    measure = ScopedPrimaryKeyField(_visible_measures)
    period = serializers.CharField(max_length=7, help_text='"2027", "2027-Q3" or "2027-03".')
    narrative = serializers.CharField(required=False, allow_blank=True, default="")
    measure_status = serializers.ChoiceField(
        choices=MeasureStatus.choices, required=False, allow_blank=True, default=""
    )
    values = ValueInputSerializer(many=True, required=False, default=list)


class ProgressReportUpdateInputSerializer(serializers.Serializer[Any]):
    period = serializers.CharField(max_length=7, required=False)
    narrative = serializers.CharField(required=False, allow_blank=True)
    measure_status = serializers.ChoiceField(
        choices=MeasureStatus.choices, required=False, allow_blank=True
    )
    values = ValueInputSerializer(many=True, required=False)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version you read (or send it in If-Match); a stale one is refused.",
    )


class StepInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version you read (or If-Match)."
    )


class ReturnInputSerializer(StepInputSerializer):
    reason = serializers.CharField(max_length=5000, help_text="What the author must fix.")


class EvidenceInputSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    is_public = serializers.BooleanField(required=False, default=False)
    version = serializers.IntegerField(required=False, min_value=1)


CONFLICT = OpenApiResponse(
    description="A step from the wrong state, or a stale version: the reason, nothing written.",
    examples=[
        OpenApiExample(
            "Stale version",
            value={
                "message": "Someone else changed this record while you were editing it …",
                "extra": {"code": "stale_version", "expected": 2, "current": 3},
            },
        )
    ],
)
STALE_IF_MATCH = OpenApiResponse(description="The If-Match version is stale; nothing written.")
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="The ETag of the report you read; a stale one is a 412.",
)
STEP_RESPONSES = {200: ProgressReportSerializer, 409: CONFLICT, 412: STALE_IF_MATCH, **ERRORS}


@extend_schema_view(
    list=extend_schema(
        summary="Progress reports",
        description="The secretariat sees every report; the focal points and validators of an "
        "institution its reports in every state; everyone else the published ones. Filters: "
        "`state`, `measure`, `institution`.",
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR),
            OpenApiParameter("measure", OpenApiTypes.INT),
            OpenApiParameter("institution", OpenApiTypes.INT),
        ],
    ),
    create=extend_schema(
        request=ProgressReportInputSerializer,
        responses={201: ProgressReportSerializer, 409: CONFLICT, **ERRORS},
        description="A draft report on a measure of an adopted plan, by a focal point of an "
        "institution that leads or supports it (or the secretariat).",
    ),
    update=extend_schema(
        request=ProgressReportUpdateInputSerializer,
        parameters=[IF_MATCH],
        responses={200: ProgressReportSerializer, 409: CONFLICT, 412: STALE_IF_MATCH, **ERRORS},
    ),
    partial_update=extend_schema(
        request=ProgressReportUpdateInputSerializer,
        parameters=[IF_MATCH],
        responses={200: ProgressReportSerializer, 409: CONFLICT, 412: STALE_IF_MATCH, **ERRORS},
    ),
    destroy=extend_schema(
        description="A draft that was never submitted.",
        responses={204: None, 409: CONFLICT, **ERRORS},
    ),
)
class ProgressReportViewSet(ServiceViewSet[ProgressReport]):
    serializer_class = ProgressReportSerializer
    input_serializer_class = ProgressReportInputSerializer
    update_serializer_class = ProgressReportUpdateInputSerializer
    lock_kwarg = "version"
    # Steps and changes are asked of the report's policy once the report is found, so that a
    # report the caller may not see is a 404 before it is a 403.
    write_checks = {
        "create": progress_policies.can_write_reports,
        **dict.fromkeys(
            (
                "update",
                "partial_update",
                "destroy",
                "evidence",
                "evidence_file",
                "submit",
                "validate",
                "accept",
                "publish",
                "return_",
            ),
            _signed_in,
        ),
    }
    object_checks = {
        "update": progress_policies.can_edit_report,
        "partial_update": progress_policies.can_edit_report,
        "destroy": progress_policies.can_edit_report,
        "evidence": progress_policies.can_edit_report,
        "submit": progress_policies.can_edit_report,
        "validate": progress_policies.can_validate_report,
        "accept": progress_policies.can_accept_report,
        "publish": progress_policies.can_accept_report,
        "return_": progress_policies.can_return_report,
    }

    def selector(self) -> QuerySet[ProgressReport]:
        if self.action == "list":
            return progress_selectors.report_list(
                actor=self.actor, filters=self.request.query_params
            ).prefetch_related("steps__actor", "values", "evidence")
        return progress_selectors.report_queryset(actor=self.actor)

    def service_create(self, data: dict[str, Any]) -> ProgressReport:
        return services.progress_report_create(actor=self.actor, **data)

    def service_update(self, obj: ProgressReport, data: dict[str, Any]) -> ProgressReport:
        return services.progress_report_update(actor=self.actor, report=obj, **data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = self.get_object()
        result = self.locked(
            {"version": None},
            lambda d: services.progress_report_delete(
                actor=self.actor, report=report, version=d["version"]
            ),
        )
        if isinstance(result, Response):
            return result
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _step(
        self,
        service: Callable[..., ProgressReport],
        input_class: type[serializers.Serializer[Any]] = StepInputSerializer,
    ) -> Response:
        report = self.get_object()
        data = self.validated(input_class)
        data.setdefault("version", None)
        result = self.locked(data, lambda d: service(actor=self.actor, report=report, **d))
        if isinstance(result, Response):
            return result
        response = self.output(result)
        response["ETag"] = etag(result)
        return response

    @extend_schema(request=StepInputSerializer, parameters=[IF_MATCH], responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Submit a draft or returned report to the institution's validators."""
        return self._step(services.progress_report_submit)

    @extend_schema(request=StepInputSerializer, parameters=[IF_MATCH], responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def validate(self, request: Request, pk: str | None = None) -> Response:
        """A validator of the report's institution validates a submitted report."""
        return self._step(services.progress_report_validate)

    @extend_schema(request=StepInputSerializer, parameters=[IF_MATCH], responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """The secretariat accepts a validated report: its measure status and indicator values
        become the measure's."""
        return self._step(services.progress_report_accept)

    @extend_schema(request=StepInputSerializer, parameters=[IF_MATCH], responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """The secretariat publishes an accepted report."""
        return self._step(services.progress_report_publish)

    @extend_schema(request=ReturnInputSerializer, parameters=[IF_MATCH], responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        """Return a submitted, validated or accepted report to its author with a reason."""
        return self._step(services.progress_report_return, ReturnInputSerializer)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # A file is sent whatever the client accepts; errors are JSON.
        return super().perform_content_negotiation(
            request, force=force or self.action == "evidence_file"
        )

    @extend_schema(methods=["GET"], request=None, responses={200: EvidenceSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": EvidenceInputSerializer},
        responses={201: EvidenceSerializer, 409: CONFLICT, 412: STALE_IF_MATCH, **ERRORS},
        parameters=[IF_MATCH],
        description="Upload an evidence file (multipart: `file`, `title`, `is_public`, "
        "`version`): PDF, Word, Excel, OpenDocument text, PNG or JPEG, told from its content; "
        "TRACKER_EVIDENCE_MAX_MB (20 MB by default) at most.",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def evidence(self, request: Request, pk: str | None = None) -> Response:
        """The report's evidence that the caller may see; a focal point adds a file with POST."""
        report = self.get_object()
        if request.method == "GET":
            shown = progress_selectors.report_evidence(actor=self.actor, report=report)
            return Response(EvidenceSerializer(shown, many=True).data)
        data = self.validated(EvidenceInputSerializer)
        data.setdefault("version", None)
        result = self.locked(
            data, lambda d: services.progress_evidence_add(actor=self.actor, report=report, **d)
        )
        if isinstance(result, Response):
            return result
        assert isinstance(result, Evidence)  # noqa: S101 (what the service returns)
        return Response(EvidenceSerializer(result).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={(200, "*/*"): OpenApiTypes.BINARY, 404: ERRORS[404]},
        description="The file, to those who may see it (internal evidence: the secretariat and "
        "the report's institution).",
    )
    @extend_schema(methods=["DELETE"], request=None, responses={204: None, 409: CONFLICT, **ERRORS})
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"evidence/(?P<evidence_pk>[0-9]+)",
        url_name="evidence-file",
    )
    def evidence_file(self, request: Request, pk: str | None = None, evidence_pk: str = "") -> Any:
        """Read an evidence file; a focal point of the institution removes it with DELETE."""
        report = self.get_object()
        evidence = progress_selectors.evidence_get(actor=self.actor, pk=evidence_pk)
        if evidence.report_id != report.pk:
            raise NotFound
        if request.method == "DELETE":
            if not progress_policies.can_edit_report(self.actor, report):
                self.permission_denied(request)
            services.progress_evidence_delete(actor=self.actor, evidence=evidence)
            return Response(status=status.HTTP_204_NO_CONTENT)
        return evidence_response(evidence)


def evidence_response(evidence: Evidence) -> FileResponse:
    """The file as a download that the browser does not sniff nor cache."""
    try:
        handle = evidence.file.open("rb")
    except OSError:
        raise NotFound("The file of this evidence is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.file.name.rsplit("/", 1)[-1],
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
