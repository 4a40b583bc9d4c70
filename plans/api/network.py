"""The progress network's API: assessments (``/api/v1/assessments/``), comments
(``/api/v1/comments/``), support projects (``/api/v1/support-projects/``), the caller's
notifications (``/api/v1/notifications/``) and the activity feeds of recommendations and
measures (``/api/v1/recommendations/{id}/activity/``, ``/api/v1/measures/{id}/activity/``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from plans import activity, policies, progress_policies, services
from plans.models import (
    Assessment,
    Comment,
    Measure,
    Notification,
    Rating,
    SupportProject,
)
from recommendations.models import Recommendation
from recommendations.policies import visible_recommendations
from tracker.models import Institution
from tracker.policies import Actor, as_actor

from .base import ServiceViewSet
from .docs import ERRORS
from .fields import IdListField, ScopedPrimaryKeyField


def _signed_in(actor: Actor) -> bool:
    return actor is not None and actor.is_active


def _id_filter(qs: QuerySet[Any], params: Any, *names: str) -> QuerySet[Any]:
    """Filter by integer query parameters; an invalid one gives an empty list."""
    for name in names:
        value = params.get(name)
        if value:
            try:
                qs = qs.filter(**{f"{name}_id": int(value)})
            except (TypeError, ValueError):
                return qs.none()
    return qs


# --- assessments --------------------------------------------------------------------------------


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    class Meta:
        model = Assessment
        fields = [
            "id",
            "recommendation",
            "assessor_kind",
            "institution",
            "rating",
            "summary",
            "evidence",
            "assessed_on",
            "state",
            "published_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AssessmentInputSerializer(serializers.Serializer[Any]):
    recommendation = ScopedPrimaryKeyField(visible_recommendations)
    rating = serializers.ChoiceField(choices=Rating.choices)
    summary = serializers.CharField(max_length=10000)
    evidence = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    assessed_on = serializers.DateField(required=False)


class AssessmentUpdateInputSerializer(serializers.Serializer[Any]):
    rating = serializers.ChoiceField(choices=Rating.choices, required=False)
    summary = serializers.CharField(max_length=10000, required=False)
    evidence = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    assessed_on = serializers.DateField(required=False)
    version = serializers.IntegerField(min_value=1, required=False)


class VersionInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1, required=False)


@extend_schema_view(
    list=extend_schema(
        description="Published assessments, and the drafts of the caller's organisation. "
        "Filter: `recommendation`.",
        parameters=[OpenApiParameter("recommendation", OpenApiTypes.INT)],
    ),
    create=extend_schema(
        request=AssessmentInputSerializer,
        responses={201: AssessmentSerializer, **ERRORS},
        description="A draft; the assessor kind follows the caller's role (government, NHRI, "
        "civil society).",
    ),
    update=extend_schema(
        request=AssessmentUpdateInputSerializer, responses={200: AssessmentSerializer, **ERRORS}
    ),
    partial_update=extend_schema(
        request=AssessmentUpdateInputSerializer, responses={200: AssessmentSerializer, **ERRORS}
    ),
)
class AssessmentViewSet(ServiceViewSet[Assessment]):
    serializer_class = AssessmentSerializer
    input_serializer_class = AssessmentInputSerializer
    update_serializer_class = AssessmentUpdateInputSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    lock_kwarg = "version"
    write_checks = {
        "create": progress_policies.can_assess,
        **dict.fromkeys(("update", "partial_update", "publish"), _signed_in),
    }
    object_checks = dict.fromkeys(
        ("update", "partial_update", "publish"), progress_policies.can_edit_assessment
    )

    def selector(self) -> QuerySet[Assessment]:
        qs = progress_policies.visible_assessments(self.actor).order_by(
            "recommendation_id", "assessor_kind", "-assessed_on", "-id"
        )
        return _id_filter(qs, self.request.query_params, "recommendation")

    def service_create(self, data: dict[str, Any]) -> Assessment:
        assert self.actor is not None  # noqa: S101 (the permission class let only assessors in)
        return services.assessment_create(actor=self.actor, **data)

    def service_update(self, obj: Assessment, data: dict[str, Any]) -> Assessment:
        assert self.actor is not None  # noqa: S101
        return services.assessment_update(actor=self.actor, assessment=obj, **data)

    @extend_schema(request=VersionInputSerializer, responses={200: AssessmentSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Publish a draft assessment: it is shown beside the others."""
        assessment = self.get_object()
        data = self.validated(VersionInputSerializer)
        data.setdefault("version", None)
        assert self.actor is not None  # noqa: S101
        actor = self.actor
        result = self.locked(
            data,
            lambda d: services.assessment_publish(actor=actor, assessment=assessment, **d),
        )
        return result if isinstance(result, Response) else self.output(result)


# --- comments -----------------------------------------------------------------------------------


class CommentSerializer(serializers.ModelSerializer[Comment]):
    class Meta:
        model = Comment
        fields = [
            "id",
            "recommendation",
            "measure",
            "institution",
            "text",
            "state",
            "moderation_reason",
            "moderated_at",
            "created_at",
        ]
        read_only_fields = fields


class CommentInputSerializer(serializers.Serializer[Any]):
    recommendation = ScopedPrimaryKeyField(visible_recommendations, required=False)
    measure = ScopedPrimaryKeyField(policies.visible_measures, required=False)
    text = serializers.CharField(max_length=20000)


class RejectInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=5000)


@extend_schema_view(
    list=extend_schema(
        description="Approved comments; the caller's own in any state; all of them for the "
        "secretariat. Filters: `recommendation`, `measure`, `state`.",
        parameters=[
            OpenApiParameter("recommendation", OpenApiTypes.INT),
            OpenApiParameter("measure", OpenApiTypes.INT),
            OpenApiParameter("state", OpenApiTypes.STR),
        ],
    ),
    create=extend_schema(
        request=CommentInputSerializer,
        responses={201: CommentSerializer, **ERRORS},
        description="The NHRI and civil society comment on a recommendation or a measure; the "
        "comment waits for the secretariat's moderation. Rate-limited per person.",
    ),
)
class CommentViewSet(ServiceViewSet[Comment]):
    serializer_class = CommentSerializer
    input_serializer_class = CommentInputSerializer
    http_method_names = ["get", "post", "head", "options"]
    write_checks = {
        "create": progress_policies.can_comment,
        "approve": progress_policies.can_moderate_comments,
        "reject": progress_policies.can_moderate_comments,
    }

    def selector(self) -> QuerySet[Comment]:
        qs = progress_policies.visible_comments(self.actor).order_by("-created_at", "-id")
        state = self.request.query_params.get("state")
        if state:
            qs = qs.filter(state=state)
        return _id_filter(qs, self.request.query_params, "recommendation", "measure")

    def service_create(self, data: dict[str, Any]) -> Comment:
        assert self.actor is not None  # noqa: S101
        return services.comment_create(actor=self.actor, **data)

    @extend_schema(request=None, responses={200: CommentSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """The secretariat approves a comment: it becomes public."""
        assert self.actor is not None  # noqa: S101
        return self.output(services.comment_approve(actor=self.actor, comment=self.get_object()))

    @extend_schema(request=RejectInputSerializer, responses={200: CommentSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """The secretariat rejects a comment with a reason."""
        assert self.actor is not None  # noqa: S101
        comment = self.get_object()
        data = self.validated(RejectInputSerializer)
        return self.output(services.comment_reject(actor=self.actor, comment=comment, **data))


# --- support projects ---------------------------------------------------------------------------


def _sdg_targets(actor: Actor) -> Any:
    from recommendations.models import SdgTarget

    return SdgTarget.objects.all()


def _partners(actor: Actor) -> QuerySet[Institution]:
    return Institution.objects.all()


class SupportProjectSerializer(serializers.ModelSerializer[SupportProject]):
    recommendations: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    measures: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    sdg_targets: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = SupportProject
        fields = [
            "id",
            "partner",
            "title",
            "description",
            "amount",
            "currency",
            "starts_on",
            "ends_on",
            "recommendations",
            "measures",
            "sdg_targets",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SupportProjectInputSerializer(serializers.Serializer[Any]):
    partner = ScopedPrimaryKeyField(_partners, required=False)
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", max_length=3)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    recommendations = IdListField(visible_recommendations, required=False)
    measures = IdListField(policies.visible_measures, required=False)
    sdg_targets = IdListField(_sdg_targets, slug_field="code", required=False)


class SupportProjectUpdateInputSerializer(SupportProjectInputSerializer):
    title = serializers.CharField(max_length=300, required=False)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False)
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", max_length=3, required=False)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    version = serializers.IntegerField(min_value=1, required=False)


@extend_schema_view(
    create=extend_schema(
        request=SupportProjectInputSerializer, responses={201: SupportProjectSerializer, **ERRORS}
    ),
    update=extend_schema(
        request=SupportProjectUpdateInputSerializer,
        responses={200: SupportProjectSerializer, **ERRORS},
    ),
    partial_update=extend_schema(
        request=SupportProjectUpdateInputSerializer,
        responses={200: SupportProjectSerializer, **ERRORS},
    ),
)
class SupportProjectViewSet(ServiceViewSet[SupportProject]):
    """Development partners' support projects: read by signed-in people, written by the partner
    (its own) and the secretariat."""

    serializer_class = SupportProjectSerializer
    input_serializer_class = SupportProjectInputSerializer
    update_serializer_class = SupportProjectUpdateInputSerializer
    lock_kwarg = "version"
    write_checks = {
        "create": lambda actor: progress_policies.can_record_support(actor),
        **dict.fromkeys(("update", "partial_update", "destroy"), _signed_in),
    }
    object_checks = dict.fromkeys(
        ("update", "partial_update", "destroy"), progress_policies.can_edit_support_project
    )

    def read_allowed(self, actor: Actor) -> bool:
        return _signed_in(actor)

    def selector(self) -> QuerySet[SupportProject]:
        return (
            progress_policies.visible_support_projects(self.actor)
            .prefetch_related("recommendations", "measures", "sdg_targets")
            .order_by("-starts_on", "-id")
        )

    def service_create(self, data: dict[str, Any]) -> SupportProject:
        return services.support_project_create(actor=self.actor, **data)

    def service_update(self, obj: SupportProject, data: dict[str, Any]) -> SupportProject:
        data.pop("partner", None)
        return services.support_project_update(actor=self.actor, project=obj, **data)

    def service_delete(self, obj: SupportProject) -> None:
        services.support_project_delete(actor=self.actor, project=obj)


# --- notifications ------------------------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    class Meta:
        model = Notification
        fields = ["id", "kind", "message", "url", "created_at", "read_at"]
        read_only_fields = fields


class MarkReadInputSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=1000
    )


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Notification]):
    """The caller's own notifications, newest first; mark them read."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[Notification]:
        actor = as_actor(self.request.user)
        if actor is None:
            return Notification.objects.none()
        qs = Notification.objects.filter(user=actor).order_by("-created_at", "-id")
        if self.request.query_params.get("unread"):
            qs = qs.filter(read_at__isnull=True)
        return qs

    @extend_schema(
        request=MarkReadInputSerializer,
        responses={200: OpenApiTypes.OBJECT},
        description="Mark the caller's notifications read: those of `ids`, or all of them.",
    )
    @action(detail=False, methods=["post"], url_path="mark-read", url_name="mark-read")
    def mark_read(self, request: Request) -> Response:
        actor = as_actor(request.user)
        assert actor is not None  # noqa: S101 (IsAuthenticated)
        payload = MarkReadInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        count = services.notification_mark_read(
            actor=actor, notifications=payload.validated_data.get("ids")
        )
        return Response({"marked": count}, status=status.HTTP_200_OK)


# --- activity feeds -----------------------------------------------------------------------------


class ActivitySerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    model = serializers.CharField()
    object_id = serializers.CharField(allow_null=True)
    event = serializers.CharField()
    action = serializers.CharField()
    actor = serializers.CharField(allow_null=True)
    changed_fields = serializers.ListField(child=serializers.CharField(), source="fields")


class ActivityPagination(PageNumberPagination):
    page_size = 50


class _ActivityViewSet(viewsets.GenericViewSet[Any]):
    serializer_class = ActivitySerializer
    pagination_class = ActivityPagination
    # Anyone may ask: the feed is of an item the caller may see (404 otherwise), and its
    # content depends on who asks (``plans.activity``).
    permission_classes = [permissions.AllowAny]

    def target(self, pk: str) -> Any:
        raise NotImplementedError

    def feed(self, pk: str) -> Response:
        actor = as_actor(self.request.user)
        obj = self.target(pk)
        events = activity.activity_events(actor=actor, obj=obj)
        page = self.paginate_queryset(events)
        rows = [activity.as_activity(e) for e in (page if page is not None else events[:50])]
        data = ActivitySerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)


class RecommendationActivityViewSet(_ActivityViewSet):
    queryset = Recommendation.objects.none()  # for the schema's path parameter type

    def target(self, pk: str) -> Recommendation:
        return get_object_or_404(visible_recommendations(as_actor(self.request.user)), pk=pk)

    @extend_schema(responses={200: ActivitySerializer(many=True), 404: ERRORS[404]})
    @action(detail=True, methods=["get"])
    def activity(self, request: Request, pk: str | None = None) -> Response:
        """The recommendation's activity feed, from the audit events, newest first."""
        return self.feed(str(pk))


class MeasureActivityViewSet(_ActivityViewSet):
    queryset = Measure.objects.none()  # for the schema's path parameter type

    def target(self, pk: str) -> Measure:
        return get_object_or_404(policies.visible_measures(as_actor(self.request.user)), pk=pk)

    @extend_schema(responses={200: ActivitySerializer(many=True), 404: ERRORS[404]})
    @action(detail=True, methods=["get"])
    def activity(self, request: Request, pk: str | None = None) -> Response:
        """The measure's activity feed, from the audit events, newest first."""
        return self.feed(str(pk))
