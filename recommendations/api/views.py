"""Read-only API over recommendations and reference data. Published data is open to everyone."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from recommendations import policies, selectors, services
from recommendations.filters import RecommendationFilter
from recommendations.models import (
    AffectedGroup,
    Cluster,
    Document,
    Mechanism,
    Recommendation,
    ReviewCycle,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    Theme,
)
from tracker.exceptions import ConflictError
from tracker.models import Country
from tracker.policies import as_actor

from . import serializers

M = TypeVar("M", bound=Model)


class OpenReadOnlyViewSet(viewsets.ReadOnlyModelViewSet[M]):
    """Open data: anyone may read; what they see is scoped by the queryset."""

    permission_classes = [permissions.AllowAny]


ERROR_400 = OpenApiResponse(description="Bad input: `{message, extra: {fields}}`.")
ERROR_403 = OpenApiResponse(description="Not the secretariat: nothing written.")


def recommendation_etag(recommendation: Recommendation) -> str:
    """The entity tag of a recommendation's national fields: changes with its
    ``national_version`` (an import of the feed's text leaves it)."""
    return f'"rec-{recommendation.pk}-v{recommendation.national_version}"'


def _version_from_etag(value: str, recommendation: Recommendation) -> int | None:
    """The version an ``If-Match`` header names; 0 (never current) for a tag of another
    recommendation or in another form; ``None`` for ``*``."""
    value = value.strip().removeprefix("W/")
    if value == "*":
        return None
    prefix = f'"rec-{recommendation.pk}-v'
    digits = value.removeprefix(prefix).removesuffix('"')
    if not value.startswith(prefix) or not digits.isdigit():
        return 0
    return int(digits)


PRECONDITION_FAILED = (
    "This recommendation was changed by someone else since you read it (If-Match names an older "
    "version). Read it again and make your change again."
)


@extend_schema_view(
    partial_update=extend_schema(
        summary="Set the national fields of a recommendation (secretariat)",
        description=(
            "Only `cluster` (an id, or null), `priority` (`high`, `medium`, `low` or empty) and "
            "`priority_reason` may change; every other field is the feed's and naming one is a "
            "400. Send the `version` you read, or the `ETag` in `If-Match`: a stale one is "
            "refused with 409 (or 412 for `If-Match`) and nothing is written. The response "
            "carries the new `ETag`."
        ),
        request=serializers.RecommendationNationalInputSerializer,
        responses={
            200: serializers.RecommendationSerializer,
            400: OpenApiResponse(description="A field that is not national, or a bad value."),
            403: OpenApiResponse(description="Not the secretariat."),
            409: OpenApiResponse(description="Stale `version`: nothing written."),
            412: OpenApiResponse(description="Stale `If-Match`: nothing written."),
        },
        parameters=[
            OpenApiParameter(
                "If-Match", str, OpenApiParameter.HEADER, description="The ETag you read."
            )
        ],
        examples=[
            OpenApiExample(
                "Prioritise and cluster",
                value={
                    "cluster": 3,
                    "priority": "high",
                    "priority_reason": "Due at mid-term.",
                    "version": 4,
                },
                request_only=True,
            )
        ],
    ),
    create=extend_schema(
        summary="Enter a recommendation by hand (secretariat)",
        description=(
            "For recommendations that no feed carries: a regional mechanism, a voluntary pledge, "
            "a national body. Marked `is_manual`; imports never touch it."
        ),
        request=serializers.ManualRecommendationInputSerializer,
        responses={
            201: serializers.RecommendationSerializer,
            400: ERROR_400,
            403: ERROR_403,
        },
        examples=[
            OpenApiExample(
                "A voluntary pledge",
                value={
                    "mechanism": "Voluntary pledges",
                    "family": "national",
                    "document": {
                        "symbol": "PLEDGE-2026-01",
                        "title": "Pledges at the Human Rights Council",
                        "url": "https://example.org/pledges.pdf",
                        "publication_date": "2026-03-01",
                    },
                    "paragraph": "3",
                    "text": "Adopt a national action plan on business and human rights.",
                },
                request_only=True,
            )
        ],
    ),
)
class RecommendationViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OpenReadOnlyViewSet[Recommendation],
):
    """Recommendations: open to read; the secretariat sets their national fields (PATCH) and
    enters those that no feed carries (POST)."""

    serializer_class = serializers.RecommendationSerializer
    filterset_class = RecommendationFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self) -> list[Any]:
        if self.request.method in permissions.SAFE_METHODS:
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self) -> QuerySet[Recommendation]:
        actor = as_actor(self.request.user)
        return selectors.with_list_relations(
            policies.visible_recommendations(actor), every_language=True, as_lists=True
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        recommendation = self.get_object()
        data = self.get_serializer(recommendation).data
        return Response(data, headers={"ETag": recommendation_etag(recommendation)})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = as_actor(request.user)
        policies.ensure_can_enter_recommendations(actor)
        payload = serializers.ManualRecommendationInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        document = data["document"]
        recommendation = services.recommendation_create_manual(
            actor=actor,
            entry=services.ManualRecommendation(
                mechanism_code=data["mechanism"],
                family=data["family"],
                document=services.SourceDocument(
                    symbol=document["symbol"],
                    title=document["title"],
                    url=document["url"],
                    publication_date=document["publication_date"],
                ),
                text=data["text"],
                language=data["language"],
                paragraph=data["paragraph"],
                annotation_type=data["annotation_type"],
                position=data["position"],
                publication_state=data["publication_state"],
                theme_ids=[theme.pk for theme in data["themes"]],
                affected_group_ids=[group.pk for group in data["affected_groups"]],
            ),
        )
        stored = self.get_queryset().get(pk=recommendation.pk)
        return Response(
            self.get_serializer(stored).data,
            status=status.HTTP_201_CREATED,
            headers={"ETag": recommendation_etag(stored)},
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not kwargs.get("partial"):
            raise MethodNotAllowed(request.method or "PUT")
        actor = as_actor(request.user)
        recommendation = self.get_object()
        policies.ensure_can_edit_recommendation(actor, recommendation)
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": ["Send a JSON object."]})
        allowed = set(serializers.RecommendationNationalInputSerializer().fields)
        others = sorted(set(request.data) - allowed)
        if others:
            raise ValidationError(
                {
                    name: [
                        "This field is the feed's: it cannot be changed. Only cluster, priority "
                        "and priority_reason can."
                    ]
                    for name in others
                }
            )
        payload = serializers.RecommendationNationalInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        fields = dict(payload.validated_data)
        expected = fields.pop("version", None)
        if_match = request.headers.get("If-Match")
        if if_match:
            tagged = _version_from_etag(if_match, recommendation)
            if tagged is not None and tagged != recommendation.national_version:
                return _precondition_failed(recommendation)
            if expected is None:
                expected = tagged
        try:
            services.recommendation_set_national_fields(
                actor=actor, recommendation=recommendation, expected_version=expected, **fields
            )
        except ConflictError:
            if if_match:
                recommendation.refresh_from_db(fields=["national_version"])
                return _precondition_failed(recommendation)
            raise
        stored = self.get_queryset().get(pk=recommendation.pk)
        return Response(
            self.get_serializer(stored).data, headers={"ETag": recommendation_etag(stored)}
        )


def _precondition_failed(recommendation: Recommendation) -> Response:
    return Response(
        {"message": PRECONDITION_FAILED, "extra": {"version": recommendation.national_version}},
        status=status.HTTP_412_PRECONDITION_FAILED,
        headers={"ETag": recommendation_etag(recommendation)},
    )


class SdgGoalViewSet(OpenReadOnlyViewSet[SdgGoal]):
    queryset = SdgGoal.objects.all()
    serializer_class = serializers.SdgGoalSerializer
    lookup_field = "number"


class SdgTargetViewSet(OpenReadOnlyViewSet[SdgTarget]):
    queryset = SdgTarget.objects.select_related("goal")
    serializer_class = serializers.SdgTargetSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9]+\.[0-9a-z]+"
    filterset_fields = ["goal__number", "kind"]


class SdgIndicatorViewSet(OpenReadOnlyViewSet[SdgIndicator]):
    queryset = SdgIndicator.objects.select_related("target")
    serializer_class = serializers.SdgIndicatorSerializer
    filterset_fields = ["target__code"]


class ThemeViewSet(OpenReadOnlyViewSet[Theme]):
    queryset = Theme.objects.all()
    serializer_class = serializers.ThemeSerializer
    filterset_fields = ["source", "is_reviewed"]


class AffectedGroupViewSet(OpenReadOnlyViewSet[AffectedGroup]):
    queryset = AffectedGroup.objects.all()
    serializer_class = serializers.AffectedGroupSerializer
    filterset_fields = ["source", "is_reviewed"]


class MechanismViewSet(OpenReadOnlyViewSet[Mechanism]):
    queryset = Mechanism.objects.select_related("parent")
    serializer_class = serializers.MechanismSerializer
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    filterset_fields = ["family"]


class ReviewCycleViewSet(OpenReadOnlyViewSet[ReviewCycle]):
    queryset = ReviewCycle.objects.select_related("mechanism")
    serializer_class = serializers.ReviewCycleSerializer
    filterset_fields = ["mechanism__code"]


class DocumentViewSet(OpenReadOnlyViewSet[Document]):
    queryset = Document.objects.select_related("mechanism", "country")
    serializer_class = serializers.DocumentSerializer
    filterset_fields = ["mechanism__code", "cycle"]


@extend_schema_view(
    create=extend_schema(
        summary="Create a cluster (secretariat)",
        request=serializers.ClusterInputSerializer,
        responses={201: serializers.ClusterSerializer, 400: ERROR_400, 403: ERROR_403},
        examples=[
            OpenApiExample(
                "A cluster",
                value={"code": "JUS", "name": "Justice and detention", "lead_institution": 4},
                request_only=True,
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Rename, re-code or retire a cluster (secretariat)",
        description="`is_active: false` retires it: it keeps its recommendations, takes no more.",
        request=serializers.ClusterInputSerializer(partial=True),
        responses={200: serializers.ClusterSerializer, 400: ERROR_400, 403: ERROR_403},
    ),
)
class ClusterViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, OpenReadOnlyViewSet[Cluster]
):
    """National clusters: open to read (with how many recommendations the caller sees in each);
    the secretariat creates, renames and retires them (no delete: retire instead) and moves
    recommendations in and out."""

    serializer_class = serializers.ClusterSerializer
    filterset_fields = ["is_active", "lead_institution"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self) -> list[Any]:
        if self.request.method in permissions.SAFE_METHODS:
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self) -> QuerySet[Cluster]:
        return selectors.cluster_list(actor=as_actor(self.request.user))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = as_actor(request.user)
        policies.ensure_can_manage_clusters(actor)
        payload = serializers.ClusterInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data.pop("is_active", None)
        cluster = services.cluster_create(actor=actor, **data)
        stored = self.get_queryset().get(pk=cluster.pk)
        return Response(self.get_serializer(stored).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not kwargs.get("partial"):
            raise MethodNotAllowed(request.method or "PUT")
        actor = as_actor(request.user)
        cluster = self.get_object()
        policies.ensure_can_manage_clusters(actor)
        payload = serializers.ClusterInputSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        services.cluster_update(actor=actor, cluster=cluster, **payload.validated_data)
        stored = self.get_queryset().get(pk=cluster.pk)
        return Response(self.get_serializer(stored).data)

    @extend_schema(
        summary="Add recommendations to a cluster and remove others (secretariat)",
        request=serializers.ClusterRecommendationsInputSerializer,
        responses={
            200: serializers.ClusterRecommendationsOutputSerializer,
            400: OpenApiResponse(description="An unknown id (named), or an id added and removed."),
            403: ERROR_403,
        },
        examples=[OpenApiExample("Move", value={"add": [12, 13], "remove": [7]})],
    )
    @action(detail=True, methods=["post"], url_path="recommendations")
    def recommendations(self, request: Request, pk: str | None = None) -> Response:
        actor = as_actor(request.user)
        cluster = self.get_object()
        policies.ensure_can_manage_clusters(actor)
        payload = serializers.ClusterRecommendationsInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        added, removed = services.cluster_recommendations_change(
            actor=actor,
            cluster=cluster,
            add=payload.validated_data.get("add", []),
            remove=payload.validated_data.get("remove", []),
        )
        stored = self.get_queryset().get(pk=cluster.pk)
        out = serializers.ClusterRecommendationsOutputSerializer(
            {"added": added, "removed": removed, "cluster": stored},
            context=self.get_serializer_context(),
        )
        return Response(out.data)


class CountryViewSet(OpenReadOnlyViewSet[Country]):
    queryset = Country.objects.all()
    serializer_class = serializers.CountrySerializer
    lookup_field = "iso3"
    filterset_fields = ["regional_group", "is_un_member"]
