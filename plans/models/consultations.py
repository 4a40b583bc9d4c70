"""Consultations on the plan: who took part (the NHRI and civil society included), on what."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.db import models
from django.utils.translation import gettext_lazy as _

from recommendations.models import Recommendation
from tracker import audit
from tracker.models import Institution, TimeStampedModel


@audit.track()
class Consultation(TimeStampedModel):
    """A meeting or written consultation on the recommendations and the plan."""

    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=300)
    participants = models.ManyToManyField(
        Institution, verbose_name=_("participating institutions"), related_name="consultations"
    )
    recommendations = models.ManyToManyField(
        Recommendation,
        verbose_name=_("recommendations discussed"),
        blank=True,
        related_name="consultations",
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [
            models.Index(fields=["held_on", "id"], name="consultation_held_idx"),
            # The cursor pages of the API (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="consultation_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on}: {self.title}"


def document_path(instance: ConsultationDocument, filename: str) -> str:
    """Where a document is stored: a random directory, so that its path cannot be guessed. The
    files are served only through the API, to those who may read the consultation."""
    return f"consultations/{uuid.uuid4().hex}/{PurePath(filename).name}"


@audit.track(exclude=["file"])
class ConsultationDocument(TimeStampedModel):
    """A document of a consultation (minutes, a submission), kept in private storage. Its type
    is told from its content when it is uploaded (``content_type``), not from its name."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    content_type = models.CharField(
        _("content type"), max_length=100, default="application/octet-stream"
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)

    class Meta:
        ordering = ["consultation", "id"]
        verbose_name = _("consultation document")
        verbose_name_plural = _("consultation documents")

    def __str__(self) -> str:
        return self.title


for _field, _name in (
    (Consultation.participants, "ConsultationParticipantEvent"),
    (Consultation.recommendations, "ConsultationRecommendationEvent"),
):
    audit.track_links(_field, _name, app_label="plans")
