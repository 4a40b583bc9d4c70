"""The implementation status of a recommendation, derived from its measures when a report is
accepted; an override by the secretariat, with its reason, is kept."""

from __future__ import annotations

import pytest

from plans import services
from plans.models import MeasureStatus, ReportState
from recommendations.models import ImplementationStatus
from tests.factories.plans import MeasureFactory

from .conftest import report_in

pytestmark = pytest.mark.django_db


def _accept_with(users, report, status):
    services.progress_report_update(
        actor=users["focal_point"], report=report, measure_status=status
    )
    return report_in(ReportState.ACCEPTED, report, users)


def test_accepting_a_report_derives_the_recommendations_status(users, report, recommendation):
    other = MeasureFactory(plan=report.measure.plan, recommendations=[recommendation])
    _accept_with(users, report, MeasureStatus.COMPLETED)
    recommendation.refresh_from_db()
    assert recommendation.status == ImplementationStatus.PARTIALLY_IMPLEMENTED
    other.status = MeasureStatus.COMPLETED
    other.save()
    services.recommendation_status_derive(actor=None, recommendations=[recommendation.pk])
    recommendation.refresh_from_db()
    assert recommendation.status == ImplementationStatus.IMPLEMENTED


def test_in_progress_measure_makes_it_in_progress(users, report, recommendation):
    _accept_with(users, report, MeasureStatus.IN_PROGRESS)
    recommendation.refresh_from_db()
    assert recommendation.status == ImplementationStatus.IN_PROGRESS


def test_an_override_with_a_reason_is_kept(users, report, recommendation):
    recommendation.status = ImplementationStatus.NO_INFORMATION
    recommendation.status_override_reason = "Disputed by the NHRI."
    recommendation.save()
    _accept_with(users, report, MeasureStatus.COMPLETED)
    recommendation.refresh_from_db()
    assert recommendation.status == ImplementationStatus.NO_INFORMATION
    assert recommendation.status_override_reason == "Disputed by the NHRI."
