"""The demo framework of the core: steps, the shared context, marking, reset and refusal."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from pghistory.models import Context, Events

from recommendations.models import Recommendation
from tests.factories.tracker import InstitutionFactory, MembershipFactory
from tracker.demo import (
    DemoContext,
    DemoDataError,
    demo_data_allowed,
    demo_steps,
    load_demo_data,
    marked,
    register,
    reset_demo_data,
)
from tracker.demo import steps as steps_module
from tracker.models import Country, DemoRecord, Institution, InstitutionKind, User

pytestmark = pytest.mark.django_db


def test_the_apps_register_their_steps_in_load_order() -> None:
    assert [step.name for step in demo_steps()] == [
        "recommendations.reference",
        "people",
        "recommendations.clusters",
        "recommendations.recommendations",
        "plans",
        "plans.progress",
        "reporting.follow_up",
    ]


@pytest.mark.parametrize(
    ("debug", "allowed", "expected"),
    [(True, None, True), (False, None, False), (False, True, True), (True, False, False)],
)
def test_demo_data_is_allowed_where_debug_is_on_unless_the_setting_says_otherwise(
    settings, debug, allowed, expected
) -> None:
    settings.DEBUG = debug
    settings.TRACKER_DEMO_DATA_ALLOWED = allowed
    assert demo_data_allowed() is expected


def test_load_is_refused_when_debug_is_off_and_writes_nothing(settings) -> None:
    settings.DEBUG = False
    settings.TRACKER_DEMO_DATA_ALLOWED = None
    with pytest.raises(CommandError, match="TRACKER_DEMO_DATA_ALLOWED=true") as error:
        call_command("load_demo_data", stdout=io.StringIO())
    assert "Nothing was written" in str(error.value)
    for model in (User, Institution, Country, Recommendation, DemoRecord, Context):
        assert model.objects.count() == 0, model
    assert Events.objects.count() == 0


def test_reset_is_allowed_where_loading_is_refused(settings) -> None:
    settings.TRACKER_DEMO_DATA_ALLOWED = False
    out = io.StringIO()
    call_command("load_demo_data", "--reset", stdout=out)
    assert out.getvalue().strip() == "No demo data to remove."


@pytest.fixture
def only_these_steps(monkeypatch):
    """Replace the registered steps by the ones a test registers."""
    monkeypatch.setattr(steps_module, "_registry", {})


def _institutions(context: DemoContext) -> None:
    """A step as an app writes one: match on natural keys, create what is missing, mark it."""
    new = []
    parent = Institution.objects.filter(name="Demo ministry").first()
    if parent is None:
        parent = Institution.objects.create(name="Demo ministry", kind=InstitutionKind.MINISTRY)
        new.append(parent)
    if not Institution.objects.filter(name="Demo agency").exists():
        new.append(
            Institution.objects.create(
                name="Demo agency", kind=InstitutionKind.MINISTRY, parent=parent
            )
        )
    context.mark(new)
    context.created["institutions"] += len(new)
    context.count("institutions", marked(Institution).count())


def _accounts(context: DemoContext) -> None:
    """A later step reads what the earlier one made, and draws its own random numbers."""
    institutions = context.marked(Institution).order_by("name")
    number = context.random("accounts").randint(1, 1000)
    context.shared["tests.number"] = number
    user, created = User.objects.get_or_create(username="demo-user")
    if created:
        context.mark([user])
        context.created["users"] += 1
    context.count("users", 1, label=f"users of {institutions.count()} institutions")


def test_steps_load_in_order_share_the_context_and_are_reset_in_reverse(only_these_steps) -> None:
    register("tests.institutions", order=1, marks=[Institution], summary_order=9)(_institutions)
    register("tests.accounts", order=2, marks=[User])(_accounts)
    real = InstitutionFactory(name="Real ministry")

    summary = load_demo_data(seed=5)
    assert [line.label for line in summary.lines] == ["users of 2 institutions", "institutions"]
    assert summary.created == {"institutions": 2, "users": 1}
    assert set(marked(Institution)) == set(Institution.objects.exclude(pk=real.pk))
    assert load_demo_data(seed=5).created == {}

    result = reset_demo_data()
    assert result.deleted == {"users": 1, "institutions": 2}
    assert list(Institution.objects.all()) == [real]
    assert not DemoRecord.objects.exists()


def test_the_random_numbers_of_a_step_depend_on_the_seed_and_its_name_only() -> None:
    first = DemoContext(seed=1).random("plans").random()
    assert DemoContext(seed=1).random("plans").random() == first
    assert DemoContext(seed=2).random("plans").random() != first
    assert DemoContext(seed=1).random("reports").random() != first


def test_a_step_that_fails_leaves_nothing_behind(only_these_steps) -> None:
    register("tests.institutions", order=1, marks=[Institution])(_institutions)

    @register("tests.broken", order=2)
    def broken(context: DemoContext) -> None:
        raise DemoDataError("No State here.")

    with pytest.raises(CommandError, match="No State here"):
        call_command("load_demo_data", stdout=io.StringIO())
    assert not Institution.objects.exists()
    assert not DemoRecord.objects.exists()


def test_a_demo_row_that_a_real_row_protects_is_kept_and_stays_marked(only_these_steps) -> None:
    register("tests.institutions", order=1, marks=[Institution])(_institutions)
    load_demo_data()
    agency = Institution.objects.get(name="Demo agency")
    MembershipFactory(institution=agency)
    result = reset_demo_data()
    # The agency is kept for its member; its parent is kept for the agency.
    assert result.kept == {"institutions": 2}
    assert set(marked(Institution).values_list("name", flat=True)) == {
        "Demo agency",
        "Demo ministry",
    }
