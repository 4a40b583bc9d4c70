"""Every write to plans goes through a service: the policy first, then the frozen rule
(``plans.frozen``) where the plan is concerned, the audit context (each public function is
``@audited``), validation with the fields at fault, and the change in one transaction. A
service that would change nothing writes nothing and records no event.

By topic: ``plans`` (the plan, its adoption, closing and versions), ``measures`` (measures,
proposals, the SMART check, milestones, budget lines), ``indicators`` (indicators and their
values), ``consultations`` (and their documents), ``frameworks`` (national frameworks and goals).
"""

from __future__ import annotations

from .consultations import (
    CONSULTATION_FIELDS,
    CONSULTATION_LINKS,
    consultation_create,
    consultation_delete,
    consultation_document_add,
    consultation_document_delete,
    consultation_update,
)
from .frameworks import (
    FRAMEWORK_FIELDS,
    GOAL_FIELDS,
    GOAL_LINKS,
    national_framework_create,
    national_framework_delete,
    national_framework_update,
    national_goal_create,
    national_goal_delete,
    national_goal_update,
)
from .indicators import (
    INDICATOR_FIELDS,
    VALUE_FIELDS,
    indicator_create,
    indicator_delete,
    indicator_update,
    indicator_value_create,
    indicator_value_delete,
    indicator_value_update,
)
from .measures import (
    BUDGET_LINE_FIELDS,
    MEASURE_FIELDS,
    MEASURE_LINKS,
    MILESTONE_FIELDS,
    budget_line_create,
    budget_line_delete,
    budget_line_update,
    measure_accept,
    measure_check_smart,
    measure_create,
    measure_decline,
    measure_delete,
    measure_propose,
    measure_update,
    milestone_create,
    milestone_delete,
    milestone_update,
)
from .plans import (
    PLAN_FIELDS,
    plan_adopt,
    plan_close,
    plan_create,
    plan_delete,
    plan_new_version,
    plan_update,
)

__all__ = [
    "BUDGET_LINE_FIELDS",
    "CONSULTATION_FIELDS",
    "CONSULTATION_LINKS",
    "FRAMEWORK_FIELDS",
    "GOAL_FIELDS",
    "GOAL_LINKS",
    "INDICATOR_FIELDS",
    "MEASURE_FIELDS",
    "MEASURE_LINKS",
    "MILESTONE_FIELDS",
    "PLAN_FIELDS",
    "VALUE_FIELDS",
    "budget_line_create",
    "budget_line_delete",
    "budget_line_update",
    "consultation_create",
    "consultation_delete",
    "consultation_document_add",
    "consultation_document_delete",
    "consultation_update",
    "indicator_create",
    "indicator_delete",
    "indicator_update",
    "indicator_value_create",
    "indicator_value_delete",
    "indicator_value_update",
    "measure_accept",
    "measure_check_smart",
    "measure_create",
    "measure_decline",
    "measure_delete",
    "measure_propose",
    "measure_update",
    "milestone_create",
    "milestone_delete",
    "milestone_update",
    "national_framework_create",
    "national_framework_delete",
    "national_framework_update",
    "national_goal_create",
    "national_goal_delete",
    "national_goal_update",
    "plan_adopt",
    "plan_close",
    "plan_create",
    "plan_delete",
    "plan_new_version",
    "plan_update",
]
