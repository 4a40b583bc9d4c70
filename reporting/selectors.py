"""Read-side summaries for dashboards, scoped by who is asking."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from plans import policies as plan_policies
from plans.models import (
    Assessment,
    AssessmentState,
    AssessorKind,
    MeasureStatus,
    Milestone,
    ProgressReport,
    Rating,
    ReportState,
)
from recommendations import policies as recommendation_policies
from recommendations.models import (
    Cluster,
    Document,
    ImplementationStatus,
    MechanismFamily,
    PublicationState,
    Recommendation,
    RecommendationText,
    ReviewCycle,
    SdgGoal,
)
from tracker.models import Institution
from tracker.policies import Actor
from tracker.roles import INSTITUTION_ROLES

from .models import FollowUpSelection


@dataclass
class StatCount:
    key: str
    label: str
    count: int


@dataclass
class Overview:
    total: int
    by_status: list[StatCount]
    by_family: list[StatCount]
    by_publication: list[StatCount] = field(default_factory=list)
    unclustered: int = 0


def _counts(rows: dict[str, int], choices: list[tuple[str, Any]]) -> list[StatCount]:
    return [StatCount(key, str(label), rows.get(key, 0)) for key, label in choices]


def recommendation_overview(*, actor: Actor) -> Overview:
    """Totals of the recommendations ``actor`` may see, by status, mechanism kind and publication."""
    qs = recommendation_policies.visible_recommendations(actor).order_by()
    totals = qs.aggregate(
        total=Count("id"),
        unclustered=Count("id", filter=Q(cluster__isnull=True)),
        **{f"status_{k}": Count("id", filter=Q(status=k)) for k in ImplementationStatus.values},
        **{f"pub_{k}": Count("id", filter=Q(publication_state=k)) for k in PublicationState.values},
        **{
            f"family_{k}": Count("id", filter=Q(document__mechanism__family=k))
            for k in MechanismFamily.values
        },
    )
    return Overview(
        total=totals["total"],
        unclustered=totals["unclustered"],
        by_status=_counts(
            {k: totals[f"status_{k}"] for k in ImplementationStatus.values},
            ImplementationStatus.choices,
        ),
        by_family=[
            c
            for c in _counts(
                {k: totals[f"family_{k}"] for k in MechanismFamily.values}, MechanismFamily.choices
            )
            if c.count
        ],
        by_publication=_counts(
            {k: totals[f"pub_{k}"] for k in PublicationState.values}, PublicationState.choices
        ),
    )


def institution_clusters(*, actor: Actor) -> list[Cluster]:
    """Clusters led by the actor's institutions, with the number of visible recommendations in each."""
    if actor is None:
        return []
    institutions = actor.institution_ids(INSTITUTION_ROLES)
    visible = recommendation_policies.visible_recommendations(actor).values("pk")
    return list(
        Cluster.objects.filter(lead_institution__in=institutions)
        .select_related("lead_institution")
        .annotate(
            recommendation_count=Count("recommendations", filter=Q(recommendations__in=visible)),
            open_count=Count(
                "recommendations",
                filter=Q(recommendations__in=visible)
                & ~Q(recommendations__status=ImplementationStatus.IMPLEMENTED),
            ),
        )
        .order_by("name")
    )


def actor_institutions(*, actor: Actor) -> list[Institution]:
    if actor is None:
        return []
    return list(Institution.objects.filter(memberships__user=actor).distinct().order_by("name"))


def sdg_goal_counts(*, actor: Actor) -> list[SdgGoal]:
    """The 17 goals with the number of visible recommendations linked to each."""
    visible = recommendation_policies.visible_recommendations(actor).values("pk")
    return list(
        SdgGoal.objects.annotate(
            recommendation_count=Count(
                "targets__recommendations",
                filter=Q(targets__recommendations__in=visible),
                distinct=True,
            )
        ).order_by("number")
    )


# --- progress and assessments -------------------------------------------------------------------
# Progress reports and assessments are the plans app's (the progress network). Reports and
# dashboards read them only through the functions below: published ones only, whoever asks.


def progress_for_recommendations(ids: Sequence[int]) -> dict[int, list[str]]:
    """The published progress of each recommendation of ``ids``, one line per progress report
    of a measure addressing it ("2026-Q1, Ministry of Justice: the bill was tabled…"), newest
    first; ids without any are absent. One query for the whole list."""
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    rows = (
        ProgressReport.objects.filter(
            state=ReportState.PUBLISHED, measure__recommendations__in=list(ids)
        )
        .values_list("measure__recommendations", "period", "institution__name", "narrative")
        .order_by("-published_at", "-pk")
    )
    for recommendation_id, period, institution, narrative in rows:
        text = " ".join(narrative.split())
        found.setdefault(recommendation_id, []).append(f"{period}, {institution}: {text}")
    return found


def assessments_for_recommendations(ids: Sequence[int]) -> dict[int, list[str]]:
    """The published assessments of each recommendation of ``ids``, one line per assessment
    ("Government: Partially implemented (2026-02-01)", "National human rights institution: …",
    "Civil society: …"), in that order, newest first within each; ids without any are absent.
    One query for the whole list."""
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    order = {kind: n for n, kind in enumerate(AssessorKind.values)}
    rows = sorted(
        Assessment.objects.filter(state=AssessmentState.PUBLISHED, recommendation__in=list(ids))
        .order_by("-published_at", "-pk")
        .values_list("recommendation_id", "assessor_kind", "rating", "published_at"),
        key=lambda row: order.get(row[1], len(order)),
    )
    kinds, ratings = dict(AssessorKind.choices), dict(Rating.choices)
    for recommendation_id, kind, rating, published_at in rows:
        day = f" ({published_at.date().isoformat()})" if published_at else ""
        found.setdefault(recommendation_id, []).append(
            f"{kinds.get(kind, kind)}: {ratings.get(rating, rating)}{day}"
        )
    return found


# --- dashboards ---------------------------------------------------------------------------------

AT_RISK_DAYS = 90
MEASURES_SHOWN = 20


@dataclass
class Bar:
    """One row of a progress chart: a cluster, a mechanism… with its recommendations by status."""

    label: str
    query: str  # the filter of the recommendation list behind it ("cluster=3")
    counts: list[int]  # one per ImplementationStatus, in choice order

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class Breakdown:
    key: str
    title: str
    bars: list[Bar]


@dataclass
class MeasureAlert:
    measure_id: int
    title: str
    institution: str
    ends_on: date | None
    status: str
    reason: str


@dataclass
class BudgetTotal:
    currency: str
    planned: Decimal
    committed: Decimal
    spent: Decimal


@dataclass
class Dashboard:
    statuses: list[StatCount]
    breakdowns: list[Breakdown]
    overdue: list[MeasureAlert]
    overdue_count: int
    at_risk: list[MeasureAlert]
    at_risk_count: int
    budget: list[BudgetTotal]
    scope_institutions: list[str] = field(default_factory=list)


def _status_rows(
    qs: QuerySet[Recommendation], key: str, *label_fields: str
) -> dict[Any, tuple[tuple[Any, ...], list[int]]]:
    """{key value: (label values, counts by status)} in one query."""
    statuses = list(ImplementationStatus.values)
    out: dict[Any, tuple[tuple[Any, ...], list[int]]] = {}
    rows = (
        qs.order_by()
        .values(key, *label_fields, "status")
        .annotate(n=Count("id", distinct=True))
        .values_list(key, *label_fields, "status", "n")
    )
    for row in rows:
        value, labels, status, n = row[0], row[1:-2], row[-2], row[-1]
        if value is None:
            continue
        entry = out.setdefault(value, (labels, [0] * len(statuses)))
        entry[1][statuses.index(status)] += n
    return out


def _bars(
    rows: dict[Any, tuple[tuple[Any, ...], list[int]]],
    label: Any,
    query: Any,
    sort: Any = None,
) -> list[Bar]:
    bars = [
        (
            sort(value, labels) if sort else str(label(value, labels)),
            Bar(str(label(value, labels)), query(value, labels), counts),
        )
        for value, (labels, counts) in rows.items()
    ]
    return [bar for _key, bar in sorted(bars, key=lambda b: b[0])]


def _scoped_recommendations(
    actor: Actor, institution_ids: set[int] | None
) -> QuerySet[Recommendation]:
    qs = recommendation_policies.visible_recommendations(actor)
    if institution_ids is not None:
        led = plan_policies.visible_measures(actor).filter(lead_institution__in=institution_ids)
        qs = qs.filter(
            Q(cluster__lead_institution__in=institution_ids)
            | Q(pk__in=led.values("recommendations"))
        )
    return qs


def dashboard(*, actor: Actor, institution_ids: set[int] | None = None) -> Dashboard:
    """Progress of the recommendations ``actor`` may see, by cluster, mechanism, review cycle,
    lead institution (of the cluster), SDG goal, affected group and status; measures overdue and
    at risk; budget planned, committed and spent. ``institution_ids``: only what those
    institutions lead (their clusters, and the recommendations of the measures they lead).
    A fixed number of queries, whatever the number of recommendations."""
    qs = _scoped_recommendations(actor, institution_ids)
    status_labels = dict(ImplementationStatus.choices)
    by_status = _status_rows(qs, "status")
    statuses = [
        StatCount(key, str(status_labels[key]), sum(by_status.get(key, ((), [0]))[1]))
        for key in ImplementationStatus.values
    ]
    breakdowns = [
        Breakdown(
            "cluster",
            _("By national cluster"),
            _bars(
                _status_rows(qs, "cluster_id", "cluster__name"),
                lambda v, labels: labels[0],
                lambda v, labels: f"cluster={v}",
            ),
        ),
        Breakdown(
            "mechanism",
            _("By mechanism"),
            _bars(
                _status_rows(qs, "document__mechanism__code"),
                lambda v, labels: v,
                lambda v, labels: f"mechanism={quote(v)}",
            ),
        ),
        Breakdown(
            "cycle",
            _("By review cycle"),
            _bars(
                _status_rows(
                    qs,
                    "document__cycle_id",
                    "document__cycle__mechanism__code",
                    "document__cycle__number",
                ),
                lambda v, labels: f"{labels[0]} {labels[1]}",
                lambda v, labels: f"cycle={v}",
                sort=lambda v, labels: (labels[0], labels[1]),
            ),
        ),
        Breakdown(
            "institution",
            _("By lead institution of the cluster"),
            _institution_bars(qs),
        ),
        Breakdown(
            "sdg",
            _("By SDG goal"),
            _bars(
                _status_rows(qs, "sdg_targets__goal__number"),
                lambda v, labels: _("Goal %(number)s") % {"number": v},
                lambda v, labels: f"sdg_goal={v}",
                sort=lambda v, labels: v,
            ),
        ),
        Breakdown(
            "affected_group",
            _("By affected group"),
            _bars(
                _status_rows(qs, "affected_groups__id", "affected_groups__name"),
                lambda v, labels: labels[0],
                lambda v, labels: f"affected_group={v}",
            ),
        ),
    ]
    overdue, overdue_count, at_risk, at_risk_count = _measure_alerts(actor, institution_ids)
    return Dashboard(
        statuses=statuses,
        breakdowns=breakdowns,
        overdue=overdue,
        overdue_count=overdue_count,
        at_risk=at_risk,
        at_risk_count=at_risk_count,
        budget=_budget(actor, institution_ids),
    )


def _institution_bars(qs: QuerySet[Recommendation]) -> list[Bar]:
    """One bar per institution leading a cluster; it links to the list of its clusters."""
    rows = _status_rows(
        qs, "cluster_id", "cluster__lead_institution_id", "cluster__lead_institution__name"
    )
    merged: dict[int, tuple[str, list[int], list[int]]] = {}
    for cluster_id, (labels, counts) in rows.items():
        institution_id, name = labels
        if institution_id is None:
            continue
        entry = merged.setdefault(institution_id, (name, [], [0] * len(counts)))
        entry[1].append(cluster_id)
        for i, n in enumerate(counts):
            entry[2][i] += n
    return sorted(
        (
            Bar(name, "&".join(f"cluster={c}" for c in sorted(clusters)), counts)
            for name, clusters, counts in merged.values()
        ),
        key=lambda bar: bar.label,
    )


def _measure_alerts(
    actor: Actor, institution_ids: set[int] | None
) -> tuple[list[MeasureAlert], int, list[MeasureAlert], int]:
    today = timezone.localdate()
    soon = today + timedelta(days=AT_RISK_DAYS)
    measures = plan_policies.visible_measures(actor).exclude(
        status__in=[MeasureStatus.COMPLETED, MeasureStatus.CANCELLED]
    )
    if institution_ids is not None:
        measures = measures.filter(lead_institution__in=institution_ids)
    late_milestone = Milestone.objects.filter(
        measure_id=OuterRef("pk"), done_on__isnull=True, due_on__lt=today
    )
    measures = measures.annotate(late_milestone=Exists(late_milestone))
    overdue_q = Q(ends_on__lt=today)
    at_risk_q = ~overdue_q & (
        Q(status=MeasureStatus.DELAYED) | Q(late_milestone=True) | Q(ends_on__lte=soon)
    )

    def alerts(q: Q, reason: Any) -> tuple[list[MeasureAlert], int]:
        selected = measures.filter(q).select_related("lead_institution").order_by("ends_on", "id")
        shown = [
            MeasureAlert(
                m.pk,
                m.title,
                str(m.lead_institution) if m.lead_institution_id else "",
                m.ends_on,
                m.get_status_display(),
                reason(m),
            )
            for m in selected[:MEASURES_SHOWN]
        ]
        return shown, selected.count()

    def at_risk_reason(m: Any) -> str:
        if m.status == MeasureStatus.DELAYED:
            return str(_("reported as delayed"))
        if m.late_milestone:
            return str(_("a milestone is overdue"))
        return str(_("ends within %(days)s days") % {"days": AT_RISK_DAYS})

    overdue, overdue_count = alerts(overdue_q, lambda m: str(_("end date passed")))
    at_risk, at_risk_count = alerts(at_risk_q, at_risk_reason)
    return overdue, overdue_count, at_risk, at_risk_count


def _budget(actor: Actor, institution_ids: set[int] | None) -> list[BudgetTotal]:
    lines = plan_policies.visible_budget_lines(actor)
    if institution_ids is not None:
        lines = lines.filter(measure__lead_institution__in=institution_ids)
    rows = (
        lines.order_by()
        .values("currency")
        .annotate(planned=Sum("amount"), committed_sum=Sum("committed"), spent_sum=Sum("spent"))
        .order_by("currency")
    )
    return [
        BudgetTotal(r["currency"], r["planned"], r["committed_sum"], r["spent_sum"]) for r in rows
    ]


# --- reporting calendar -------------------------------------------------------------------------

DUE_SOON_DAYS = 90


@dataclass
class CalendarEntry:
    """A report the State owes a mechanism, or a review it faces, with its date."""

    mechanism: str
    title: str
    due_on: date
    state: str  # "overdue", "due_soon", "upcoming", "submitted" or "past"
    obligation_id: int | None = None  # entered by the secretariat (else: from a review cycle)
    submitted_on: date | None = None
    document_symbol: str = ""


def reporting_calendar(*, today: date | None = None) -> list[CalendarEntry]:
    """Every obligation in date order: the UPR mid-term reports and next reviews of the review
    cycles, and the reports the secretariat entered. ``state`` says what is overdue (past its date,
    not submitted), due within ``DUE_SOON_DAYS`` days, upcoming, or submitted. Two queries.

    The reminders (progress issue) read ``due_within`` below."""
    from .models import ReportingObligation

    today = today or timezone.localdate()
    soon = today + timedelta(days=DUE_SOON_DAYS)

    def state(due_on: date, submitted_on: date | None) -> str:
        if submitted_on:
            return "submitted"
        if due_on < today:
            return "overdue"
        return "due_soon" if due_on <= soon else "upcoming"

    entries: list[CalendarEntry] = []
    cycles = list(ReviewCycle.objects.select_related("mechanism"))
    latest: dict[int, int] = {}
    for cycle in cycles:
        latest[cycle.mechanism_id] = max(latest.get(cycle.mechanism_id, 0), cycle.number)
    for cycle in cycles:
        # A date of a cycle that a later cycle has replaced is past, not overdue.
        replaced = cycle.number < latest[cycle.mechanism_id]
        if cycle.mid_term_due:
            entries.append(
                CalendarEntry(
                    cycle.mechanism.code,
                    str(_("Mid-term report on cycle %(number)s") % {"number": cycle.number}),
                    cycle.mid_term_due,
                    "past"
                    if replaced and cycle.mid_term_due < today
                    else state(cycle.mid_term_due, None),
                )
            )
        if cycle.next_review:
            entries.append(
                CalendarEntry(
                    cycle.mechanism.code,
                    str(_("Review, cycle %(number)s") % {"number": cycle.number + 1}),
                    cycle.next_review,
                    "past" if cycle.next_review < today else state(cycle.next_review, None),
                )
            )
    entries.extend(
        CalendarEntry(
            obligation.mechanism.code,
            obligation.title,
            obligation.due_on,
            state(obligation.due_on, obligation.submitted_on),
            obligation_id=obligation.pk,
            submitted_on=obligation.submitted_on,
            document_symbol=obligation.document_symbol,
        )
        for obligation in ReportingObligation.objects.select_related("mechanism")
    )
    return sorted(entries, key=lambda e: (e.due_on, e.mechanism, e.title))


def due_within(*, days: int, today: date | None = None) -> list[CalendarEntry]:
    """What is overdue, or due within ``days`` days, and not yet submitted: for the reminders."""
    today = today or timezone.localdate()
    limit = today + timedelta(days=days)
    return [
        e
        for e in reporting_calendar(today=today)
        if e.state in {"overdue", "due_soon", "upcoming"} and e.due_on <= limit
    ]


# --- the public portal --------------------------------------------------------------------------


@dataclass
class Freshness:
    last_import: Any  # datetime of the last successful UHRI import (not a dry run), or None
    last_progress_report: date | None


def last_published_progress_report() -> date | None:
    """The date of the last progress report published to the portal (``None``: none yet)."""
    moment = (
        ProgressReport.objects.filter(state=ReportState.PUBLISHED, published_at__isnull=False)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return timezone.localdate(moment) if moment else None


def data_freshness() -> Freshness:
    """How fresh the portal's data are: the last successful UHRI import, the last published
    progress report. One query."""
    from recommendations.models import ImportRun, ImportStatus

    last = (
        ImportRun.objects.filter(status=ImportStatus.SUCCEEDED, dry_run=False)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    return Freshness(last_import=last, last_progress_report=last_published_progress_report())


# --- follow-up selections -----------------------------------------------------------------------


def follow_up_selection_list(*, actor: Actor) -> QuerySet[FollowUpSelection]:
    """The follow-up selections ``actor`` may read, with their document and paragraphs."""
    from . import policies

    return (
        policies.visible_follow_up_selections(actor)
        .select_related("document__mechanism", "obligation")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.order_by("paragraph_sort", "id").only(
                    "id", "paragraph", "paragraph_sort", "document_id"
                ),
            )
        )
        .order_by("due_on", "id")
    )


def treaty_body_documents() -> QuerySet[Document]:
    """The treaty bodies' documents (concluding observations), newest first, for choosing one."""
    return (
        Document.objects.filter(mechanism__family=MechanismFamily.TREATY_BODY)
        .select_related("mechanism")
        .order_by("-publication_date", "symbol")
    )


def follow_up_candidates(*, document: Document, language: str) -> QuerySet[Recommendation]:
    """The paragraphs of ``document`` a committee may select, in paragraph order, each with its
    text in ``language`` if it has one, else English (``candidate_texts``)."""
    texts = RecommendationText.objects.defer("search_vector", "html").filter(
        language__in={language, language.split("-")[0], "en"}
    )
    return (
        Recommendation.objects.filter(document=document)
        .exclude(publication_state=PublicationState.ARCHIVED)
        .order_by("paragraph_sort", "id")
        .prefetch_related(Prefetch("texts", queryset=texts, to_attr="candidate_texts"))
    )
