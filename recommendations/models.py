"""Recommendations received from the UN human rights mechanisms, and the taxonomies that tag them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _

from tracker import audit
from tracker.languages import localized, localized_language
from tracker.models import Country, Institution, TimeStampedModel

# PostgreSQL text-search configuration for each UN language. PostgreSQL has no Chinese stemmer:
# Chinese text is indexed with 'simple' and matched by trigram similarity as well.
SEARCH_CONFIGS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "ar": "arabic",
    "ru": "russian",
    "zh-hans": "simple",
}


class MechanismFamily(models.TextChoices):
    UPR = "upr", _("Universal Periodic Review")
    TREATY_BODY = "treaty_body", _("Treaty body")
    SPECIAL_PROCEDURE = "special_procedure", _("Special procedure")
    REGIONAL = "regional", _("Regional mechanism")
    NATIONAL = "national", _("National mechanism")


@audit.track()
class Mechanism(models.Model):
    """A body that issues recommendations: the UPR, a treaty body, a special-procedure mandate."""

    code = models.CharField(
        _("code"),
        max_length=80,
        unique=True,
        help_text=_("As UHRI writes it: UPR, CRC, SR Torture."),
    )
    family = models.CharField(_("family"), max_length=32, choices=MechanismFamily.choices)
    names = models.JSONField(_("names"), default=dict)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent mechanism"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("For an optional protocol: the treaty body that monitors it."),
    )
    is_reviewed = models.BooleanField(
        _("reviewed"), default=True, help_text=_("False for labels first seen in an import.")
    )

    class Meta:
        ordering = ["family", "code"]
        verbose_name = _("mechanism")
        verbose_name_plural = _("mechanisms")

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return localized(self.names) or self.code


@audit.track()
class ReviewCycle(models.Model):
    """A reporting cycle of a mechanism: a UPR cycle, a treaty body's periodic review."""

    mechanism = models.ForeignKey(
        Mechanism, verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="cycles"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    label = models.CharField(_("label"), max_length=100, blank=True)
    session = models.PositiveSmallIntegerField(_("session"), null=True, blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    mid_term_due = models.DateField(_("mid-term report due"), null=True, blank=True)
    next_review = models.DateField(_("next review"), null=True, blank=True)

    class Meta:
        ordering = ["mechanism__code", "number"]
        verbose_name = _("review cycle")
        verbose_name_plural = _("review cycles")
        constraints = [
            models.UniqueConstraint(fields=["mechanism", "number"], name="cycle_unique_number"),
        ]

    def __str__(self) -> str:
        return self.label or f"{self.mechanism.code} {self.number}"

    @staticmethod
    def upr_cycle_for_session(session: int) -> int | None:
        """UPR cycle of a Working Group session: 1-12 → 1, 13-26 → 2, 27-40 → 3, 41-54 → 4."""
        for cycle, last in ((1, 12), (2, 26), (3, 40), (4, 54)):
            if 1 <= session <= last:
                return cycle
        return None


@audit.track()
class Document(models.Model):
    """A UN document that contains recommendations: UPR working-group report, concluding observations."""

    symbol = models.CharField(_("UN symbol"), max_length=120, unique=True)
    uhri_document_id = models.UUIDField(_("UHRI document id"), null=True, blank=True, unique=True)
    mechanism = models.ForeignKey(
        Mechanism, verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="documents"
    )
    cycle = models.ForeignKey(
        ReviewCycle,
        verbose_name=_("cycle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("State concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=500, blank=True)
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)

    class Meta:
        ordering = ["-publication_date", "symbol"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.symbol


class TaxonomySource(models.TextChoices):
    UHRI = "uhri", _("Universal Human Rights Index")
    NATIONAL = "national", _("National addition")


class TaxonomyTerm(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    names = models.JSONField(_("translations"), default=dict, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=TaxonomySource.choices, default=TaxonomySource.UHRI
    )
    is_reviewed = models.BooleanField(_("reviewed"), default=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self.names) or self.name

    @property
    def label_language(self) -> str | None:
        """The language of ``label``: that of its translation, English for a UHRI name without
        one (UHRI labels are English), unknown (``None``) for a national addition's name."""
        language = localized_language(self.names)[1]
        if language is None and self.source == TaxonomySource.UHRI:
            return "en"
        return language


@audit.track()
class Theme(TaxonomyTerm):
    """A UHRI theme (human rights issue), or a national addition."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


@audit.track()
class AffectedGroup(TaxonomyTerm):
    """A group of persons concerned (UHRI "affected persons"), or a national addition."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("affected group")
        verbose_name_plural = _("affected groups")


class SdgGoal(models.Model):
    """One of the 17 Sustainable Development Goals (A/RES/70/1)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    titles = models.JSONField(_("titles"), default=dict)
    short_titles = models.JSONField(_("short titles"), default=dict)

    class Meta:
        ordering = ["number"]
        verbose_name = _("SDG goal")
        verbose_name_plural = _("SDG goals")

    def __str__(self) -> str:
        return f"{self.number}. {self.short_title}"

    @property
    def title(self) -> str:
        return localized(self.titles)

    @property
    def short_title(self) -> str:
        return localized(self.short_titles)


class SdgTargetKind(models.TextChoices):
    OUTCOME = "outcome", _("Outcome target")
    MEANS = "means_of_implementation", _("Means of implementation")


class SdgTarget(models.Model):
    """One of the 169 SDG targets, such as 16.3 or 5.a."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    goal = models.ForeignKey(
        SdgGoal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="targets"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=SdgTargetKind.choices)
    titles = models.JSONField(_("titles"), default=dict)
    sort_key = models.PositiveIntegerField(_("sort key"), default=0, editable=False)

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")

    def __str__(self) -> str:
        return self.code

    @property
    def title(self) -> str:
        return localized(self.titles)

    @staticmethod
    def sort_key_for(code: str) -> int:
        """Numeric order: 1.2 before 1.10, numbered targets before lettered ones (1.a)."""
        goal, _dot, part = code.partition(".")
        rank = int(part) if part.isdigit() else 100 + ord(part[:1] or "a") - ord("a")
        return int(goal) * 1000 + rank


class SdgIndicator(models.Model):
    """A global SDG indicator such as 16.3.1."""

    code = models.CharField(_("code"), max_length=12)
    target = models.ForeignKey(
        SdgTarget, verbose_name=_("target"), on_delete=models.PROTECT, related_name="indicators"
    )
    titles = models.JSONField(_("titles"), default=dict)

    class Meta:
        ordering = ["target__sort_key", "code"]
        verbose_name = _("SDG indicator")
        verbose_name_plural = _("SDG indicators")
        constraints = [
            models.UniqueConstraint(fields=["code", "target"], name="sdg_indicator_unique_code"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def title(self) -> str:
        return localized(self.titles)


@audit.track()
class Cluster(TimeStampedModel):
    """A national thematic cluster that groups recommendations for planning and reporting."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    lead_institution = models.ForeignKey(
        Institution,
        verbose_name=_("lead institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_clusters",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self) -> str:
        return self.name


class AnnotationType(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Recommendation")
    CONCERN = "concern", _("Concern or observation")


class Position(models.TextChoices):
    SUPPORTED = "supported", _("Supported")
    SUPPORTED_IN_PART = "supported_in_part", _("Supported in part")
    NOTED = "noted", _("Noted")
    PENDING = "pending", _("Pending")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Fully implemented")
    NO_INFORMATION = "no_information", _("No information")


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# Newest documents first, then the document's own paragraph order.
RECOMMENDATION_ORDERING = [
    "-document__publication_date",
    "document__symbol",
    "paragraph_sort",
    "id",
]


# The raw source record is kept on the row but not copied into every history event: the normalised
# fields it produced are tracked, and the import run that changed them is named.
@audit.track(exclude=["raw_record", "content_hash"])
class Recommendation(TimeStampedModel):
    """One recommendation (or concern) addressed to the State, with its national follow-up fields."""

    annotation_id = models.UUIDField(
        _("UHRI annotation id"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("Empty for manual entries."),
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="recommendations",
        db_index=False,  # rec_document_para_idx starts with it
    )
    paragraph = models.CharField(_("paragraph"), max_length=40, blank=True)
    paragraph_sort = models.CharField(
        _("paragraph sort key"), max_length=80, blank=True, editable=False
    )
    annotation_type = models.CharField(
        _("type"),
        max_length=20,
        choices=AnnotationType.choices,
        default=AnnotationType.RECOMMENDATION,
    )
    recommending_states = models.ManyToManyField(
        Country,
        verbose_name=_("recommending States"),
        blank=True,
        related_name="recommendations_made",
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices, blank=True)
    position_source = models.CharField(_("source of the position"), max_length=200, blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="recommendations"
    )
    affected_groups = models.ManyToManyField(
        AffectedGroup, verbose_name=_("affected groups"), blank=True, related_name="recommendations"
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, verbose_name=_("SDG targets"), blank=True, related_name="recommendations"
    )
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cluster"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    status = models.CharField(
        _("implementation status"),
        max_length=24,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.NOT_STARTED,
    )
    status_override_reason = models.TextField(_("reason for the status"), blank=True)
    national_notes = models.TextField(_("national notes"), blank=True)
    is_current = models.BooleanField(_("current"), default=True)
    related = models.ManyToManyField("self", verbose_name=_("related recommendations"), blank=True)
    publication_state = models.CharField(
        _("publication"),
        max_length=12,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
    )
    raw_record = models.JSONField(_("source record"), null=True, blank=True)
    content_hash = models.CharField(
        _("content hash"),
        max_length=32,
        blank=True,
        editable=False,
        help_text=_(
            "Digest of the normalised source record: a re-import compares it to skip rows."
        ),
    )
    created_by_run = models.ForeignKey(
        "ImportRun",
        verbose_name=_("created by import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by_run = models.ForeignKey(
        "ImportRun",
        verbose_name=_("last changed by import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(
        _("withdrawn from the source"),
        null=True,
        blank=True,
        help_text=_("Set when a complete feed for the country no longer contains it."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = RECOMMENDATION_ORDERING
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [
            models.Index(fields=["publication_state", "status"], name="rec_state_status_idx"),
            models.Index(fields=["document", "paragraph_sort"], name="rec_document_para_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.document.symbol} ¶{self.paragraph}" if self.paragraph else self.document.symbol
        )

    @staticmethod
    def paragraph_sort_key(paragraph: str) -> str:
        """Zero-pad the numbers so that 136.2 sorts before 136.10 and 9 before 49(a)."""
        out, number = [], ""
        for char in paragraph:
            if char.isdigit():
                number += char
                continue
            if number:
                out.append(number.zfill(6))
                number = ""
            out.append(char)
        if number:
            out.append(number.zfill(6))
        return "".join(out)[:80]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.paragraph_sort = self.paragraph_sort_key(self.paragraph)
        super().save(*args, **kwargs)


class TextSource(models.TextChoices):
    OFFICIAL = "official", _("Official UN text")
    UNOFFICIAL = "unofficial", _("Unofficial translation")
    MACHINE = "machine", _("Machine translation")


def _search_vector_expression() -> Case:
    """tsvector of the plain text, in the configuration of the row's language."""
    return Case(
        *(
            When(language=language, then=SearchVector("text", config=Value(config)))
            for language, config in SEARCH_CONFIGS.items()
        ),
        default=SearchVector("text", config=Value("simple")),
    )


def _events_by_recommendation(name: str) -> dict[str, Any]:
    """Event model options: index the recommendation column, which a recommendation's history
    reads (event tables index no copied foreign key by default: PGHISTORY_FOREIGN_KEY_FIELD)."""
    return {"indexes": [models.Index(fields=["recommendation"], name=name)]}


@audit.track(exclude=["search_vector"], meta=_events_by_recommendation("rec_text_event_rec_idx"))
class RecommendationText(models.Model):
    """The text of a recommendation in one language, with its stored search vector."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="texts",
        db_index=False,  # rec_text_unique_lang starts with it
    )
    language = models.CharField(_("language"), max_length=10)
    text = models.TextField(_("text"))
    html = models.TextField(_("text (HTML)"), blank=True)
    source = models.CharField(
        _("source"), max_length=12, choices=TextSource.choices, default=TextSource.OFFICIAL
    )
    search_vector = models.GeneratedField(
        expression=_search_vector_expression(),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("recommendation text")
        verbose_name_plural = _("recommendation texts")
        indexes = [
            GinIndex(fields=["search_vector"], name="rec_text_search_idx"),
            # Chinese has no stemmer: its texts are searched by substring with a trigram index.
            GinIndex(
                fields=["text"],
                opclasses=["gin_trgm_ops"],
                condition=models.Q(language="zh-hans"),
                name="rec_text_zh_trgm_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "language"], name="rec_text_unique_lang"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} [{self.language}]"


# Tagging is tracked data too: record every link added to or removed from a recommendation.
for _field, _name, _index in (
    (Recommendation.themes, "RecommendationThemeEvent", "rec_theme_event_rec_idx"),
    (Recommendation.affected_groups, "RecommendationAffectedGroupEvent", "rec_group_event_rec_idx"),
    (Recommendation.sdg_targets, "RecommendationSdgTargetEvent", "rec_sdg_event_rec_idx"),
    (Recommendation.recommending_states, "RecommendationStateEvent", "rec_state_event_rec_idx"),
):
    audit.track(
        audit.InsertEvent("link.add"),
        audit.DeleteEvent("link.remove"),
        obj_field=None,  # auto-created link tables cannot be referenced from a migration
        model_name=_name,
        app_label="recommendations",
        meta=_events_by_recommendation(_index),
    )(_field.through)


class ImportFormat(models.TextChoices):
    JSON = "json", "JSON"
    XLSX = "xlsx", "XLSX"
    CSV = "csv", "CSV"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class ImportRun(models.Model):
    """One import of a UHRI feed: what was read, what it changed, and who started it."""

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
        from .importers.fetch import is_url

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
            stored_text=_english_text(models.OuterRef("recommendation_id")), entry=models.F("id")
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
                stored_text=_english_text(models.OuterRef("pk")),
                entry=models.F("id"),
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


def _english_text(recommendation: Any) -> models.Subquery:
    return models.Subquery(
        RecommendationText.objects.filter(recommendation=recommendation, language="en").values(
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
