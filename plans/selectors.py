"""Reads of plans, measures, indicators and consultations, scoped by who is asking
(``plans.policies``), each in a fixed number of queries however many rows and links there are.

The ``*_queryset`` functions give what the API's viewsets list (their filters are applied by
the API); the ``*_list`` functions apply the shared filters (``plans.filters``) for the pages;
the ``*_get`` functions give one visible row or ``Http404``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

import django_filters
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import Count, Exists, F, Model, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from recommendations.models import (
    Recommendation,
    RecommendationText,
    ReviewCycle,
    SdgTarget,
)
from recommendations.policies import visible_recommendations
from tracker.languages import preferred_languages
from tracker.models import Institution
from tracker.policies import Actor

from . import policies
from .filters import (
    BudgetLineFilter,
    ConsultationFilter,
    IndicatorFilter,
    IndicatorValueFilter,
    MatrixFilter,
    MeasureFilter,
    MilestoneFilter,
    NationalGoalFilter,
    PlanFilter,
)
from .models import (
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
    ProposalState,
)
from .periods import ReportingPeriod, reporting_periods

M = TypeVar("M", bound=Model)


@dataclass
class FilteredList(Generic[M]):
    """A list filtered by query parameters; invalid parameters give an empty list (and the
    filterset's errors), never an unfiltered one."""

    filterset: django_filters.FilterSet
    queryset: QuerySet[M]

    @property
    def is_valid(self) -> bool:
        return bool(self.filterset.is_valid())


def _filtered(
    filterset_class: type[django_filters.FilterSet], base: QuerySet[M], filters: Mapping[str, Any]
) -> FilteredList[M]:
    filterset = filterset_class(data=filters, queryset=base)
    qs = filterset.qs if filterset.is_valid() else base.none()
    return FilteredList(filterset=filterset, queryset=qs)


def _get(qs: QuerySet[M], pk: object) -> M:
    try:
        return qs.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _recommendation_ids(actor: Actor) -> Prefetch[Any]:
    """The recommendations a row links to, as far as ``actor`` may see them: ids only."""
    return Prefetch(
        "recommendations", queryset=visible_recommendations(actor).only("id").order_by("pk")
    )


# --- plans --------------------------------------------------------------------------------------


def plan_queryset(*, actor: Actor) -> QuerySet[ImplementationPlan]:
    return policies.visible_plans(actor).select_related("next_version")


def plan_list(*, actor: Actor, filters: Mapping[str, Any]) -> FilteredList[ImplementationPlan]:
    return _filtered(PlanFilter, plan_queryset(actor=actor), filters)


def plan_get(*, actor: Actor, pk: object) -> ImplementationPlan:
    return _get(plan_queryset(actor=actor), pk)


def plan_versions(*, actor: Actor, plan: ImplementationPlan) -> list[ImplementationPlan]:
    """Every version of the plan's lineage that ``actor`` may see, oldest first: two queries
    however many versions (one recursive query walks the lineage both ways)."""
    table = connection.ops.quote_name(ImplementationPlan._meta.db_table)
    sql = f"""
        WITH RECURSIVE earlier(id, previous_version_id) AS (
            SELECT id, previous_version_id FROM {table} WHERE id = %s
            UNION SELECT p.id, p.previous_version_id FROM {table} p
                JOIN earlier e ON p.id = e.previous_version_id
        ), later(id) AS (
            SELECT id FROM {table} WHERE id = %s
            UNION SELECT p.id FROM {table} p JOIN later l ON p.previous_version_id = l.id
        )
        SELECT id FROM earlier UNION SELECT id FROM later
    """  # noqa: S608 (the table name comes from the model)
    with connection.cursor() as cursor:
        cursor.execute(sql, [plan.pk, plan.pk])
        ids = [row[0] for row in cursor.fetchall()]
    return list(policies.visible_plans(actor).filter(pk__in=ids).order_by("version"))


@dataclass(frozen=True)
class BudgetTotal:
    currency: str
    amount: Decimal
    committed: Decimal
    spent: Decimal


def plan_budget_totals(*, actor: Actor, plan: ImplementationPlan) -> list[BudgetTotal]:
    """The plan's budget by currency (amounts in different currencies are not added up), over
    the measures ``actor`` sees: one query."""
    rows = (
        policies.visible_budget_lines(actor)
        .filter(measure__plan=plan)
        .exclude(measure__proposal_state=ProposalState.DECLINED)
        .order_by("currency")
        .values("currency")
        .annotate(amount=Sum("amount"), committed=Sum("committed"), spent=Sum("spent"))
    )
    return [BudgetTotal(r["currency"], r["amount"], r["committed"], r["spent"]) for r in rows]


# --- measures -----------------------------------------------------------------------------------


def with_measure_relations(qs: QuerySet[Measure], *, actor: Actor) -> QuerySet[Measure]:
    """What a list of measures shows (the pages and the API): its links as ids (SDG targets as
    codes), in one query per kind of link whatever the number of measures and links."""
    return qs.prefetch_related(
        _recommendation_ids(actor),
        Prefetch("supporting_institutions", queryset=Institution.objects.only("id").order_by("pk")),
        Prefetch("sdg_targets", queryset=SdgTarget.objects.only("id", "code")),
        Prefetch("framework_goals", queryset=NationalGoal.objects.only("id").order_by("pk")),
    )


def measure_queryset(*, actor: Actor) -> QuerySet[Measure]:
    return with_measure_relations(policies.visible_measures(actor), actor=actor)


def measure_list(*, actor: Actor, filters: Mapping[str, Any]) -> FilteredList[Measure]:
    return _filtered(MeasureFilter, measure_queryset(actor=actor), filters)


def measure_get(*, actor: Actor, pk: object) -> Measure:
    """One visible measure, with its plan and lead institution, or ``Http404``."""
    return _get(measure_queryset(actor=actor).select_related("plan", "lead_institution"), pk)


def measure_proposals(*, actor: Actor) -> QuerySet[Measure]:
    """The proposals that wait for the secretariat's answer, as far as ``actor`` sees them."""
    return (
        measure_queryset(actor=actor)
        .filter(proposal_state=ProposalState.PROPOSED)
        .select_related("plan", "lead_institution")
    )


# --- milestones, budget lines -------------------------------------------------------------------


def milestone_queryset(*, actor: Actor) -> QuerySet[Milestone]:
    return policies.visible_milestones(actor)


def milestone_list(*, actor: Actor, filters: Mapping[str, Any]) -> FilteredList[Milestone]:
    return _filtered(MilestoneFilter, milestone_queryset(actor=actor), filters)


def budget_line_queryset(*, actor: Actor) -> QuerySet[BudgetLine]:
    return policies.visible_budget_lines(actor)


def budget_line_list(*, actor: Actor, filters: Mapping[str, Any]) -> FilteredList[BudgetLine]:
    return _filtered(BudgetLineFilter, budget_line_queryset(actor=actor), filters)


# --- indicators ---------------------------------------------------------------------------------


def indicator_queryset(*, actor: Actor) -> QuerySet[Indicator]:
    """Visible indicators with what their due dates need: the dates of their measure and plan,
    and the periods that have values (``reported_periods``)."""
    periods = (
        IndicatorValue.objects.filter(indicator=OuterRef("pk"))
        .order_by()
        .values("period")
        .distinct()
    )
    return (
        policies.visible_indicators(actor)
        .select_related("measure__plan")
        .annotate(reported_periods=ArraySubquery(periods))
    )


def indicator_list(*, actor: Actor, filters: Mapping[str, Any]) -> FilteredList[Indicator]:
    return _filtered(IndicatorFilter, indicator_queryset(actor=actor), filters)


def indicator_value_queryset(*, actor: Actor) -> QuerySet[IndicatorValue]:
    return policies.visible_indicator_values(actor)


def indicator_value_list(
    *, actor: Actor, filters: Mapping[str, Any]
) -> FilteredList[IndicatorValue]:
    return _filtered(IndicatorValueFilter, indicator_value_queryset(actor=actor), filters)


def indicator_span(indicator: Indicator) -> tuple[date | None, date | None]:
    """When an indicator reports: while its measure runs (the plan's period where the measure
    has no dates); for a recommendation's, from the year after the baseline (or the year it was
    set up) to the end of the target year (open-ended without one)."""
    measure = indicator.measure
    if measure is not None:
        plan = measure.plan
        return measure.starts_on or plan.starts_on, measure.ends_on or plan.ends_on
    if indicator.baseline_year is not None:
        first: date | None = date(indicator.baseline_year + 1, 1, 1)
    else:
        first = indicator.created_at.date() if indicator.created_at else None
    last = date(indicator.target_year, 12, 31) if indicator.target_year else None
    return first, last


def indicator_reporting_periods(
    indicator: Indicator, *, until: date | None = None
) -> list[ReportingPeriod]:
    """The periods the indicator reports on, with their due dates, up to ``until`` (where the
    span is open-ended, ``until`` is needed to list any)."""
    first, last = indicator_span(indicator)
    if until is not None:
        last = min(last, until) if last is not None else until
    if first is None or last is None or last < first:
        return []
    return reporting_periods(indicator.frequency, first, last)


def _reported(indicator: Indicator) -> set[str]:
    periods = getattr(indicator, "reported_periods", None)
    if periods is None:
        periods = indicator.values.values_list("period", flat=True)
    return set(periods)


def indicator_due_periods(indicator: Indicator, *, until: date) -> list[ReportingPeriod]:
    """The periods due by ``until`` (their due date has come) that have no value yet: what is
    overdue on that day. No query for an indicator of ``indicator_queryset``."""
    reported = _reported(indicator)
    return [
        p
        for p in indicator_reporting_periods(indicator, until=until)
        if p.due_on <= until and p.period not in reported
    ]


def indicator_next_due_date(indicator: Indicator, *, today: date) -> date | None:
    """The due date of the earliest period without a value (in the past if it is overdue), or
    ``None`` when every period of the span is reported or the span is open-ended and nothing is
    due within a year."""
    reported = _reported(indicator)
    horizon = date(today.year + 1, 12, 31)
    for period in indicator_reporting_periods(indicator, until=horizon):
        if period.period not in reported:
            return period.due_on
    return None


# --- consultations ------------------------------------------------------------------------------


def consultation_queryset(*, actor: Actor) -> QuerySet[Consultation]:
    return policies.visible_consultations(actor).prefetch_related(
        Prefetch("participants", queryset=Institution.objects.only("id").order_by("pk")),
        _recommendation_ids(actor),
        Prefetch("documents", queryset=ConsultationDocument.objects.order_by("pk")),
    )


def consultation_list(*, actor: Actor, filters: Mapping[str, Any]) -> FilteredList[Consultation]:
    return _filtered(ConsultationFilter, consultation_queryset(actor=actor), filters)


def consultation_get(*, actor: Actor, pk: object) -> Consultation:
    return _get(consultation_queryset(actor=actor), pk)


def consultation_document_get(
    *, actor: Actor, consultation: Consultation, pk: object
) -> ConsultationDocument:
    """A document of a consultation ``actor`` may read, or ``Http404``."""
    return _get(
        policies.visible_consultation_documents(actor).filter(consultation=consultation), pk
    )


# --- national frameworks ------------------------------------------------------------------------


def framework_queryset(*, actor: Actor) -> QuerySet[NationalFramework]:
    return policies.visible_frameworks(actor)


def goal_queryset(*, actor: Actor) -> QuerySet[NationalGoal]:
    return policies.visible_goals(actor).prefetch_related(_recommendation_ids(actor))


def goal_list(*, actor: Actor, filters: Mapping[str, Any]) -> FilteredList[NationalGoal]:
    return _filtered(NationalGoalFilter, goal_queryset(actor=actor), filters)


# --- the pages: the planning matrix, the plan's budget and calendar, what is unplanned ----------


def _plan_measures(actor: Actor, plan: ImplementationPlan) -> QuerySet[Measure]:
    """The measures of ``plan`` that ``actor`` sees, declined proposals left out."""
    return (
        policies.visible_measures(actor)
        .filter(plan=plan)
        .exclude(proposal_state=ProposalState.DECLINED)
    )


def matrix_measures(*, actor: Actor, plan: ImplementationPlan) -> QuerySet[Measure]:
    """The measures of a plan as a row of the planning matrix shows them: lead institution,
    supporting institutions, milestones and indicators, one query per kind of link."""
    return (
        _plan_measures(actor, plan)
        .select_related("lead_institution")
        .prefetch_related(
            Prefetch("supporting_institutions", queryset=Institution.objects.order_by("name")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk")),
            Prefetch("indicators", queryset=Indicator.objects.order_by("pk")),
        )
        .order_by("position", "pk")
    )


@dataclass
class Matrix:
    filterset: MatrixFilter
    recommendations: QuerySet[Recommendation]

    @property
    def is_valid(self) -> bool:
        return bool(self.filterset.is_valid())


def plan_matrix(*, actor: Actor, plan: ImplementationPlan, filters: Mapping[str, Any]) -> Matrix:
    """The planning matrix of ``plan`` in the layout of OHCHR's thematic lists: the
    recommendations ``actor`` sees, by cluster, each with the plan's measures that address it
    (``plan_measures``), ready to paginate. A fixed number of queries per page, however many
    recommendations and measures: the page, its count, and one query per kind of link."""
    measures = _plan_measures(actor, plan)
    base = visible_recommendations(actor)
    filterset = MatrixFilter(data=filters, queryset=base, measures=measures)
    qs = filterset.qs if filterset.is_valid() else base.none()
    shown = matrix_measures(actor=actor, plan=plan).filter(filterset.measure_filters()).distinct()
    qs = (
        qs.select_related("document__mechanism", "cluster")
        .prefetch_related(
            Prefetch(
                "texts",
                queryset=RecommendationText.objects.defer("search_vector", "html").filter(
                    language__in=preferred_languages()
                ),
                to_attr="listed_texts",
            ),
            Prefetch("measures", queryset=shown, to_attr="plan_measures"),
        )
        .defer("raw_record", "national_notes", "status_override_reason")
        .order_by(
            F("cluster__name").asc(nulls_last=True), "document__symbol", "paragraph_sort", "pk"
        )
    )
    return Matrix(filterset=filterset, recommendations=qs)


@dataclass(frozen=True)
class BudgetRow:
    label: str
    currency: str
    amount: Decimal
    committed: Decimal
    spent: Decimal


def plan_budget_by(*, actor: Actor, plan: ImplementationPlan, by: str) -> list[BudgetRow]:
    """The plan's budget summed by lead institution (``by="institution"``) or by funding source
    (``by="source"``), one row per currency (amounts in different currencies are not added up):
    one query."""
    key = "measure__lead_institution__name" if by == "institution" else "funding_source"
    rows = (
        policies.visible_budget_lines(actor)
        .filter(measure__plan=plan)
        .exclude(measure__proposal_state=ProposalState.DECLINED)
        .order_by(key, "currency")
        .values(key, "currency")
        .annotate(amount=Sum("amount"), committed=Sum("committed"), spent=Sum("spent"))
    )
    return [
        BudgetRow(r[key] or "", r["currency"], r["amount"], r["committed"], r["spent"])
        for r in rows
    ]


@dataclass(frozen=True)
class CalendarDate:
    mechanism: str
    cycle: str
    kind: str  # "review", "mid_term", "next_review"
    due_on: date
    estimated: bool  # derived from the review date, not held by the cycle


# The UPR's rhythm where a cycle holds no dates: the next review about four and a half years
# after the review, the voluntary mid-term report half-way, two and a half years after it.
UPR_NEXT_REVIEW_MONTHS = 54
UPR_MID_TERM_MONTHS = 30


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    return date(day.year + year, month + 1, min(day.day, 28))


def plan_calendar(*, actor: Actor, plan: ImplementationPlan) -> list[CalendarDate]:
    """The mechanisms' due dates beside the plan: for each review cycle of the recommendations
    the plan addresses (all cycles when it addresses none yet), its mid-term report and next
    review, as the cycle holds them; where it holds none, derived for the UPR from its review
    date (``estimated``). In date order; one query."""
    addressed = visible_recommendations(actor).filter(measures__plan=plan)
    cycles = ReviewCycle.objects.select_related("mechanism").filter(
        pk__in=addressed.values("document__cycle")
    )
    if not addressed.exists():
        cycles = ReviewCycle.objects.select_related("mechanism").all()
    dates: list[CalendarDate] = []
    for cycle in cycles:
        code = cycle.mechanism.code
        label = str(cycle.label or cycle.number)
        derive = cycle.review_date is not None and cycle.mechanism.family == "upr"
        for kind, held, months in (
            ("mid_term", cycle.mid_term_due, UPR_MID_TERM_MONTHS),
            ("next_review", cycle.next_review, UPR_NEXT_REVIEW_MONTHS),
        ):
            if held is not None:
                dates.append(CalendarDate(code, label, kind, held, estimated=False))
            elif derive and cycle.review_date is not None:
                derived = _add_months(cycle.review_date, months)
                dates.append(CalendarDate(code, label, kind, derived, estimated=True))
    return sorted(dates, key=lambda d: (d.due_on, d.mechanism))


UNPLANNED_KINDS = ("recommendations", "no_indicator", "no_institution", "no_budget")


def plan_unplanned_counts(*, actor: Actor, plan: ImplementationPlan) -> dict[str, int]:
    """How much of ``plan`` is still unplanned, by kind (``UNPLANNED_KINDS``): two queries."""
    measures = _plan_measures(actor, plan).aggregate(
        no_indicator=Count("pk", filter=~Exists(Indicator.objects.filter(measure=OuterRef("pk")))),
        no_institution=Count("pk", filter=Q(lead_institution__isnull=True)),
        no_budget=Count("pk", filter=~Exists(BudgetLine.objects.filter(measure=OuterRef("pk")))),
    )
    unplanned = plan_unplanned(actor=actor, plan=plan, kind="recommendations")
    return {"recommendations": unplanned.count(), **measures}


def plan_unplanned(*, actor: Actor, plan: ImplementationPlan, kind: str) -> QuerySet[Any]:
    """The recommendations ``actor`` sees that no measure of ``plan`` addresses
    (``kind="recommendations"``), or the plan's measures with no indicator, no lead institution
    or no budget line."""
    if kind == "recommendations":
        planned = _plan_measures(actor, plan).filter(recommendations=OuterRef("pk"))
        return (
            visible_recommendations(actor)
            .filter(~Exists(planned))
            .select_related("document__mechanism", "cluster")
            .prefetch_related(
                Prefetch(
                    "texts",
                    queryset=RecommendationText.objects.defer("search_vector", "html").filter(
                        language__in=preferred_languages()
                    ),
                    to_attr="listed_texts",
                )
            )
            .defer("raw_record", "national_notes", "status_override_reason")
            .order_by(
                F("cluster__name").asc(nulls_last=True), "document__symbol", "paragraph_sort", "pk"
            )
        )
    measures = (
        _plan_measures(actor, plan).select_related("lead_institution").order_by("position", "pk")
    )
    if kind == "no_indicator":
        return measures.filter(~Exists(Indicator.objects.filter(measure=OuterRef("pk"))))
    if kind == "no_institution":
        return measures.filter(lead_institution__isnull=True)
    if kind == "no_budget":
        return measures.filter(~Exists(BudgetLine.objects.filter(measure=OuterRef("pk"))))
    raise Http404


@dataclass
class MeasureParts:
    """What a measure's page lists: its links and parts, as far as ``actor`` sees them."""

    supporting: list[Institution]
    recommendations: list[Recommendation]
    milestones: list[Milestone]
    budget_lines: list[BudgetLine]
    indicators: list[Indicator]  # with ``reported_periods`` and their values prefetched
    sdg_targets: list[SdgTarget]


def measure_parts(*, actor: Actor, measure: Measure) -> MeasureParts:
    """The parts of a visible measure for its page: one query per kind."""
    return MeasureParts(
        supporting=list(measure.supporting_institutions.order_by("name")),
        recommendations=list(
            visible_recommendations(actor)
            .filter(measures=measure)
            .select_related("document")
            .order_by("document__symbol", "paragraph_sort")
        ),
        milestones=list(measure.milestones.order_by("due_on", "pk")),
        budget_lines=list(measure.budget_lines.order_by("pk")),
        indicators=list(
            indicator_queryset(actor=actor)
            .filter(measure=measure)
            .prefetch_related(
                Prefetch("values", queryset=IndicatorValue.objects.order_by("period", "pk"))
            )
            .order_by("pk")
        ),
        sdg_targets=list(measure.sdg_targets.order_by("sort_key")),
    )


@dataclass
class ConsultationParts:
    participants: list[Institution]
    recommendations: list[Recommendation]
    documents: list[ConsultationDocument]


def consultation_parts(*, actor: Actor, consultation: Consultation) -> ConsultationParts:
    """The participants (by name), the recommendations discussed that ``actor`` sees, and the
    documents of a visible consultation, for its page."""
    return ConsultationParts(
        participants=list(consultation.participants.order_by("name")),
        recommendations=list(
            visible_recommendations(actor)
            .filter(consultations=consultation)
            .select_related("document")
            .order_by("document__symbol", "paragraph_sort")
        ),
        documents=list(consultation.documents.order_by("pk")),
    )
