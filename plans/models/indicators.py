"""Indicators of progress (OHCHR's structure / process / outcome framework) and their values."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from recommendations.models import Recommendation, SdgIndicator
from tracker import audit
from tracker.models import TimeStampedModel

from .plan import Measure


class IndicatorKind(models.TextChoices):
    STRUCTURE = "structure", _("Structure")
    PROCESS = "process", _("Process")
    OUTCOME = "outcome", _("Outcome")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


# The dimensions data are broken down by; sex at least, as the OHCHR framework asks.
DISAGGREGATION_DIMENSIONS = {
    "sex": _("Sex"),
    "age": _("Age group"),
    "disability": _("Disability"),
    "location": _("Urban or rural"),
    "region": _("Region"),
    "ethnicity": _("Ethnic or national origin"),
    "income": _("Income group"),
    "migration": _("Migratory status"),
}


@audit.track()
class Indicator(TimeStampedModel):
    """How progress is measured, on a measure or directly on a recommendation (exactly one)."""

    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=12, choices=IndicatorKind.choices)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    frequency = models.CharField(
        _("reporting frequency"), max_length=12, choices=Frequency.choices, default=Frequency.YEARLY
    )
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    disaggregation = models.JSONField(
        _("disaggregation"),
        default=list,
        blank=True,
        help_text=_("The dimensions the values are broken down by, such as sex and age."),
    )
    sdg_indicator = models.ForeignKey(
        SdgIndicator,
        verbose_name=_("SDG indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(measure__isnull=False, recommendation__isnull=True)
                | Q(measure__isnull=True, recommendation__isnull=False),
                name="indicator_on_a_measure_or_a_recommendation",
            ),
        ]
        indexes = [
            # The cursor pages of the API (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="indicator_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.name


PERIOD = r"^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$"


@audit.track()
class IndicatorValue(TimeStampedModel):
    """A value of an indicator for a period ("2027", "2027-Q3" or "2027-03"), for one combination
    of its disaggregation ({"sex": "female"}), or the total ({})."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    period = models.CharField(_("period"), max_length=7)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    disaggregation = models.JSONField(_("disaggregation"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["indicator", "period", "id"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "disaggregation"],
                name="indicator_value_unique_period",
            ),
            models.CheckConstraint(
                condition=Q(period__regex=PERIOD), name="indicator_value_period_format"
            ),
        ]
        indexes = [
            models.Index(
                fields=["indicator", "period", "id"], name="indvalue_indicator_period_idx"
            ),
            # The cursor pages of the API (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="indvalue_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}: {self.value}"
