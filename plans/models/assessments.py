"""Independent views of implementation: the government, the NHRI and civil society each rate a
recommendation's implementation, and the comments of the NHRI and civil society on
recommendations and measures, moderated by the secretariat."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from recommendations.models import Recommendation
from tracker import audit
from tracker.models import Institution, TimeStampedModel

from .plan import Measure


class AssessorKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    NHRI = "nhri", _("National human rights institution")
    CSO = "cso", _("Civil society")


class Rating(models.TextChoices):
    FULLY = "fully", _("Fully implemented")
    PARTIALLY = "partially", _("Partially implemented")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    NO_INFORMATION = "no_information", _("No information")


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


@audit.track()
class Assessment(TimeStampedModel):
    """How an assessor (the government, the NHRI, a civil-society organisation) rates the
    implementation of a recommendation, with a summary and the evidence it rests on. A draft
    stays with its author's organisation; published, it is shown beside the others."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    assessor_kind = models.CharField(_("assessor"), max_length=12, choices=AssessorKind.choices)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
    )
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices)
    summary = models.TextField(_("summary"))
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("The sources the rating rests on.")
    )
    assessed_on = models.DateField(_("assessed on"))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=AssessmentState.choices,
        default=AssessmentState.DRAFT,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    LOCK_FIELD = "version"

    class Meta:
        ordering = ["recommendation", "assessor_kind", "-assessed_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [
            models.Index(
                fields=["recommendation", "assessor_kind", "-assessed_on", "-id"],
                name="assessment_rec_kind_date_idx",
            ),
            # The cursor pages of the API (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="assessment_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_assessor_kind_display()}: {self.get_rating_display()}"


class CommentState(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


@audit.track()
class Comment(TimeStampedModel):
    """A comment of the NHRI or civil society on a recommendation or a measure (exactly one),
    stored as sanitised plain text, public once the secretariat approves it."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    text = models.TextField(_("text"))
    state = models.CharField(
        _("state"), max_length=10, choices=CommentState.choices, default=CommentState.PENDING
    )
    moderation_reason = models.TextField(_("reason"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__isnull=False, measure__isnull=True)
                | Q(recommendation__isnull=True, measure__isnull=False),
                name="comment_on_a_recommendation_or_a_measure",
            ),
        ]
        indexes = [
            models.Index(fields=["author", "created_at"]),
            models.Index(fields=["created_at", "id"], name="comment_created_idx"),
            # The cursor pages of the API (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="comment_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:60]
