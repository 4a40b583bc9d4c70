"""The frozen rule: an adopted plan is not changed, a new version of it is.

Every service that writes a plan or what belongs to it (its measures, their milestones, budget
lines and indicators, the values of those indicators) calls ``ensure_not_frozen`` first, so that
the rule lives here and nowhere else. The API answers ``FrozenError`` with 409 and the reason.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from tracker.exceptions import ConflictError

from .models import ImplementationPlan, PlanState


class FrozenError(ConflictError):
    """A change to an adopted or closed plan, or to something that belongs to it."""


def ensure_not_frozen(
    plan: ImplementationPlan, *, recording_values: bool = False, recording_progress: bool = False
) -> None:
    """Raise ``FrozenError`` unless ``plan`` may still change.

    The content of a plan (the plan itself, its measures, milestones, budget lines and the
    indicators of its measures) changes only while the plan is a draft. Recording the values of
    indicators (``recording_values``) is the follow-up of an adopted plan: it is allowed while the
    plan is a draft or adopted, not once it is closed (a closed plan is the record).

    Progress (``recording_progress``) is the same follow-up: the progress reports on the
    measures of an adopted plan, the status a report gives its measure and the indicator values
    it brings are written while the plan is adopted (or a draft), not once it is closed.
    """
    if plan.state == PlanState.DRAFT:
        return
    if (recording_values or recording_progress) and plan.state == PlanState.ADOPTED:
        return
    if plan.state == PlanState.ADOPTED:
        message = _(
            "The plan “%(plan)s” is adopted: it can no longer be changed. Make a new version "
            "of it to change it."
        ) % {"plan": plan}
    else:
        message = _("The plan “%(plan)s” is closed: it can no longer be changed.") % {"plan": plan}
    raise FrozenError(message, {"code": "frozen", "plan": plan.pk, "state": plan.state})
