"""Reads of progress reports, their evidence, and what waits for the people of an institution:
every read starts from ``progress_policies`` for the actor."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tracker.policies import Actor, has_role, is_secretariat
from tracker.roles import INSTITUTION_ROLES, Role

from . import progress_policies
from .models import (
    Evidence,
    Indicator,
    IndicatorValue,
    Measure,
    Milestone,
    PlanState,
    ProgressReport,
    ProgressStep,
    ProgressValue,
    ReportState,
)
from .periods import reporting_periods

# How far ahead the homes look for what falls due.
DUE_WINDOW = timedelta(days=30)


def report_queryset(*, actor: Actor) -> QuerySet[ProgressReport]:
    """The reports ``actor`` may read, with what their pages and the API show."""
    return (
        progress_policies.visible_reports(actor)
        .select_related("measure__plan", "institution", "author")
        .prefetch_related(
            Prefetch(
                "steps", queryset=ProgressStep.objects.select_related("actor").order_by("at", "id")
            ),
            Prefetch(
                "values",
                queryset=ProgressValue.objects.select_related("indicator").order_by(
                    "indicator_id", "id"
                ),
            ),
            Prefetch("evidence", queryset=Evidence.objects.order_by("id")),
        )
    )


def report_list(
    *, actor: Actor, filters: Mapping[str, Any] | None = None
) -> QuerySet[ProgressReport]:
    """Reports ``actor`` may read, filtered by ``state``, ``measure``, ``institution``; an
    invalid filter gives an empty list, never an unfiltered one."""
    qs = (
        progress_policies.visible_reports(actor)
        .select_related("measure", "institution", "author")
        .order_by("-updated_at", "-id")
    )
    filters = filters or {}
    state = filters.get("state")
    if state:
        if state not in ReportState.values:
            return qs.none()
        qs = qs.filter(state=state)
    for name in ("measure", "institution"):
        value = filters.get(name)
        if value:
            try:
                qs = qs.filter(**{f"{name}_id": int(value)})
            except (TypeError, ValueError):
                return qs.none()
    return qs


def report_get(*, actor: Actor, pk: Any) -> ProgressReport:
    return get_object_or_404(report_queryset(actor=actor), pk=pk)


def evidence_get(*, actor: Actor, pk: Any) -> Evidence:
    """An evidence file ``actor`` may read (404 otherwise)."""
    return get_object_or_404(
        progress_policies.visible_evidence(actor).select_related("report"), pk=pk
    )


def report_evidence(*, actor: Actor, report: ProgressReport) -> list[Evidence]:
    """The evidence of a (prefetched) report that ``actor`` may see."""
    if is_secretariat(actor) or progress_policies.is_report_institution_member(actor, report):
        return list(report.evidence.all())
    return [e for e in report.evidence.all() if e.is_public]


def public_evidence(*, report: ProgressReport | None = None) -> QuerySet[Evidence]:
    """The portal's evidence: public files of published reports on public measures."""
    qs = Evidence.objects.filter(
        is_public=True, report__in=progress_policies.visible_reports(None)
    ).select_related("report")
    if report is not None:
        qs = qs.filter(report=report)
    return qs.order_by("report_id", "id")


def measures_for_reporting(*, actor: Actor) -> QuerySet[Measure]:
    """Measures of adopted plans on which ``actor`` may report (the report form's choices)."""
    qs = Measure.objects.filter(plan__state=PlanState.ADOPTED).select_related(
        "plan", "lead_institution"
    )
    if is_secretariat(actor):
        return qs.order_by("plan", "position", "id")
    if actor is None or not has_role(actor, Role.FOCAL_POINT):
        return qs.none()
    own = actor.institution_ids([Role.FOCAL_POINT])
    supported = Measure.supporting_institutions.through.objects.filter(
        measure_id=OuterRef("pk"), institution_id__in=own
    )
    return qs.filter(Q(lead_institution__in=own) | Q(Exists(supported))).order_by(
        "plan", "position", "id"
    )


# --- the homes ----------------------------------------------------------------------------------


@dataclass
class DueIndicator:
    indicator: Indicator
    period: str
    due_on: date
    overdue: bool


@dataclass
class Portfolio:
    """What the focal point or validator of an institution works on."""

    measures: list[Measure] = field(default_factory=list)
    milestones_due: list[Milestone] = field(default_factory=list)
    milestones_overdue: list[Milestone] = field(default_factory=list)
    indicators_due: list[DueIndicator] = field(default_factory=list)
    drafts: list[ProgressReport] = field(default_factory=list)
    returned: list[ProgressReport] = field(default_factory=list)
    to_validate: list[ProgressReport] = field(default_factory=list)
    measure_count: int = 0
    can_report: bool = False  # a focal point: the homes offer "Report progress"


HOME_LIMIT = 50


def _institution_measures(institutions: set[int]) -> QuerySet[Measure]:
    supported = Measure.supporting_institutions.through.objects.filter(
        measure_id=OuterRef("pk"), institution_id__in=institutions
    )
    return Measure.objects.filter(plan__state=PlanState.ADOPTED).filter(
        Q(lead_institution__in=institutions) | Q(Exists(supported))
    )


def institution_portfolio(*, actor: Actor, today: date | None = None) -> Portfolio:
    """The measures of the actor's institutions (in adopted plans), their milestones and
    indicator values due in the next 30 days or overdue, the reports in draft or returned, and
    (for validators) the reports that wait for validation. A bounded number of queries,
    whatever the size of the portfolio; each list shows at most ``HOME_LIMIT`` rows."""
    portfolio = Portfolio()
    if actor is None or not has_role(actor, *INSTITUTION_ROLES):
        return portfolio
    today = today or timezone.localdate()
    horizon = today + DUE_WINDOW
    institutions = actor.institution_ids(INSTITUTION_ROLES)
    measures = _institution_measures(institutions)
    portfolio.measure_count = measures.count()
    portfolio.measures = list(
        measures.select_related("plan", "lead_institution").order_by("ends_on", "id")[:HOME_LIMIT]
    )
    open_milestones = Milestone.objects.filter(
        measure__in=measures.values("pk"), done_on__isnull=True
    ).select_related("measure")
    portfolio.milestones_overdue = list(
        open_milestones.filter(due_on__lt=today).order_by("due_on", "id")[:HOME_LIMIT]
    )
    portfolio.milestones_due = list(
        open_milestones.filter(due_on__gte=today, due_on__lte=horizon).order_by("due_on", "id")[
            :HOME_LIMIT
        ]
    )
    portfolio.indicators_due = _indicators_due(measures, today, horizon)
    reports = ProgressReport.objects.filter(institution__in=institutions).select_related(
        "measure", "institution"
    )
    focal = (
        actor.institution_ids([Role.FOCAL_POINT]) if has_role(actor, Role.FOCAL_POINT) else set()
    )
    portfolio.can_report = bool(focal)
    if focal:
        portfolio.drafts = list(
            reports.filter(institution__in=focal, state=ReportState.DRAFT).order_by("-updated_at")[
                :HOME_LIMIT
            ]
        )
        portfolio.returned = list(
            reports.filter(institution__in=focal, state=ReportState.RETURNED).order_by(
                "-updated_at"
            )[:HOME_LIMIT]
        )
    validating = (
        actor.institution_ids([Role.VALIDATOR]) if has_role(actor, Role.VALIDATOR) else set()
    )
    if validating:
        portfolio.to_validate = list(
            reports.filter(institution__in=validating, state=ReportState.SUBMITTED).order_by(
                "updated_at"
            )[:HOME_LIMIT]
        )
    return portfolio


def _indicators_due(measures: QuerySet[Measure], today: date, horizon: date) -> list[DueIndicator]:
    """The periods of the measures' indicators whose value is due by ``horizon`` and not
    recorded yet (two queries: the indicators, the periods that have a value)."""
    indicators = list(
        Indicator.objects.filter(measure__in=measures.values("pk"))
        .select_related("measure__plan")
        .order_by("id")
    )
    if not indicators:
        return []
    recorded = set(
        IndicatorValue.objects.filter(indicator__in=[i.pk for i in indicators])
        .values_list("indicator_id", "period")
        .distinct()
    )
    due: list[DueIndicator] = []
    for indicator in indicators:
        measure = indicator.measure
        assert measure is not None  # noqa: S101 (indicators of measures only)
        starts_on = measure.starts_on or measure.plan.starts_on
        ends_on = measure.ends_on or measure.plan.ends_on
        for period in reporting_periods(indicator.frequency, starts_on, ends_on):
            if period.due_on > horizon:
                break
            if (indicator.pk, period.period) in recorded:
                continue
            due.append(DueIndicator(indicator, period.period, period.due_on, period.due_on < today))
    due.sort(key=lambda d: (d.due_on, d.indicator.pk))
    return due[:HOME_LIMIT]


# --- the follow-up pages ------------------------------------------------------------------------


def assessments_side_by_side(*, actor: Actor, recommendation: Any) -> dict[str, list[Any]]:
    """The assessments of a recommendation that ``actor`` may read, by kind of assessor
    (government, NHRI, civil society), newest first."""
    from .models import AssessorKind

    by_kind: dict[str, list[Any]] = {kind: [] for kind in AssessorKind.values}
    rows = (
        progress_policies.visible_assessments(actor)
        .filter(recommendation=recommendation)
        .select_related("institution")
        .order_by("-assessed_on", "-id")
    )
    for assessment in rows:
        by_kind[assessment.assessor_kind].append(assessment)
    return by_kind


def comments_on(*, actor: Actor, recommendation: Any = None, measure: Any = None) -> list[Any]:
    qs = progress_policies.visible_comments(actor).select_related("institution")
    if recommendation is not None:
        qs = qs.filter(recommendation=recommendation)
    if measure is not None:
        qs = qs.filter(measure=measure)
    return list(qs.order_by("created_at", "id")[:200])


def comments_to_moderate(*, actor: Actor) -> QuerySet[Any]:
    from .models import Comment, CommentState

    if not progress_policies.can_moderate_comments(actor):
        return Comment.objects.none()
    return (
        Comment.objects.filter(state=CommentState.PENDING)
        .select_related("author", "institution", "recommendation", "measure")
        .order_by("created_at", "id")
    )


def published_reports_of(*, actor: Actor, measure_ids: Any) -> list[ProgressReport]:
    return list(
        progress_policies.visible_reports(actor)
        .filter(measure__in=measure_ids)
        .select_related("measure", "institution")
        .order_by("-updated_at")[:100]
    )


@dataclass
class Coverage:
    """Recommendations and measures with and without a support project."""

    recommendations_supported: int = 0
    recommendations_unsupported: int = 0
    measures_supported: int = 0
    measures_unsupported: int = 0
    unsupported_measures: list[Measure] = field(default_factory=list)


def support_coverage(*, actor: Actor) -> Coverage:
    """How much of what ``actor`` sees has support (counts in two queries, and the first
    unsupported measures of adopted plans)."""
    from django.db.models import Count
    from django.db.models import Q as _Q

    from recommendations.policies import visible_recommendations

    from . import policies

    recs = (
        visible_recommendations(actor)
        .order_by()
        .aggregate(
            supported=Count("pk", filter=_Q(support_projects__isnull=False), distinct=True),
            total=Count("pk", distinct=True),
        )
    )
    measures = policies.visible_measures(actor).filter(plan__state=PlanState.ADOPTED)
    counts = measures.order_by().aggregate(
        supported=Count("pk", filter=_Q(support_projects__isnull=False), distinct=True),
        total=Count("pk", distinct=True),
    )
    return Coverage(
        recommendations_supported=recs["supported"],
        recommendations_unsupported=recs["total"] - recs["supported"],
        measures_supported=counts["supported"],
        measures_unsupported=counts["total"] - counts["supported"],
        unsupported_measures=list(
            measures.filter(support_projects__isnull=True)
            .select_related("lead_institution")
            .order_by("plan", "position", "id")[:HOME_LIMIT]
        ),
    )
