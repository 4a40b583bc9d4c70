"""The plans' demo step (order 400): an adopted plan and the draft of its next version, with
measures for each cluster, milestones (some overdue), budget lines, indicators with values, and
the consultations held on it. See ``tracker.demo`` for how demo steps work.

Everything is written through the plans services, as the secretariat's pages write it (with no
acting user: the demo itself), then marked. A second load finds the demo plan and adds nothing.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from plans import services
from plans.models import (
    BudgetLine,
    Consultation,
    ImplementationPlan,
    Indicator,
    IndicatorValue,
    Measure,
    MeasureStatus,
    Milestone,
    PlanState,
)
from recommendations.models import Recommendation
from tracker.demo import DemoContext, DemoDataError, register
from tracker.models import Institution, InstitutionKind, User
from tracker.roles import Role

from . import content
from .content import MeasureSpec

# Created in this order: ``--reset`` deletes in the opposite one.
MARKS = (
    ImplementationPlan,
    Measure,
    Milestone,
    BudgetLine,
    Indicator,
    IndicatorValue,
    Consultation,
)
STATE_BUDGET = "State budget"
PARTNERS = {"EU": ("Delegation of the European Union", "EUR"), "SDC": ("Swiss cooperation", "CHF")}
CURRENCIES = {"KEN": "KES", "GHA": "GHS", "NGA": "NGN", "UGA": "UGX", "TZA": "TZS"}
STATUSES = (
    (MeasureStatus.IN_PROGRESS, 5),
    (MeasureStatus.PLANNED, 3),
    (MeasureStatus.COMPLETED, 2),
    (MeasureStatus.DELAYED, 2),
)
SUPPORTING_KINDS = (
    InstitutionKind.MINISTRY,
    InstitutionKind.PARLIAMENT,
    InstitutionKind.JUDICIARY,
    InstitutionKind.INDEPENDENT_BODY,
    InstitutionKind.LOCAL_GOVERNMENT,
)


@register("plans", order=400, marks=MARKS)
def load_plans(context: DemoContext) -> None:
    new = not context.marked(ImplementationPlan).exists()
    if new:
        _Plans(context).load()
    _count(context, new=new)


class _Plans:
    def __init__(self, context: DemoContext) -> None:
        self.context = context
        self.rng = context.random("plans")
        self.currency = CURRENCIES.get(context.state.iso3, "USD")
        institutions = context.marked(Institution).order_by("name")
        self.supporting = list(institutions.filter(kind__in=SUPPORTING_KINDS))
        self.participants = list(
            institutions.filter(
                kind__in=(InstitutionKind.NHRI, InstitutionKind.CSO, InstitutionKind.MINISTRY)
            )
        )
        self.partners = {i.acronym: i for i in institutions if i.acronym in PARTNERS}
        self.assembly = institutions.filter(kind=InstitutionKind.PARLIAMENT).first()
        recommendations = (
            context.marked(Recommendation)
            .filter(is_current=True, cluster__isnull=False)
            .select_related("cluster__lead_institution")
            .order_by("cluster__name", "document__symbol", "paragraph_sort", "pk")
        )
        self.by_cluster: dict[str, list[Recommendation]] = defaultdict(list)
        for rec in recommendations:
            assert rec.cluster is not None  # noqa: S101 (filtered)
            self.by_cluster[rec.cluster.name].append(rec)
        if not self.by_cluster or not self.supporting:
            raise DemoDataError("The plans step needs the demo recommendations and institutions.")

    def load(self) -> None:
        plan = services.plan_create(
            actor=None,
            title=content.PLAN_TITLE,
            description=content.PLAN_DESCRIPTION,
            starts_on=content.PLAN_STARTS,
            ends_on=content.PLAN_ENDS,
        )
        self.context.mark([plan])
        measures: list[Measure] = []
        for cluster, recs in sorted(self.by_cluster.items()):
            lead = recs[0].cluster.lead_institution if recs[0].cluster else None
            measures.extend(
                self._measure(plan, spec, recs, lead)
                for spec in content.MEASURES.get(cluster, content.GENERIC)
            )
        services.plan_adopt(actor=None, plan=plan, adopted_on=content.ADOPTED_ON)
        values = [value for measure in measures for value in self._values(measure)]
        self.context.mark(values)
        self._consultations()
        self._next_version(plan)

    # -- the adopted plan --------------------------------------------------------------------

    def _measure(
        self,
        plan: ImplementationPlan,
        spec: MeasureSpec,
        recs: list[Recommendation],
        lead: Institution | None,
    ) -> Measure:
        rng = self.rng
        lead = lead or rng.choice(self.supporting)
        others = [i for i in self.supporting if i.pk != lead.pk]
        supporting = rng.sample(others, k=min(len(others), rng.randint(0, 2)))
        if spec.kind == "legislative" and self.assembly and self.assembly.pk != lead.pk:
            supporting = [s for s in supporting if s.pk != self.assembly.pk] + [self.assembly]
        start_year = rng.choice((2024, 2024, 2025, 2026))
        starts_on = date(start_year, rng.choice((1, 4, 7, 10)), 1)
        ends_on = date(min(start_year + rng.randint(1, 3), 2028), 12, 31)
        measure = services.measure_create(
            actor=None,
            plan=plan,
            title=spec.title,
            kind=spec.kind,
            lead_institution=lead,
            supporting_institutions=supporting,
            recommendations=rng.sample(recs, k=min(len(recs), rng.randint(1, 4))),
            starts_on=starts_on,
            ends_on=ends_on,
            status=_weighted(rng, STATUSES) if start_year < 2026 else MeasureStatus.PLANNED,
            expected_outcome=f"{spec.indicator}: the target of the plan reached by {ends_on.year}.",
            gender_marker=rng.choice(("significant", "principal", "not_targeted", "")),
            technical_assistance=(
                "Technical support of OHCHR for the drafting." if rng.random() < 0.3 else ""
            ),
        )
        self.context.mark([measure])
        self._milestones(measure, starts_on, ends_on)
        self._budget(measure)
        self._indicator(measure, spec)
        return measure

    def _milestones(self, measure: Measure, starts_on: date, ends_on: date) -> None:
        rng = self.rng
        today = timezone.localdate()
        dates = [d for d in content.MILESTONE_DATES if starts_on <= d <= ends_on] or [ends_on]
        rows = []
        steps = rng.sample(content.MILESTONE_STEPS, k=3)
        due = sorted(rng.sample(dates, k=min(3, len(dates))))
        for step, due_on in zip(steps, due, strict=False):
            # Most past milestones are done; about one in three is left overdue.
            done = rng.random() < 0.65
            done_on = due_on if done and due_on < today else None
            rows.append(
                services.milestone_create(
                    actor=None, measure=measure, title=step, due_on=due_on, done_on=done_on
                )
            )
        self.context.mark(rows)

    def _budget(self, measure: Measure) -> None:
        rng = self.rng
        amount = Decimal(rng.randrange(5, 400) * 10_000)
        committed = (amount * Decimal(rng.choice((0, 25, 50, 80, 100))) / 100).quantize(
            Decimal("0.01")
        )
        spent = (committed * Decimal(rng.choice((0, 30, 60, 90))) / 100).quantize(Decimal("0.01"))
        rows = [
            services.budget_line_create(
                actor=None,
                measure=measure,
                amount=amount,
                currency=self.currency,
                funding_source=STATE_BUDGET,
                committed=committed,
                spent=spent,
            )
        ]
        if self.partners and rng.random() < 0.4:
            acronym = rng.choice(sorted(self.partners))
            source, currency = PARTNERS[acronym]
            rows.append(
                services.budget_line_create(
                    actor=None,
                    measure=measure,
                    amount=Decimal(rng.randrange(2, 50) * 10_000),
                    currency=currency,
                    funding_source=source,
                )
            )
        self.context.mark(rows)

    def _indicator(self, measure: Measure, spec: MeasureSpec) -> None:
        binary = spec.unit == "yes/no"
        baseline = Decimal(0) if binary else Decimal(self.rng.randrange(5, 60))
        target = Decimal(1) if binary else baseline + Decimal(self.rng.randrange(10, 40))
        indicator = services.indicator_create(
            actor=None,
            measure=measure,
            name=spec.indicator,
            kind=spec.indicator_kind,
            unit=spec.unit,
            baseline_value=baseline,
            baseline_year=2023,
            target_value=target,
            target_year=2028,
            frequency="yearly",
            data_source="National Statistics Office" if not binary else "Official Gazette",
            disaggregation=["sex"] if spec.by_sex else [],
        )
        self.context.mark([indicator])

    def _values(self, measure: Measure) -> list[IndicatorValue]:
        """Yearly values of the measure's indicators, for the years it has run."""
        rows = []
        for indicator in measure.indicators.all():
            start = indicator.baseline_value or Decimal(0)
            step = ((indicator.target_value or start) - start) / 5
            for n, year in enumerate(content.VALUE_YEARS, start=1):
                if measure.starts_on and measure.starts_on.year > year:
                    continue
                total = (start + step * n).quantize(Decimal("0.1"))
                rows.append(
                    services.indicator_value_create(
                        actor=None, indicator=indicator, period=str(year), value=total
                    )
                )
                if indicator.disaggregation:
                    for sex, offset in (("female", Decimal(-2)), ("male", Decimal(2))):
                        rows.append(
                            services.indicator_value_create(
                                actor=None,
                                indicator=indicator,
                                period=str(year),
                                value=total + offset,
                                disaggregation={"sex": sex},
                            )
                        )
        return rows

    def _consultations(self) -> None:
        recs = [rec for recs in self.by_cluster.values() for rec in recs]
        nhri_and_cso = [
            i for i in self.participants if i.kind in (InstitutionKind.NHRI, InstitutionKind.CSO)
        ]
        ministries = [i for i in self.participants if i.kind == InstitutionKind.MINISTRY]
        rows = []
        for held_on, title, summary in content.CONSULTATIONS:
            rows.append(
                services.consultation_create(
                    actor=None,
                    held_on=held_on,
                    title=title,
                    summary=summary,
                    participants=nhri_and_cso
                    + self.rng.sample(ministries, k=min(3, len(ministries))),
                    recommendations=self.rng.sample(recs, k=min(8, len(recs))),
                )
            )
        self.context.mark(rows)

    # -- the next version, a draft -----------------------------------------------------------

    def _next_version(self, plan: ImplementationPlan) -> None:
        draft = services.plan_new_version(actor=None, plan=plan)
        draft = services.plan_update(
            actor=None, plan=draft, title=f"{content.PLAN_TITLE} (mid-term revision)"
        )
        self.context.mark([draft])
        copies = Measure.objects.filter(plan=draft).order_by("position", "pk")
        self.context.mark(copies)
        self.context.mark(Milestone.objects.filter(measure__plan=draft))
        self.context.mark(BudgetLine.objects.filter(measure__plan=draft))
        self.context.mark(Indicator.objects.filter(measure__plan=draft))
        self.context.mark(IndicatorValue.objects.filter(indicator__measure__plan=draft))
        # The revision: delayed measures get more time, one measure is added, a ministry
        # proposes another.
        for measure in copies.filter(status=MeasureStatus.DELAYED):
            services.measure_update(
                actor=None, measure=measure, ends_on=content.PLAN_ENDS, status="in_progress"
            )
        first = copies.first()
        lead = first.lead_institution if first else None
        added = services.measure_create(
            actor=None,
            plan=draft,
            title=content.NEW_MEASURE.title,
            kind=content.NEW_MEASURE.kind,
            lead_institution=Institution.objects.filter(
                pk__in=self.context.marked(Institution).values("pk"),
                kind=InstitutionKind.INDEPENDENT_BODY,
                acronym="NSO",
            ).first()
            or lead,
            starts_on=date(2027, 1, 1),
            ends_on=content.PLAN_ENDS,
        )
        self.context.mark([added])
        self._proposal(draft)

    def _proposal(self, draft: ImplementationPlan) -> None:
        """A focal point's proposal, waiting for the secretariat's answer."""
        focal = (
            User.objects.filter(
                pk__in=self.context.marked(User).values("pk"),
                memberships__role=Role.FOCAL_POINT,
            )
            .order_by("username")
            .first()
        )
        if focal is None:
            return
        institution = focal.memberships.filter(role=Role.FOCAL_POINT).first()
        if institution is None:
            return
        proposal = services.measure_propose(
            actor=focal,
            plan=draft,
            title=content.PROPOSAL.title,
            lead_institution=institution.institution,
            kind=content.PROPOSAL.kind,
            starts_on=date(2027, 1, 1),
            ends_on=date(2028, 6, 30),
        )
        self.context.mark([proposal])


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    values, weights = zip(*choices, strict=True)
    return str(rng.choices(values, weights=weights)[0])


def _count(context: DemoContext, *, new: bool) -> None:
    """The summary lines; on the load that created them, every row is new."""
    for key, total in _lines(context).items():
        if new:
            context.created[key] += total


def _lines(context: DemoContext) -> dict[str, int]:
    """Add the step's lines to the summary; the totals of its main lines, by key."""
    plans = context.marked(ImplementationPlan)
    milestones = context.marked(Milestone)
    today = timezone.localdate()
    totals = {
        "plans": plans.count(),
        "measures": context.marked(Measure).count(),
        "milestones": milestones.count(),
        "budget_lines": context.marked(BudgetLine).count(),
        "indicators": context.marked(Indicator).count(),
        "indicator_values": context.marked(IndicatorValue).count(),
        "consultations": context.marked(Consultation).count(),
    }
    context.count("plans", totals["plans"], label="implementation plans")
    for state, label in ((PlanState.ADOPTED, "adopted"), (PlanState.DRAFT, "drafts")):
        context.count(f"plans_{state}", plans.filter(state=state).count(), label=label, part=True)
    context.count("measures", totals["measures"])
    context.count("milestones", totals["milestones"])
    overdue = milestones.filter(Q(done_on__isnull=True), due_on__lt=today).count()
    context.count("milestones_overdue", overdue, label="overdue", part=True)
    context.count("budget_lines", totals["budget_lines"], label="budget lines")
    context.count("indicators", totals["indicators"])
    context.count("indicator_values", totals["indicator_values"], label="indicator values")
    context.count("consultations", totals["consultations"])
    return totals
