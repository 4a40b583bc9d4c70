"""The reporting calendar: what the State owes each mechanism, and when."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tracker.decorators import member_view
from tracker.policies import as_actor

from . import policies, selectors, services
from .forms import ObligationForm
from .models import ReportingObligation


@member_view
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_view_calendar(actor)
    can_edit = policies.can_edit_obligations(actor)
    form = ObligationForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        policies.ensure_can_edit_obligations(actor)
        assert form is not None  # noqa: S101 (made above for the secretariat)
        if form.is_valid():
            try:
                services.obligation_create(actor=actor, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return redirect("reporting:calendar")
    entries = selectors.reporting_calendar()
    counts = {
        state: sum(1 for e in entries if e.state == state) for state in ("overdue", "due_soon")
    }
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reporting/calendar.html",
        {
            "entries": entries,
            "counts": counts,
            "form": form,
            "can_edit": can_edit,
            "soon_days": selectors.DUE_SOON_DAYS,
        },
        status=status,
    )


@member_view
@require_POST
def obligation_submitted(request: HttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_edit_obligations(actor)
    obligation = get_object_or_404(ReportingObligation, pk=pk)
    services.obligation_mark_submitted(
        actor=actor, obligation=obligation, submitted_on=timezone.localdate()
    )
    return redirect("reporting:calendar")
