"""What the tracker tells people: in the app and by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracker import audit


class NotificationKind(models.TextChoices):
    DUE = "due", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    ESCALATION = "escalation", _("Escalation")
    REPORT = "report", _("Progress report")
    DIGEST = "digest", _("Weekly digest")
    HANDOVER = "handover", _("Portfolio handed over")


@audit.track()
class Notification(models.Model):
    """A message to one person. ``key`` names what it is about (a milestone due, a report
    waiting, a week's digest): one notification per person and key, so that a reminder is sent
    once however often the reminder task runs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("to"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=NotificationKind.choices)
    key = models.CharField(_("key"), max_length=200)
    message = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["created_at", "id"], name="notification_created_idx"),
        ]

    def __str__(self) -> str:
        return self.message[:60]
