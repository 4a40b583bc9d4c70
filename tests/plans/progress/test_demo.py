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
from plans.progress_demo import load_progress
from tests.factories.plans import IndicatorFactory, MeasureFactory
from tracker.demo import DemoContext

pytestmark = pytest.mark.django_db


def test_demo_progress_step(
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
