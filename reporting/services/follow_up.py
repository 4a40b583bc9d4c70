"""The paragraphs a treaty body selected for follow-up, entered by the secretariat, with the date
of the State's reply; the reply appears on the reporting calendar as an obligation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from recommendations.models import Document, MechanismFamily, Recommendation
from reporting import policies
from reporting.models import FollowUpSelection, ObligationKind, ReportingObligation
from tracker.audit import audited
from tracker.models import User

FOLLOW_UP_FIELDS = ("due_on", "notes")


def _recommendations(document: Document, chosen: Iterable[Any]) -> list[Recommendation]:
    """The chosen recommendations (objects or ids), all of them paragraphs of ``document``;
    ``ValidationError`` on the field otherwise."""
    ids = {r.pk if isinstance(r, Recommendation) else int(r) for r in chosen}
    if not ids:
        raise ValidationError(
            {"recommendations": [_("Select at least one paragraph.")]}, code="required"
        )
    rows = list(Recommendation.objects.filter(pk__in=ids, document=document))
    if len(rows) != len(ids):
        raise ValidationError(
            {
                "recommendations": [
                    _("Every paragraph must come from %(symbol)s.") % {"symbol": document.symbol}
                ]
            },
            code="invalid",
        )
    return rows


def _check_document(document: Document) -> None:
    if document.mechanism.family != MechanismFamily.TREATY_BODY:
        raise ValidationError(
            {"document": [_("Only a treaty body's concluding observations have a follow-up.")]},
            code="invalid",
        )


def _sync_obligation(selection: FollowUpSelection) -> None:
    """The calendar's entry for the reply: made with the selection, kept to its due date. A
    reply already marked submitted keeps its dates. Not a service of its own: it runs inside the
    audit context of its caller (the services below, the admin's form), whose action the events
    keep."""
    document = selection.document
    title = _("Follow-up reply on %(symbol)s") % {"symbol": document.symbol}
    obligation = selection.obligation
    if obligation is None:
        obligation = ReportingObligation(
            mechanism=document.mechanism,
            kind=ObligationKind.FOLLOW_UP_REPLY,
            title=title,
            due_on=selection.due_on,
            document_symbol=document.symbol,
        )
        obligation.full_clean()
        obligation.save()
        selection.obligation = obligation
        selection.save(update_fields=["obligation", "updated_at"])
    elif obligation.due_on != selection.due_on and obligation.submitted_on is None:
        obligation.due_on = selection.due_on
        obligation.save(update_fields=["due_on", "updated_at"])


@audited
@transaction.atomic
def follow_up_selection_create(
    *,
    actor: User | None,
    document: Document,
    recommendations: Iterable[Any],
    due_on: date,
    notes: str = "",
) -> FollowUpSelection:
    """Record the paragraphs (recommendations of ``document``, objects or ids) a committee
    selected for follow-up, and the reply's due date; adds the reply to the reporting calendar.

    Raises ``PermissionDenied`` unless the secretariat asks; ``ValidationError`` with the fields
    when the document is not a treaty body's, already has a selection, or a paragraph is not
    one of its own (nothing is written then)."""
    if actor is not None:
        policies.ensure_can_edit_follow_up(actor)
    _check_document(document)
    if FollowUpSelection.objects.filter(document=document).exists():
        raise ValidationError(
            {"document": [_("This document already has a follow-up selection: change it.")]},
            code="unique",
        )
    rows = _recommendations(document, recommendations)
    selection = FollowUpSelection(document=document, due_on=due_on, notes=notes.strip())
    selection.full_clean(validate_unique=False)
    selection.save()
    selection.recommendations.set(rows)
    _sync_obligation(selection)
    return selection


@audited
@transaction.atomic
def follow_up_selection_update(
    *, actor: User | None, selection: FollowUpSelection, **changes: Any
) -> FollowUpSelection:
    """Change a selection's paragraphs (``recommendations``), ``due_on`` or ``notes``; only what
    differs is written, and the calendar's entry follows the due date. Errors as for
    ``follow_up_selection_create``."""
    if actor is not None:
        policies.ensure_can_edit_follow_up(actor, selection)
    unknown = set(changes) - {*FOLLOW_UP_FIELDS, "recommendations"}
    if unknown:
        raise ValidationError({name: [_("Cannot be changed.")] for name in sorted(unknown)})
    selection = (
        FollowUpSelection.objects.select_for_update(of=("self",))
        .select_related("document__mechanism", "obligation")
        .get(pk=selection.pk)
    )
    changed = []
    for name in FOLLOW_UP_FIELDS:
        if name in changes:
            value = changes[name].strip() if name == "notes" else changes[name]
            if getattr(selection, name) != value:
                setattr(selection, name, value)
                changed.append(name)
    if changed:
        selection.full_clean(validate_unique=False)
        selection.save(update_fields=[*changed, "updated_at"])
    if "recommendations" in changes:
        rows = _recommendations(selection.document, changes["recommendations"])
        current = set(selection.recommendations.values_list("pk", flat=True))
        if current != {r.pk for r in rows}:
            selection.recommendations.set(rows)
    _sync_obligation(selection)
    return selection


@audited
@transaction.atomic
def follow_up_selection_delete(*, actor: User | None, selection: FollowUpSelection) -> None:
    """Delete a selection, with its calendar entry unless the reply was already submitted.
    Raises ``PermissionDenied`` unless the secretariat asks."""
    if actor is not None:
        policies.ensure_can_edit_follow_up(actor, selection)
    selection = (
        FollowUpSelection.objects.select_for_update(of=("self",))
        .select_related("obligation")
        .get(pk=selection.pk)
    )
    obligation = selection.obligation
    selection.delete()
    if obligation is not None and obligation.submitted_on is None:
        obligation.delete()
