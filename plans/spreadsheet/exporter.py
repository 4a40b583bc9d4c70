"""Write a plan as a workbook (``layout``), with constant memory however large the plan.

The rows are read in chunks (``iterator``, with their links prefetched chunk by chunk) and
written as they come by ``tracker.exports`` (write-only workbook, formula cells neutralised), so
that neither the rows nor the workbook are ever all in memory. What the workbook shows is what
``actor`` may see of the plan (``plans.policies``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from plans import policies
from plans.models import (
    BudgetLine,
    Frequency,
    GenderMarker,
    ImplementationPlan,
    Indicator,
    IndicatorKind,
    Measure,
    MeasureKind,
    MeasureStatus,
    Milestone,
)
from recommendations.models import Recommendation
from recommendations.policies import visible_recommendations
from tracker.exports import Sheet, write_xlsx_sheets
from tracker.models import Institution
from tracker.policies import Actor

from .layout import (
    ABOUT,
    BUDGET_LINES,
    INDICATORS,
    MEASURES,
    MILESTONES,
    PLAN_ID,
    SEPARATOR,
    SheetLayout,
)

CHUNK = 500


def institution_label(institution: Institution | None) -> str:
    if institution is None:
        return ""
    return institution.acronym or institution.name


def recommendation_label(recommendation: Recommendation) -> str:
    """ "A/HRC/62/9 ¶136.1", as the recommendation names itself everywhere."""
    return str(recommendation)


def export_filename(plan: ImplementationPlan) -> str:
    return f"plan-{plan.pk}-v{plan.version}-{slugify(plan.title)[:40] or 'plan'}.xlsx"


@dataclass(frozen=True)
class _Scope:
    """Whose view of the plan the workbook shows: ``actor``'s, or everything (``system``: the
    command line, run by whoever runs the installation)."""

    actor: Actor
    system: bool

    def measures(self) -> QuerySet[Measure]:
        return Measure.objects.all() if self.system else policies.visible_measures(self.actor)

    def milestones(self) -> QuerySet[Milestone]:
        return Milestone.objects.all() if self.system else policies.visible_milestones(self.actor)

    def budget_lines(self) -> QuerySet[BudgetLine]:
        if self.system:
            return BudgetLine.objects.all()
        return policies.visible_budget_lines(self.actor)

    def indicators(self) -> QuerySet[Indicator]:
        if self.system:
            return Indicator.objects.all()
        return policies.visible_indicators(self.actor)

    def recommendations(self) -> QuerySet[Recommendation]:
        if self.system:
            return Recommendation.objects.all()
        return visible_recommendations(self.actor)


def _measures(scope: _Scope, plan: ImplementationPlan) -> QuerySet[Measure]:
    refs = scope.recommendations().select_related("document", "cluster")
    return (
        scope.measures()
        .filter(plan=plan)
        .select_related("lead_institution")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=refs.only("id", "paragraph", "document__symbol", "cluster__name").order_by(
                    "document__symbol", "paragraph_sort", "pk"
                ),
            ),
            Prefetch("supporting_institutions", queryset=Institution.objects.order_by("name")),
        )
        .order_by("position", "pk")
    )


def _measure_rows(scope: _Scope, plan: ImplementationPlan) -> Iterator[list[Any]]:
    for m in _measures(scope, plan).iterator(chunk_size=CHUNK):
        recommendations = list(m.recommendations.all())
        clusters = sorted({r.cluster.name for r in recommendations if r.cluster is not None})
        yield [
            m.pk,
            m.title,
            m.kind,
            m.status,
            institution_label(m.lead_institution),
            SEPARATOR.join(institution_label(i) for i in m.supporting_institutions.all()),
            m.starts_on,
            m.ends_on,
            SEPARATOR.join(recommendation_label(r) for r in recommendations),
            SEPARATOR.join(clusters),
            m.expected_outcome,
            m.description,
            m.gender_marker,
            m.technical_assistance,
            m.proposal_state,
        ]


def _milestone_rows(scope: _Scope, plan: ImplementationPlan) -> Iterator[list[Any]]:
    rows = (
        scope.milestones()
        .filter(measure__plan=plan)
        .select_related("measure")
        .only("id", "title", "due_on", "done_on", "measure__id", "measure__title")
        .order_by("measure__position", "measure_id", "due_on", "pk")
    )
    for row in rows.iterator(chunk_size=CHUNK):
        yield [row.pk, row.measure_id, row.measure.title, row.title, row.due_on, row.done_on]


def _budget_rows(scope: _Scope, plan: ImplementationPlan) -> Iterator[list[Any]]:
    rows = (
        scope.budget_lines()
        .filter(measure__plan=plan)
        .select_related("measure")
        .order_by("measure__position", "measure_id", "pk")
    )
    for row in rows.iterator(chunk_size=CHUNK):
        yield [
            row.pk,
            row.measure_id,
            row.measure.title,
            row.amount,
            row.currency,
            row.funding_source,
            row.committed,
            row.spent,
        ]


def _indicator_rows(scope: _Scope, plan: ImplementationPlan) -> Iterator[list[Any]]:
    rows: QuerySet[Indicator] = (
        scope.indicators()
        .filter(measure__plan=plan)
        .select_related("measure")
        .order_by("measure__position", "measure_id", "pk")
    )
    for row in rows.iterator(chunk_size=CHUNK):
        assert row.measure is not None  # noqa: S101 (filtered on the measure's plan)
        yield [
            row.pk,
            row.measure_id,
            row.measure.title,
            row.name,
            row.kind,
            row.unit,
            row.baseline_value,
            row.baseline_year,
            row.target_value,
            row.target_year,
            row.frequency,
            row.data_source,
            SEPARATOR.join(row.disaggregation or []),
        ]


def _codes(choices: Any) -> str:
    return ", ".join(value for value in choices.values if value)


def _about(plan: ImplementationPlan) -> Iterator[list[Any]]:
    yield [PLAN_ID, plan.pk]
    yield ["Title", plan.title]
    yield ["Version", plan.version]
    yield ["State", plan.state]
    yield ["Period", f"{plan.starts_on} to {plan.ends_on}"]
    yield ["Exported on", date.isoformat(timezone.localdate())]
    yield ["", ""]
    yield ["How to edit", "Change the cells and import the file back from the plan's page."]
    yield ["", "Each row keeps its id: a row without an id is added; a row removed is kept."]
    yield ["", "Columns whose values are listed below take one of them (or their label)."]
    yield ["", "Several institutions or recommendations in a cell: separate them with ';'."]
    yield ["", "Institutions by acronym or name; recommendations as 'SYMBOL ¶PARAGRAPH'."]
    yield ["", "Milestones, budget lines and indicators name their measure by its id."]
    yield ["Measure kinds", _codes(MeasureKind)]
    yield ["Measure statuses", _codes(MeasureStatus)]
    yield ["Gender markers", _codes(GenderMarker) + " (or empty: not screened)"]
    yield ["Indicator kinds", _codes(IndicatorKind)]
    yield ["Frequencies", _codes(Frequency)]
    yield ["Disaggregation", "sex, age, disability, location, region, ethnicity, income, migration"]


def _sheet(layout: SheetLayout, rows: Iterator[list[Any]]) -> Sheet:
    return Sheet(layout.title, layout.headers, rows, layout.widths)


def export_plan(
    *, actor: Actor, plan: ImplementationPlan, stream: IO[bytes], system: bool = False
) -> None:
    """Write ``plan`` to ``stream`` as an XLSX workbook: what ``actor`` may see of it (with
    ``system``, all of it: the command line). The caller has checked that ``actor`` may see the
    plan (``plans.selectors.plan_get``)."""
    scope = _Scope(actor, system)
    write_xlsx_sheets(
        stream,
        [
            _sheet(MEASURES, _measure_rows(scope, plan)),
            _sheet(MILESTONES, _milestone_rows(scope, plan)),
            _sheet(BUDGET_LINES, _budget_rows(scope, plan)),
            _sheet(INDICATORS, _indicator_rows(scope, plan)),
            Sheet(ABOUT, ["Field", "Value"], _about(plan), (18, 80)),
        ],
    )
