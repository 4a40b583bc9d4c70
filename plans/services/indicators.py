"""Indicators (on a measure or directly on a recommendation) and their values by period.

The indicators of a measure belong to its plan: they change only while the plan is a draft
(``plans.frozen``). Their values are the follow-up of the plan: they are recorded while the plan
is a draft or adopted, not once it is closed. Indicators of recommendations belong to no plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from plans import policies
from plans.frozen import ensure_not_frozen
from plans.models import (
    DISAGGREGATION_DIMENSIONS,
    ImplementationPlan,
    Indicator,
    IndicatorValue,
    Measure,
)
from plans.periods import EARLIEST_YEAR, LATEST_YEAR, PATTERNS, period_bounds, period_frequency
from recommendations.models import Recommendation
from tracker.audit import audited
from tracker.models import User

from ._common import _assign, _invalid, _save, _split, _validate

INDICATOR_FIELDS = (
    "name",
    "kind",
    "unit",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "frequency",
    "data_source",
    "disaggregation",
    "sdg_indicator",
)
VALUE_FIELDS = ("period", "value", "disaggregation", "source")
MAX_LABEL = 100


def _lock_indicator(indicator: Indicator | int) -> Indicator:
    """The indicator, locked, and its plan (if it is a measure's), locked too."""
    pk = indicator.pk if isinstance(indicator, Indicator) else indicator
    locked = (
        Indicator.objects.select_for_update(of=("self",))
        .select_related("measure__plan", "recommendation")
        .get(pk=pk)
    )
    if locked.measure is not None:
        locked.measure.plan = ImplementationPlan.objects.select_for_update().get(
            pk=locked.measure.plan_id
        )
    return locked


def _check_indicator(indicator: Indicator, changed: list[str] | None) -> None:
    errors: dict[str, list[str]] = {}
    dimensions = indicator.disaggregation
    if not isinstance(dimensions, list) or not all(isinstance(d, str) for d in dimensions):
        errors["disaggregation"] = [_('A list of dimensions, such as ["sex", "age"].')]
    else:
        unknown = sorted(set(dimensions) - set(DISAGGREGATION_DIMENSIONS))
        if unknown:
            errors["disaggregation"] = [
                _("Unknown dimensions: %(unknown)s (known: %(known)s).")
                % {"unknown": ", ".join(unknown), "known": ", ".join(DISAGGREGATION_DIMENSIONS)}
            ]
        elif len(set(dimensions)) != len(dimensions):
            errors["disaggregation"] = [_("A dimension is listed twice.")]
    for name in ("baseline_year", "target_year"):
        year = getattr(indicator, name)
        if year is not None and not EARLIEST_YEAR <= year <= LATEST_YEAR:
            errors[name] = [
                _("A year from %(first)d to %(last)d.")
                % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
            ]
    if (
        indicator.baseline_year is not None
        and indicator.target_year is not None
        and indicator.target_year < indicator.baseline_year
        and "target_year" not in errors
    ):
        errors["target_year"] = [_("The target year comes before the baseline year.")]
    if errors:
        raise _invalid(errors)
    _validate(indicator, only=changed)


def _check_existing_values(indicator: Indicator, changed: list[str]) -> None:
    """A change of frequency or dimensions must still fit the values recorded."""
    if "frequency" not in changed and "disaggregation" not in changed:
        return
    errors: dict[str, list[str]] = {}
    dimensions = set(indicator.disaggregation)
    for period, breakdown in indicator.values.values_list("period", "disaggregation"):
        if "frequency" in changed and period_frequency(period) != indicator.frequency:
            errors["frequency"] = [_("Values are recorded for other periods, such as %s.") % period]
        if "disaggregation" in changed and set(breakdown) - dimensions:
            errors["disaggregation"] = [
                _("Values are recorded by %s.") % ", ".join(sorted(set(breakdown) - dimensions))
            ]
    if errors:
        raise _invalid(errors)


@audited
@transaction.atomic
def indicator_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    measure: Measure | None = None,
    recommendation: Recommendation | None = None,
    **fields: Any,
) -> Indicator:
    """Add an indicator to a measure of a draft plan, or to a recommendation (exactly one of
    them). ``fields``: any of ``INDICATOR_FIELDS``; ``disaggregation`` lists dimensions of
    ``DISAGGREGATION_DIMENSIONS``.

    Raises ``PermissionDenied`` for an actor who may not change the measure (the secretariat,
    a focal point for its proposal) or, on a recommendation, who is not the secretariat;
    ``FrozenError`` for a measure of an adopted or closed plan; ``ApplicationError`` with the
    fields for a value the indicator refuses.
    """
    if (measure is None) == (recommendation is None):
        message = _("An indicator is on a measure or on a recommendation: give one of them.")
        raise _invalid({"measure": [message], "recommendation": [message]})
    values, _links = _split(fields, INDICATOR_FIELDS)
    if measure is not None:
        measure = Measure.objects.select_for_update().select_related("plan").get(pk=measure.pk)
        if actor is not None:
            policies.ensure_can_edit_measure(actor, measure)
        ensure_not_frozen(measure.plan)
    elif actor is not None:
        policies.ensure_can_create_recommendation_indicator(actor, recommendation)
    indicator = Indicator(
        measure=measure, recommendation=recommendation, name=name.strip(), kind=kind
    )
    _assign(indicator, values)
    _check_indicator(indicator, None)
    indicator.save()
    return indicator


def _editable_indicator(actor: User | None, indicator: Indicator) -> Indicator:
    indicator = _lock_indicator(indicator)
    if actor is not None:
        policies.ensure_can_edit_indicator(actor, indicator)
    if indicator.measure is not None:
        ensure_not_frozen(indicator.measure.plan)
    return indicator


@audited
@transaction.atomic
def indicator_update(*, actor: User | None, indicator: Indicator, **changes: Any) -> Indicator:
    """Change an indicator (``INDICATOR_FIELDS``); nothing is written when nothing differs. A new
    frequency or list of dimensions must fit the values already recorded. Errors as for
    ``indicator_create``."""
    indicator = _editable_indicator(actor, indicator)
    fields, _links = _split(changes, INDICATOR_FIELDS)
    if "name" in fields:
        fields["name"] = str(fields["name"]).strip()
    changed = _assign(indicator, fields)
    if not changed:
        return indicator
    _check_indicator(indicator, changed)
    _check_existing_values(indicator, changed)
    _save(indicator, changed)
    return indicator


@audited
@transaction.atomic
def indicator_delete(*, actor: User | None, indicator: Indicator) -> None:
    """Delete an indicator with its values. Errors as for ``indicator_create``."""
    indicator = _editable_indicator(actor, indicator)
    indicator.delete()


# --- values -------------------------------------------------------------------------------------


def _recordable_indicator(actor: User | None, indicator: Indicator | int) -> Indicator:
    indicator = _lock_indicator(indicator)
    if actor is not None:
        policies.ensure_can_record_indicator_value(actor, indicator)
    if indicator.measure is not None:
        ensure_not_frozen(indicator.measure.plan, recording_values=True)
    return indicator


def _clean_breakdown(indicator: Indicator, breakdown: object, errors: dict[str, list[str]]) -> None:
    if not isinstance(breakdown, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() and len(v) <= MAX_LABEL
        for k, v in breakdown.items()
    ):
        errors["disaggregation"] = [
            _(
                'An object of dimensions and their values, such as {"sex": "female"}; {} for the total.'
            )
        ]
        return
    unknown = sorted(set(breakdown) - set(indicator.disaggregation))
    if unknown:
        errors["disaggregation"] = [
            _("The indicator is not broken down by %(unknown)s (it is by: %(known)s).")
            % {
                "unknown": ", ".join(unknown),
                "known": ", ".join(indicator.disaggregation) or _("nothing"),
            }
        ]


def _check_value(indicator: Indicator, value: IndicatorValue, changed: list[str] | None) -> None:
    errors: dict[str, list[str]] = {}
    pattern = PATTERNS.get(indicator.frequency)
    if pattern is None or not pattern.match(value.period):
        examples = {"yearly": "2027", "quarterly": "2027-Q3", "monthly": "2027-03"}
        errors["period"] = [
            _("A %(frequency)s period, such as %(example)s.")
            % {
                "frequency": indicator.get_frequency_display().lower(),
                "example": examples.get(indicator.frequency, "2027"),
            }
        ]
    elif not EARLIEST_YEAR <= period_bounds(value.period)[0].year <= LATEST_YEAR:
        errors["period"] = [_("A period from %d on.") % EARLIEST_YEAR]
    _clean_breakdown(indicator, value.disaggregation, errors)
    if not errors:
        duplicate = IndicatorValue.objects.filter(
            indicator=indicator, period=value.period, disaggregation=value.disaggregation
        ).exclude(pk=value.pk)
        if duplicate.exists():
            errors["period"] = [_("A value is recorded for this period and breakdown already.")]
    if errors:
        raise _invalid(errors)
    _validate(value, only=changed)


@audited
@transaction.atomic
def indicator_value_create(
    *,
    actor: User | None,
    indicator: Indicator,
    period: str,
    value: Decimal,
    disaggregation: Mapping[str, str] | None = None,
    source: str = "",
) -> IndicatorValue:
    """Record the value of an indicator for a period of its frequency ("2027", "2027-Q3",
    "2027-03"), for a breakdown by its dimensions (``{"sex": "female"}``) or the total (``{}``).

    Raises ``PermissionDenied`` unless the secretariat asks, ``FrozenError`` for an indicator of
    a closed plan, ``ApplicationError`` with the fields for a period of another frequency, an
    unknown dimension, or a value recorded already for that period and breakdown.
    """
    indicator = _recordable_indicator(actor, indicator)
    row = IndicatorValue(
        indicator=indicator,
        period=period.strip(),
        value=value,
        disaggregation=dict(disaggregation or {}),
        source=source.strip(),
    )
    _check_value(indicator, row, None)
    row.save()
    return row


def _lock_value(
    actor: User | None, indicator_value: IndicatorValue
) -> tuple[IndicatorValue, Indicator]:
    """The value and its indicator, locked in the order every write locks them: the indicator
    (with its plan) first."""
    indicator = _recordable_indicator(actor, indicator_value.indicator_id)
    return IndicatorValue.objects.select_for_update().get(pk=indicator_value.pk), indicator


@audited
@transaction.atomic
def indicator_value_update(
    *, actor: User | None, indicator_value: IndicatorValue, **changes: Any
) -> IndicatorValue:
    """Correct a recorded value (``VALUE_FIELDS``); nothing is written when nothing differs.
    Errors as for ``indicator_value_create``."""
    row, indicator = _lock_value(actor, indicator_value)
    fields, _links = _split(changes, VALUE_FIELDS)
    if isinstance(fields.get("period"), str):
        fields["period"] = fields["period"].strip()
    if "disaggregation" in fields and fields["disaggregation"] is None:
        fields["disaggregation"] = {}
    changed = _assign(row, fields)
    if not changed:
        return row
    _check_value(indicator, row, changed)
    _save(row, changed)
    return row


@audited
@transaction.atomic
def indicator_value_delete(*, actor: User | None, indicator_value: IndicatorValue) -> None:
    """Delete a recorded value. Errors as for ``indicator_value_create``."""
    row, _indicator = _lock_value(actor, indicator_value)
    row.delete()
