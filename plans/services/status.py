"""The implementation status of recommendations, derived from their measures: a recommendation
whose measures (in adopted or closed plans, proposals declined left out) are all completed is
implemented; some completed, partially implemented; some under way (in progress or delayed), in
progress; none under way, not started. A measure's status comes from the secretariat and from
the progress reports it accepts, so accepting a report derives its recommendations' status again.

The secretariat may override the derived status with a reason (the recommendation's
``status_override_reason``, kept and shown): an overridden status is not derived again until
the reason is cleared.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from plans.models import Measure, MeasureStatus, PlanState, ProposalState
from recommendations.models import ImplementationStatus, Recommendation
from recommendations.services import recommendation_set_national_fields_bulk
from tracker.audit import audited
from tracker.models import User

COUNTED_PLANS = (PlanState.ADOPTED, PlanState.CLOSED)
UNDER_WAY = (MeasureStatus.IN_PROGRESS, MeasureStatus.DELAYED)


def _derive(statuses: list[str]) -> str:
    counted = [s for s in statuses if s != MeasureStatus.CANCELLED]
    if not counted:
        return ImplementationStatus.NOT_STARTED
    completed = sum(1 for s in counted if s == MeasureStatus.COMPLETED)
    if completed == len(counted):
        return ImplementationStatus.IMPLEMENTED
    if completed:
        return ImplementationStatus.PARTIALLY_IMPLEMENTED
    if any(s in UNDER_WAY for s in counted):
        return ImplementationStatus.IN_PROGRESS
    return ImplementationStatus.NOT_STARTED


def _derived_status(recommendation_id: int) -> str:
    """The status the measures of a recommendation give it (``ImplementationStatus``)."""
    statuses = list(
        Measure.objects.filter(recommendations=recommendation_id, plan__state__in=COUNTED_PLANS)
        .exclude(proposal_state=ProposalState.DECLINED)
        .values_list("status", flat=True)
    )
    return _derive(statuses)


@audited
@transaction.atomic
def recommendation_status_derive(*, actor: User | None, recommendations: Iterable[int]) -> int:
    """Derive again the status of the recommendations (ids) from their measures; those the
    secretariat overrode (a reason is given) keep theirs. Writes only the statuses that change,
    through the recommendations' national fields service (their version goes up). Returns how
    many changed. ``actor`` is the person whose action led to it (for the audit), or ``None``."""
    rows = Recommendation.objects.filter(pk__in=list(recommendations), status_override_reason="")
    changes = {}
    for pk, current in rows.values_list("pk", "status"):
        status = _derived_status(pk)
        if status != current:
            changes[pk] = {"status": status}
    if not changes:
        return 0
    return recommendation_set_national_fields_bulk(actor=None, changes=changes)
