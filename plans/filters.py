"""The filters of the plan lists, shared by the pages and the API.

Ids are filtered as numbers, not checked against the rows that exist: a list is scoped by who
asks (the selectors), and a filter must not tell whether a plan one may not see exists.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from recommendations.models import Cluster, Mechanism, Recommendation
from tracker.models import Institution

from .models import (
    BudgetLine,
    Consultation,
    Frequency,
    ImplementationPlan,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    Measure,
    MeasureKind,
    MeasureStatus,
    Milestone,
    NationalGoal,
    PlanState,
    ProposalState,
)

MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A row's id: a whole number a database key can hold (anything else is a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


PROPOSALS = [(value, label) for value, label in ProposalState.choices if value]


class PlanFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=PlanState.choices, label=_("state"))
    version = IdFilter(label=_("version"))

    class Meta:
        model = ImplementationPlan
        fields = ["state", "version"]


class MeasureFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan", label=_("plan"))
    kind = django_filters.ChoiceFilter(choices=MeasureKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=MeasureStatus.choices, label=_("status"))
    lead_institution = IdFilter(field_name="lead_institution", label=_("lead institution"))
    recommendation = IdFilter(field_name="recommendations", label=_("recommendation addressed"))
    proposal_state = django_filters.ChoiceFilter(choices=PROPOSALS, label=_("proposal"))

    class Meta:
        model = Measure
        fields = ["plan", "kind", "status", "lead_institution", "recommendation", "proposal_state"]


class MilestoneFilter(django_filters.FilterSet):
    measure = IdFilter(field_name="measure", label=_("measure"))
    plan = IdFilter(field_name="measure__plan", label=_("plan"))
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")
    done = django_filters.BooleanFilter(
        field_name="done_on", lookup_expr="isnull", exclude=True, label=_("done")
    )

    class Meta:
        model = Milestone
        fields = ["measure", "plan", "due_before", "due_after", "done"]


class BudgetLineFilter(django_filters.FilterSet):
    measure = IdFilter(field_name="measure", label=_("measure"))
    plan = IdFilter(field_name="measure__plan", label=_("plan"))
    currency = django_filters.CharFilter(field_name="currency", lookup_expr="iexact")

    class Meta:
        model = BudgetLine
        fields = ["measure", "plan", "currency"]


class IndicatorFilter(django_filters.FilterSet):
    measure = IdFilter(field_name="measure", label=_("measure"))
    recommendation = IdFilter(field_name="recommendation", label=_("recommendation"))
    plan = IdFilter(field_name="measure__plan", label=_("plan"))
    kind = django_filters.ChoiceFilter(choices=IndicatorKind.choices, label=_("kind"))
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices, label=_("frequency"))

    class Meta:
        model = Indicator
        fields = ["measure", "recommendation", "plan", "kind", "frequency"]


class IndicatorValueFilter(django_filters.FilterSet):
    indicator = IdFilter(field_name="indicator", label=_("indicator"))
    period = django_filters.CharFilter(field_name="period", label=_("period"))
    measure = IdFilter(field_name="indicator__measure", label=_("measure"))
    plan = IdFilter(field_name="indicator__measure__plan", label=_("plan"))

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "period", "measure", "plan"]


class ConsultationFilter(django_filters.FilterSet):
    participant = IdFilter(field_name="participants", label=_("participant"))
    recommendation = IdFilter(field_name="recommendations", label=_("recommendation discussed"))
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = Consultation
        fields = ["participant", "recommendation", "held_after", "held_before"]


class NationalGoalFilter(django_filters.FilterSet):
    framework = IdFilter(field_name="framework", label=_("framework"))
    parent = IdFilter(field_name="parent", label=_("parent goal"))
    top = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", label=_("top-level goals")
    )

    class Meta:
        model = NationalGoal
        fields = ["framework", "parent", "top"]


class MatrixFilter(django_filters.FilterSet):
    """The planning matrix's filters: of the recommendations (cluster, mechanism) and of the
    plan's measures shown beside them (institution, status); a recommendation is kept when one
    of its measures matches."""

    cluster = django_filters.ModelChoiceFilter(
        queryset=Cluster.objects.order_by("name"), label=_("Cluster")
    )
    mechanism = django_filters.ModelChoiceFilter(
        field_name="document__mechanism",
        queryset=Mechanism.objects.order_by("code"),
        label=_("Mechanism"),
    )
    institution = django_filters.ModelChoiceFilter(
        queryset=Institution.objects.order_by("name"),
        label=_("Institution"),
        method="filter_institution",
    )
    status = django_filters.ChoiceFilter(
        choices=MeasureStatus.choices, label=_("Status of the measures"), method="filter_status"
    )

    def __init__(self, *args: Any, measures: QuerySet[Measure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measures = measures

    def _with(self, qs: QuerySet[Recommendation], measures: QuerySet[Measure]) -> Any:
        return qs.filter(Exists(measures.filter(recommendations=OuterRef("pk"))))

    def filter_institution(self, qs: QuerySet[Recommendation], name: str, value: Any) -> Any:
        supported = Measure.supporting_institutions.through.objects.filter(
            measure_id=OuterRef("pk"), institution_id=value.pk
        )
        return self._with(qs, self.measures.filter(Q(lead_institution=value) | Exists(supported)))

    def filter_status(self, qs: QuerySet[Recommendation], name: str, value: Any) -> Any:
        return self._with(qs, self.measures.filter(status=value))

    def measure_filters(self) -> Q:
        """The filters on the measures, for the measures shown beside each recommendation."""
        data = self.form.cleaned_data if self.is_valid() else {}
        condition = Q()
        if data.get("institution"):
            institution = data["institution"]
            condition &= Q(lead_institution=institution) | Q(supporting_institutions=institution)
        if data.get("status"):
            condition &= Q(status=data["status"])
        return condition
