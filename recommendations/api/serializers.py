"""Output serializers of the read-only recommendation API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

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


class CountrySerializer(serializers.ModelSerializer[Country]):
    class Meta:
        model = Country
        fields = ["iso3", "iso2", "names", "regional_group", "is_un_member"]


class MechanismSerializer(serializers.ModelSerializer[Mechanism]):
    parent: serializers.SlugRelatedField[Mechanism] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = Mechanism
        fields = ["code", "family", "names", "parent"]


class ReviewCycleSerializer(serializers.ModelSerializer[ReviewCycle]):
    mechanism: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = ReviewCycle
        fields = ["id", "mechanism", "number", "label", "session", "review_date", "mid_term_due"]


class DocumentSerializer(serializers.ModelSerializer[Document]):
    mechanism: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    country: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="iso3", read_only=True, allow_null=True
    )

    class Meta:
        model = Document
        fields = [
            "symbol",
            "uhri_document_id",
            "mechanism",
            "cycle",
            "country",
            "title",
            "publication_date",
        ]


class ThemeSerializer(serializers.ModelSerializer[Theme]):
    class Meta:
        model = Theme
        fields = ["id", "name", "names", "source", "is_reviewed"]


class AffectedGroupSerializer(serializers.ModelSerializer[AffectedGroup]):
    class Meta:
        model = AffectedGroup
        fields = ["id", "name", "names", "source", "is_reviewed"]


class SdgGoalSerializer(serializers.ModelSerializer[SdgGoal]):
    class Meta:
        model = SdgGoal
        fields = ["number", "titles", "short_titles"]


class SdgTargetSerializer(serializers.ModelSerializer[SdgTarget]):
    goal = serializers.IntegerField(source="goal.number", read_only=True)

    class Meta:
        model = SdgTarget
        fields = ["code", "goal", "kind", "titles"]


class SdgIndicatorSerializer(serializers.ModelSerializer[SdgIndicator]):
    target = serializers.CharField(source="target.code", read_only=True)

    class Meta:
        model = SdgIndicator
        fields = ["code", "target", "titles"]


class ClusterSerializer(serializers.ModelSerializer[Cluster]):
    lead_institution: serializers.StringRelatedField[Any] = serializers.StringRelatedField(
        read_only=True
    )

    class Meta:
        model = Cluster
        fields = ["id", "name", "description", "lead_institution"]


class RecommendationTextSerializer(serializers.ModelSerializer[RecommendationText]):
    class Meta:
        model = RecommendationText
        fields = ["language", "text", "html", "source"]


class RecommendationSerializer(serializers.ModelSerializer[Recommendation]):
    document = serializers.CharField(source="document.symbol", read_only=True)
    mechanism = serializers.CharField(source="document.mechanism.code", read_only=True)
    cycle = serializers.SerializerMethodField()
    texts = serializers.SerializerMethodField()
    recommending_states: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="iso3", many=True, read_only=True
    )
    themes: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True
    )
    affected_groups: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True
    )
    sdg_targets: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    cluster: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="name", read_only=True
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:recommendation-detail")

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "url",
            "annotation_id",
            "document",
            "mechanism",
            "cycle",
            "paragraph",
            "annotation_type",
            "texts",
            "recommending_states",
            "position",
            "position_source",
            "themes",
            "affected_groups",
            "sdg_targets",
            "cluster",
            "priority",
            "status",
            "is_current",
            "publication_state",
            "updated_at",
        ]

    def get_cycle(self, obj: Recommendation) -> str | None:
        cycle = obj.document.cycle
        return str(cycle) if cycle else None

    def get_texts(self, obj: Recommendation) -> list[dict[str, Any]]:
        texts = getattr(obj, "listed_texts", None)
        if texts is None:
            texts = obj.texts.defer("search_vector")
        return RecommendationTextSerializer(texts, many=True).data  # type: ignore[return-value]
