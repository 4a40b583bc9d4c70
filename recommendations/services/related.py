"""Related recommendations: the same recommendation repeated across cycles and mechanisms. The
secretariat links and unlinks them, and confirms or dismisses the suggestions ranked by text
similarity (``selectors.related_suggestions``); a dismissed pair is not suggested again."""

from __future__ import annotations

from django.db import transaction

from recommendations import policies
from recommendations.models import Recommendation, RelatedDismissal
from tracker.audit import audited
from tracker.exceptions import ApplicationError
from tracker.models import User

from .follow_up import recommendation_link_related_bulk


def _pair(a: Recommendation, b: Recommendation) -> tuple[int, int]:
    if a.pk == b.pk:
        raise ApplicationError("A recommendation cannot be related to itself.")
    return (min(a.pk, b.pk), max(a.pk, b.pk))


@audited
@transaction.atomic
def recommendation_unlink_related(
    *, actor: User | None, recommendation: Recommendation, other: Recommendation
) -> bool:
    """Remove the link between two related recommendations (both directions). Returns whether
    there was one. Raises ``PermissionDenied`` for anyone but the secretariat."""
    policies.ensure_can_edit_recommendation(actor)
    a, b = _pair(recommendation, other)
    through = Recommendation.related.through
    deleted, _ = through.objects.filter(
        from_recommendation_id__in=(a, b), to_recommendation_id__in=(a, b)
    ).delete()
    return deleted > 0


@audited
@transaction.atomic
def related_suggestion_confirm(
    *, actor: User | None, recommendation: Recommendation, other: Recommendation
) -> bool:
    """Confirm a suggestion: link the two; a dismissal of the pair, if any, is forgotten.
    Returns whether a new link was made. Raises ``PermissionDenied`` for anyone but the
    secretariat."""
    policies.ensure_can_edit_recommendation(actor)
    a, b = _pair(recommendation, other)
    RelatedDismissal.objects.filter(first_id=a, second_id=b).delete()
    return recommendation_link_related_bulk(actor=actor, pairs=[(a, b)]) > 0


@audited
@transaction.atomic
def related_suggestion_dismiss(
    *, actor: User | None, recommendation: Recommendation, other: Recommendation
) -> bool:
    """Dismiss a suggestion: the pair is remembered and not suggested again. Returns whether it
    was new. Raises ``PermissionDenied`` for anyone but the secretariat, ``ApplicationError`` for
    a pair that is linked (unlink it first)."""
    policies.ensure_can_edit_recommendation(actor)
    a, b = _pair(recommendation, other)
    through = Recommendation.related.through
    if through.objects.filter(from_recommendation_id=a, to_recommendation_id=b).exists():
        raise ApplicationError("These recommendations are linked: unlink them instead.")
    _dismissal, created = RelatedDismissal.objects.get_or_create(
        first_id=a, second_id=b, defaults={"dismissed_by": actor}
    )
    return created
