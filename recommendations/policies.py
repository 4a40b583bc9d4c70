"""Who may see and do what with recommendations.

Published recommendations are public, as on a transparency portal. Drafts are seen by the secretariat,
and by the focal points and validators of the institution that leads the draft's cluster, who prepare the
national follow-up with the secretariat. Archived recommendations are kept for the record and seen by every
signed-in user.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tracker.policies import Actor, ensure, has_role, is_secretariat
from tracker.roles import INSTITUTION_ROLES

from .models import PublicationState, Recommendation


def _draft_scope(actor: Actor) -> Q:
    """Drafts an institution's focal points and validators may see: those of clusters it leads."""
    if actor is None or not has_role(actor, *INSTITUTION_ROLES):
        return Q(pk__in=[])
    institutions = actor.institution_ids(INSTITUTION_ROLES)
    return Q(publication_state=PublicationState.DRAFT, cluster__lead_institution__in=institutions)


def visible_recommendations(actor: Actor) -> QuerySet[Recommendation]:
    """The recommendations ``actor`` may read; ``None`` is the public."""
    qs = Recommendation.objects.all()
    if is_secretariat(actor):
        return qs
    visible = Q(publication_state=PublicationState.PUBLISHED)
    if actor is not None and actor.is_active:
        visible |= Q(publication_state=PublicationState.ARCHIVED) | _draft_scope(actor)
    return qs.filter(visible)


def can_view_recommendation(actor: Actor, recommendation: Recommendation) -> bool:
    if recommendation.publication_state == PublicationState.PUBLISHED or is_secretariat(actor):
        return True
    if actor is None or not actor.is_active:
        return False
    if recommendation.publication_state == PublicationState.ARCHIVED:
        return True
    lead = recommendation.cluster.lead_institution_id if recommendation.cluster else None
    return lead is not None and lead in actor.institution_ids(INSTITUTION_ROLES)


def can_edit_recommendation(actor: Actor, recommendation: Recommendation | None = None) -> bool:
    """Editing, clustering, prioritising and publishing are the secretariat's work."""
    return is_secretariat(actor)


def can_view_history(actor: Actor, recommendation: Recommendation | None = None) -> bool:
    """The change log names the people who made each change: the secretariat reads it."""
    return is_secretariat(actor)


def can_view_national_notes(actor: Actor, recommendation: Recommendation | None = None) -> bool:
    """National notes are internal working notes of the State's institutions."""
    return is_secretariat(actor) or has_role(actor, *INSTITUTION_ROLES)


def can_view_drafts(actor: Actor) -> bool:
    return is_secretariat(actor) or has_role(actor, *INSTITUTION_ROLES)


def ensure_can_edit_recommendation(
    actor: Actor, recommendation: Recommendation | None = None
) -> None:
    ensure(
        can_edit_recommendation(actor, recommendation),
        "Only the secretariat edits the national fields of recommendations.",
    )


def can_import(actor: Actor) -> bool:
    """Importing UHRI feeds is the secretariat's work."""
    return is_secretariat(actor)


def ensure_can_import(actor: Actor) -> None:
    ensure(can_import(actor))


def can_view_import_run(actor: Actor, run: object = None) -> bool:
    return is_secretariat(actor)


def ensure_can_view_import_run(actor: Actor, run: object = None) -> None:
    ensure(can_view_import_run(actor, run))


def can_manage_clusters(actor: Actor) -> bool:
    """Creating, renaming and retiring clusters and assigning recommendations to them is the
    secretariat's work."""
    return is_secretariat(actor)


def ensure_can_manage_clusters(actor: Actor) -> None:
    ensure(can_manage_clusters(actor), "Only the secretariat manages clusters.")


def can_review_taxonomy(actor: Actor) -> bool:
    """Accepting, renaming and merging themes, affected groups and mechanisms."""
    return is_secretariat(actor)


def ensure_can_review_taxonomy(actor: Actor) -> None:
    ensure(can_review_taxonomy(actor), "Only the secretariat reviews the taxonomies.")


def can_enter_recommendations(actor: Actor) -> bool:
    """Entering by hand the recommendations that no feed carries."""
    return is_secretariat(actor)


def ensure_can_enter_recommendations(actor: Actor) -> None:
    ensure(can_enter_recommendations(actor), "Only the secretariat enters recommendations.")
