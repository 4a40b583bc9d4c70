"""Measures, proposals, the SMART check, milestones and budget lines, and the frozen rule."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from plans import services
from plans.frozen import FrozenError
from plans.models import BudgetLine, Measure, Milestone, ProposalState
from tests.factories.plans import (
    BudgetLineFactory,
    MeasureFactory,
    MilestoneFactory,
    NationalGoalFactory,
)
from tests.factories.recommendations import ClusterFactory, RecommendationFactory
from tests.plans.conftest import actions_of, event_count
from tests.recommendations.helpers import sdg_target
from tracker.exceptions import ApplicationError, ConflictError

pytestmark = pytest.mark.django_db


def test_secretariat_adds_a_measure_with_its_links(secretariat, draft_plan, ministry_a, ministry_b):
    rec = RecommendationFactory()
    goal = NationalGoalFactory()
    measure = services.measure_create(
        actor=secretariat,
        plan=draft_plan,
        title="Table a bill",
        kind="legislative",
        lead_institution=ministry_a,
        supporting_institutions=[ministry_b],
        recommendations=[rec.pk],
        sdg_targets=[sdg_target("16.3")],
        framework_goals=[goal],
        starts_on=datetime.date(2025, 6, 1),
        ends_on=datetime.date(2026, 6, 1),
    )
    assert measure.proposal_state == ProposalState.NONE
    assert list(measure.recommendations.all()) == [rec]
    assert list(measure.supporting_institutions.all()) == [ministry_b]
    assert [t.code for t in measure.sdg_targets.all()] == ["16.3"]
    assert list(measure.framework_goals.all()) == [goal]
    assert set(actions_of(measure)) == {"measure_create"}


def test_measures_are_placed_last(secretariat, draft_plan):
    first = services.measure_create(actor=secretariat, plan=draft_plan, title="One")
    second = services.measure_create(actor=secretariat, plan=draft_plan, title="Two")
    assert (first.position, second.position) == (0, 1)


@pytest.mark.parametrize(
    "persona_name", ["focal_point", "validator", "other_focal_point", "nhri", "cso", "partner"]
)
def test_only_the_secretariat_adds_measures_directly(persona, persona_name, draft_plan):
    with pytest.raises(PermissionDenied):
        services.measure_create(actor=persona(persona_name), plan=draft_plan, title="Nope")
    assert not Measure.objects.exists()


def test_a_measure_ending_before_it_starts_is_refused(secretariat, draft_plan):
    with pytest.raises(ApplicationError) as exc:
        services.measure_create(
            actor=secretariat,
            plan=draft_plan,
            title="Backwards",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2025, 1, 1),
        )
    assert "ends_on" in exc.value.extra["fields"]
    assert not Measure.objects.exists()


def test_the_lead_is_not_also_a_supporting_institution(secretariat, draft_plan, ministry_a):
    with pytest.raises(ApplicationError) as exc:
        services.measure_create(
            actor=secretariat,
            plan=draft_plan,
            title="Twice",
            lead_institution=ministry_a,
            supporting_institutions=[ministry_a],
        )
    assert "supporting_institutions" in exc.value.extra["fields"]


def test_an_unknown_kind_is_refused_with_the_field(secretariat, draft_plan):
    with pytest.raises(ApplicationError) as exc:
        services.measure_create(actor=secretariat, plan=draft_plan, title="X", kind="magic")
    assert "kind" in exc.value.extra["fields"]


def test_no_measure_is_added_to_an_adopted_plan(secretariat, adopted_plan):
    with pytest.raises(FrozenError):
        services.measure_create(actor=secretariat, plan=adopted_plan, title="Late")
    assert not adopted_plan.measures.exists()


# --- proposals ----------------------------------------------------------------------------------


def test_a_focal_point_proposes_a_measure_for_its_own_institution(
    focal_point, draft_plan, ministry_a
):
    measure = services.measure_propose(
        actor=focal_point, plan=draft_plan, title="Train judges", lead_institution=ministry_a
    )
    assert (measure.proposal_state, measure.proposed_by) == (ProposalState.PROPOSED, focal_point)
    assert set(actions_of(measure)) == {"measure_propose"}


@pytest.mark.parametrize("persona_name", ["other_focal_point", "validator", "nhri", "secretariat"])
def test_no_one_else_proposes_for_ministry_a(persona, persona_name, draft_plan, ministry_a):
    with pytest.raises(PermissionDenied):
        services.measure_propose(
            actor=persona(persona_name), plan=draft_plan, title="X", lead_institution=ministry_a
        )
    assert not Measure.objects.exists()


def test_a_proposal_into_an_adopted_plan_is_refused(focal_point, adopted_plan, ministry_a):
    with pytest.raises(FrozenError):
        services.measure_propose(
            actor=focal_point, plan=adopted_plan, title="X", lead_institution=ministry_a
        )


def test_a_proposal_addresses_only_recommendations_the_focal_point_sees(
    focal_point, draft_plan, ministry_a
):
    hidden = RecommendationFactory(draft=True, cluster=ClusterFactory())
    own_draft = RecommendationFactory(
        draft=True, cluster=ClusterFactory(lead_institution=ministry_a)
    )
    with pytest.raises(ApplicationError) as exc:
        services.measure_propose(
            actor=focal_point,
            plan=draft_plan,
            title="X",
            lead_institution=ministry_a,
            recommendations=[hidden.pk],
        )
    assert "recommendations" in exc.value.extra["fields"]
    measure = services.measure_propose(
        actor=focal_point,
        plan=draft_plan,
        title="X",
        lead_institution=ministry_a,
        recommendations=[own_draft.pk],
    )
    assert list(measure.recommendations.all()) == [own_draft]


def test_the_focal_point_changes_its_proposal_but_keeps_its_institution_as_lead(
    focal_point, proposal, ministry_b
):
    services.measure_update(actor=focal_point, measure=proposal, title="Better title")
    proposal.refresh_from_db()
    assert proposal.title == "Better title"
    with pytest.raises(PermissionDenied):
        services.measure_update(actor=focal_point, measure=proposal, lead_institution=ministry_b)
    proposal.refresh_from_db()
    assert proposal.lead_institution.name == "Ministry of Justice"


def test_the_focal_point_withdraws_its_proposal(focal_point, proposal):
    services.measure_delete(actor=focal_point, measure=proposal)
    assert not Measure.objects.filter(pk=proposal.pk).exists()


def test_the_focal_point_does_not_change_an_accepted_measure(focal_point, draft_measure):
    with pytest.raises(PermissionDenied):
        services.measure_update(actor=focal_point, measure=draft_measure, title="Mine now")
    with pytest.raises(PermissionDenied):
        services.measure_delete(actor=focal_point, measure=draft_measure)
    assert Measure.objects.filter(pk=draft_measure.pk, title=draft_measure.title).exists()


def test_another_focal_point_does_not_change_the_proposal(other_focal_point, proposal):
    with pytest.raises(PermissionDenied):
        services.measure_update(actor=other_focal_point, measure=proposal, title="Theirs")


def test_the_secretariat_accepts_a_proposal(secretariat, proposal):
    measure = services.measure_accept(actor=secretariat, measure=proposal)
    assert measure.proposal_state == ProposalState.ACCEPTED
    before = event_count()
    services.measure_accept(actor=secretariat, measure=proposal)
    assert event_count() == before


def test_the_secretariat_declines_a_proposal_with_a_reason(secretariat, proposal):
    with pytest.raises(ApplicationError) as exc:
        services.measure_decline(actor=secretariat, measure=proposal, reason="  ")
    assert "reason" in exc.value.extra["fields"]
    measure = services.measure_decline(actor=secretariat, measure=proposal, reason="Covered")
    assert (measure.proposal_state, measure.decline_reason) == (ProposalState.DECLINED, "Covered")
    with pytest.raises(ConflictError):
        services.measure_accept(actor=secretariat, measure=proposal)


def test_a_measure_that_is_not_a_proposal_is_not_declined(secretariat, draft_measure):
    with pytest.raises(ConflictError):
        services.measure_decline(actor=secretariat, measure=draft_measure, reason="No")


def test_the_focal_point_does_not_accept_its_own_proposal(focal_point, proposal):
    with pytest.raises(PermissionDenied):
        services.measure_accept(actor=focal_point, measure=proposal)
    proposal.refresh_from_db()
    assert proposal.proposal_state == ProposalState.PROPOSED


# --- updates and the frozen rule ----------------------------------------------------------------


def test_an_update_writes_only_what_differs(secretariat, draft_measure, ministry_b):
    services.measure_update(
        actor=secretariat,
        measure=draft_measure,
        status="in_progress",
        supporting_institutions=[ministry_b],
    )
    draft_measure.refresh_from_db()
    assert draft_measure.status == "in_progress"
    assert list(draft_measure.supporting_institutions.all()) == [ministry_b]
    before = event_count()
    services.measure_update(
        actor=secretariat,
        measure=draft_measure,
        status="in_progress",
        supporting_institutions=[ministry_b],
        recommendations=list(draft_measure.recommendations.all()),
    )
    assert event_count() == before


def test_changing_the_lead_to_a_supporting_institution_is_refused(
    secretariat, draft_measure, ministry_b
):
    draft_measure.supporting_institutions.add(ministry_b)
    with pytest.raises(ApplicationError) as exc:
        services.measure_update(
            actor=secretariat, measure=draft_measure, lead_institution=ministry_b
        )
    assert "supporting_institutions" in exc.value.extra["fields"]


@pytest.mark.parametrize(
    "write",
    [
        lambda actor, m: services.measure_update(actor=actor, measure=m, title="Changed"),
        lambda actor, m: services.measure_delete(actor=actor, measure=m),
        lambda actor, m: services.measure_check_smart(
            actor=actor,
            measure=m,
            specific=True,
            measurable=True,
            achievable=True,
            relevant=True,
            time_bound=True,
        ),
        lambda actor, m: services.milestone_create(
            actor=actor, measure=m, title="Late", due_on=datetime.date(2026, 1, 1)
        ),
        lambda actor, m: services.budget_line_create(
            actor=actor, measure=m, amount=Decimal(1), currency="USD", funding_source="State"
        ),
        lambda actor, m: services.indicator_create(
            actor=actor, measure=m, name="Late", kind="process"
        ),
    ],
    ids=["update", "delete", "smart", "milestone", "budget line", "indicator"],
)
@pytest.mark.parametrize("plan_state", ["adopted", "closed"])
def test_nothing_of_an_adopted_or_closed_plan_changes(secretariat, plan_state, write):
    measure = MeasureFactory(plan__adopted=True, plan__state=plan_state)
    before = event_count()
    with pytest.raises(FrozenError) as exc:
        write(secretariat, measure)
    assert exc.value.extra["state"] == plan_state
    assert event_count() == before
    assert Measure.objects.filter(pk=measure.pk, title=measure.title).exists()


def test_milestones_and_budget_lines_of_an_adopted_plan_do_not_change(secretariat, adopted_measure):
    milestone = MilestoneFactory(measure=adopted_measure)
    line = BudgetLineFactory(measure=adopted_measure)
    with pytest.raises(FrozenError):
        services.milestone_update(actor=secretariat, milestone=milestone, title="Changed")
    with pytest.raises(FrozenError):
        services.milestone_delete(actor=secretariat, milestone=milestone)
    with pytest.raises(FrozenError):
        services.budget_line_update(actor=secretariat, budget_line=line, spent=Decimal(5))
    with pytest.raises(FrozenError):
        services.budget_line_delete(actor=secretariat, budget_line=line)
    assert Milestone.objects.filter(pk=milestone.pk, title=milestone.title).exists()
    assert BudgetLine.objects.filter(pk=line.pk, spent=0).exists()


def test_the_smart_check_is_recorded_and_dated(secretariat, draft_measure):
    measure = services.measure_check_smart(
        actor=secretariat,
        measure=draft_measure,
        specific=True,
        measurable=False,
        achievable=True,
        relevant=True,
        time_bound=None,
        note="Add a target",
    )
    assert (measure.smart_measurable, measure.smart_time_bound, measure.smart_note) == (
        False,
        None,
        "Add a target",
    )
    assert measure.smart_checked_on is not None


def test_the_focal_point_does_not_record_the_smart_check(focal_point, proposal):
    with pytest.raises(PermissionDenied):
        services.measure_check_smart(
            actor=focal_point,
            measure=proposal,
            specific=True,
            measurable=True,
            achievable=True,
            relevant=True,
            time_bound=True,
        )


# --- milestones and budget lines ----------------------------------------------------------------


def test_milestones_of_a_draft_measure(secretariat, draft_measure):
    milestone = services.milestone_create(
        actor=secretariat,
        measure=draft_measure,
        title="Bill tabled",
        due_on=datetime.date(2026, 3, 31),
    )
    services.milestone_update(
        actor=secretariat, milestone=milestone, done_on=datetime.date(2026, 3, 1)
    )
    milestone.refresh_from_db()
    assert milestone.done_on == datetime.date(2026, 3, 1)
    services.milestone_delete(actor=secretariat, milestone=milestone)
    assert not Milestone.objects.exists()


def test_the_focal_point_adds_milestones_to_its_proposal_only(focal_point, proposal, draft_measure):
    services.milestone_create(
        actor=focal_point, measure=proposal, title="Step", due_on=datetime.date(2026, 1, 1)
    )
    with pytest.raises(PermissionDenied):
        services.milestone_create(
            actor=focal_point, measure=draft_measure, title="Step", due_on=datetime.date(2026, 1, 1)
        )
    assert Milestone.objects.count() == 1


def test_a_budget_line_has_a_currency_code_and_no_negative_amount(secretariat, draft_measure):
    line = services.budget_line_create(
        actor=secretariat,
        measure=draft_measure,
        amount=Decimal("1500.25"),
        currency="kes",
        funding_source="State budget",
    )
    assert line.currency == "KES"
    with pytest.raises(ApplicationError) as exc:
        services.budget_line_create(
            actor=secretariat,
            measure=draft_measure,
            amount=Decimal(-1),
            currency="US",
            funding_source="Donor",
        )
    assert {"amount", "currency"} <= set(exc.value.extra["fields"])
    assert BudgetLine.objects.count() == 1
    services.budget_line_update(actor=secretariat, budget_line=line, committed=Decimal(100))
    line.refresh_from_db()
    assert line.committed == Decimal(100)
