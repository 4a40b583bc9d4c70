"""The reporting obligations the secretariat enters (the calendar's treaty-body reports)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from recommendations.models import Mechanism
from reporting import policies
from reporting.models import ReportingObligation
from tracker.audit import audited
from tracker.models import User


@audited
@transaction.atomic
def obligation_create(
    *,
    actor: User | None,
    mechanism: Mechanism,
    kind: str,
    title: str,
    due_on: date,
    document_symbol: str = "",
    notes: str = "",
) -> ReportingObligation:
    """Enter a report the State owes. ``PermissionDenied`` unless secretariat;
    ``ValidationError`` with the fields on bad input (nothing written)."""
    policies.ensure_can_edit_obligations(actor)
    obligation = ReportingObligation(
        mechanism=mechanism,
        kind=kind,
        title=title.strip(),
        due_on=due_on,
        document_symbol=document_symbol.strip(),
        notes=notes.strip(),
    )
    obligation.full_clean()
    obligation.save()
    return obligation


@audited
@transaction.atomic
def obligation_mark_submitted(
    *, actor: User | None, obligation: ReportingObligation, submitted_on: date
) -> ReportingObligation:
    """Record that the report was sent. Idempotent for the same date."""
    policies.ensure_can_edit_obligations(actor, obligation)
    locked = ReportingObligation.objects.select_for_update().get(pk=obligation.pk)
    if locked.submitted_on == submitted_on:
        return locked
    locked.submitted_on = submitted_on
    locked.save(update_fields=["submitted_on", "updated_at"])
    return locked
