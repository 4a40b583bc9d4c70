"""The progress network's demo step: reports in every state (one returned with its reason),
evidence, assessments of the three kinds, comments pending and approved, support projects;
a second load adds nothing."""

from __future__ import annotations

import pytest

from plans.models import (
    Assessment,
    Comment,
    Evidence,
    Notification,
    ProgressReport,
    ReportState,
    SupportProject,
)
from tests.factories.plans import IndicatorFactory, MeasureFactory
from tracker.demo import DemoContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def load_progress():
    """The step's function. Importing its module registers the step; the registry is left as
    it was (until ``plans.demo`` imports the module, the demo does not run the step)."""
    from tracker.demo import steps

    registered = "plans.progress" in steps._registry
    from plans.progress_demo import load_progress

    yield load_progress
    if not registered:
        steps._registry.pop("plans.progress", None)


def test_demo_progress_step(
    load_progress,
    adopted_plan,
    ministry_a,
    recommendation,
    focal_point,
    validator,
    secretariat,
    nhri,
    cso,
    partner,
):
    context = DemoContext()
    measures = [
        MeasureFactory(
            plan=adopted_plan, lead_institution=ministry_a, recommendations=[recommendation]
        )
        for _ in range(3)
    ]
    IndicatorFactory(measure=measures[0])
    context.mark(measures)
    context.step = "plans.progress"
    load_progress(context)
    states = set(ProgressReport.objects.values_list("state", flat=True))
    assert states == set(ReportState.values)
    returned = ProgressReport.objects.get(state=ReportState.RETURNED)
    assert "minutes" in returned.return_reason
    assert Evidence.objects.filter(is_public=True, report__state=ReportState.PUBLISHED).exists()
    kinds = set(Assessment.objects.values_list("assessor_kind", flat=True))
    assert kinds == {"government", "nhri", "cso"}
    assert set(Comment.objects.values_list("state", flat=True)) == {"pending", "approved"}
    assert SupportProject.objects.count() == 2
    assert Notification.objects.exists()
    counts = (ProgressReport.objects.count(), Assessment.objects.count(), Comment.objects.count())
    load_progress(context)
    assert (
        ProgressReport.objects.count(),
        Assessment.objects.count(),
        Comment.objects.count(),
    ) == counts
