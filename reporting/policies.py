"""Who may build and download report drafts.

Drafts of the State's reports are the secretariat's work: it builds them, and only it downloads
them (they may carry unpublished measures). Everyone else gets 403 on the Reports page and 404 on
a draft's file.
"""

from __future__ import annotations

from django.db.models import QuerySet

from tracker.policies import Actor, ensure, is_secretariat

from .models import FollowUpSelection, ReportJob


def can_build_reports(actor: Actor) -> bool:
    return is_secretariat(actor)


def ensure_can_build_reports(actor: Actor) -> None:
    ensure(can_build_reports(actor), "Only the secretariat builds report drafts.")


def visible_report_jobs(actor: Actor) -> QuerySet[ReportJob]:
    """The report drafts ``actor`` may follow and download: all for the secretariat, else none."""
    if is_secretariat(actor):
        return ReportJob.objects.all()
    return ReportJob.objects.none()


def can_download_report(actor: Actor, job: ReportJob) -> bool:
    return is_secretariat(actor)


def can_view_calendar(actor: Actor) -> bool:
    """The reporting calendar: the secretariat and the institutions (what they will be asked for)."""
    from tracker.policies import has_role
    from tracker.roles import INSTITUTION_ROLES

    return is_secretariat(actor) or has_role(actor, *INSTITUTION_ROLES)


def ensure_can_view_calendar(actor: Actor) -> None:
    ensure(
        can_view_calendar(actor), "The reporting calendar is for the secretariat and institutions."
    )


def can_edit_obligations(actor: Actor, obligation: object = None) -> bool:
    return is_secretariat(actor)


def ensure_can_edit_obligations(actor: Actor, obligation: object = None) -> None:
    ensure(can_edit_obligations(actor), "Only the secretariat enters reporting obligations.")


def can_edit_follow_up(actor: Actor, selection: object = None) -> bool:
    """The paragraphs a committee selected for follow-up: entered by the secretariat."""
    return is_secretariat(actor)


def ensure_can_edit_follow_up(actor: Actor, selection: object = None) -> None:
    ensure(
        can_edit_follow_up(actor, selection),
        "Only the secretariat enters the paragraphs selected for follow-up.",
    )


def visible_follow_up_selections(actor: Actor) -> QuerySet[FollowUpSelection]:
    """The follow-up selections ``actor`` may read: those who see the reporting calendar (the
    secretariat and the institutions) see them all; others none."""
    if can_view_calendar(actor):
        return FollowUpSelection.objects.all()
    return FollowUpSelection.objects.none()
