"""The national implementation plan: its versions, measures, milestones and budget lines."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from recommendations.models import Recommendation, SdgTarget
from tracker import audit
from tracker.models import Institution, TimeStampedModel

from .frameworks import NationalGoal


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    CLOSED = "closed", _("Closed")


@audit.track()
class ImplementationPlan(TimeStampedModel):
    """A version of the national plan to implement the recommendations: who does what, by when,
    with what money. Adopting it freezes it; changing an adopted plan means a new version, a draft
    copy of it (``previous_version``). Every version stays readable."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    state = models.CharField(
        _("state"), max_length=12, choices=PlanState.choices, default=PlanState.DRAFT
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("1 for the first plan, then 2, 3…")
    )
    previous_version = models.OneToOneField(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adopted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Optimistic locking: counts the plan's changes (``version`` above numbers the plan's
    # versions). A save from a stale revision is refused.
    revision = models.PositiveIntegerField(_("revision"), default=1)

    class Meta:
        ordering = ["-starts_on", "-version", "-id"]
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="plan_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=~Q(state=PlanState.ADOPTED) | Q(adopted_on__isnull=False),
                name="plan_adopted_has_a_date",
            ),
        ]
        indexes = [
            models.Index(fields=["starts_on", "version", "id"], name="plan_starts_version_idx"),
            # The cursor pages of the API (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="plan_updated_idx"),
        ]

    LOCK_FIELD = "revision"

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})" if self.version > 1 else self.title

    @property
    def is_frozen(self) -> bool:
        """An adopted or closed plan is not changed: a new version is."""
        return self.state != PlanState.DRAFT


class MeasureKind(models.TextChoices):
    LEGISLATIVE = "legislative", _("Legislative")
    POLICY = "policy", _("Policy")
    INSTITUTIONAL = "institutional", _("Institutional")
    BUDGETARY = "budgetary", _("Budgetary")
    JUDICIAL = "judicial", _("Judicial")
    ADMINISTRATIVE = "administrative", _("Administrative")
    AWARENESS = "awareness", _("Awareness and training")
    DATA = "data", _("Data and statistics")
    OTHER = "other", _("Other")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


class GenderMarker(models.TextChoices):
    """The OECD-DAC gender equality policy marker."""

    NOT_SCREENED = "", _("Not screened")
    NOT_TARGETED = "not_targeted", _("Not targeted (0)")
    SIGNIFICANT = "significant", _("Significant objective (1)")
    PRINCIPAL = "principal", _("Principal objective (2)")


class ProposalState(models.TextChoices):
    """A measure the secretariat writes is planned at once; one a focal point proposes for its
    own institution waits for the secretariat to accept or decline it."""

    NONE = "", _("Planned by the secretariat")
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


@audit.track()
class Measure(TimeStampedModel):
    """An action of the plan that addresses one or more recommendations, led by an institution."""

    plan = models.ForeignKey(
        ImplementationPlan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="measures",
    )
    recommendations = models.ManyToManyField(
        Recommendation,
        verbose_name=_("recommendations addressed"),
        blank=True,
        related_name="measures",
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeasureKind.choices, default=MeasureKind.POLICY
    )
    lead_institution = models.ForeignKey(
        Institution,
        verbose_name=_("lead institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_measures",
    )
    supporting_institutions = models.ManyToManyField(
        Institution,
        verbose_name=_("supporting institutions"),
        blank=True,
        related_name="supported_measures",
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    expected_outcome = models.TextField(_("expected outcome"), blank=True)
    sdg_targets = models.ManyToManyField(
        SdgTarget, verbose_name=_("SDG targets"), blank=True, related_name="measures"
    )
    framework_goals = models.ManyToManyField(
        NationalGoal,
        verbose_name=_("national framework goals"),
        blank=True,
        related_name="measures",
    )
    gender_marker = models.CharField(
        _("gender marker"), max_length=16, choices=GenderMarker.choices, blank=True
    )
    technical_assistance = models.TextField(
        _("technical assistance needed"),
        blank=True,
        help_text=_("What support the State needs to carry out the measure; empty if none."),
    )
    # The SMART check, recorded by the secretariat: None until checked.
    smart_specific = models.BooleanField(_("specific"), null=True, blank=True)
    smart_measurable = models.BooleanField(_("measurable"), null=True, blank=True)
    smart_achievable = models.BooleanField(_("achievable"), null=True, blank=True)
    smart_relevant = models.BooleanField(_("relevant"), null=True, blank=True)
    smart_time_bound = models.BooleanField(_("time-bound"), null=True, blank=True)
    smart_note = models.TextField(_("note on the SMART check"), blank=True)
    smart_checked_on = models.DateField(_("SMART check on"), null=True, blank=True)
    proposal_state = models.CharField(
        _("proposal"), max_length=12, choices=ProposalState.choices, blank=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        help_text=_("The same measure in the previous version of the plan."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    # Optimistic locking: counts the measure's changes; a save from a stale version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="measure_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "position", "id"], name="measure_plan_position_idx"),
            # The cursor pages of the API (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="measure_updated_idx"),
        ]

    LOCK_FIELD = "version"

    def __str__(self) -> str:
        return self.title

    SMART_FIELDS = (
        "smart_specific",
        "smart_measurable",
        "smart_achievable",
        "smart_relevant",
        "smart_time_bound",
    )


@audit.track()
class Milestone(TimeStampedModel):
    """A dated step of a measure: a bill tabled, a unit created, a survey published."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=300)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["measure", "due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        indexes = [
            models.Index(fields=["measure", "due_on", "id"], name="milestone_measure_due_idx"),
            # The cursor pages of the API (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="milestone_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.title


NOT_NEGATIVE = MinValueValidator(Decimal(0))
CURRENCY_CODE = RegexValidator(r"^[A-Z]{3}$", _("An ISO 4217 code: three capital letters."))


@audit.track()
class BudgetLine(TimeStampedModel):
    """Money for a measure from one source: planned, committed and spent, in one currency."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    amount = models.DecimalField(
        _("amount planned"), max_digits=16, decimal_places=2, validators=[NOT_NEGATIVE]
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[CURRENCY_CODE])
    funding_source = models.CharField(
        _("funding source"),
        max_length=200,
        help_text=_("The State budget, a development partner, a fund…"),
    )
    committed = models.DecimalField(
        _("committed"),
        max_digits=16,
        decimal_places=2,
        default=Decimal(0),
        validators=[NOT_NEGATIVE],
    )
    spent = models.DecimalField(
        _("spent"), max_digits=16, decimal_places=2, default=Decimal(0), validators=[NOT_NEGATIVE]
    )

    class Meta:
        ordering = ["measure", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(committed__gte=0) & Q(spent__gte=0),
                name="budget_line_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="budget_line_currency_code"
            ),
        ]
        indexes = [
            models.Index(fields=["measure", "id"], name="budgetline_measure_idx"),
            # The cursor pages of the API (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="budgetline_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.funding_source})"


# The links of a measure are tracked data too: record every one added or removed.
for _field, _name in (
    (Measure.recommendations, "MeasureRecommendationEvent"),
    (Measure.supporting_institutions, "MeasureSupportingInstitutionEvent"),
    (Measure.sdg_targets, "MeasureSdgTargetEvent"),
    (Measure.framework_goals, "MeasureFrameworkGoalEvent"),
):
    audit.track_links(_field, _name, app_label="plans")
