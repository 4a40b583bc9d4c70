"""Development partners' support: projects that fund or assist the implementation of
recommendations and measures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from recommendations.models import Recommendation, SdgTarget
from tracker import audit
from tracker.models import Institution, TimeStampedModel

from .plan import CURRENCY_CODE, NOT_NEGATIVE, Measure


@audit.track()
class SupportProject(TimeStampedModel):
    """A development partner's project supporting recommendations, measures and SDG targets."""

    partner = models.ForeignKey(
        Institution,
        verbose_name=_("development partner"),
        on_delete=models.PROTECT,
        related_name="support_projects",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, validators=[NOT_NEGATIVE]
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[CURRENCY_CODE])
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    recommendations = models.ManyToManyField(
        Recommendation,
        verbose_name=_("recommendations supported"),
        blank=True,
        related_name="support_projects",
    )
    measures = models.ManyToManyField(
        Measure, verbose_name=_("measures supported"), blank=True, related_name="support_projects"
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, verbose_name=_("SDG targets"), blank=True, related_name="support_projects"
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    LOCK_FIELD = "version"

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("support project")
        verbose_name_plural = _("support projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="support_project_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="support_project_amount"),
        ]
        indexes = [
            models.Index(fields=["starts_on", "id"], name="supportproject_starts_idx"),
            # The cursor pages of the API (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="supportproject_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.title


for _field, _name in (
    (SupportProject.recommendations, "SupportProjectRecommendationEvent"),
    (SupportProject.measures, "SupportProjectMeasureEvent"),
    (SupportProject.sdg_targets, "SupportProjectSdgTargetEvent"),
):
    audit.track_links(_field, _name, app_label="plans")
