"""Implementation plans: measures, milestones, budget lines, indicators, consultations and the
national frameworks the plan serves."""

from __future__ import annotations

from .assessments import (
    Assessment,
    AssessmentState,
    AssessorKind,
    Comment,
    CommentState,
    Rating,
)
from .consultations import Consultation, ConsultationDocument
from .frameworks import FrameworkKind, NationalFramework, NationalGoal
from .indicators import (
    DISAGGREGATION_DIMENSIONS,
    Frequency,
    Indicator,
    IndicatorKind,
    IndicatorValue,
)
from .notifications import Notification, NotificationKind
from .partners import SupportProject
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
    "Assessment",
    "AssessmentState",
    "AssessorKind",
    "BudgetLine",
    "Comment",
    "CommentState",
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
    "Notification",
    "NotificationKind",
    "PlanState",
    "ProgressReport",
    "ProgressStep",
    "ProgressValue",
    "ProposalState",
    "Rating",
    "ReportState",
    "StepAction",
    "SupportProject",
]
