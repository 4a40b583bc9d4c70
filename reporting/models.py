"""Report drafts built in the background and kept for download by the secretariat."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracker import audit
from tracker.jobs import LeasedJob
from tracker.models import TimeStampedModel


class ReportKind(models.TextChoices):
    UPR_MIDTERM = "upr-midterm", _("UPR mid-term report")
    TREATY_FOLLOWUP = "treaty-followup", _("Treaty-body follow-up reply")
    THEMATIC_MATRIX = "thematic-matrix", _("Thematic matrix of recommendations")


class ReportFormat(models.TextChoices):
    DOCX = "docx", _("Word (docx)")
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("Spreadsheet (xlsx)")


class ReportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def report_path(job: ReportJob, filename: str) -> str:
    return f"reports/{job.created_at:%Y/%m}/{filename}"


@audit.track(exclude=["progress", "items_done", "lease_owner", "lease_expires_at", "dispatched_at"])
class ReportJob(LeasedJob, TimeStampedModel):
    """One report draft asked for on the Reports page (or by ``build_report``): what was asked,
    how far the worker is, and the file once built. The file sits in private storage and is
    served only through the download view, which checks the role. A worker builds it under a
    lease (``tracker.jobs``): a worker lost mid-report leaves it to be built again, or failed
    with the reason past the limit of redeliveries, never "being built" for ever."""

    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices)
    language = models.CharField(_("language"), max_length=10, default="en")
    cycle = models.PositiveSmallIntegerField(_("review cycle"), null=True, blank=True)
    mechanism = models.CharField(_("mechanism"), max_length=50, blank=True)
    paragraphs = models.CharField(
        _("paragraphs"),
        max_length=500,
        blank=True,
        help_text=_(
            "For a follow-up reply: the paragraphs the committee selected, comma-separated."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportJobStatus.choices, default=ReportJobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    items_done = models.PositiveIntegerField(_("items written"), default=0)
    items_total = models.PositiveIntegerField(_("items to write"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=report_path, max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report draft")
        verbose_name_plural = _("report drafts")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.format}, {self.language})"

    @property
    def is_finished(self) -> bool:
        return self.status in {ReportJobStatus.DONE, ReportJobStatus.FAILED}

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.language}-{self.pk}.{self.format}"


class ObligationKind(models.TextChoices):
    PERIODIC_REPORT = "periodic_report", _("Periodic report")
    FOLLOW_UP_REPLY = "follow_up_reply", _("Follow-up reply")
    MID_TERM_REPORT = "mid_term_report", _("Mid-term report")
    OTHER = "other", _("Other report or reply")


@audit.track()
class ReportingObligation(TimeStampedModel):
    """A report the State owes a mechanism by a date, entered by the secretariat: a treaty body's
    periodic report or follow-up reply, a voluntary mid-term report. The UPR's mid-term report and
    next review come from the review cycles themselves and are not entered twice."""

    mechanism = models.ForeignKey(
        "recommendations.Mechanism",
        verbose_name=_("mechanism"),
        on_delete=models.PROTECT,
        related_name="obligations",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ObligationKind.choices)
    title = models.CharField(_("title"), max_length=300)
    due_on = models.DateField(_("due on"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    document_symbol = models.CharField(
        _("symbol of the document asking for it"), max_length=120, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("reporting obligation")
        verbose_name_plural = _("reporting obligations")

    def __str__(self) -> str:
        return f"{self.mechanism.code}: {self.title} ({self.due_on})"


@audit.track()
class FollowUpSelection(TimeStampedModel):
    """The paragraphs of a treaty body's concluding observations that the committee selected for
    its follow-up procedure (usually two to four, on which the State reports within one or two
    years), and the date the State's reply is due. Entered by the secretariat from the
    document's own text; the follow-up reply (``treaty-followup``) covers exactly these
    paragraphs, and the reporting calendar shows the reply through its ``obligation``."""

    document = models.OneToOneField(
        "recommendations.Document",
        verbose_name=_("concluding observations"),
        on_delete=models.PROTECT,
        related_name="follow_up_selection",
    )
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation",
        verbose_name=_("paragraphs selected"),
        related_name="follow_up_selections",
    )
    due_on = models.DateField(_("reply due on"))
    notes = models.TextField(_("notes"), blank=True)
    obligation = models.OneToOneField(
        ReportingObligation,
        verbose_name=_("calendar entry"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="follow_up_selection",
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # The API list's default order, and the order of updated_since.
            models.Index(fields=["due_on", "id"], name="followup_due_idx"),
            models.Index(fields=["updated_at", "id"], name="followup_updated_idx"),
        ]
        verbose_name = _("follow-up selection")
        verbose_name_plural = _("follow-up selections")

    def __str__(self) -> str:
        return str(_("Follow-up on %(symbol)s") % {"symbol": self.document.symbol})


audit.track_links(
    FollowUpSelection.recommendations,
    "FollowUpSelectionRecommendationEvent",
    app_label="reporting",
)
