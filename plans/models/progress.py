"""Progress on the plan: the reports institutions write on their measures, with the values of
the measures' indicators for a period and evidence files, and the steps each report went
through (draft → submitted → validated → accepted → published, or returned to its author)."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from tracker import audit
from tracker.models import Institution, TimeStampedModel

from .indicators import PERIOD, Indicator
from .plan import Measure, MeasureStatus


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VALIDATED = "validated", _("Validated")
    ACCEPTED = "accepted", _("Accepted")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned")


# The states in which the report's author changes it.
EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)
# The states from which a report is returned to its author.
RETURNABLE_STATES = (ReportState.SUBMITTED, ReportState.VALIDATED, ReportState.ACCEPTED)


class StepAction(models.TextChoices):
    CREATE = "create", _("Created")
    SUBMIT = "submit", _("Submitted")
    VALIDATE = "validate", _("Validated")
    ACCEPT = "accept", _("Accepted")
    PUBLISH = "publish", _("Published")
    RETURN = "return", _("Returned")


@audit.track()
class ProgressReport(TimeStampedModel):
    """What an institution reports on a measure for a period: a narrative, the status it gives
    the measure, the values of the measure's indicators and evidence. Once the secretariat
    accepts it, its status and values become the measure's; once published, the public reads it.

    ``version`` counts the report's changes: a save from a stale version is refused (optimistic
    locking), so that two people never silently overwrite each other."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="reports"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="progress_reports",
    )
    period = models.CharField(
        _("period"), max_length=7, help_text=_('A year ("2027"), quarter ("2027-Q3") or month.')
    )
    narrative = models.TextField(_("narrative"), blank=True)
    measure_status = models.CharField(
        _("measure status"), max_length=12, choices=MeasureStatus.choices, blank=True
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(period__regex=PERIOD), name="progress_report_period_format"
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "state"]),
            # The cursor pages of the API (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="progressreport_updated_idx"),
        ]

    LOCK_FIELD = "version"

    def __str__(self) -> str:
        return f"{self.measure} ({self.period})"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


@audit.track()
class ProgressStep(models.Model):
    """One step of a report's workflow: who took it, when, from which state to which, and why
    (a return's reason). Written by the services only, never changed."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField(_("action"), max_length=12, choices=StepAction.choices)
    from_state = models.CharField(_("from"), max_length=12, choices=ReportState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=12, choices=ReportState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["report", "at", "id"]
        verbose_name = _("progress report step")
        verbose_name_plural = _("progress report steps")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.action}"


@audit.track()
class ProgressValue(models.Model):
    """The value a report gives an indicator of its measure for the report's period (for one
    combination of the indicator's disaggregation, or the total: ``{}``)."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+"
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    disaggregation = models.JSONField(_("disaggregation"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["report", "indicator", "id"]
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator", "disaggregation"],
                name="progress_value_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


class EvidenceStorage(FileSystemStorage):
    """Evidence files live under ``TRACKER_EVIDENCE_ROOT``, away from the static and media
    directories and without a URL: they are served only by the view that checks who may see
    the report. The location is read from the settings each time (tests move it)."""

    @cached_property
    def base_url(self) -> None:  # type: ignore[override]
        return None

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.TRACKER_EVIDENCE_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        import os

        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Evidence files have no public URL.")


def evidence_storage() -> EvidenceStorage:
    return EvidenceStorage()


def evidence_path(instance: Any, filename: str) -> str:
    """A random directory, so that a path cannot be guessed."""
    return f"evidence/{uuid.uuid4().hex}/{PurePath(filename).name}"


@audit.track(exclude=["file"])
class Evidence(TimeStampedModel):
    """A file that backs a report (a decree, minutes, statistics). Its type is told from its
    content. Its author marks it public (shown on the portal once the report is published) or
    internal (seen by the institution and the secretariat only)."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(
        _("file"), upload_to=evidence_path, storage=evidence_storage, max_length=300
    )
    content_type = models.CharField(
        _("content type"), max_length=100, default="application/octet-stream"
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Public evidence is shown on the portal once the report is published."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["report", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.title
