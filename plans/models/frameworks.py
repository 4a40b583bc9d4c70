"""National frameworks beside the SDGs: a national development plan, a national human rights action
plan. Each is a small tree of goals that the secretariat maintains; measures and recommendations
link to its goals, so that the plan shows where human rights work serves national priorities."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from recommendations.models import Recommendation
from tracker import audit
from tracker.models import TimeStampedModel


class FrameworkKind(models.TextChoices):
    DEVELOPMENT_PLAN = "development_plan", _("National development plan")
    HUMAN_RIGHTS_ACTION_PLAN = "human_rights_action_plan", _("National human rights action plan")
    SECTOR_STRATEGY = "sector_strategy", _("Sector strategy")
    OTHER = "other", _("Other national framework")


@audit.track()
class NationalFramework(TimeStampedModel):
    """A national plan or strategy whose goals the implementation plan serves."""

    name = models.CharField(_("name"), max_length=300, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=FrameworkKind.choices)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("national framework")
        verbose_name_plural = _("national frameworks")
        indexes = [
            # The cursor pages of the API (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="natframework_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.name


@audit.track()
class NationalGoal(TimeStampedModel):
    """A goal (or a sub-goal: ``parent``) of a national framework, such as "2.1 Access to justice"."""

    framework = models.ForeignKey(
        NationalFramework,
        verbose_name=_("framework"),
        on_delete=models.CASCADE,
        related_name="goals",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent goal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=500)
    recommendations = models.ManyToManyField(
        Recommendation,
        verbose_name=_("recommendations"),
        blank=True,
        related_name="national_goals",
        help_text=_("The recommendations whose implementation serves this goal."),
    )

    class Meta:
        ordering = ["framework", "code", "id"]
        verbose_name = _("national goal")
        verbose_name_plural = _("national goals")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                condition=~models.Q(code=""),
                name="national_goal_unique_code",
            ),
        ]
        indexes = [
            models.Index(fields=["framework", "code", "id"], name="natgoal_framework_code_idx"),
            # The cursor pages of the API (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="natgoal_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title


# Which recommendations serve a goal is tracked data too: record every link added or removed.
audit.track_links(
    NationalGoal.recommendations, "NationalGoalRecommendationEvent", app_label="plans"
)
