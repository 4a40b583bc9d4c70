"""The mechanisms, their cycles and documents, and the taxonomies that tag recommendations: themes,
affected groups, SDG goals, targets and indicators, national clusters."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracker import audit
from tracker.languages import localized, localized_language
from tracker.models import Country, Institution, TimeStampedModel


def taxonomy_key(label: str) -> str:
    """The stable key of a feed's label or code: as first seen, spaces collapsed, case folded.
    The secretariat may rename an entry; the importer still finds it by this key."""
    return " ".join(label.split()).casefold()[:200]


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
    key = models.CharField(
        _("feed key"),
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("The feed's code as first seen, normalised: kept when the code is renamed."),
    )
    merged_keys = models.JSONField(
        _("keys of merged entries"), default=list, blank=True, editable=False
    )

    class Meta:
        ordering = ["family", "code"]
        verbose_name = _("mechanism")
        verbose_name_plural = _("mechanisms")
        indexes = [
            models.Index(fields=["family", "code"], name="rec_mech_family_code_idx"),
        ]

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
    # A database default: the COPY of an import's documents names only the columns it sets.
    url = models.URLField(_("address"), max_length=1000, blank=True, default="", db_default="")
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)

    class Meta:
        ordering = ["-publication_date", "symbol"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["-publication_date", "symbol"], name="rec_doc_date_symbol_idx"),
        ]

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
    key = models.CharField(
        _("feed key"),
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("The feed's label as first seen, normalised: kept when the entry is renamed."),
    )
    merged_keys = models.JSONField(
        _("keys of merged entries"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Feed keys of entries merged into this one: an import resolves them here."),
    )

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
        indexes = [
            models.Index(fields=["sort_key"], name="rec_sdgtarget_sort_idx"),
        ]

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

    code = models.CharField(
        _("code"),
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        help_text=_("A short national code, such as JUS or C-03."),
    )
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
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("A retired cluster keeps its recommendations.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        indexes = [
            models.Index(fields=["-is_active", "name"], name="rec_cluster_active_name_idx"),
            # The cursor pages of the API (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="rec_cluster_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.name
