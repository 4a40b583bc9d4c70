"""Output serializers of the read-only recommendation API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.reverse import reverse

from recommendations.models import (
    SEARCH_CONFIGS,
    AffectedGroup,
    AnnotationType,
    Cluster,
    Document,
    Mechanism,
    MechanismFamily,
    Position,
    Priority,
    PublicationState,
    Recommendation,
    RecommendationText,
    ReviewCycle,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    Theme,
)
from tracker.models import Country, Institution

# The API's date and time format (DRF's, in the current time zone), for the fast representation.
_DATETIME = serializers.DateTimeField()
_URL_SENTINEL = 987654321987


def _listed(obj: Recommendation, relation: str, to_attr: str) -> Any:
    """A row's tags: the list the API's query put on it, else the relation itself."""
    listed = getattr(obj, to_attr, None)
    return listed if listed is not None else getattr(obj, relation).all()


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
            "url",
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
    """A national cluster. ``lead_institution`` is the institution's id; its name is beside it."""

    lead_institution_name: serializers.StringRelatedField[Any] = serializers.StringRelatedField(
        source="lead_institution", read_only=True, allow_null=True
    )
    recommendation_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Cluster
        fields = [
            "id",
            "code",
            "name",
            "description",
            "lead_institution",
            "lead_institution_name",
            "is_active",
            "recommendation_count",
        ]
        read_only_fields = fields


class ClusterInputSerializer(serializers.Serializer[Any]):
    """Create (``name`` required) or change (any field) a cluster."""

    name = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=20, required=False, allow_blank=True, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)
    lead_institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.filter(is_active=True), required=False, allow_null=True
    )
    is_active = serializers.BooleanField(required=False)


class ClusterRecommendationsInputSerializer(serializers.Serializer[Any]):
    add = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    remove = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)


class ClusterRecommendationsOutputSerializer(serializers.Serializer[Any]):
    added = serializers.IntegerField(help_text="How many recommendations joined the cluster.")
    removed = serializers.IntegerField(help_text="How many left it.")
    cluster = ClusterSerializer()


class RecommendationNationalInputSerializer(serializers.Serializer[Any]):
    """The national fields a PATCH may change; every other field is the feed's."""

    cluster = serializers.PrimaryKeyRelatedField(
        queryset=Cluster.objects.all(), required=False, allow_null=True
    )
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, allow_blank=True)
    priority_reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The `version` you read (of the national fields): a stale one is refused "
        "(409) and nothing is written.",
    )


class SourceDocumentInputSerializer(serializers.Serializer[Any]):
    symbol = serializers.CharField(max_length=120)
    title = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True, default="")
    publication_date = serializers.DateField(required=False, allow_null=True, default=None)


class ManualRecommendationInputSerializer(serializers.Serializer[Any]):
    """A recommendation that no feed carries, entered by hand with its source document."""

    mechanism = serializers.CharField(
        max_length=80, help_text="The mechanism's code; a new one is created with `family`."
    )
    family = serializers.ChoiceField(
        choices=MechanismFamily.choices, default=MechanismFamily.NATIONAL
    )
    document = SourceDocumentInputSerializer()
    paragraph = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    text = serializers.CharField(max_length=20000)
    language = serializers.ChoiceField(choices=sorted(SEARCH_CONFIGS), default="en")
    annotation_type = serializers.ChoiceField(
        choices=AnnotationType.choices, default=AnnotationType.RECOMMENDATION
    )
    position = serializers.ChoiceField(
        choices=Position.choices, required=False, allow_blank=True, default=""
    )
    publication_state = serializers.ChoiceField(
        choices=PublicationState.choices, default=PublicationState.PUBLISHED
    )
    themes = serializers.PrimaryKeyRelatedField(
        queryset=Theme.objects.all(), many=True, required=False, default=list
    )
    affected_groups = serializers.PrimaryKeyRelatedField(
        queryset=AffectedGroup.objects.all(), many=True, required=False, default=list
    )


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
    cluster_name: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        source="cluster", slug_field="name", read_only=True, allow_null=True
    )
    # Declared: a read-only field built from the model would not say that it may be blank.
    position = serializers.ChoiceField(choices=Position.choices, allow_blank=True, read_only=True)
    priority = serializers.ChoiceField(choices=Priority.choices, allow_blank=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:recommendation-detail")
    # The version a PATCH sends back: that of the national fields, which an import leaves alone.
    version = serializers.IntegerField(
        source="national_version",
        read_only=True,
        help_text="The version of the national fields (cluster, priority...): send it back in a "
        "PATCH. An import of the UN text does not change it.",
    )

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
            "cluster_name",
            "priority",
            "priority_reason",
            "status",
            "is_current",
            "is_manual",
            "publication_state",
            "version",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Recommendation) -> dict[str, Any]:
        """The fields above, read directly from the row and its prefetched relations.

        DRF's generic path builds the 25 fields for each request and walks each of them for each
        row: on a page of 50 that was most of the time the page took in Python. The output is the
        same, key for key (`tests/recommendations/api/test_serializer_output.py` compares both).
        """
        obj = instance
        document = obj.document
        cluster = obj.cluster
        return {
            "id": obj.pk,
            "url": self._detail_url(obj.pk),
            "annotation_id": None if obj.annotation_id is None else str(obj.annotation_id),
            "document": document.symbol,
            "mechanism": document.mechanism.code,
            "cycle": self.get_cycle(obj),
            "paragraph": obj.paragraph,
            "annotation_type": obj.annotation_type,
            "texts": self.get_texts(obj),
            "recommending_states": [
                state.iso3 for state in _listed(obj, "recommending_states", "listed_states")
            ],
            "position": obj.position,
            "position_source": obj.position_source,
            "themes": [theme.name for theme in _listed(obj, "themes", "listed_themes")],
            "affected_groups": [
                group.name for group in _listed(obj, "affected_groups", "listed_affected_groups")
            ],
            "sdg_targets": [
                target.code for target in _listed(obj, "sdg_targets", "listed_sdg_targets")
            ],
            "cluster": obj.cluster_id,
            "cluster_name": None if cluster is None else cluster.name,
            "priority": obj.priority,
            "priority_reason": obj.priority_reason,
            "status": obj.status,
            "is_current": obj.is_current,
            "is_manual": obj.is_manual,
            "publication_state": obj.publication_state,
            "version": obj.national_version,
            "updated_at": _DATETIME.to_representation(obj.updated_at),
        }

    def _detail_url(self, pk: int) -> str:
        # One reversal per serializer (a page), then the id put in: the same address DRF's
        # HyperlinkedIdentityField builds for each row.
        template = getattr(self, "_url_template", None)
        if template is None:
            request = self.context.get("request")
            url = reverse("api:recommendation-detail", kwargs={"pk": _URL_SENTINEL})
            url = request.build_absolute_uri(url) if request is not None else url
            template = url.replace(str(_URL_SENTINEL), "{pk}")
            self._url_template = template
        return template.format(pk=pk)

    def get_cycle(self, obj: Recommendation) -> str | None:
        cycle = obj.document.cycle
        return str(cycle) if cycle else None

    def get_texts(self, obj: Recommendation) -> list[dict[str, Any]]:
        texts = getattr(obj, "listed_texts", None)
        if texts is None:
            texts = obj.texts.defer("search_vector")
        # RecommendationTextSerializer's fields (plain strings), read directly: a serializer built
        # for each row of a page cost more than the rest of the page's serialisation.
        fields = RecommendationTextSerializer.Meta.fields
        return [{name: getattr(text, name) for name in fields} for text in texts]
