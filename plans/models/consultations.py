"""Consultations on the plan: who took part (the NHRI and civil society included), on what."""

from __future__ import annotations

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

    def __str__(self) -> str:
        return f"{self.held_on}: {self.title}"


@audit.track(exclude=["file"])
class ConsultationDocument(TimeStampedModel):
    """A document of a consultation (minutes, a submission), kept in private storage."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="consultations/%Y/%m/")

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
