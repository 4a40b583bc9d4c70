"""A plan world for the page tests: a draft plan and an adopted one, each with a measure led by
ministry A (with a milestone, a budget line, an indicator and a value), a proposal of ministry
A's focal point in the draft, a consultation, and a review cycle with its calendar."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from plans.models import Consultation, ImplementationPlan, Indicator, Measure, ProposalState
from recommendations.models import Mechanism, MechanismFamily, Recommendation, ReviewCycle
from tests.factories.plans import (
    BudgetLineFactory,
    ConsultationFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    MilestoneFactory,
    PlanFactory,
)
from tests.factories.recommendations import ClusterFactory, DocumentFactory, RecommendationFactory


@dataclass
class World:
    draft: ImplementationPlan
    adopted: ImplementationPlan
    draft_measure: Measure
    adopted_measure: Measure
    proposal: Measure
    indicator: Indicator  # of the draft measure
    adopted_indicator: Indicator
    consultation: Consultation
    recommendation: Recommendation


@pytest.fixture
def world(ministry_a, focal_point) -> World:
    upr, _ = Mechanism.objects.get_or_create(
        code="UPR", defaults={"family": MechanismFamily.UPR, "names": {"en": "UPR"}}
    )
    cycle, _ = ReviewCycle.objects.get_or_create(
        mechanism=upr,
        number=4,
        defaults={
            "review_date": datetime.date(2023, 11, 10),
            "mid_term_due": datetime.date(2026, 5, 1),
        },
    )
    document = DocumentFactory(mechanism=upr, cycle=cycle, symbol="A/HRC/55/9")
    cluster = ClusterFactory(name="Justice", lead_institution=ministry_a)
    recommendation = RecommendationFactory(
        document=document, paragraph="127.1", cluster=cluster, text="Ratify OPCAT."
    )
    draft = PlanFactory(title="Draft plan")
    adopted = PlanFactory(title="Adopted plan", adopted=True)
    measures = []
    for plan in (draft, adopted):
        measure = MeasureFactory(
            plan=plan, lead_institution=ministry_a, recommendations=[recommendation]
        )
        MilestoneFactory(measure=measure)
        BudgetLineFactory(measure=measure)
        indicator = IndicatorFactory(measure=measure)
        IndicatorValueFactory(indicator=indicator)
        measures.append((measure, indicator))
    proposal = MeasureFactory(
        plan=draft,
        lead_institution=ministry_a,
        proposal_state=ProposalState.PROPOSED,
        proposed_by=focal_point,
        title="A proposal of ministry A",
    )
    consultation = ConsultationFactory(title="Consultation with civil society")
    consultation.recommendations.add(recommendation)
    return World(
        draft=draft,
        adopted=adopted,
        draft_measure=measures[0][0],
        adopted_measure=measures[1][0],
        proposal=proposal,
        indicator=measures[0][1],
        adopted_indicator=measures[1][1],
        consultation=consultation,
        recommendation=recommendation,
    )
