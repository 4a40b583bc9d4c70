"""Reports and the portal read the progress network's published reports and assessments, and
nothing unpublished."""

from __future__ import annotations

import pytest
from django.utils import timezone

from plans.models import Assessment, AssessmentState, AssessorKind, Rating, ReportState
from reporting import selectors
from tests.factories.plans import MeasureFactory, PlanFactory, ProgressReportFactory
from tests.factories.recommendations import RecommendationFactory

pytestmark = pytest.mark.django_db


def test_published_progress_and_assessments_reach_the_reports(ministry_a):
    rec, other = RecommendationFactory(), RecommendationFactory()
    measure = MeasureFactory(
        plan=PlanFactory(adopted=True), lead_institution=ministry_a, recommendations=[rec]
    )
    ProgressReportFactory(
        measure=measure,
        institution=ministry_a,
        period="2026-Q1",
        narrative="The bill was tabled.",
        state=ReportState.PUBLISHED,
        published_at=timezone.now(),
    )
    ProgressReportFactory(
        measure=measure, institution=ministry_a, narrative="Draft words.", state=ReportState.DRAFT
    )
    for kind, state in ((AssessorKind.NHRI, AssessmentState.PUBLISHED),
                        (AssessorKind.GOVERNMENT, AssessmentState.PUBLISHED),
                        (AssessorKind.CSO, AssessmentState.DRAFT)):  # fmt: skip
        Assessment.objects.create(
            recommendation=rec,
            assessor_kind=kind,
            institution=ministry_a,
            rating=Rating.PARTIALLY,
            summary="Some progress.",
            assessed_on=timezone.localdate(),
            state=state,
            published_at=timezone.now() if state == AssessmentState.PUBLISHED else None,
        )

    progress = selectors.progress_for_recommendations([rec.pk, other.pk])
    assert progress == {rec.pk: [f"2026-Q1, {ministry_a.name}: The bill was tabled."]}
    assessments = selectors.assessments_for_recommendations([rec.pk, other.pk])[rec.pk]
    assert [line.split(":")[0] for line in assessments] == [
        "Government",
        "National human rights institution",
    ]
    assert selectors.last_published_progress_report() == timezone.localdate()
