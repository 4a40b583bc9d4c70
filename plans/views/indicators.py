"""An indicator's page: baseline, target, values by period with their breakdown, due dates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from plans import policies, selectors, services
from plans.forms import IndicatorValueForm, apply_errors
from plans.models import DISAGGREGATION_DIMENSIONS, Indicator
from plans.views._common import conflict
from tracker.decorators import member_view, public_view
from tracker.exceptions import ApplicationError, ConflictError
from tracker.policies import Actor, as_actor


def _indicator_context(
    actor: Actor, indicator: Indicator, form: IndicatorValueForm | None = None
) -> dict[str, Any]:
    today = timezone.localdate()
    values = list(
        selectors.indicator_value_queryset(actor=actor)
        .filter(indicator=indicator)
        .order_by("period", "pk")
    )
    reported = {v.period for v in values}
    periods = selectors.indicator_reporting_periods(indicator, until=date_horizon(today))
    plan = indicator.measure.plan if indicator.measure is not None else None
    can_record = policies.can_record_indicator_value(actor, indicator) and (
        plan is None or plan.state != "closed"
    )
    return {
        "indicator": indicator,
        "plan": plan,
        "values": values,
        "dimensions": [DISAGGREGATION_DIMENSIONS.get(d, d) for d in indicator.disaggregation],
        "periods": [(p, p.period in reported, p.due_on < today) for p in periods],
        "overdue": selectors.indicator_due_periods(indicator, until=today),
        "next_due": selectors.indicator_next_due_date(indicator, today=today),
        "can_record": can_record,
        "value_form": (form or IndicatorValueForm(dimensions=indicator.disaggregation))
        if can_record
        else None,
    }


def date_horizon(today: Any) -> Any:
    """How far ahead the page lists the periods of an open-ended indicator: the end of next year."""
    return today.replace(year=today.year + 1, month=12, day=31)


def _indicator(actor: Actor, pk: int) -> Indicator:
    return selectors._get(
        selectors.indicator_queryset(actor=actor).select_related("recommendation__document"), pk
    )


@public_view
@require_GET
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    indicator = _indicator(actor, pk)
    return render(request, "plans/indicator_detail.html", _indicator_context(actor, indicator))


@member_view
@require_POST
def indicator_value_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    indicator = _indicator(actor, pk)
    policies.ensure_can_record_indicator_value(actor, indicator)
    form = IndicatorValueForm(request.POST, dimensions=indicator.disaggregation)
    if form.is_valid():
        try:
            services.indicator_value_create(
                actor=actor,
                indicator=indicator,
                period=form.cleaned_data["period"],
                value=form.cleaned_data["value"],
                disaggregation=form.breakdown(),
                source=form.cleaned_data["source"],
            )
        except ConflictError as exc:
            return conflict(request, exc)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The value was recorded."))
            return redirect("plans:indicator-detail", pk=indicator.pk)
    context = _indicator_context(actor, indicator, form)
    return render(request, "plans/indicator_detail.html", context, status=400)
