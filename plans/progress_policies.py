"""Who may see and do what with progress reports and their evidence.

Reading:
- The secretariat sees every report.
- The focal points and validators of the report's institution see its reports in every state.
- Everyone else (the public too) sees published reports only, of measures they may see.
- Evidence marked internal is seen by the secretariat and the report's institution; public
  evidence by whoever sees the report.

Writing (the workflow: draft → submitted → validated → accepted → published):
- A focal point of an institution that leads or supports a measure writes reports on it for
  that institution; the secretariat may too (for the lead institution). While a report is a
  draft or returned, the focal points of its institution (and the secretariat) change it, add
  evidence and submit it.
- A validator of the report's institution validates a submitted report, or returns it.
- The secretariat accepts a validated report, publishes an accepted one, and may return a
  report from any of these states to its author with a reason.
- The checks here are about people; which step follows which is the services' business rule
  (a step from the wrong state is a ``ConflictError``: 409).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from recommendations.policies import visible_recommendations
from tracker.models import Institution
from tracker.policies import Actor, ensure, has_role, is_secretariat
from tracker.roles import INSTITUTION_ROLES, Role

from . import policies
from .models import (
    Assessment,
    AssessmentState,
    Comment,
    CommentState,
    Evidence,
    Measure,
    ProgressReport,
    ReportState,
    SupportProject,
)


def _institutions(actor: Actor, *roles: str) -> set[int]:
    if actor is None or not has_role(actor, *roles):
        return set()
    return actor.institution_ids(roles)


def visible_reports(actor: Actor) -> QuerySet[ProgressReport]:
    """The reports ``actor`` may read; ``None`` is the public."""
    qs = ProgressReport.objects.all()
    if is_secretariat(actor):
        return qs
    visible = Q(state=ReportState.PUBLISHED, measure__in=policies.visible_measures(actor))
    own = _institutions(actor, *INSTITUTION_ROLES)
    if own:
        visible |= Q(institution__in=own)
    return qs.filter(visible)


def can_view_report(actor: Actor, report: ProgressReport) -> bool:
    if is_secretariat(actor) or report.institution_id in _institutions(actor, *INSTITUTION_ROLES):
        return True
    return report.state == ReportState.PUBLISHED and policies.can_view_measure(
        actor, report.measure
    )


def is_report_institution_member(actor: Actor, report: ProgressReport) -> bool:
    return report.institution_id in _institutions(actor, *INSTITUTION_ROLES)


def reporting_institutions(actor: Actor, measure: Measure) -> list[Institution]:
    """The institutions for which ``actor`` may report on ``measure``: those of its focal point
    roles that lead or support the measure (the lead first); for the secretariat, the lead."""
    if is_secretariat(actor):
        return [measure.lead_institution] if measure.lead_institution is not None else []
    own = _institutions(actor, Role.FOCAL_POINT)
    if not own:
        return []
    ids = [measure.lead_institution_id] if measure.lead_institution_id in own else []
    ids += [
        pk
        for pk in measure.supporting_institutions.filter(pk__in=own).values_list("pk", flat=True)
        if pk not in ids
    ]
    by_id = Institution.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def can_report_on_measure(actor: Actor, measure: Measure) -> bool:
    return bool(reporting_institutions(actor, measure))


def can_write_reports(actor: Actor) -> bool:
    """Whether ``actor`` may write reports at all (the API's first check)."""
    return is_secretariat(actor) or has_role(actor, Role.FOCAL_POINT)


def can_edit_report(actor: Actor, report: ProgressReport) -> bool:
    """Changing a report, its values and evidence, and submitting it: its institution's focal
    points and the secretariat (whether the state allows it: the services)."""
    return is_secretariat(actor) or report.institution_id in _institutions(actor, Role.FOCAL_POINT)


can_submit_report = can_edit_report


def can_validate_report(actor: Actor, report: ProgressReport) -> bool:
    """Validating is the work of the report's institution's validators, and theirs only."""
    return report.institution_id in _institutions(actor, Role.VALIDATOR)


def can_accept_report(actor: Actor, report: ProgressReport | None = None) -> bool:
    return is_secretariat(actor)


can_publish_report = can_accept_report


def can_return_report(actor: Actor, report: ProgressReport) -> bool:
    """The secretariat returns a report from any step; a validator of its institution returns
    a submitted one."""
    if is_secretariat(actor):
        return True
    return report.state == ReportState.SUBMITTED and can_validate_report(actor, report)


def can_take_steps(actor: Actor) -> bool:
    """Whether ``actor`` may take any workflow step at all (the API's first check)."""
    return is_secretariat(actor) or has_role(actor, Role.FOCAL_POINT, Role.VALIDATOR)


def ensure_can_report_on_measure(actor: Actor, measure: Measure) -> None:
    ensure(
        can_report_on_measure(actor, measure),
        "A focal point reports on the measures its institution leads or supports.",
    )


def ensure_can_edit_report(actor: Actor, report: ProgressReport) -> None:
    ensure(can_edit_report(actor, report))


def ensure_can_validate_report(actor: Actor, report: ProgressReport) -> None:
    ensure(
        can_validate_report(actor, report),
        "A validator of the report's institution validates it.",
    )


def ensure_can_accept_report(actor: Actor, report: ProgressReport | None = None) -> None:
    ensure(can_accept_report(actor, report), "The secretariat accepts and publishes reports.")


def ensure_can_return_report(actor: Actor, report: ProgressReport) -> None:
    ensure(can_return_report(actor, report))


# --- evidence -----------------------------------------------------------------------------------


def can_view_evidence(actor: Actor, evidence: Evidence) -> bool:
    report = evidence.report
    if not can_view_report(actor, report):
        return False
    return (
        evidence.is_public or is_secretariat(actor) or is_report_institution_member(actor, report)
    )


def visible_evidence(actor: Actor) -> QuerySet[Evidence]:
    qs = Evidence.objects.filter(report__in=visible_reports(actor))
    if is_secretariat(actor):
        return qs
    own = _institutions(actor, *INSTITUTION_ROLES)
    return qs.filter(Q(is_public=True) | Q(report__institution__in=own))


# --- assessments --------------------------------------------------------------------------------
# The government (the secretariat, focal points and validators), the NHRI and civil-society
# organisations each assess; the kind of assessor follows the person's role. A draft stays with
# its author's organisation (its members with the same role); published, everyone who sees the
# recommendation reads it.

ASSESSOR_ROLES = {
    "government": (Role.SECRETARIAT, Role.FOCAL_POINT, Role.VALIDATOR),
    "nhri": (Role.NHRI,),
    "cso": (Role.CSO,),
}


def assessor_kind(actor: Actor) -> str | None:
    """The kind of assessor ``actor`` writes as, or ``None`` if they do not assess."""
    if actor is None or not actor.is_active:
        return None
    for kind, roles in ASSESSOR_ROLES.items():
        if has_role(actor, *roles):
            return kind
    return "government" if is_secretariat(actor) else None


def assessor_institutions(actor: Actor) -> set[int]:
    kind = assessor_kind(actor)
    if kind is None or actor is None:
        return set()
    return _institutions(actor, *ASSESSOR_ROLES[kind])


def visible_assessments(actor: Actor) -> QuerySet[Assessment]:
    qs = Assessment.objects.filter(recommendation__in=visible_recommendations(actor))
    own = Q(author=actor) if actor is not None else Q(pk__in=[])
    kind = assessor_kind(actor)
    if kind is not None:
        own |= Q(assessor_kind=kind, institution__in=assessor_institutions(actor))
    return qs.filter(Q(state=AssessmentState.PUBLISHED) | own)


def can_assess(actor: Actor) -> bool:
    return assessor_kind(actor) is not None


def can_edit_assessment(actor: Actor, assessment: Assessment) -> bool:
    """The author, or a colleague of the same organisation and kind."""
    if actor is None or not actor.is_active:
        return False
    if assessment.author_id == actor.pk:
        return True
    return (
        assessment.assessor_kind == assessor_kind(actor)
        and assessment.institution_id is not None
        and assessment.institution_id in assessor_institutions(actor)
    )


def ensure_can_assess(actor: Actor) -> None:
    ensure(can_assess(actor), "The government, the NHRI and civil society assess.")


def ensure_can_edit_assessment(actor: Actor, assessment: Assessment) -> None:
    ensure(can_edit_assessment(actor, assessment))


# --- comments -----------------------------------------------------------------------------------


def can_comment(actor: Actor) -> bool:
    """The NHRI and civil society comment."""
    return has_role(actor, Role.NHRI, Role.CSO)


def can_moderate_comments(actor: Actor, comment: Comment | None = None) -> bool:
    return is_secretariat(actor)


def visible_comments(actor: Actor) -> QuerySet[Comment]:
    """Approved comments on what ``actor`` sees; their own whatever their state; every comment
    for the secretariat."""
    if is_secretariat(actor):
        return Comment.objects.all()
    on_visible = Q(recommendation__in=visible_recommendations(actor)) | Q(
        measure__in=policies.visible_measures(actor)
    )
    shown = Q(state=CommentState.APPROVED)
    if actor is not None:
        shown |= Q(author=actor)
    return Comment.objects.filter(on_visible).filter(shown)


def ensure_can_comment(actor: Actor) -> None:
    ensure(can_comment(actor), "The NHRI and civil society comment.")


def ensure_can_moderate_comments(actor: Actor) -> None:
    ensure(can_moderate_comments(actor), "The secretariat moderates comments.")


# --- support projects ---------------------------------------------------------------------------


def visible_support_projects(actor: Actor) -> QuerySet[SupportProject]:
    """Support projects are read by every signed-in person (the secretariat looks for gaps, the
    institutions for partners); not by the public."""
    if actor is None or not actor.is_active:
        return SupportProject.objects.none()
    return SupportProject.objects.all()


def can_record_support(actor: Actor, partner: Institution | None = None) -> bool:
    """A development partner records its own projects; the secretariat, anyone's."""
    if is_secretariat(actor):
        return True
    own = _institutions(actor, Role.PARTNER)
    return bool(own) if partner is None else partner.pk in own


def can_edit_support_project(actor: Actor, project: SupportProject) -> bool:
    return is_secretariat(actor) or project.partner_id in _institutions(actor, Role.PARTNER)


def ensure_can_record_support(actor: Actor, partner: Institution | None) -> None:
    ensure(can_record_support(actor, partner), "A development partner records its own projects.")


def ensure_can_edit_support_project(actor: Actor, project: SupportProject) -> None:
    ensure(can_edit_support_project(actor, project))


# --- portfolio handover -------------------------------------------------------------------------


def can_hand_over_portfolio(actor: Actor) -> bool:
    return is_secretariat(actor)


def ensure_can_hand_over_portfolio(actor: Actor) -> None:
    ensure(can_hand_over_portfolio(actor), "The secretariat hands portfolios over.")
