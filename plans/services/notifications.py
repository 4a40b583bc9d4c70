"""Notifications, in the app and by e-mail; the daily reminders; the weekly digest; handing a
departing focal point's portfolio to a colleague.

Reminders are sent once: each notification has a key (what it is about, and for an
escalation or a digest, the day or week) unique per person, so that running the reminders
twice on one day, or every hour, sends nothing new. ``send_reminders`` (the management command)
and the daily Celery beat task call ``reminders_send``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plans import progress_policies
from plans.models import (
    EDITABLE_STATES,
    Indicator,
    IndicatorValue,
    Measure,
    Milestone,
    Notification,
    NotificationKind,
    PlanState,
    ProgressReport,
    ReportState,
)
from plans.periods import reporting_periods
from tracker.audit import audited
from tracker.exceptions import ApplicationError
from tracker.models import Membership, User
from tracker.roles import INSTITUTION_ROLES, Role

logger = logging.getLogger(__name__)

# Reminders go this many days before a milestone or an indicator value falls due.
DUE_SOON = timedelta(days=7)


def _escalation_days() -> int:
    return int(getattr(settings, "TRACKER_REMINDER_ESCALATION_DAYS", 14))


@dataclass
class ReminderSummary:
    sent: int = 0  # new notifications
    emailed: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def _notify(
    summary: ReminderSummary | None,
    user: User,
    kind: str,
    key: str,
    message: str,
    url: str = "",
) -> Notification | None:
    """Create the notification for (user, key) unless it exists; e-mail it once committed."""
    if Notification.objects.filter(user=user, key=key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind, key=key[:200], message=message, url=url
            )
    except IntegrityError:  # another run made it at the same moment
        return None
    if summary is not None:
        summary.sent += 1
        summary.by_kind[kind] = summary.by_kind.get(kind, 0) + 1
    if user.email:
        pk = notification.pk

        def mail() -> None:
            site = getattr(settings, "SITE_NAME", "Tracker")
            link = f"\n\n{url}" if url else ""
            send_mail(f"[{site}] {message[:120]}", message + link, None, [user.email])
            Notification.objects.filter(pk=pk).update(emailed_at=timezone.now())

        transaction.on_commit(mail)
        if summary is not None:
            summary.emailed += 1
    return notification


def _institution_people(institution_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active focal points and validators of each institution (one query)."""
    people: dict[int, list[User]] = defaultdict(list)
    memberships = Membership.objects.filter(
        institution_id__in=set(institution_ids),
        role__in=list(INSTITUTION_ROLES),
        user__is_active=True,
    ).select_related("user")
    for membership in memberships:
        if membership.user not in people[membership.institution_id]:
            people[membership.institution_id].append(membership.user)
    return people


def _secretariat() -> list[User]:
    return list(User.objects.filter(memberships__role=Role.SECRETARIAT, is_active=True).distinct())


def _milestones(summary: ReminderSummary, today: date) -> None:
    milestones = list(
        Milestone.objects.filter(
            done_on__isnull=True,
            due_on__lte=today + DUE_SOON,
            measure__plan__state=PlanState.ADOPTED,
            measure__lead_institution__isnull=False,
        ).select_related("measure")
    )
    people = _institution_people(m.measure.lead_institution_id for m in milestones)  # type: ignore[misc]
    escalate_after = timedelta(days=_escalation_days())
    secretariat = _secretariat()
    for milestone in milestones:
        overdue = milestone.due_on < today
        kind = NotificationKind.OVERDUE if overdue else NotificationKind.DUE
        message = (
            _("Overdue since %(date)s: the milestone “%(title)s” of “%(measure)s”.")
            if overdue
            else _("Due on %(date)s: the milestone “%(title)s” of “%(measure)s”.")
        ) % {"date": milestone.due_on, "title": milestone.title, "measure": milestone.measure}
        for user in people.get(milestone.measure.lead_institution_id or 0, []):
            _notify(
                summary, user, kind, f"milestone-{kind}:{milestone.pk}:{milestone.due_on}", message
            )
        if overdue and today - milestone.due_on >= escalate_after:
            for user in secretariat:
                _notify(
                    summary,
                    user,
                    NotificationKind.ESCALATION,
                    f"milestone-escalation:{milestone.pk}:{milestone.due_on}",
                    _("Escalated: %(message)s") % {"message": message},
                )


def _reports(summary: ReminderSummary, today: date) -> None:
    """Reports waiting for someone: drafts and returned ones for the focal points, submitted
    ones for the validators; waiting past the escalation delay, for the secretariat too."""
    reports = list(
        ProgressReport.objects.filter(
            state__in=[*EDITABLE_STATES, ReportState.SUBMITTED, ReportState.VALIDATED]
        ).select_related("measure")
    )
    memberships = Membership.objects.filter(
        institution_id__in={r.institution_id for r in reports},
        role__in=[Role.FOCAL_POINT, Role.VALIDATOR],
        user__is_active=True,
    ).select_related("user")
    by_role: dict[tuple[int, str], list[User]] = defaultdict(list)
    for membership in memberships:
        by_role[(membership.institution_id, membership.role)].append(membership.user)
    escalate_after = timedelta(days=_escalation_days())
    secretariat = _secretariat()
    for report in reports:
        url = reverse("progress:report-detail", args=[report.pk])
        waiting_since = timezone.localdate(report.updated_at)
        if report.state == ReportState.VALIDATED:
            targets = secretariat
            message = _("A validated report waits for acceptance: “%(report)s”.")
        elif report.state == ReportState.SUBMITTED:
            targets = by_role[(report.institution_id, Role.VALIDATOR)]
            message = _("A report waits for your validation: “%(report)s”.")
        elif report.state == ReportState.RETURNED:
            targets = by_role[(report.institution_id, Role.FOCAL_POINT)]
            message = _("A report was returned to you: “%(report)s”.")
        else:
            if today - waiting_since < DUE_SOON:
                continue  # a fresh draft needs no reminder
            targets = by_role[(report.institution_id, Role.FOCAL_POINT)]
            message = _("A draft report waits to be submitted: “%(report)s”.")
        text = message % {"report": report}
        key = f"report:{report.pk}:{report.state}:{report.version}"
        for user in targets:
            _notify(summary, user, NotificationKind.REPORT, key, text, url)
        if report.state != ReportState.VALIDATED and today - waiting_since >= escalate_after:
            for user in secretariat:
                _notify(
                    summary,
                    user,
                    NotificationKind.ESCALATION,
                    f"report-escalation:{report.pk}:{report.state}:{report.version}",
                    _("Escalated: %(message)s") % {"message": text},
                    url,
                )


def _indicator_values(summary: ReminderSummary, today: date) -> None:
    indicators = list(
        Indicator.objects.filter(
            measure__plan__state=PlanState.ADOPTED, measure__lead_institution__isnull=False
        ).select_related("measure__plan")
    )
    recorded = set(
        IndicatorValue.objects.filter(indicator__in=[i.pk for i in indicators]).values_list(
            "indicator_id", "period"
        )
    )
    people = _institution_people(i.measure.lead_institution_id for i in indicators)  # type: ignore[union-attr,misc]
    for indicator in indicators:
        measure: Measure = indicator.measure  # type: ignore[assignment]
        starts_on = measure.starts_on or measure.plan.starts_on
        ends_on = measure.ends_on or measure.plan.ends_on
        for period in reporting_periods(indicator.frequency, starts_on, ends_on):
            if period.due_on > today + DUE_SOON:
                break
            if (indicator.pk, period.period) in recorded:
                continue
            overdue = period.due_on < today
            kind = NotificationKind.OVERDUE if overdue else NotificationKind.DUE
            message = _("The value of “%(indicator)s” for %(period)s is due on %(date)s.") % {
                "indicator": indicator,
                "period": period.period,
                "date": period.due_on,
            }
            for user in people.get(measure.lead_institution_id or 0, []):
                _notify(
                    summary,
                    user,
                    kind,
                    f"indicator-{kind}:{indicator.pk}:{period.period}",
                    message,
                    reverse("progress:report-create", args=[measure.pk]),
                )


def _digest(summary: ReminderSummary, today: date) -> None:
    """On Mondays: each focal point's and validator's week ahead, once a week."""
    if today.weekday() != 0:
        return
    year, week, _day = today.isocalendar()
    unread: dict[int, int] = defaultdict(int)
    for user_id in Notification.objects.filter(read_at__isnull=True).values_list(
        "user_id", flat=True
    ):
        unread[user_id] += 1
    people = User.objects.filter(
        memberships__role__in=list(INSTITUTION_ROLES), is_active=True
    ).distinct()
    for user in people:
        _notify(
            summary,
            user,
            NotificationKind.DIGEST,
            f"digest:{year}-W{week:02d}",
            _("Your week: %(count)s unread notifications about your institution's measures.")
            % {"count": unread[user.pk]},
            reverse("home"),
        )


@audited
@transaction.atomic
def reminders_send(*, actor: User | None = None, today: date | None = None) -> ReminderSummary:
    """Send the day's reminders: milestones and indicator values due within a week or overdue,
    reports waiting for someone, escalations to the secretariat after
    ``TRACKER_REMINDER_ESCALATION_DAYS``, and on Mondays the weekly digest. Each is sent once
    (in the app, and by e-mail to those with an address, after commit)."""
    today = today or timezone.localdate()
    summary = ReminderSummary()
    _milestones(summary, today)
    _reports(summary, today)
    _indicator_values(summary, today)
    _digest(summary, today)
    logger.info("reminders sent=%s emailed=%s", summary.sent, summary.emailed)
    return summary


@audited
@transaction.atomic
def notification_mark_read(*, actor: User, notifications: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (those ids, or all). Returns how many changed."""
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notifications is not None:
        qs = qs.filter(pk__in=list(notifications))
    return qs.update(read_at=timezone.now())


@audited
@transaction.atomic
def portfolio_hand_over(*, actor: User | None, from_user: User, to_user: User) -> dict[str, int]:
    """Hand a departing focal point's portfolio to a colleague in one action: their roles in
    their institutions (the colleague gets the same ones), their open reports (draft, returned,
    submitted: the colleague becomes the author) and their unread notifications. The departing
    person keeps their account and history. Returns the counts moved.

    Raises ``PermissionDenied`` unless the secretariat asks, ``ApplicationError`` for the same
    person or an inactive colleague."""
    if actor is not None:
        progress_policies.ensure_can_hand_over_portfolio(actor)
    if from_user.pk == to_user.pk or not to_user.is_active:
        raise ApplicationError(
            _("Hand the portfolio to another, active person."),
            {"fields": {"to_user": [_("Another, active person.")]}},
        )
    added = 0
    for membership in Membership.objects.filter(user=from_user, role__in=list(INSTITUTION_ROLES)):
        _obj, created = Membership.objects.get_or_create(
            user=to_user, institution_id=membership.institution_id, role=membership.role
        )
        added += int(created)
    reports = 0
    for report in ProgressReport.objects.select_for_update().filter(
        Q(author=from_user),
        state__in=[*EDITABLE_STATES, ReportState.SUBMITTED],
    ):
        report.author = to_user
        report.save(update_fields=["author", "updated_at"])
        reports += 1
    notifications = 0
    for notification in Notification.objects.filter(user=from_user, read_at__isnull=True):
        if Notification.objects.filter(user=to_user, key=notification.key).exists():
            continue
        notification.user = to_user
        notification.save(update_fields=["user"])
        notifications += 1
    _notify(
        None,
        to_user,
        NotificationKind.HANDOVER,
        f"handover:{from_user.pk}:{timezone.now().isoformat()}",
        _("%(name)s's portfolio was handed over to you: %(reports)s open reports.")
        % {"name": from_user, "reports": reports},
        reverse("home"),
    )
    return {"roles": added, "reports": reports, "notifications": notifications}
