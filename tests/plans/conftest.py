"""Plans in each state, with measures led by ministry A and B, for the plans tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pghistory.models import Events

from plans.models import ProposalState
from tests.factories.plans import MeasureFactory, PlanFactory
from tests.factories.recommendations import RecommendationFactory


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Documents are stored in a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft_plan():
    return PlanFactory(title="Draft plan")


@pytest.fixture
def adopted_plan():
    return PlanFactory(title="Adopted plan", adopted=True)


@pytest.fixture
def closed_plan():
    return PlanFactory(title="Closed plan", adopted=True, state="closed")


@pytest.fixture
def recommendation():
    return RecommendationFactory()


@pytest.fixture
def draft_measure(draft_plan, ministry_a, recommendation):
    """A measure of the draft plan led by ministry A (the focal point's and validator's)."""
    return MeasureFactory(
        plan=draft_plan, lead_institution=ministry_a, recommendations=[recommendation]
    )


@pytest.fixture
def adopted_measure(adopted_plan, ministry_a, recommendation):
    return MeasureFactory(
        plan=adopted_plan, lead_institution=ministry_a, recommendations=[recommendation]
    )


@pytest.fixture
def proposal(draft_plan, ministry_a, focal_point):
    """A measure the focal point of ministry A proposed into the draft plan."""
    return MeasureFactory(
        plan=draft_plan,
        lead_institution=ministry_a,
        proposal_state=ProposalState.PROPOSED,
        proposed_by=focal_point,
    )


def event_count() -> int:
    return Events.objects.count()


def actions_of(obj) -> list[str]:
    """The service names on the history events of ``obj``, oldest first."""
    return [
        e.pgh_context["action"]
        for e in Events.objects.references(obj).order_by("pgh_created_at", "pgh_id")
        if e.pgh_context
    ]
