"""The plan's services: create, change, delete, adopt, close, and make a new version."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plans import services
from plans.frozen import FrozenError
from plans.models import (
    BudgetLine,
    ImplementationPlan,
    Indicator,
    IndicatorValue,
    Measure,
    Milestone,
    PlanState,
    ProposalState,
)
from tests.factories.plans import (
    BudgetLineFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    MilestoneFactory,
    NationalGoalFactory,
    PlanFactory,
)
from tests.factories.recommendations import RecommendationFactory
from tests.factories.tracker import InstitutionFactory
from tests.plans.conftest import actions_of, event_count
from tests.recommendations.helpers import sdg_target
from tracker.exceptions import ApplicationError, ConflictError

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_secretariat_creates_a_draft_plan_version_1(secretariat):
    plan = services.plan_create(
        actor=secretariat,
        title="  National plan  ",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2029, 12, 31),
    )
    assert (plan.title, plan.state, plan.version) == ("National plan", PlanState.DRAFT, 1)
    assert actions_of(plan) == ["plan_create"]


@pytest.mark.parametrize("persona_name", ["focal_point", "validator", "nhri", "cso", "partner"])
def test_only_the_secretariat_creates_plans_and_nothing_is_written_otherwise(persona, persona_name):
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=persona(persona_name),
            title="Plan",
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2029, 12, 31),
        )
    assert not ImplementationPlan.objects.exists()


def test_a_plan_that_ends_before_it_starts_is_refused_with_the_field(secretariat):
    with pytest.raises(ApplicationError) as exc:
        services.plan_create(
            actor=secretariat,
            title="Plan",
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2024, 12, 31),
        )
    assert "ends_on" in exc.value.extra["fields"]
    assert not ImplementationPlan.objects.exists()


def test_an_empty_title_is_refused_with_the_field(secretariat):
    with pytest.raises(ApplicationError) as exc:
        services.plan_create(
            actor=secretariat,
            title="   ",
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2025, 12, 31),
        )
    assert "title" in exc.value.extra["fields"]


def test_updating_a_draft_writes_only_what_changed(secretariat, draft_plan):
    services.plan_update(actor=secretariat, plan=draft_plan, title="New title")
    draft_plan.refresh_from_db()
    assert draft_plan.title == "New title"
    assert actions_of(draft_plan)[-1] == "plan_update"


def test_an_update_that_changes_nothing_writes_no_event(secretariat, draft_plan):
    before = event_count()
    services.plan_update(actor=secretariat, plan=draft_plan, title=draft_plan.title)
    assert event_count() == before


def test_an_adopted_plan_is_frozen(secretariat, adopted_plan):
    with pytest.raises(FrozenError) as exc:
        services.plan_update(actor=secretariat, plan=adopted_plan, title="Changed")
    assert exc.value.extra["code"] == "frozen"
    adopted_plan.refresh_from_db()
    assert adopted_plan.title == "Adopted plan"


def test_an_unknown_field_is_refused(secretariat, draft_plan):
    with pytest.raises(ApplicationError):
        services.plan_update(actor=secretariat, plan=draft_plan, state="adopted")


def test_a_draft_is_deleted_an_adopted_plan_never(secretariat, draft_plan, adopted_plan):
    MeasureFactory(plan=draft_plan)
    services.plan_delete(actor=secretariat, plan=draft_plan)
    assert not ImplementationPlan.objects.filter(pk=draft_plan.pk).exists()
    with pytest.raises(FrozenError):
        services.plan_delete(actor=secretariat, plan=adopted_plan)
    assert ImplementationPlan.objects.filter(pk=adopted_plan.pk).exists()


def test_adopting_records_the_day_and_who(secretariat, draft_plan):
    plan = services.plan_adopt(actor=secretariat, plan=draft_plan)
    assert (plan.state, plan.adopted_on, plan.adopted_by) == (
        PlanState.ADOPTED,
        TODAY,
        secretariat,
    )
    assert actions_of(plan)[-1] == "plan_adopt"


def test_adopting_twice_changes_nothing(secretariat, draft_plan):
    services.plan_adopt(actor=secretariat, plan=draft_plan, adopted_on=datetime.date(2025, 3, 1))
    before = event_count()
    plan = services.plan_adopt(actor=secretariat, plan=draft_plan)
    assert plan.adopted_on == datetime.date(2025, 3, 1)
    assert event_count() == before


def test_a_plan_is_not_adopted_in_the_future(secretariat, draft_plan):
    with pytest.raises(ApplicationError) as exc:
        services.plan_adopt(
            actor=secretariat, plan=draft_plan, adopted_on=TODAY + datetime.timedelta(days=1)
        )
    assert "adopted_on" in exc.value.extra["fields"]


def test_a_plan_with_proposals_waiting_is_not_adopted(secretariat, draft_plan, proposal):
    with pytest.raises(ConflictError) as exc:
        services.plan_adopt(actor=secretariat, plan=draft_plan)
    assert exc.value.extra == {"code": "proposals_waiting", "count": 1}
    draft_plan.refresh_from_db()
    assert draft_plan.state == PlanState.DRAFT


def test_a_closed_plan_is_not_adopted_again(secretariat, closed_plan):
    with pytest.raises(ConflictError):
        services.plan_adopt(actor=secretariat, plan=closed_plan)


def test_the_focal_point_does_not_adopt(focal_point, draft_plan):
    with pytest.raises(PermissionDenied):
        services.plan_adopt(actor=focal_point, plan=draft_plan)
    draft_plan.refresh_from_db()
    assert draft_plan.state == PlanState.DRAFT


def test_closing_an_adopted_plan(secretariat, adopted_plan):
    plan = services.plan_close(actor=secretariat, plan=adopted_plan)
    assert (plan.state, plan.closed_on) == (PlanState.CLOSED, TODAY)
    before = event_count()
    services.plan_close(actor=secretariat, plan=plan)
    assert event_count() == before


def test_a_draft_is_not_closed(secretariat, draft_plan):
    with pytest.raises(ConflictError):
        services.plan_close(actor=secretariat, plan=draft_plan)


def test_a_plan_is_not_closed_before_its_adoption(secretariat, adopted_plan):
    with pytest.raises(ApplicationError) as exc:
        services.plan_close(
            actor=secretariat, plan=adopted_plan, closed_on=datetime.date(2025, 1, 1)
        )
    assert "closed_on" in exc.value.extra["fields"]


# --- new versions -------------------------------------------------------------------------------


def _full_measure(plan, lead):
    """A measure with every kind of link and part."""
    rec = RecommendationFactory()
    support = InstitutionFactory()
    goal = NationalGoalFactory()
    measure = MeasureFactory(
        plan=plan,
        lead_institution=lead,
        recommendations=[rec],
        smart_specific=True,
        smart_note="Clear",
        status="in_progress",
    )
    measure.supporting_institutions.add(support)
    measure.sdg_targets.add(sdg_target("16.3"))
    measure.framework_goals.add(goal)
    MilestoneFactory(measure=measure, title="Bill tabled")
    BudgetLineFactory(measure=measure, amount=Decimal("1000.50"), currency="KES")
    indicator = IndicatorFactory(measure=measure, name="Judges appointed")
    IndicatorValueFactory(indicator=indicator, period="2025", value=Decimal(3))
    IndicatorValueFactory(
        indicator=indicator, period="2025", value=Decimal(1), disaggregation={"sex": "female"}
    )
    return measure


def test_a_new_version_copies_the_plan_with_everything_in_it(secretariat, adopted_plan, ministry_a):
    original = _full_measure(adopted_plan, ministry_a)
    draft = services.plan_new_version(actor=secretariat, plan=adopted_plan)

    assert (draft.state, draft.version, draft.previous_version) == (
        PlanState.DRAFT,
        2,
        adopted_plan,
    )
    assert (draft.title, draft.starts_on, draft.ends_on) == (
        adopted_plan.title,
        adopted_plan.starts_on,
        adopted_plan.ends_on,
    )
    copy = draft.measures.get()
    assert copy.copied_from == original
    assert (copy.title, copy.lead_institution, copy.status, copy.smart_specific) == (
        original.title,
        ministry_a,
        "in_progress",
        True,
    )
    for link in ("recommendations", "supporting_institutions", "sdg_targets", "framework_goals"):
        assert set(getattr(copy, link).all()) == set(getattr(original, link).all()), link
    assert list(copy.milestones.values_list("title", flat=True)) == ["Bill tabled"]
    assert list(copy.budget_lines.values_list("amount", "currency")) == [
        (Decimal("1000.50"), "KES")
    ]
    indicator = copy.indicators.get()
    assert indicator.copied_from == original.indicators.get()
    assert sorted(indicator.values.values_list("period", "value")) == [
        ("2025", Decimal(1)),
        ("2025", Decimal(3)),
    ]
    # The adopted version is untouched and still readable.
    adopted_plan.refresh_from_db()
    assert adopted_plan.state == PlanState.ADOPTED
    assert original.milestones.count() == 1
    assert set(actions_of(copy)) == {"plan_new_version"}


def test_a_new_version_leaves_declined_proposals_out(secretariat, adopted_plan, ministry_a):
    MeasureFactory(plan=adopted_plan, lead_institution=ministry_a, title="Kept")
    MeasureFactory(plan=adopted_plan, proposal_state=ProposalState.DECLINED, title="Declined")
    draft = services.plan_new_version(actor=secretariat, plan=adopted_plan)
    assert list(draft.measures.values_list("title", flat=True)) == ["Kept"]


def test_a_new_version_takes_as_many_queries_for_a_large_plan_as_for_a_small_one(
    secretariat, ministry_a
):
    def queries(measures: int) -> int:
        plan = PlanFactory(adopted=True)
        for _ in range(measures):
            _full_measure(plan, ministry_a)
        actor = type(secretariat).objects.get(pk=secretariat.pk)  # roles not cached yet
        with CaptureQueriesContext(connection) as ctx:
            services.plan_new_version(actor=actor, plan=plan)
        return len(ctx.captured_queries)

    small = queries(1)
    assert queries(8) == small
    assert small <= 30


def test_a_draft_gets_no_new_version(secretariat, draft_plan):
    with pytest.raises(ConflictError) as exc:
        services.plan_new_version(actor=secretariat, plan=draft_plan)
    assert exc.value.extra["code"] == "draft"
    assert ImplementationPlan.objects.count() == 1


def test_a_second_new_version_of_the_same_plan_is_refused(secretariat, adopted_plan):
    first = services.plan_new_version(actor=secretariat, plan=adopted_plan)
    with pytest.raises(ConflictError) as exc:
        services.plan_new_version(actor=secretariat, plan=adopted_plan)
    assert exc.value.extra == {"code": "newer_version", "plan": first.pk}
    assert ImplementationPlan.objects.count() == 2


def test_a_closed_plan_without_a_newer_version_gets_one(secretariat, closed_plan):
    draft = services.plan_new_version(actor=secretariat, plan=closed_plan)
    assert draft.version == 2


def test_adopting_a_new_version_closes_the_one_it_was_made_from(secretariat, adopted_plan):
    draft = services.plan_new_version(actor=secretariat, plan=adopted_plan)
    services.plan_adopt(actor=secretariat, plan=draft)
    adopted_plan.refresh_from_db()
    draft.refresh_from_db()
    assert (adopted_plan.state, adopted_plan.closed_on) == (PlanState.CLOSED, TODAY)
    assert draft.state == PlanState.ADOPTED
    assert ImplementationPlan.objects.filter(state=PlanState.ADOPTED).count() == 1


def test_adopting_a_new_version_carries_over_values_recorded_meanwhile(
    secretariat, adopted_plan, ministry_a
):
    original = _full_measure(adopted_plan, ministry_a)
    indicator = original.indicators.get()
    draft = services.plan_new_version(actor=secretariat, plan=adopted_plan)
    # Recorded on the version in force while the new one is drafted.
    services.indicator_value_create(
        actor=secretariat, indicator=indicator, period="2026", value=Decimal(7)
    )
    copy = Indicator.objects.get(copied_from=indicator)
    services.indicator_value_create(
        actor=secretariat, indicator=copy, period="2027", value=Decimal(9)
    )
    services.plan_adopt(actor=secretariat, plan=draft)
    assert sorted(copy.values.filter(disaggregation={}).values_list("period", "value")) == [
        ("2025", Decimal(3)),
        ("2026", Decimal(7)),
        ("2027", Decimal(9)),
    ]


def test_the_copy_writes_nothing_when_refused(focal_point, adopted_plan, ministry_a):
    _full_measure(adopted_plan, ministry_a)
    counts = [m.objects.count() for m in (ImplementationPlan, Measure, Milestone, BudgetLine)]
    values = IndicatorValue.objects.count()
    with pytest.raises(PermissionDenied):
        services.plan_new_version(actor=focal_point, plan=adopted_plan)
    assert [
        m.objects.count() for m in (ImplementationPlan, Measure, Milestone, BudgetLine)
    ] == counts
    assert IndicatorValue.objects.count() == values
