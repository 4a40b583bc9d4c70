"""Measures of a draft plan, their milestones and budget lines; proposals from focal points and
the secretariat's answer; the SMART check.

Every write checks the policy, then the frozen rule (``plans.frozen``): the measures of an
adopted or closed plan do not change. The rows are locked with their plan, so that a change and
the plan's adoption do not cross.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from plans import policies
from plans.frozen import ensure_not_frozen
from plans.models import (
    BudgetLine,
    ImplementationPlan,
    Measure,
    Milestone,
    ProposalState,
)
from recommendations.policies import visible_recommendations
from tracker.audit import audited
from tracker.exceptions import ConflictError
from tracker.locking import ensure_current
from tracker.models import Institution, User
from tracker.policies import is_secretariat

from ._common import (
    _assign,
    _check_dates,
    _ids,
    _invalid,
    _save,
    _set_links,
    _split,
    _today,
    _validate,
)

MEASURE_FIELDS = (
    "title",
    "description",
    "kind",
    "lead_institution",
    "starts_on",
    "ends_on",
    "status",
    "expected_outcome",
    "gender_marker",
    "technical_assistance",
    "position",
)
MEASURE_LINKS = ("recommendations", "supporting_institutions", "sdg_targets", "framework_goals")
MILESTONE_FIELDS = ("title", "due_on", "done_on")
BUDGET_LINE_FIELDS = ("amount", "currency", "funding_source", "committed", "spent")


def _lock_plan(plan: ImplementationPlan) -> ImplementationPlan:
    return ImplementationPlan.objects.select_for_update().get(pk=plan.pk)


def _lock_measure(measure: Measure | int) -> Measure:
    """The measure and its plan, locked (a measure is changed while its plan is not adopted)."""
    pk = measure.pk if isinstance(measure, Measure) else measure
    return Measure.objects.select_for_update().select_related("plan").get(pk=pk)


def _check_measure(
    actor: User | None,
    measure: Measure,
    links: Mapping[str, Iterable[Any]],
    changed: list[str] | None,
) -> None:
    """The rules of a measure's values across fields and links, with the fields at fault."""
    errors: dict[str, list[str]] = {}
    _check_dates(vars(measure), errors, "starts_on", "ends_on")
    supporting = links.get("supporting_institutions")
    if supporting is not None and measure.lead_institution_id in _ids(supporting):
        errors.setdefault("supporting_institutions", []).append(
            _("The lead institution is not also a supporting one.")
        )
    if measure.proposal_state == ProposalState.PROPOSED and measure.lead_institution_id is None:
        errors.setdefault("lead_institution", []).append(
            _("A proposal names the institution that would lead it.")
        )
    recommendations = links.get("recommendations")
    if recommendations is not None and actor is not None and not is_secretariat(actor):
        wanted = _ids(recommendations)
        seen = visible_recommendations(actor).filter(pk__in=wanted).count()
        if seen != len(wanted):
            errors.setdefault("recommendations", []).append(_("Unknown recommendations."))
    if errors:
        raise _invalid(errors)
    _validate(measure, only=changed)


def _next_position(plan: ImplementationPlan) -> int:
    last = plan.measures.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _create(
    actor: User | None,
    plan: ImplementationPlan,
    title: str,
    proposal: bool,
    changes: Mapping[str, Any],
) -> Measure:
    fields, links = _split(changes, MEASURE_FIELDS, MEASURE_LINKS)
    plan = _lock_plan(plan)
    ensure_not_frozen(plan)
    measure = Measure(plan=plan, title=title.strip())
    _assign(measure, fields)
    if proposal:
        measure.proposal_state = ProposalState.PROPOSED
        measure.proposed_by = actor
    if "position" not in fields:
        measure.position = _next_position(plan)
    _check_measure(actor, measure, links, changed=None)
    measure.save()
    _set_links(measure, links)
    return measure


@audited
@transaction.atomic
def measure_create(
    *, actor: User | None, plan: ImplementationPlan, title: str, **fields: Any
) -> Measure:
    """Add a measure to a draft plan. ``fields``: any of ``MEASURE_FIELDS`` (model values:
    ``lead_institution`` is an ``Institution``) and the links of ``MEASURE_LINKS`` (objects or
    ids). It is placed last in the plan unless ``position`` is given.

    Raises ``PermissionDenied`` unless the secretariat asks, ``FrozenError`` for an adopted or
    closed plan, ``ApplicationError`` with the fields for a value the measure refuses.
    """
    if actor is not None:
        policies.ensure_can_create_measure(actor, plan)
    return _create(actor, plan, title, proposal=False, changes=fields)


@audited
@transaction.atomic
def measure_propose(
    *,
    actor: User,
    plan: ImplementationPlan,
    title: str,
    lead_institution: Institution,
    **fields: Any,
) -> Measure:
    """A focal point proposes a measure that its own institution would lead, in a draft plan;
    it waits for the secretariat to accept or decline it (``measure_accept``,
    ``measure_decline``). ``fields`` as for ``measure_create``.

    Raises ``PermissionDenied`` unless ``actor`` is a focal point of ``lead_institution``,
    ``FrozenError`` for an adopted or closed plan, ``ApplicationError`` with the fields for a
    value the measure refuses (a recommendation the focal point cannot see, say).
    """
    policies.ensure_can_propose_measure(actor, lead_institution)
    return _create(
        actor,
        plan,
        title,
        proposal=True,
        changes={**fields, "lead_institution": lead_institution},
    )


@audited
@transaction.atomic
def measure_update(
    *, actor: User | None, measure: Measure, version: int | None = None, **changes: Any
) -> Measure:
    """Change a measure of a draft plan: any of ``MEASURE_FIELDS`` and ``MEASURE_LINKS`` (the
    links given are set to exactly what is given). Only what differs is written; nothing at all
    when nothing differs. A focal point changing its proposal keeps its own institution as lead.
    ``version``: the one the client read (optimistic locking, ``tracker.locking``): a stale one
    is refused with ``StaleVersionError`` (409) and nothing is written.

    Raises ``PermissionDenied`` for an actor who may not change the measure, ``FrozenError`` for
    an adopted or closed plan, ``ApplicationError`` with the fields for a value it refuses.
    """
    measure = _lock_measure(measure)
    if actor is not None:
        policies.ensure_can_edit_measure(actor, measure)
    fields, links = _split(changes, MEASURE_FIELDS, MEASURE_LINKS)
    ensure_current(measure, version)
    ensure_not_frozen(measure.plan)
    if "title" in fields:
        fields["title"] = str(fields["title"]).strip()
    changed = _assign(measure, fields)
    if (
        "lead_institution" in changed
        and actor is not None
        and measure.proposal_state == ProposalState.PROPOSED
        and not is_secretariat(actor)
    ):
        policies.ensure_can_propose_measure(actor, measure.lead_institution)
    if "supporting_institutions" not in links and "lead_institution" in changed:
        links = {**links, "supporting_institutions": measure.supporting_institutions.all()}
    _check_measure(actor, measure, links, changed)
    _save(measure, changed)
    if _set_links(measure, links) and not changed:
        # A change of links only is a change of the measure too.
        _save(measure, ["updated_at"])
    return measure


@audited
@transaction.atomic
def measure_delete(*, actor: User | None, measure: Measure) -> None:
    """Delete a measure of a draft plan, with its milestones, budget lines and indicators (a
    focal point withdraws its proposal so). Raises ``PermissionDenied`` for an actor who may not
    change it, ``FrozenError`` for an adopted or closed plan."""
    measure = _lock_measure(measure)
    if actor is not None:
        policies.ensure_can_edit_measure(actor, measure)
    ensure_not_frozen(measure.plan)
    measure.delete()


@audited
@transaction.atomic
def measure_accept(*, actor: User | None, measure: Measure) -> Measure:
    """The secretariat accepts a proposed measure into the draft plan. Accepting it again
    changes nothing.

    Raises ``PermissionDenied`` unless the secretariat asks, ``FrozenError`` for an adopted or
    closed plan, ``ConflictError`` for a measure that is not a proposal or was declined.
    """
    if actor is not None:
        policies.ensure_can_review_measure(actor, measure)
    measure = _lock_measure(measure)
    ensure_not_frozen(measure.plan)
    if measure.proposal_state == ProposalState.ACCEPTED:
        return measure
    if measure.proposal_state != ProposalState.PROPOSED:
        raise ConflictError(_("Only a proposed measure is accepted."), {"code": "not_proposed"})
    measure.proposal_state = ProposalState.ACCEPTED
    measure.decline_reason = ""
    _save(measure, ["proposal_state", "decline_reason"])
    return measure


@audited
@transaction.atomic
def measure_decline(*, actor: User | None, measure: Measure, reason: str) -> Measure:
    """The secretariat declines a proposed measure, with the reason the focal point reads. The
    measure stays, declined, for the record; a new version of the plan leaves it out.

    Raises ``PermissionDenied`` unless the secretariat asks, ``FrozenError`` for an adopted or
    closed plan, ``ApplicationError`` without a reason, ``ConflictError`` for a measure that is
    not a proposal or was accepted.
    """
    if actor is not None:
        policies.ensure_can_review_measure(actor, measure)
    reason = reason.strip()
    if not reason:
        raise _invalid({"reason": [_("Say why the proposal is declined.")]})
    measure = _lock_measure(measure)
    ensure_not_frozen(measure.plan)
    if measure.proposal_state == ProposalState.DECLINED and measure.decline_reason == reason:
        return measure
    if measure.proposal_state not in (ProposalState.PROPOSED, ProposalState.DECLINED):
        raise ConflictError(_("Only a proposed measure is declined."), {"code": "not_proposed"})
    measure.proposal_state = ProposalState.DECLINED
    measure.decline_reason = reason
    _save(measure, ["proposal_state", "decline_reason"])
    return measure


@audited
@transaction.atomic
def measure_check_smart(
    *,
    actor: User | None,
    measure: Measure,
    specific: bool | None,
    measurable: bool | None,
    achievable: bool | None,
    relevant: bool | None,
    time_bound: bool | None,
    note: str = "",
) -> Measure:
    """Record the secretariat's SMART check of a measure (each criterion met, not met, or not
    judged: ``None``) with its note, dated today. Nothing is written when nothing differs.

    Raises ``PermissionDenied`` unless the secretariat asks, ``FrozenError`` for an adopted or
    closed plan.
    """
    if actor is not None:
        policies.ensure_can_review_measure(actor, measure)
    measure = _lock_measure(measure)
    ensure_not_frozen(measure.plan)
    changed = _assign(
        measure,
        {
            "smart_specific": specific,
            "smart_measurable": measurable,
            "smart_achievable": achievable,
            "smart_relevant": relevant,
            "smart_time_bound": time_bound,
            "smart_note": note.strip(),
        },
    )
    if not changed:
        return measure
    measure.smart_checked_on = _today()
    _save(measure, [*changed, "smart_checked_on"])
    return measure


# --- milestones ---------------------------------------------------------------------------------


def _editable_measure(actor: User | None, measure: Measure | int) -> Measure:
    measure = _lock_measure(measure)
    if actor is not None:
        policies.ensure_can_edit_measure(actor, measure)
    ensure_not_frozen(measure.plan)
    return measure


@audited
@transaction.atomic
def milestone_create(
    *,
    actor: User | None,
    measure: Measure,
    title: str,
    due_on: date,
    done_on: date | None = None,
) -> Milestone:
    """Add a dated milestone to a measure of a draft plan. Raises ``PermissionDenied`` for an
    actor who may not change the measure, ``FrozenError`` for an adopted or closed plan,
    ``ApplicationError`` with the fields for a value it refuses."""
    measure = _editable_measure(actor, measure)
    milestone = Milestone(measure=measure, title=title.strip(), due_on=due_on, done_on=done_on)
    _validate(milestone)
    milestone.save()
    return milestone


def _lock_milestone(milestone: Milestone) -> Milestone:
    return (
        Milestone.objects.select_for_update().select_related("measure__plan").get(pk=milestone.pk)
    )


@audited
@transaction.atomic
def milestone_update(*, actor: User | None, milestone: Milestone, **changes: Any) -> Milestone:
    """Change a milestone's ``title``, ``due_on`` or ``done_on``; nothing is written when
    nothing differs. Errors as for ``milestone_create``."""
    milestone = _lock_milestone(milestone)
    if actor is not None:
        policies.ensure_can_edit_measure(actor, milestone.measure)
    ensure_not_frozen(milestone.measure.plan)
    fields, _links = _split(changes, MILESTONE_FIELDS)
    if "title" in fields:
        fields["title"] = str(fields["title"]).strip()
    changed = _assign(milestone, fields)
    if not changed:
        return milestone
    _validate(milestone, only=changed)
    _save(milestone, changed)
    return milestone


@audited
@transaction.atomic
def milestone_delete(*, actor: User | None, milestone: Milestone) -> None:
    """Delete a milestone of a measure of a draft plan. Errors as for ``milestone_create``."""
    milestone = _lock_milestone(milestone)
    if actor is not None:
        policies.ensure_can_edit_measure(actor, milestone.measure)
    ensure_not_frozen(milestone.measure.plan)
    milestone.delete()


# --- budget lines -------------------------------------------------------------------------------


def _check_budget_line(line: BudgetLine, changed: list[str] | None) -> None:
    if line.currency:
        line.currency = line.currency.upper()
    _validate(line, only=changed)


@audited
@transaction.atomic
def budget_line_create(*, actor: User | None, measure: Measure, **fields: Any) -> BudgetLine:
    """Add a budget line to a measure of a draft plan: ``amount``, ``currency`` (ISO 4217),
    ``funding_source``, and optionally ``committed`` and ``spent``. Raises ``PermissionDenied``
    for an actor who may not change the measure, ``FrozenError`` for an adopted or closed plan,
    ``ApplicationError`` with the fields for a value it refuses (a negative amount, say)."""
    measure = _editable_measure(actor, measure)
    values, _links = _split(fields, BUDGET_LINE_FIELDS)
    line = BudgetLine(measure=measure, **values)
    _check_budget_line(line, None)
    line.save()
    return line


def _lock_budget_line(line: BudgetLine) -> BudgetLine:
    return BudgetLine.objects.select_for_update().select_related("measure__plan").get(pk=line.pk)


@audited
@transaction.atomic
def budget_line_update(
    *, actor: User | None, budget_line: BudgetLine, **changes: Any
) -> BudgetLine:
    """Change a budget line (``BUDGET_LINE_FIELDS``); nothing is written when nothing differs.
    Errors as for ``budget_line_create``."""
    line = _lock_budget_line(budget_line)
    if actor is not None:
        policies.ensure_can_edit_measure(actor, line.measure)
    ensure_not_frozen(line.measure.plan)
    fields, _links = _split(changes, BUDGET_LINE_FIELDS)
    if isinstance(fields.get("currency"), str):
        fields["currency"] = fields["currency"].upper()
    changed = _assign(line, fields)
    if not changed:
        return line
    _check_budget_line(line, changed)
    _save(line, changed)
    return line


@audited
@transaction.atomic
def budget_line_delete(*, actor: User | None, budget_line: BudgetLine) -> None:
    """Delete a budget line of a measure of a draft plan. Errors as for ``budget_line_create``."""
    line = _lock_budget_line(budget_line)
    if actor is not None:
        policies.ensure_can_edit_measure(actor, line.measure)
    ensure_not_frozen(line.measure.plan)
    line.delete()
