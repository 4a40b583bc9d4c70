"""Serializers of the plans API: outputs (what a row reads as) and inputs (the shape of what a
write accepts: types, lengths, choices, references the caller may see). The rules across fields
and rows are the services'; no serializer saves anything."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from plans import policies
from plans.models import (
    BudgetLine,
    Consultation,
    ConsultationDocument,
    ImplementationPlan,
    Indicator,
    IndicatorValue,
    Measure,
    Milestone,
    NationalFramework,
    NationalGoal,
)
from plans.selectors import indicator_next_due_date
from recommendations.models import SdgIndicator, SdgTarget
from recommendations.policies import visible_recommendations
from tracker.models import Institution

from .fields import IdListField, ScopedPrimaryKeyField


def _all_institutions(actor: object) -> Any:
    return Institution.objects.all()


def _all_sdg_targets(actor: object) -> Any:
    return SdgTarget.objects.all()


def _all_sdg_indicators(actor: object) -> Any:
    return SdgIndicator.objects.all()


# --- plans --------------------------------------------------------------------------------------


class PlanSerializer(serializers.ModelSerializer[ImplementationPlan]):
    next_version = serializers.SerializerMethodField()

    class Meta:
        model = ImplementationPlan
        fields = [
            "id",
            "title",
            "description",
            "starts_on",
            "ends_on",
            "state",
            "version",
            "revision",
            "previous_version",
            "next_version",
            "adopted_on",
            "closed_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_next_version(self, obj: ImplementationPlan) -> int | None:
        try:
            return obj.next_version.pk  # type: ignore[no-any-return]
        except ImplementationPlan.DoesNotExist:
            return None


class PlanInputSerializer(serializers.ModelSerializer[ImplementationPlan]):
    revision = serializers.IntegerField(
        required=False,
        min_value=1,
        write_only=True,
        help_text="On a change: the revision you read (or send it in If-Match); a stale one is "
        "refused (409; 412 with If-Match) and nothing is written.",
    )

    class Meta:
        model = ImplementationPlan
        fields = ["title", "description", "starts_on", "ends_on", "revision"]
        validators: list[Any] = []


class PlanAdoptInputSerializer(serializers.Serializer[Any]):
    adopted_on = serializers.DateField(required=False, help_text="Default: today.")


class PlanCloseInputSerializer(serializers.Serializer[Any]):
    closed_on = serializers.DateField(required=False, help_text="Default: today.")


# --- measures -----------------------------------------------------------------------------------


class SmartSerializer(serializers.Serializer[Measure]):
    specific = serializers.BooleanField(source="smart_specific", allow_null=True)
    measurable = serializers.BooleanField(source="smart_measurable", allow_null=True)
    achievable = serializers.BooleanField(source="smart_achievable", allow_null=True)
    relevant = serializers.BooleanField(source="smart_relevant", allow_null=True)
    time_bound = serializers.BooleanField(source="smart_time_bound", allow_null=True)
    note = serializers.CharField(source="smart_note", allow_blank=True)
    checked_on = serializers.DateField(source="smart_checked_on", allow_null=True, read_only=True)


class MeasureSerializer(serializers.ModelSerializer[Measure]):
    recommendations: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    supporting_institutions: serializers.PrimaryKeyRelatedField[Any] = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    )
    sdg_targets: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    framework_goals: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    smart = SmartSerializer(source="*", read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "plan",
            "position",
            "title",
            "description",
            "kind",
            "recommendations",
            "lead_institution",
            "supporting_institutions",
            "starts_on",
            "ends_on",
            "status",
            "sdg_targets",
            "framework_goals",
            "gender_marker",
            "technical_assistance",
            "expected_outcome",
            "smart",
            "proposal_state",
            "decline_reason",
            "copied_from",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MeasureInputSerializer(serializers.ModelSerializer[Measure]):
    """A measure as written: ``recommendations``, ``supporting_institutions`` and
    ``framework_goals`` are lists of ids, ``sdg_targets`` a list of codes ("16.3")."""

    plan = ScopedPrimaryKeyField(policies.visible_plans)
    recommendations = IdListField(visible_recommendations, required=False)
    supporting_institutions = IdListField(_all_institutions, required=False)
    sdg_targets = IdListField(_all_sdg_targets, slug_field="code", required=False)
    framework_goals = IdListField(policies.visible_goals, required=False)

    class Meta:
        model = Measure
        fields = [
            "plan",
            "title",
            "description",
            "kind",
            "recommendations",
            "lead_institution",
            "supporting_institutions",
            "starts_on",
            "ends_on",
            "status",
            "sdg_targets",
            "framework_goals",
            "gender_marker",
            "technical_assistance",
            "expected_outcome",
            "position",
        ]
        validators: list[Any] = []


class MeasureUpdateInputSerializer(MeasureInputSerializer):
    """As ``MeasureInputSerializer``; a measure stays in its plan. ``version``: the one you read
    (or send it in If-Match); a stale one is refused (409; 412 with If-Match)."""

    version = serializers.IntegerField(required=False, min_value=1, write_only=True)

    class Meta(MeasureInputSerializer.Meta):
        fields = [*(f for f in MeasureInputSerializer.Meta.fields if f != "plan"), "version"]


class MeasureDeclineInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=5000)


class MeasureSmartInputSerializer(serializers.Serializer[Any]):
    specific = serializers.BooleanField(allow_null=True)
    measurable = serializers.BooleanField(allow_null=True)
    achievable = serializers.BooleanField(allow_null=True)
    relevant = serializers.BooleanField(allow_null=True)
    time_bound = serializers.BooleanField(allow_null=True)
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=5000)


# --- milestones, budget lines -------------------------------------------------------------------


class MilestoneSerializer(serializers.ModelSerializer[Milestone]):
    class Meta:
        model = Milestone
        fields = ["id", "measure", "title", "due_on", "done_on", "created_at", "updated_at"]
        read_only_fields = fields


class MilestoneInputSerializer(serializers.ModelSerializer[Milestone]):
    measure = ScopedPrimaryKeyField(policies.visible_measures)

    class Meta:
        model = Milestone
        fields = ["measure", "title", "due_on", "done_on"]
        validators: list[Any] = []


class MilestoneUpdateInputSerializer(MilestoneInputSerializer):
    class Meta(MilestoneInputSerializer.Meta):
        fields = ["title", "due_on", "done_on"]


class BudgetLineSerializer(serializers.ModelSerializer[BudgetLine]):
    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "measure",
            "amount",
            "currency",
            "funding_source",
            "committed",
            "spent",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class BudgetLineInputSerializer(serializers.ModelSerializer[BudgetLine]):
    measure = ScopedPrimaryKeyField(policies.visible_measures)

    class Meta:
        model = BudgetLine
        fields = ["measure", "amount", "currency", "funding_source", "committed", "spent"]
        validators: list[Any] = []


class BudgetLineUpdateInputSerializer(BudgetLineInputSerializer):
    class Meta(BudgetLineInputSerializer.Meta):
        fields = ["amount", "currency", "funding_source", "committed", "spent"]


# --- indicators ---------------------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    next_due_on = serializers.SerializerMethodField(
        help_text="When the earliest period without a value is due (in the past: overdue)."
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "measure",
            "recommendation",
            "name",
            "kind",
            "unit",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
            "frequency",
            "data_source",
            "disaggregation",
            "sdg_indicator",
            "next_due_on",
            "copied_from",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_next_due_on(self, obj: Indicator) -> Any:
        today = self.context.get("today")
        if today is None:
            from django.utils import timezone

            today = timezone.localdate()
        return indicator_next_due_date(obj, today=today)


class IndicatorInputSerializer(serializers.ModelSerializer[Indicator]):
    """An indicator as written: on a ``measure`` or a ``recommendation`` (one of them)."""

    measure = ScopedPrimaryKeyField(policies.visible_measures, required=False, allow_null=True)
    recommendation = ScopedPrimaryKeyField(visible_recommendations, required=False, allow_null=True)
    sdg_indicator = ScopedPrimaryKeyField(_all_sdg_indicators, required=False, allow_null=True)
    disaggregation = serializers.ListField(
        child=serializers.CharField(max_length=30), required=False, max_length=20
    )

    class Meta:
        model = Indicator
        fields = [
            "measure",
            "recommendation",
            "name",
            "kind",
            "unit",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
            "frequency",
            "data_source",
            "disaggregation",
            "sdg_indicator",
        ]
        validators: list[Any] = []


class IndicatorUpdateInputSerializer(IndicatorInputSerializer):
    class Meta(IndicatorInputSerializer.Meta):
        fields = [
            f
            for f in IndicatorInputSerializer.Meta.fields
            if f not in ("measure", "recommendation")
        ]


class IndicatorValueSerializer(serializers.ModelSerializer[IndicatorValue]):
    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "period",
            "value",
            "disaggregation",
            "source",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class IndicatorValueInputSerializer(serializers.Serializer[Any]):
    indicator = ScopedPrimaryKeyField(policies.visible_indicators)
    period = serializers.CharField(max_length=7, help_text='"2027", "2027-Q3" or "2027-03".')
    value = serializers.DecimalField(max_digits=20, decimal_places=4)
    disaggregation = serializers.DictField(
        child=serializers.CharField(max_length=100), required=False, default=dict
    )
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=300, required=False, allow_blank=True, default=""
    )


class IndicatorValueUpdateInputSerializer(serializers.Serializer[Any]):
    period = serializers.CharField(max_length=7, required=False)
    value = serializers.DecimalField(max_digits=20, decimal_places=4, required=False)
    disaggregation = serializers.DictField(
        child=serializers.CharField(max_length=100), required=False
    )
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=300, required=False, allow_blank=True
    )


# --- consultations ------------------------------------------------------------------------------


class ConsultationDocumentSerializer(serializers.ModelSerializer[ConsultationDocument]):
    url = serializers.SerializerMethodField(help_text="Where the file is read.")

    class Meta:
        model = ConsultationDocument
        fields = ["id", "title", "content_type", "size", "url", "created_at"]
        read_only_fields = fields

    def get_url(self, obj: ConsultationDocument) -> str:
        path = reverse("api:consultation-document", args=[obj.consultation_id, obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ConsultationSerializer(serializers.ModelSerializer[Consultation]):
    participants: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    recommendations: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    documents = ConsultationDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "held_on",
            "title",
            "participants",
            "recommendations",
            "summary",
            "documents",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ConsultationInputSerializer(serializers.ModelSerializer[Consultation]):
    participants = IdListField(_all_institutions, allow_empty=False)
    recommendations = IdListField(visible_recommendations, required=False)

    class Meta:
        model = Consultation
        fields = ["held_on", "title", "participants", "recommendations", "summary"]
        validators: list[Any] = []


class ConsultationDocumentInputSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(max_length=300, allow_empty_file=False)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


# --- national frameworks ------------------------------------------------------------------------


class NationalFrameworkSerializer(serializers.ModelSerializer[NationalFramework]):
    class Meta:
        model = NationalFramework
        fields = ["id", "name", "kind", "starts_on", "ends_on", "is_active"]
        read_only_fields = ["id"]
        validators: list[Any] = []
        extra_kwargs: dict[str, Any] = {"name": {"validators": []}}


class NationalGoalSerializer(serializers.ModelSerializer[NationalGoal]):
    recommendations: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = NationalGoal
        fields = ["id", "framework", "parent", "code", "title", "recommendations"]
        read_only_fields = fields


class NationalGoalInputSerializer(serializers.ModelSerializer[NationalGoal]):
    framework = ScopedPrimaryKeyField(policies.visible_frameworks)
    parent = ScopedPrimaryKeyField(  # type: ignore[assignment]
        policies.visible_goals, required=False, allow_null=True
    )
    recommendations = IdListField(visible_recommendations, required=False)

    class Meta:
        model = NationalGoal
        fields = ["framework", "parent", "code", "title", "recommendations"]
        validators: list[Any] = []


class NationalGoalUpdateInputSerializer(NationalGoalInputSerializer):
    class Meta(NationalGoalInputSerializer.Meta):
        fields = ["parent", "code", "title", "recommendations"]
