"""National frameworks and their goal trees."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from plans import services
from plans.models import NationalFramework, NationalGoal
from tests.factories.plans import MeasureFactory, NationalFrameworkFactory, NationalGoalFactory
from tracker.exceptions import ApplicationError, ConflictError

pytestmark = pytest.mark.django_db


def test_a_framework_and_its_goal_tree(secretariat, recommendation):
    framework = services.national_framework_create(
        actor=secretariat, name="Vision 2030", kind="development_plan"
    )
    pillar = services.national_goal_create(
        actor=secretariat, framework=framework, code="2", title="Justice"
    )
    goal = services.national_goal_create(
        actor=secretariat,
        framework=framework,
        code="2.1",
        title="Access to justice",
        parent=pillar,
        recommendations=[recommendation],
    )
    assert list(pillar.children.all()) == [goal]
    assert list(recommendation.national_goals.all()) == [goal]


@pytest.mark.parametrize("persona_name", ["focal_point", "nhri", "partner"])
def test_only_the_secretariat_keeps_the_frameworks(persona, persona_name):
    with pytest.raises(PermissionDenied):
        services.national_framework_create(actor=persona(persona_name), name="Mine", kind="other")
    assert not NationalFramework.objects.exists()


def test_a_framework_name_is_taken_once(secretariat):
    NationalFrameworkFactory(name="Vision 2030")
    with pytest.raises(ApplicationError) as exc:
        services.national_framework_create(actor=secretariat, name="vision 2030", kind="other")
    assert "name" in exc.value.extra["fields"]


def test_a_goal_code_is_taken_once_in_a_framework(secretariat):
    goal = NationalGoalFactory(code="1.1")
    with pytest.raises(ApplicationError) as exc:
        services.national_goal_create(
            actor=secretariat, framework=goal.framework, code="1.1", title="Again"
        )
    assert "code" in exc.value.extra["fields"]


def test_a_goal_is_not_under_itself_nor_under_another_framework(secretariat):
    top = NationalGoalFactory()
    child = NationalGoalFactory(framework=top.framework, parent=top)
    with pytest.raises(ApplicationError) as exc:
        services.national_goal_update(actor=secretariat, goal=top, parent=child)
    assert "parent" in exc.value.extra["fields"]
    with pytest.raises(ApplicationError):
        services.national_goal_update(actor=secretariat, goal=child, parent=NationalGoalFactory())


def test_a_goal_that_an_adopted_plan_serves_is_kept(secretariat):
    goal = NationalGoalFactory()
    below = NationalGoalFactory(framework=goal.framework, parent=goal)
    MeasureFactory(plan__adopted=True).framework_goals.add(below)
    with pytest.raises(ConflictError):
        services.national_goal_delete(actor=secretariat, goal=goal)
    with pytest.raises(ConflictError):
        services.national_framework_delete(actor=secretariat, framework=goal.framework)
    assert NationalGoal.objects.count() == 2
    services.national_framework_update(actor=secretariat, framework=goal.framework, is_active=False)


def test_a_goal_only_drafts_serve_is_deleted(secretariat):
    goal = NationalGoalFactory()
    MeasureFactory().framework_goals.add(goal)
    services.national_goal_delete(actor=secretariat, goal=goal)
    assert not NationalGoal.objects.exists()
