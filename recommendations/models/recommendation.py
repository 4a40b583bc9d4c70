"""A recommendation addressed to the State, with its national follow-up fields, and its texts in each
language."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _

from tracker import audit
from tracker.models import Country, TimeStampedModel

from .taxonomies import AffectedGroup, Cluster, Document, SdgTarget, Theme

# PostgreSQL text-search configuration for each UN language: PostgreSQL's own, with accents
# folded by unaccent before the stemmer (made by migration 0009). PostgreSQL has no Chinese
# stemmer: Chinese text is indexed with 'simple' and matched by trigram similarity as well.
SEARCH_CONFIGS = {
    "en": "tracker_english",
    "fr": "tracker_french",
    "es": "tracker_spanish",
    "ar": "tracker_arabic",
    "ru": "tracker_russian",
    "zh-hans": "tracker_simple",
}


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
    # A database default: the importer's INSERT names only the columns it sets (columns.py).
    priority_reason = models.TextField(
        _("reason for the priority"), blank=True, default="", db_default=""
    )
    is_manual = models.BooleanField(
        _("entered by hand"),
        default=False,
        db_default=False,
        help_text=_("Entered by the secretariat (no feed carries it): imports never touch it."),
    )
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
    # Two counters for optimistic locking (``tracker.locking``): ``version`` counts every change
    # of the row, the feed's (an import) and the NMRF's; ``national_version`` only the changes of
    # the national fields, which the national forms and the API's PATCH lock on, so that an
    # import of new UN text does not refuse a national save that conflicts with nothing. The
    # database default serves the imports' and the benchmarks' own INSERTs.
    version = models.PositiveIntegerField(_("version"), default=1)
    national_version = models.PositiveIntegerField(
        _("version of the national fields"), default=1, db_default=1
    )

    class Meta:
        ordering = RECOMMENDATION_ORDERING
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [
            # The cursor pages of the API (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="rec_updated_idx"),
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


@audit.track()
class RelatedDismissal(models.Model):
    """A suggested pair of related recommendations that the secretariat dismissed: not suggested
    again. The pair is stored once, the smaller id first."""

    first = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    second = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        "tracker.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(_("dismissed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed related suggestion")
        verbose_name_plural = _("dismissed related suggestions")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="rec_dismissal_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="rec_dismissal_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


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
        default=SearchVector("text", config=Value(SEARCH_CONFIGS["zh-hans"])),
    )


def _events_by_recommendation(name: str) -> dict[str, Any]:
    """Event model options: index the recommendation column, which a recommendation's history
    reads (event tables index no copied foreign key by default: PGHISTORY_FOREIGN_KEY_FIELD)."""
    return {"indexes": [models.Index(fields=["recommendation"], name=name)]}


@audit.track(
    exclude=["search_vector", "content_hash"],
    meta=_events_by_recommendation("rec_text_event_rec_idx"),
)
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
    content_hash = models.CharField(
        _("content hash"),
        max_length=32,
        blank=True,
        editable=False,
        help_text=_("Digest of an imported text: a re-import of its language compares it."),
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
    audit.track_links(
        _field, _name, app_label="recommendations", meta=_events_by_recommendation(_index)
    )

# Links between related recommendations are the secretariat's work: each one is recorded.
audit.track_links(Recommendation.related, "RecommendationRelatedEvent", app_label="recommendations")
