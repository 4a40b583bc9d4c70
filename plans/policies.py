"""Who may see and do what with implementation plans.

Reading:
- The secretariat sees every plan, draft or not, and everything in it.
- Focal points and validators (the State institutions' roles) see the adopted and closed plans,
  and the draft plans too, in which they see only the measures their institution leads or
  supports (with what belongs to them): a draft is prepared with them, and a focal point
  proposes its measures into it.
- Everyone else (the NHRI, civil society, development partners, the public) sees the adopted
  and closed plans only. Drafts are the secretariat's.
- In an adopted or closed plan, a proposal that was declined is seen only by the secretariat and
  the institution that proposed it.
- Consultations are read by every signed-in person, not by the public (their minutes name people).
- National frameworks and their goals are public, like the SDGs.

Writing:
- The secretariat plans: it creates and changes plans, adopts, closes and versions them, writes
  measures with their milestones, budget lines and indicators, accepts or declines proposals,
  records the SMART check and the indicators' values, keeps the consultations and the national
  frameworks.
- A focal point may propose a measure led by its own institution into a draft plan, and change or
  withdraw it (with its milestones, budget lines and indicators) while it waits for the
  secretariat's answer.
- The checks here are about people. Whether the plan may still change (the frozen rule) is a
  business rule of the services: ``plans.frozen``.

Outcomes: an object the actor may not see is a 404; seen but not allowed, a 403.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from recommendations.models import Recommendation
from recommendations.policies import visible_recommendations
from tracker.models import Institution
from tracker.policies import Actor, ensure, has_role, is_secretariat
from tracker.roles import INSTITUTION_ROLES, Role

from .models import (
    BudgetLine,
    Consultation,
    ConsultationDocument,
    ImplementationPlan,
    Indicator,
    IndicatorValue,
    Measure,
    Milestone,
    NationalFramework,
    NationalGoal,
    PlanState,
    ProposalState,
)

PUBLIC_STATES = (PlanState.ADOPTED, PlanState.CLOSED)
# A measure of an adopted plan that the public sees: planned by the secretariat, or accepted.
PUBLIC_PROPOSAL_STATES = (ProposalState.NONE, ProposalState.ACCEPTED)


def _institution_ids(actor: Actor, *roles: str) -> set[int]:
    if actor is None or not has_role(actor, *roles):
        return set()
    return actor.institution_ids(roles)


def _is_institution_member(actor: Actor) -> bool:
    return has_role(actor, *INSTITUTION_ROLES)


# --- plans --------------------------------------------------------------------------------------


def visible_plans(actor: Actor) -> QuerySet[ImplementationPlan]:
    """The plans ``actor`` may read; ``None`` is the public."""
    qs = ImplementationPlan.objects.all()
    if is_secretariat(actor) or _is_institution_member(actor):
        return qs
    return qs.filter(state__in=PUBLIC_STATES)


def can_view_plan(actor: Actor, plan: ImplementationPlan) -> bool:
    return plan.state in PUBLIC_STATES or is_secretariat(actor) or _is_institution_member(actor)


def can_create_plan(actor: Actor) -> bool:
    return is_secretariat(actor)


def can_edit_plan(actor: Actor, plan: ImplementationPlan | None = None) -> bool:
    """Changing, deleting, adopting, closing and versioning plans are the secretariat's work."""
    return is_secretariat(actor)


can_adopt_plan = can_edit_plan
can_close_plan = can_edit_plan
can_version_plan = can_edit_plan
can_delete_plan = can_edit_plan


def ensure_can_create_plan(actor: Actor) -> None:
    ensure(can_create_plan(actor))


def ensure_can_edit_plan(actor: Actor, plan: ImplementationPlan | None = None) -> None:
    ensure(can_edit_plan(actor, plan))


# --- measures -----------------------------------------------------------------------------------


def _own_measures(institution_ids: set[int]) -> Q:
    """Measures led or supported by one of the institutions."""
    supported = Measure.supporting_institutions.through.objects.filter(
        measure_id=OuterRef("pk"), institution_id__in=institution_ids
    )
    return Q(lead_institution__in=institution_ids) | Q(Exists(supported))


def visible_measures(actor: Actor) -> QuerySet[Measure]:
    """The measures ``actor`` may read: see the module's docstring."""
    qs = Measure.objects.all()
    if is_secretariat(actor):
        return qs
    visible = Q(plan__state__in=PUBLIC_STATES, proposal_state__in=PUBLIC_PROPOSAL_STATES)
    institutions = _institution_ids(actor, *INSTITUTION_ROLES)
    if institutions:
        visible |= _own_measures(institutions)
    return qs.filter(visible)


def can_view_measure(actor: Actor, measure: Measure) -> bool:
    if is_secretariat(actor):
        return True
    if measure.plan.state in PUBLIC_STATES and measure.proposal_state in PUBLIC_PROPOSAL_STATES:
        return True
    institutions = _institution_ids(actor, *INSTITUTION_ROLES)
    if not institutions:
        return False
    if measure.lead_institution_id in institutions:
        return True
    return measure.supporting_institutions.filter(pk__in=institutions).exists()


def can_create_measure(actor: Actor, plan: ImplementationPlan | None = None) -> bool:
    """Writing measures straight into the plan is the secretariat's work."""
    return is_secretariat(actor)


def can_propose_measure(actor: Actor, lead_institution: Institution | None = None) -> bool:
    """A focal point proposes measures that its own institution would lead. Without an
    institution: whether ``actor`` may propose measures at all."""
    institutions = _institution_ids(actor, Role.FOCAL_POINT)
    if lead_institution is None:
        return bool(institutions)
    return lead_institution.pk in institutions


def can_edit_measure(actor: Actor, measure: Measure) -> bool:
    """The secretariat changes any measure (of a draft plan: ``plans.frozen``); a focal point
    changes or withdraws its institution's proposal while it waits for an answer. Whoever may
    change a measure may change its milestones, budget lines and indicators."""
    if is_secretariat(actor):
        return True
    return (
        measure.proposal_state == ProposalState.PROPOSED
        and measure.lead_institution_id is not None
        and measure.lead_institution_id in _institution_ids(actor, Role.FOCAL_POINT)
    )


can_delete_measure = can_edit_measure


def can_review_measure(actor: Actor, measure: Measure | None = None) -> bool:
    """Accepting or declining proposals and recording the SMART check: the secretariat."""
    return is_secretariat(actor)


def ensure_can_create_measure(actor: Actor, plan: ImplementationPlan | None = None) -> None:
    ensure(can_create_measure(actor, plan))


def ensure_can_propose_measure(actor: Actor, lead_institution: Institution | None) -> None:
    ensure(
        can_propose_measure(actor, lead_institution) if lead_institution is not None else False,
        "A focal point proposes measures led by its own institution.",
    )


def ensure_can_edit_measure(actor: Actor, measure: Measure) -> None:
    ensure(can_edit_measure(actor, measure))


def ensure_can_review_measure(actor: Actor, measure: Measure | None = None) -> None:
    ensure(can_review_measure(actor, measure))


def can_write_measure_parts(actor: Actor) -> bool:
    """Whether ``actor`` may write milestones, budget lines or indicators of some measure: the
    secretariat and focal points (of their proposals). The API's first check, before the
    measure is known."""
    return is_secretariat(actor) or can_propose_measure(actor)


# --- milestones, budget lines -------------------------------------------------------------------


def visible_milestones(actor: Actor) -> QuerySet[Milestone]:
    return Milestone.objects.filter(measure__in=visible_measures(actor))


def visible_budget_lines(actor: Actor) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(measure__in=visible_measures(actor))


# --- indicators and their values ----------------------------------------------------------------


def visible_indicators(actor: Actor) -> QuerySet[Indicator]:
    """Indicators of the measures ``actor`` sees, and of the recommendations it sees."""
    if is_secretariat(actor):
        return Indicator.objects.all()
    return Indicator.objects.filter(
        Q(measure__in=visible_measures(actor))
        | Q(recommendation__in=visible_recommendations(actor))
    )


def visible_indicator_values(actor: Actor) -> QuerySet[IndicatorValue]:
    if is_secretariat(actor):
        return IndicatorValue.objects.all()
    return IndicatorValue.objects.filter(indicator__in=visible_indicators(actor))


def can_edit_indicator(actor: Actor, indicator: Indicator) -> bool:
    """An indicator of a measure: whoever may change the measure. An indicator of a
    recommendation: the secretariat."""
    if indicator.measure is not None:
        return can_edit_measure(actor, indicator.measure)
    return is_secretariat(actor)


def can_create_recommendation_indicator(
    actor: Actor, recommendation: Recommendation | None = None
) -> bool:
    return is_secretariat(actor)


def can_record_indicator_value(actor: Actor, indicator: Indicator | None = None) -> bool:
    """Values are recorded by the secretariat; the institutions' figures reach it through their
    progress reports, which it validates."""
    return is_secretariat(actor)


def ensure_can_edit_indicator(actor: Actor, indicator: Indicator) -> None:
    ensure(can_edit_indicator(actor, indicator))


def ensure_can_create_recommendation_indicator(
    actor: Actor, recommendation: Recommendation | None = None
) -> None:
    ensure(can_create_recommendation_indicator(actor, recommendation))


def ensure_can_record_indicator_value(actor: Actor, indicator: Indicator | None = None) -> None:
    ensure(can_record_indicator_value(actor, indicator))


# --- consultations ------------------------------------------------------------------------------


def visible_consultations(actor: Actor) -> QuerySet[Consultation]:
    if actor is None or not actor.is_active:
        return Consultation.objects.none()
    return Consultation.objects.all()


def can_view_consultation(actor: Actor, consultation: Consultation | None = None) -> bool:
    return actor is not None and actor.is_active


def can_view_consultations(actor: Actor) -> bool:
    return can_view_consultation(actor)


def visible_consultation_documents(actor: Actor) -> QuerySet[ConsultationDocument]:
    return ConsultationDocument.objects.filter(consultation__in=visible_consultations(actor))


def can_edit_consultation(actor: Actor, consultation: Consultation | None = None) -> bool:
    """Recording consultations and their documents is the secretariat's work."""
    return is_secretariat(actor)


def ensure_can_edit_consultation(actor: Actor, consultation: Consultation | None = None) -> None:
    ensure(can_edit_consultation(actor, consultation))


# --- national frameworks ------------------------------------------------------------------------


def visible_frameworks(actor: Actor) -> QuerySet[NationalFramework]:
    return NationalFramework.objects.all()


def visible_goals(actor: Actor) -> QuerySet[NationalGoal]:
    return NationalGoal.objects.all()


def can_edit_frameworks(actor: Actor, obj: object = None) -> bool:
    """The national frameworks and their goal trees are kept by the secretariat."""
    return is_secretariat(actor)


def ensure_can_edit_frameworks(actor: Actor, obj: object = None) -> None:
    ensure(can_edit_frameworks(actor, obj))
