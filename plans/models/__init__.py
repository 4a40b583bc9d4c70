"""Implementation plans: measures, milestones, budget lines, indicators, consultations and the
national frameworks the plan serves."""

from __future__ import annotations

from .consultations import Consultation, ConsultationDocument
from .frameworks import FrameworkKind, NationalFramework, NationalGoal
from .indicators import (
    DISAGGREGATION_DIMENSIONS,
    Frequency,
    Indicator,
    IndicatorKind,
    IndicatorValue,
)
from .plan import (
    CURRENCY_CODE,
    BudgetLine,
    GenderMarker,
    ImplementationPlan,
    Measure,
    MeasureKind,
    MeasureStatus,
    Milestone,
    PlanState,
    ProposalState,
)

__all__ = [
    "CURRENCY_CODE",
    "DISAGGREGATION_DIMENSIONS",
    "BudgetLine",
    "Consultation",
    "ConsultationDocument",
    "FrameworkKind",
    "Frequency",
    "GenderMarker",
    "ImplementationPlan",
    "Indicator",
    "IndicatorKind",
    "IndicatorValue",
    "Measure",
    "MeasureKind",
    "MeasureStatus",
    "Milestone",
    "NationalFramework",
    "NationalGoal",
    "PlanState",
    "ProposalState",
]
