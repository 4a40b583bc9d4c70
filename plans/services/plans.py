"""The plan and its life: draft → adopted → closed, and its versions.

Adopting a plan freezes it (``plans.frozen``). To change an adopted plan the secretariat makes a
new version: a draft copy of it with its measures, milestones, budget lines and indicators (with
their values), which it changes and adopts in turn. Adopting a new version closes the version it
was made from, so that one version of a plan is in force at a time; every version stays readable.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from plans import policies
from plans.frozen import ensure_not_frozen
from plans.models import (
    BudgetLine,
    ImplementationPlan,
    Indicator,
    IndicatorValue,
    Measure,
    Milestone,
    PlanState,
    ProposalState,
)
from tracker.audit import audited
from tracker.exceptions import ConflictError
from tracker.locking import ensure_current
from tracker.models import User

from ._common import _assign, _check_dates, _clone, _invalid, _save, _split, _today, _validate

PLAN_FIELDS = ("title", "description", "starts_on", "ends_on")
# The links of a measure that a new version copies.
MEASURE_LINKS = ("recommendations", "supporting_institutions", "sdg_targets", "framework_goals")


def _lock(plan: ImplementationPlan) -> ImplementationPlan:
    return ImplementationPlan.objects.select_for_update().get(pk=plan.pk)


def _check(plan: ImplementationPlan, changed: list[str] | None = None) -> None:
    errors: dict[str, list[str]] = {}
    _check_dates(vars(plan), errors, "starts_on", "ends_on")
    if errors:
        raise _invalid(errors)
    _validate(plan, only=changed)


@audited
@transaction.atomic
def plan_create(
    *,
    actor: User | None,
    title: str,
    starts_on: date,
    ends_on: date,
    description: str = "",
) -> ImplementationPlan:
    """Start a plan: a draft, version 1.

    Raises ``PermissionDenied`` unless the secretariat asks, ``ApplicationError`` with the fields
    for a value the plan refuses (an empty title, an end before the start).
    """
    if actor is not None:
        policies.ensure_can_create_plan(actor)
    plan = ImplementationPlan(
        title=title.strip(), description=description, starts_on=starts_on, ends_on=ends_on
    )
    _check(plan)
    plan.save()
    return plan


@audited
@transaction.atomic
def plan_update(
    *,
    actor: User | None,
    plan: ImplementationPlan,
    revision: int | None = None,
    **changes: Any,
) -> ImplementationPlan:
    """Change a draft plan's ``title``, ``description``, ``starts_on`` or ``ends_on``. Nothing is
    written when nothing differs. ``revision``: the one the client read (optimistic locking,
    ``tracker.locking``): a stale one is refused with ``StaleVersionError`` (409).

    Raises ``PermissionDenied`` unless the secretariat asks, ``FrozenError`` for an adopted or
    closed plan, ``ApplicationError`` with the fields for a value the plan refuses.
    """
    if actor is not None:
        policies.ensure_can_edit_plan(actor, plan)
    fields, _links = _split(changes, PLAN_FIELDS)
    if "title" in fields:
        fields["title"] = str(fields["title"]).strip()
    plan = _lock(plan)
    ensure_current(plan, revision)
    ensure_not_frozen(plan)
    changed = _assign(plan, fields)
    if not changed:
        return plan
    _check(plan, changed)
    _save(plan, changed)
    return plan


@audited
@transaction.atomic
def plan_delete(*, actor: User | None, plan: ImplementationPlan) -> None:
    """Delete a draft plan with its measures (a discarded new version, say). An adopted plan is
    never deleted: ``FrozenError``. Raises ``PermissionDenied`` unless the secretariat asks."""
    if actor is not None:
        policies.ensure_can_edit_plan(actor, plan)
    plan = _lock(plan)
    ensure_not_frozen(plan)
    plan.delete()


@audited
@transaction.atomic
def plan_adopt(
    *, actor: User | None, plan: ImplementationPlan, adopted_on: date | None = None
) -> ImplementationPlan:
    """Adopt a draft plan (on ``adopted_on``, by default today): it is frozen from then on.

    When the plan is a new version of an adopted plan, that one is closed on the same day, and
    the values recorded on its indicators since the copy was made are carried over to the new
    version's indicators (those it does not have already), so that no figure is left behind.
    Adopting an adopted plan again changes nothing.

    Raises ``PermissionDenied`` unless the secretariat asks; ``ConflictError`` for a closed plan
    or one with proposals that wait for an answer; ``ApplicationError`` for a date in the future.
    """
    if actor is not None:
        policies.ensure_can_edit_plan(actor, plan)
    plan = _lock(plan)
    if plan.state == PlanState.ADOPTED:
        return plan
    if plan.state == PlanState.CLOSED:
        raise ConflictError(_("A closed plan cannot be adopted again."), {"code": "closed"})
    adopted_on = adopted_on or _today()
    if adopted_on > _today():
        raise _invalid({"adopted_on": [_("The plan cannot be adopted in the future.")]})
    waiting = plan.measures.filter(proposal_state=ProposalState.PROPOSED).count()
    if waiting:
        raise ConflictError(
            _("%(count)d proposed measures wait for an answer: accept or decline them first.")
            % {"count": waiting},
            {"code": "proposals_waiting", "count": waiting},
        )
    if plan.previous_version_id is not None:
        previous = ImplementationPlan.objects.select_for_update().get(pk=plan.previous_version_id)
        if previous.state == PlanState.ADOPTED:
            previous.state = PlanState.CLOSED
            previous.closed_on = adopted_on
            previous.revision += 1
            previous.save(update_fields=["state", "closed_on", "revision", "updated_at"])
            _carry_values_over(previous, plan)
    plan.state = PlanState.ADOPTED
    plan.adopted_on = adopted_on
    plan.adopted_by = actor
    plan.revision += 1
    plan.save(update_fields=["state", "adopted_on", "adopted_by", "revision", "updated_at"])
    return plan


@audited
@transaction.atomic
def plan_close(
    *, actor: User | None, plan: ImplementationPlan, closed_on: date | None = None
) -> ImplementationPlan:
    """Close an adopted plan (its period is over): it stays readable and takes no more values.
    Closing a closed plan changes nothing.

    Raises ``PermissionDenied`` unless the secretariat asks, ``ConflictError`` for a draft (a
    draft is adopted or deleted, not closed), ``ApplicationError`` for a date in the future or
    before the adoption.
    """
    if actor is not None:
        policies.ensure_can_edit_plan(actor, plan)
    plan = _lock(plan)
    if plan.state == PlanState.CLOSED:
        return plan
    if plan.state == PlanState.DRAFT:
        raise ConflictError(_("A draft plan is adopted or deleted, not closed."), {"code": "draft"})
    closed_on = closed_on or _today()
    if closed_on > _today() or (plan.adopted_on is not None and closed_on < plan.adopted_on):
        raise _invalid({"closed_on": [_("Between the adoption and today.")]})
    plan.state = PlanState.CLOSED
    plan.closed_on = closed_on
    plan.revision += 1
    plan.save(update_fields=["state", "closed_on", "revision", "updated_at"])
    return plan


@audited
@transaction.atomic
def plan_new_version(*, actor: User | None, plan: ImplementationPlan) -> ImplementationPlan:
    """Make the next version of an adopted (or closed) plan: a draft copy with version + 1, its
    ``previous_version`` the plan, and copies of its measures (``copied_from``, with their
    recommendations, institutions, SDG targets and national goals), milestones, budget lines,
    indicators and their values. Declined proposals are not copied. A fixed number of queries,
    however large the plan: each table is read once and written once.

    Raises ``PermissionDenied`` unless the secretariat asks; ``ConflictError`` for a draft (it is
    changed as it is) or a plan that already has a newer version (that one is changed).
    """
    if actor is not None:
        policies.ensure_can_edit_plan(actor, plan)
    source = _lock(plan)
    if source.state == PlanState.DRAFT:
        raise ConflictError(
            _("A draft plan is changed as it is: only an adopted plan gets a new version."),
            {"code": "draft"},
        )
    newer = ImplementationPlan.objects.filter(previous_version=source).only("pk", "version").first()
    if newer is not None:
        raise ConflictError(
            _("Version %(version)d of this plan exists already: change that one.")
            % {"version": newer.version},
            {"code": "newer_version", "plan": newer.pk},
        )
    draft = ImplementationPlan.objects.create(
        title=source.title,
        description=source.description,
        starts_on=source.starts_on,
        ends_on=source.ends_on,
        version=source.version + 1,
        previous_version=source,
    )
    _copy_content(source, draft)
    return draft


def _copy_content(source: ImplementationPlan, draft: ImplementationPlan) -> None:
    measures = list(
        Measure.objects.filter(plan=source)
        .exclude(proposal_state=ProposalState.DECLINED)
        .order_by("position", "pk")
    )
    copies = [_clone(m, plan_id=draft.pk, copied_from_id=m.pk) for m in measures]
    Measure.objects.bulk_create(copies)
    measure_ids = {m.pk: c.pk for m, c in zip(measures, copies, strict=True)}
    for name in MEASURE_LINKS:
        field = Measure._meta.get_field(name)
        through = getattr(Measure, name).through
        own, other = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"  # type: ignore[union-attr]
        rows = through.objects.filter(**{f"{own}__in": list(measure_ids)}).values_list(own, other)
        through.objects.bulk_create(
            [through(**{own: measure_ids[m], other: o}) for m, o in rows.order_by("pk")]
        )
    Milestone.objects.bulk_create(
        [
            _clone(row, measure_id=measure_ids[row.measure_id])
            for row in Milestone.objects.filter(measure_id__in=list(measure_ids)).order_by("pk")
        ]
    )
    BudgetLine.objects.bulk_create(
        [
            _clone(row, measure_id=measure_ids[row.measure_id])
            for row in BudgetLine.objects.filter(measure_id__in=list(measure_ids)).order_by("pk")
        ]
    )
    indicators = list(Indicator.objects.filter(measure_id__in=list(measure_ids)).order_by("pk"))
    indicator_copies = [
        _clone(i, measure_id=measure_ids[i.measure_id or 0], copied_from_id=i.pk)
        for i in indicators
    ]
    Indicator.objects.bulk_create(indicator_copies)
    indicator_ids = {i.pk: c.pk for i, c in zip(indicators, indicator_copies, strict=True)}
    IndicatorValue.objects.bulk_create(
        [
            _clone(v, indicator_id=indicator_ids[v.indicator_id])
            for v in IndicatorValue.objects.filter(indicator_id__in=list(indicator_ids)).order_by(
                "pk"
            )
        ]
    )


def _value_key(indicator_id: int, period: str, disaggregation: object) -> tuple[int, str, str]:
    return indicator_id, period, json.dumps(disaggregation, sort_keys=True)


def _carry_values_over(previous: ImplementationPlan, plan: ImplementationPlan) -> None:
    """Copy to ``plan``'s indicators the values of the ``previous`` version's indicators that
    they lack (recorded on the adopted version while the new one was being drafted)."""
    copies = dict(
        Indicator.objects.filter(
            measure__plan=plan, copied_from__measure__plan=previous
        ).values_list("copied_from_id", "pk")
    )
    if not copies:
        return
    present = {
        _value_key(v.indicator_id, v.period, v.disaggregation)
        for v in IndicatorValue.objects.filter(indicator_id__in=list(copies.values())).only(
            "indicator_id", "period", "disaggregation"
        )
    }
    missing = []
    for value in IndicatorValue.objects.filter(indicator_id__in=list(copies)).order_by("pk"):
        target = copies[value.indicator_id]
        if _value_key(target, value.period, value.disaggregation) not in present:
            missing.append(_clone(value, indicator_id=target))
    IndicatorValue.objects.bulk_create(missing)
