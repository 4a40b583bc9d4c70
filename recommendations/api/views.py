"""Read-only API over recommendations and reference data. Published data is open to everyone."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from rest_framework import permissions, viewsets

from recommendations import policies, selectors
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
from tracker.models import Country
from tracker.policies import as_actor

from . import serializers

M = TypeVar("M", bound=Model)


class OpenReadOnlyViewSet(viewsets.ReadOnlyModelViewSet[M]):
    """Open data: anyone may read; what they see is scoped by the queryset."""

    permission_classes = [permissions.AllowAny]


class RecommendationViewSet(OpenReadOnlyViewSet[Recommendation]):
    serializer_class = serializers.RecommendationSerializer
    filterset_class = RecommendationFilter

    def get_queryset(self) -> QuerySet[Recommendation]:
        actor = as_actor(self.request.user)
        return selectors.with_list_relations(
            policies.visible_recommendations(actor), every_language=True
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


class ClusterViewSet(OpenReadOnlyViewSet[Cluster]):
    queryset = Cluster.objects.select_related("lead_institution")
    serializer_class = serializers.ClusterSerializer


class CountryViewSet(OpenReadOnlyViewSet[Country]):
    queryset = Country.objects.all()
    serializer_class = serializers.CountrySerializer
    lookup_field = "iso3"
    filterset_fields = ["regional_group", "is_un_member"]
