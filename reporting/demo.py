"""The reporting app's part of the demo data (see ``tracker.demo``): the paragraphs a treaty body
selected for follow-up in one demo set of concluding observations, with the reply's due date, so
that the follow-up reply and the reporting calendar have something to show."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from recommendations.models import Document, MechanismFamily, Recommendation
from tracker.demo.steps import DemoContext, register

from .models import FollowUpSelection, ReportingObligation
from .services import follow_up_selection_create

# A committee selects two to four paragraphs for its follow-up procedure.
SELECTED = 3


@register("reporting.follow_up", order=950, marks=(FollowUpSelection, ReportingObligation))
def load_follow_up(context: DemoContext) -> None:
    """One follow-up selection, on the newest demo treaty-body document that has paragraphs;
    once (a second load adds nothing)."""
    existing = context.marked(FollowUpSelection).count()
    if not existing:
        document = (
            context.marked(Document)
            .filter(mechanism__family=MechanismFamily.TREATY_BODY, recommendations__isnull=False)
            .order_by("-publication_date", "symbol")
            .first()
        )
        if document is not None:
            paragraphs = list(
                Recommendation.objects.filter(document=document).order_by("paragraph_sort", "id")
            )
            rng = context.random("reporting.follow_up")
            chosen = sorted(
                rng.sample(paragraphs, k=min(SELECTED, len(paragraphs))),
                key=lambda r: (r.paragraph_sort, r.pk),
            )
            published = document.publication_date or timezone.localdate()
            selection = follow_up_selection_create(
                actor=None,
                document=document,
                recommendations=chosen,
                due_on=published + timedelta(days=730),
            )
            context.mark([selection])
            if selection.obligation is not None:
                context.mark([selection.obligation])
            context.created["follow_up_selections"] += 1
    context.count("follow_up_selections", context.marked(FollowUpSelection).count())
