"""Imports of UHRI feeds: the runs, the rows they rejected, and what they changed, for review."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from tracker.jobs import LeasedJob
from tracker.models import Country

from .recommendation import Recommendation, RecommendationText


class ImportFormat(models.TextChoices):
    JSON = "json", "JSON"
    XLSX = "xlsx", "XLSX"
    CSV = "csv", "CSV"


class FeedLanguage(models.TextChoices):
    """The six UN languages a UHRI export comes in, as the texts store them (Chinese: ``zh-hans``)."""

    EN = "en", _("English")
    FR = "fr", _("French")
    ES = "es", _("Spanish")
    AR = "ar", _("Arabic")
    RU = "ru", _("Russian")
    ZH = "zh-hans", _("Chinese")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class ImportRun(LeasedJob):
    """One import of a UHRI feed: what was read, what it changed, and who started it. A job
    (``tracker.jobs``): claimed with a lease, swept when its worker is gone, kept pending while the
    broker is away."""

    source = models.CharField(_("source"), max_length=1000, help_text=_("Path, URL or file name."))
    upload = models.FileField(_("uploaded file"), upload_to="imports/%Y/%m/", blank=True)
    format = models.CharField(_("format"), max_length=8, choices=ImportFormat.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Only this State's recommendations are imported; empty for all."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=FeedLanguage.choices,
        blank=True,
        help_text=_(
            "The language of the feed's texts; told, or detected from the file name or the texts."
        ),
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    applies = models.ForeignKey(
        "self",
        verbose_name=_("applies the dry run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applied_by",
        help_text=_("The dry run this run imports for real, with the same source and options."),
    )
    follows = models.ForeignKey(
        "self",
        verbose_name=_("runs after"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "A scheduled feed in another language waits for this run to finish, so that it finds "
            "the recommendations the run before it imported."
        ),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_done = models.PositiveIntegerField(
        _("rows processed"), default=0, help_text=_("Rows committed so far: a re-run resumes here.")
    )
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    withdrawn = models.PositiveIntegerField(_("withdrawn"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    skipped = models.PositiveIntegerField(
        _("other countries"), default=0, help_text=_("Rows about other States, left aside.")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        indexes = [
            models.Index(fields=["created_at", "id"], name="rec_importrun_created_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.source}"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.SUCCEEDED, ImportStatus.FAILED}

    @property
    def is_finished_dry_run(self) -> bool:
        return self.dry_run and self.status == ImportStatus.SUCCEEDED

    @property
    def can_be_applied(self) -> bool:
        """A dry run that finished can be run for real, with the same source and options, if its
        uploaded file is still kept or its source is a URL (a path on the server is for the
        command line only)."""
        from recommendations.importers.fetch import is_url

        return self.is_finished_dry_run and (bool(self.upload) or is_url(self.source))

    def summary(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "withdrawn": self.withdrawn,
            "rejected": self.rejected,
        }

    def review_list(self, kind: str = "") -> models.QuerySet[Any]:
        """What the run changed (or would change), for review, as rows of ``REVIEW_FIELDS``,
        ordered by kind, document and paragraph; ``kind`` keeps one kind of change.

        A real run lists its new recommendations from the recommendations it created (the run is
        on each one: no copy is kept); the rest, and everything in a dry run, is in ImportChange.
        """
        logged = self.changes.order_by()
        if not self.dry_run:
            logged = logged.exclude(kind=ImportChange.Kind.NEW)
        if kind:
            logged = logged.filter(kind=kind)
        rows = logged.annotate(
            stored_text=_stored_text(
                models.OuterRef("recommendation_id"), models.OuterRef("language")
            ),
            entry=models.F("id"),
        ).values(*REVIEW_FIELDS)
        if self.dry_run or kind not in ("", ImportChange.Kind.NEW):
            return rows.order_by("kind", "symbol", "paragraph", "entry")
        created = (
            Recommendation.objects.filter(created_by_run=self)
            .order_by()
            .annotate(
                uhri_id=models.F("annotation_id"),
                change=models.Value(ImportChange.Kind.NEW, output_field=models.CharField()),
                document_symbol=models.F("document__symbol"),
                number=models.F("paragraph"),
                recommendation_pk=models.F("id"),
                old=models.Value("", output_field=models.TextField()),
                new=models.Value("", output_field=models.TextField()),
                stored_text=_stored_text(models.OuterRef("pk"), models.Value(self.language)),
                entry=models.F("id"),
                text_language=models.Value(self.language, output_field=models.CharField()),
            )
            .values_list(
                "uhri_id",
                "change",
                "document_symbol",
                "number",
                "recommendation_pk",
                "old",
                "new",
                "stored_text",
                "entry",
                "text_language",
            )
        )
        return rows.union(created, all=True).order_by("kind", "symbol", "paragraph", "entry")


class ImportIssue(models.Model):
    """A row of a feed that was rejected, or a label that was created for review, and why."""

    class Severity(models.TextChoices):
        ERROR = "error", _("Rejected")
        WARNING = "warning", _("Warning")

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="issues")
    row = models.PositiveIntegerField(_("row"), null=True, blank=True)
    annotation_id = models.CharField(_("annotation id"), max_length=100, blank=True)
    field = models.CharField(_("field"), max_length=100, blank=True)
    reason = models.TextField(_("reason"))
    raw_value = models.TextField(_("value"), blank=True)
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.ERROR
    )

    class Meta:
        ordering = ["run", "row", "id"]
        verbose_name = _("import issue")
        verbose_name_plural = _("import issues")

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


def _stored_text(recommendation: Any, language: Any) -> models.Subquery:
    """The stored text of a recommendation in ``language`` (English when none is recorded)."""
    language = Coalesce(NullIf(language, models.Value("")), models.Value("en"))
    return models.Subquery(
        RecommendationText.objects.filter(recommendation=recommendation, language=language).values(
            "text"
        )[:1]
    )


# The columns of ``ImportRun.review_list``.
REVIEW_FIELDS = (
    "annotation_id",
    "kind",
    "symbol",
    "paragraph",
    "recommendation_id",
    "old_text",
    "new_text",
    "stored_text",
    "entry",
    "language",
)


class ImportChange(models.Model):
    """What an import did (or, in a dry run, would do) to one recommendation: for review."""

    class Kind(models.TextChoices):
        NEW = "new", _("New")
        TEXT_CHANGED = "text_changed", _("Text changed")
        CHANGED = "changed", _("Other fields changed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="changes")
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    annotation_id = models.UUIDField(_("annotation id"))
    kind = models.CharField(_("change"), max_length=16, choices=Kind.choices)
    symbol = models.CharField(_("document"), max_length=120, blank=True)
    paragraph = models.CharField(_("paragraph"), max_length=40, blank=True)
    old_text = models.TextField(_("old text"), blank=True)
    new_text = models.TextField(_("new text"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("The language of the texts.")
    )

    class Meta:
        ordering = ["run", "kind", "symbol", "paragraph", "id"]
        verbose_name = _("import change")
        verbose_name_plural = _("import changes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.symbol} {self.paragraph}"

    @classmethod
    def from_review(cls, row: dict[str, Any]) -> ImportChange:
        """An (unsaved) entry of ``ImportRun.review_list``, with its ``stored_text``."""
        change = cls(**{k: v for k, v in row.items() if k not in ("stored_text", "entry")})
        change.stored_text = row["stored_text"]  # type: ignore[attr-defined]
        return change
