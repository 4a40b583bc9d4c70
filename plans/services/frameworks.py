"""National frameworks beside the SDGs (a national development plan, a national human rights
action plan) and their goal trees, which the secretariat keeps; the recommendations each goal
serves. Measures link to goals through ``measure_update`` (``framework_goals``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from plans import policies
from plans.models import NationalFramework, NationalGoal, PlanState
from tracker.audit import audited
from tracker.exceptions import ConflictError
from tracker.models import User

from ._common import _assign, _check_dates, _invalid, _save, _set_links, _split, _validate

FRAMEWORK_FIELDS = ("name", "kind", "starts_on", "ends_on", "is_active")
GOAL_FIELDS = ("parent", "code", "title")
GOAL_LINKS = ("recommendations",)


def _check_framework(framework: NationalFramework, changed: list[str] | None) -> None:
    errors: dict[str, list[str]] = {}
    _check_dates(vars(framework), errors, "starts_on", "ends_on")
    duplicate = NationalFramework.objects.filter(name__iexact=framework.name).exclude(
        pk=framework.pk
    )
    if (changed is None or "name" in changed) and duplicate.exists():
        errors["name"] = [_("A framework of this name exists already.")]
    if errors:
        raise _invalid(errors)
    _validate(framework, only=changed)


@audited
@transaction.atomic
def national_framework_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
    is_active: bool = True,
) -> NationalFramework:
    """Add a national framework. Raises ``PermissionDenied`` unless the secretariat asks,
    ``ApplicationError`` with the fields for a value it refuses (a name taken, say)."""
    if actor is not None:
        policies.ensure_can_edit_frameworks(actor)
    framework = NationalFramework(
        name=name.strip(), kind=kind, starts_on=starts_on, ends_on=ends_on, is_active=is_active
    )
    _check_framework(framework, None)
    framework.save()
    return framework


@audited
@transaction.atomic
def national_framework_update(
    *, actor: User | None, framework: NationalFramework, **changes: Any
) -> NationalFramework:
    """Change a framework (``FRAMEWORK_FIELDS``; ``is_active`` false retires it without touching
    the plans that link to its goals). Nothing is written when nothing differs. Errors as for
    ``national_framework_create``."""
    if actor is not None:
        policies.ensure_can_edit_frameworks(actor, framework)
    fields, _links = _split(changes, FRAMEWORK_FIELDS)
    if isinstance(fields.get("name"), str):
        fields["name"] = fields["name"].strip()
    framework = NationalFramework.objects.select_for_update().get(pk=framework.pk)
    changed = _assign(framework, fields)
    if not changed:
        return framework
    _check_framework(framework, changed)
    _save(framework, changed)
    return framework


def _ensure_not_in_frozen_plans(goals: Any) -> None:
    """A goal that measures of an adopted or closed plan serve is part of that plan's record."""
    frozen = (
        NationalGoal.measures.through.objects.filter(nationalgoal__in=goals)
        .exclude(measure__plan__state=PlanState.DRAFT)
        .exists()
    )
    if frozen:
        raise ConflictError(
            _("Measures of an adopted plan serve this goal: retire its framework instead."),
            {"code": "in_adopted_plan"},
        )


@audited
@transaction.atomic
def national_framework_delete(*, actor: User | None, framework: NationalFramework) -> None:
    """Delete a framework with its goals. Raises ``PermissionDenied`` unless the secretariat
    asks, ``ConflictError`` when measures of an adopted or closed plan serve one of its goals
    (retire it with ``is_active`` instead)."""
    if actor is not None:
        policies.ensure_can_edit_frameworks(actor, framework)
    framework = NationalFramework.objects.select_for_update().get(pk=framework.pk)
    _ensure_not_in_frozen_plans(framework.goals.all())
    framework.delete()


def _check_goal(goal: NationalGoal, changed: list[str] | None) -> None:
    errors: dict[str, list[str]] = {}
    parent = goal.parent
    if parent is not None:
        if parent.framework_id != goal.framework_id:
            errors["parent"] = [_("The parent goal belongs to another framework.")]
        else:
            seen = {goal.pk}
            while parent is not None:
                if parent.pk in seen:
                    errors["parent"] = [_("A goal cannot be under itself.")]
                    break
                seen.add(parent.pk)
                parent = parent.parent
    if goal.code and (changed is None or "code" in changed):
        taken = NationalGoal.objects.filter(framework_id=goal.framework_id, code=goal.code)
        if taken.exclude(pk=goal.pk).exists():
            errors["code"] = [_("Another goal of the framework has this code.")]
    if errors:
        raise _invalid(errors)
    _validate(goal, only=changed)


@audited
@transaction.atomic
def national_goal_create(
    *,
    actor: User | None,
    framework: NationalFramework,
    title: str,
    code: str = "",
    parent: NationalGoal | None = None,
    recommendations: Any = (),
) -> NationalGoal:
    """Add a goal to a framework (under ``parent``, a goal of the same framework), with the
    recommendations it serves. Raises ``PermissionDenied`` unless the secretariat asks,
    ``ApplicationError`` with the fields for a value it refuses (a code taken, say)."""
    if actor is not None:
        policies.ensure_can_edit_frameworks(actor, framework)
    goal = NationalGoal(framework=framework, parent=parent, code=code.strip(), title=title.strip())
    _check_goal(goal, None)
    goal.save()
    _set_links(goal, {"recommendations": list(recommendations)})
    return goal


@audited
@transaction.atomic
def national_goal_update(*, actor: User | None, goal: NationalGoal, **changes: Any) -> NationalGoal:
    """Change a goal (``GOAL_FIELDS``) or the recommendations it serves (``GOAL_LINKS``); only
    what differs is written. Errors as for ``national_goal_create``."""
    if actor is not None:
        policies.ensure_can_edit_frameworks(actor, goal)
    fields, links = _split(changes, GOAL_FIELDS, GOAL_LINKS)
    for name in ("code", "title"):
        if isinstance(fields.get(name), str):
            fields[name] = fields[name].strip()
    goal = NationalGoal.objects.select_for_update().get(pk=goal.pk)
    changed = _assign(goal, fields)
    if changed:
        _check_goal(goal, changed)
        _save(goal, changed)
    _set_links(goal, links)
    return goal


@audited
@transaction.atomic
def national_goal_delete(*, actor: User | None, goal: NationalGoal) -> None:
    """Delete a goal with the goals under it. Raises ``PermissionDenied`` unless the secretariat
    asks, ``ConflictError`` when measures of an adopted or closed plan serve it or one under
    it."""
    if actor is not None:
        policies.ensure_can_edit_frameworks(actor, goal)
    goal = NationalGoal.objects.select_for_update().get(pk=goal.pk)
    subtree, level = {goal.pk}, {goal.pk}
    while level:
        level = (
            set(NationalGoal.objects.filter(parent__in=level).values_list("pk", flat=True))
            - subtree
        )
        subtree |= level
    _ensure_not_in_frozen_plans(list(subtree))
    goal.delete()
