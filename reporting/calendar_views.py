"""The reporting calendar: what the State owes each mechanism, and when."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker.decorators import member_view
from tracker.policies import as_actor

from . import policies, selectors, services
from .forms import FollowUpDocumentForm, FollowUpSelectionForm, ObligationForm
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
            "follow_up_form": FollowUpDocumentForm() if can_edit else None,
            "selections": selectors.follow_up_selection_list(actor=actor),
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


@member_view
@require_GET
def follow_up_choose(request: HttpRequest) -> HttpResponse:
    """The calendar's "record a follow-up selection" form sends the chosen document here."""
    actor = as_actor(request.user)
    policies.ensure_can_edit_follow_up(actor)
    form = FollowUpDocumentForm(request.GET)
    if not form.is_valid():
        return redirect("reporting:calendar")
    return redirect("reporting:follow-up-edit", document_pk=form.cleaned_data["document"].pk)


@member_view
@require_http_methods(["GET", "POST"])
def follow_up_edit(request: HttpRequest, document_pk: int) -> HttpResponse:
    """Record or change the paragraphs a committee selected for follow-up in one treaty body
    document, and the reply's due date: the secretariat only (403 for others)."""
    actor = as_actor(request.user)
    policies.ensure_can_edit_follow_up(actor)
    document = get_object_or_404(selectors.treaty_body_documents(), pk=document_pk)
    selection = selectors.follow_up_selection_list(actor=actor).filter(document=document).first()
    candidates = selectors.follow_up_candidates(
        document=document, language=translation.get_language() or "en"
    )
    initial = (
        {
            "recommendations": [r.pk for r in selection.recommendations.all()],
            "due_on": selection.due_on,
            "notes": selection.notes,
        }
        if selection is not None
        else {}
    )
    form = FollowUpSelectionForm(request.POST or None, initial=initial, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if selection is None:
                services.follow_up_selection_create(actor=actor, document=document, **data)
            else:
                services.follow_up_selection_update(actor=actor, selection=selection, **data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The follow-up selection is saved."))
            return redirect("reporting:calendar")
    return render(
        request,
        "reporting/follow_up_edit.html",
        {"document": document, "selection": selection, "form": form},
        status=400 if request.method == "POST" else 200,
    )
