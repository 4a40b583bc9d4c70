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
from .progress import (
    EDITABLE_STATES,
    RETURNABLE_STATES,
    Evidence,
    ProgressReport,
    ProgressStep,
    ProgressValue,
    ReportState,
    StepAction,
)

__all__ = [
    "CURRENCY_CODE",
    "DISAGGREGATION_DIMENSIONS",
    "EDITABLE_STATES",
    "RETURNABLE_STATES",
    "BudgetLine",
    "Consultation",
    "ConsultationDocument",
    "Evidence",
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
    "ProgressReport",
    "ProgressStep",
    "ProgressValue",
    "ProposalState",
    "ReportState",
    "StepAction",
]
