"""Read-only API over recommendations and reference data. Published data is open to everyone."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from rest_framework import permissions, viewsets

from recommendations import policies
from recommendations.filters import RecommendationFilter
from recommendations.models import (
    AffectedGroup,
    Cluster,
    Document,
    Mechanism,
    Recommendation,
    RecommendationText,
    ReviewCycle,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    Theme,
)
from tracker.models import Country
from tracker.policies import as_actor

from . import serializers


class OpenReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Open data: anyone may read; what they see is scoped by the queryset."""

    permission_classes = [permissions.AllowAny]


class RecommendationViewSet(OpenReadOnlyViewSet):
    serializer_class = serializers.RecommendationSerializer
    filterset_class = RecommendationFilter

    def get_queryset(self) -> QuerySet[Recommendation]:
        actor = as_actor(self.request.user)
        qs = policies.visible_recommendations(actor)
        return qs.select_related(
            "document__mechanism", "document__cycle", "cluster"
        ).prefetch_related(
            Prefetch(
                "texts",
                queryset=RecommendationText.objects.defer("search_vector").order_by("language"),
                to_attr="api_texts",
            ),
            "themes",
            "affected_groups",
            "recommending_states",
            "sdg_targets",
        )


class SdgGoalViewSet(OpenReadOnlyViewSet):
    queryset = SdgGoal.objects.all()
    serializer_class = serializers.SdgGoalSerializer
    lookup_field = "number"


class SdgTargetViewSet(OpenReadOnlyViewSet):
    queryset = SdgTarget.objects.select_related("goal")
    serializer_class = serializers.SdgTargetSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9]+\.[0-9a-z]+"
    filterset_fields = ["goal__number", "kind"]


class SdgIndicatorViewSet(OpenReadOnlyViewSet):
    queryset = SdgIndicator.objects.select_related("target")
    serializer_class = serializers.SdgIndicatorSerializer
    filterset_fields = ["target__code"]


class ThemeViewSet(OpenReadOnlyViewSet):
    queryset = Theme.objects.all()
    serializer_class = serializers.ThemeSerializer
    filterset_fields = ["source", "is_reviewed"]


class AffectedGroupViewSet(OpenReadOnlyViewSet):
    queryset = AffectedGroup.objects.all()
    serializer_class = serializers.AffectedGroupSerializer
    filterset_fields = ["source", "is_reviewed"]


class MechanismViewSet(OpenReadOnlyViewSet):
    queryset = Mechanism.objects.select_related("parent")
    serializer_class = serializers.MechanismSerializer
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    filterset_fields = ["family"]


class ReviewCycleViewSet(OpenReadOnlyViewSet):
    queryset = ReviewCycle.objects.select_related("mechanism")
    serializer_class = serializers.ReviewCycleSerializer
    filterset_fields = ["mechanism__code"]


class DocumentViewSet(OpenReadOnlyViewSet):
    queryset = Document.objects.select_related("mechanism", "country")
    serializer_class = serializers.DocumentSerializer
    filterset_fields = ["mechanism__code", "cycle"]


class ClusterViewSet(OpenReadOnlyViewSet):
    queryset = Cluster.objects.select_related("lead_institution")
    serializer_class = serializers.ClusterSerializer


class CountryViewSet(OpenReadOnlyViewSet):
    queryset = Country.objects.all()
    serializer_class = serializers.CountrySerializer
    lookup_field = "iso3"
    filterset_fields = ["regional_group", "is_un_member"]
