"""Assessments of implementation by the government, the NHRI and civil society, and the
comments of the NHRI and civil society, moderated by the secretariat."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plans import policies, progress_policies
from plans.models import (
    Assessment,
    AssessmentState,
    Comment,
    CommentState,
    Measure,
    Rating,
)
from recommendations.models import Recommendation
from recommendations.policies import visible_recommendations
from tracker.audit import audited
from tracker.exceptions import ApplicationError, ConflictError
from tracker.locking import bump, ensure_current
from tracker.models import User

from . import _common
from ._common import _invalid, _plain

ASSESSMENT_FIELDS = ("rating", "summary", "evidence", "assessed_on")


def _check_assessment(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean = dict(values)
    if "rating" in clean and clean["rating"] not in Rating.values:
        errors["rating"] = [_("One of: %s.") % ", ".join(Rating.values)]
    for name in ("summary", "evidence"):
        if name in clean:
            clean[name] = _plain(clean[name])
    if "summary" in clean and not clean["summary"]:
        errors["summary"] = [_("Summarise the assessment.")]
    assessed_on = clean.get("assessed_on")
    if assessed_on is not None and (
        not isinstance(assessed_on, date) or assessed_on > _common._today()
    ):
        errors["assessed_on"] = [_("A date, not in the future.")]
    if errors:
        raise _invalid(errors)
    return clean


@audited
@transaction.atomic
def assessment_create(
    *,
    actor: User,
    recommendation: Recommendation,
    rating: str,
    summary: str,
    evidence: str = "",
    assessed_on: date | None = None,
) -> Assessment:
    """A draft assessment of a recommendation; the assessor kind follows ``actor``'s role
    (government, NHRI, civil society) and the organisation is theirs.

    Raises ``PermissionDenied`` for someone who does not assess, ``ApplicationError`` with the
    fields (an unknown rating, an empty summary, a recommendation they cannot see)."""
    progress_policies.ensure_can_assess(actor)
    if not visible_recommendations(actor).filter(pk=recommendation.pk).exists():
        raise _invalid({"recommendation": [_("Unknown recommendation.")]})
    kind = progress_policies.assessor_kind(actor)
    assert kind is not None  # noqa: S101 (ensured above)
    values = _check_assessment(
        {
            "rating": rating,
            "summary": summary,
            "evidence": evidence,
            "assessed_on": assessed_on or _common._today(),
        }
    )
    institutions = sorted(progress_policies.assessor_institutions(actor))
    assessment = Assessment(
        recommendation=recommendation,
        assessor_kind=kind,
        institution_id=institutions[0] if institutions else None,
        author=actor,
        **values,
    )
    assessment.save()
    return assessment


def _lock_assessment(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


@audited
@transaction.atomic
def assessment_update(
    *, actor: User, assessment: Assessment, version: int | None = None, **changes: Any
) -> Assessment:
    """Change a draft assessment (``ASSESSMENT_FIELDS``). Raises ``PermissionDenied`` for
    someone outside its organisation, ``StaleVersionError``, ``ConflictError`` once published,
    ``ApplicationError`` with the fields."""
    assessment = _lock_assessment(assessment)
    progress_policies.ensure_can_edit_assessment(actor, assessment)
    ensure_current(assessment, version)
    if assessment.state != AssessmentState.DRAFT:
        raise ConflictError(_("A published assessment is not changed."), {"code": "published"})
    fields, _links = _common._split(changes, ASSESSMENT_FIELDS)
    changed = _common._assign(assessment, _check_assessment(fields))
    _common._save(assessment, changed)
    return assessment


@audited
@transaction.atomic
def assessment_publish(
    *, actor: User, assessment: Assessment, version: int | None = None
) -> Assessment:
    """Publish a draft assessment: it is shown beside the others. Publishing it again changes
    nothing. Raises ``PermissionDenied`` for someone outside its organisation,
    ``StaleVersionError``."""
    assessment = _lock_assessment(assessment)
    progress_policies.ensure_can_edit_assessment(actor, assessment)
    ensure_current(assessment, version)
    if assessment.state == AssessmentState.PUBLISHED:
        return assessment
    assessment.state = AssessmentState.PUBLISHED
    assessment.published_at = timezone.now()
    assessment.save(update_fields=["state", "published_at", *bump(assessment), "updated_at"])
    return assessment


# --- comments -----------------------------------------------------------------------------------


def _rate_limit() -> int:
    return int(getattr(settings, "TRACKER_COMMENTS_PER_HOUR", 10))


@audited
@transaction.atomic
def comment_create(
    *,
    actor: User,
    text: str,
    recommendation: Recommendation | None = None,
    measure: Measure | None = None,
) -> Comment:
    """A comment by the NHRI or civil society on a recommendation or a measure (one of them),
    stored as plain text (every tag removed), waiting for the secretariat's moderation. At most
    ``TRACKER_COMMENTS_PER_HOUR`` comments per person in an hour.

    Raises ``PermissionDenied`` for anyone else, ``ApplicationError`` with the fields (empty,
    too long, no target or two, a target they cannot see, past the rate limit)."""
    progress_policies.ensure_can_comment(actor)
    if (recommendation is None) == (measure is None):
        raise _invalid({"non_field_errors": [_("Comment on a recommendation or a measure.")]})
    if recommendation is not None and (
        not visible_recommendations(actor).filter(pk=recommendation.pk).exists()
    ):
        raise _invalid({"recommendation": [_("Unknown recommendation.")]})
    if measure is not None and not policies.visible_measures(actor).filter(pk=measure.pk).exists():
        raise _invalid({"measure": [_("Unknown measure.")]})
    clean = _plain(text)
    if not clean:
        raise _invalid({"text": [_("Write the comment.")]})
    if len(clean) > 5000:
        raise _invalid({"text": [_("At most 5,000 characters.")]})
    # Lock the author's row so that two comments sent at once are counted one after the other.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    since = timezone.now() - timedelta(hours=1)
    if Comment.objects.filter(author=actor, created_at__gte=since).count() >= _rate_limit():
        raise ApplicationError(
            _("You have sent %(limit)s comments in the last hour: wait a little.")
            % {"limit": _rate_limit()},
            {"code": "rate_limited", "fields": {"text": [_("Too many comments; wait.")]}},
        )
    institutions = sorted(actor.institution_ids())
    comment = Comment(
        author=actor,
        institution_id=institutions[0] if institutions else None,
        recommendation=recommendation,
        measure=measure,
        text=clean,
    )
    comment.save()
    return comment


def _moderate(actor: User, comment: Comment, state: str, reason: str) -> Comment:
    progress_policies.ensure_can_moderate_comments(actor)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.state == state and comment.moderation_reason == reason:
        return comment
    comment.state = state
    comment.moderation_reason = reason
    comment.moderated_by = actor
    comment.moderated_at = timezone.now()
    comment.save(
        update_fields=["state", "moderation_reason", "moderated_by", "moderated_at", "updated_at"]
    )
    return comment


@audited
@transaction.atomic
def comment_approve(*, actor: User, comment: Comment) -> Comment:
    """The secretariat approves a comment: it becomes public. Raises ``PermissionDenied`` for
    anyone else."""
    return _moderate(actor, comment, CommentState.APPROVED, "")


@audited
@transaction.atomic
def comment_reject(*, actor: User, comment: Comment, reason: str) -> Comment:
    """The secretariat rejects a comment with the reason its author reads. Raises
    ``PermissionDenied`` for anyone else, ``ApplicationError`` without a reason."""
    progress_policies.ensure_can_moderate_comments(actor)
    reason = _plain(reason)
    if not reason:
        raise _invalid({"reason": [_("Say why the comment is rejected.")]})
    return _moderate(actor, comment, CommentState.REJECTED, reason)
