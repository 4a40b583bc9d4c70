"""Reports on the measure of ministry A in an adopted plan, and a private evidence directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from plans import services
from plans.models import ProgressReport, ReportState
from tests.factories.plans import IndicatorFactory, ProgressReportFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def evidence_root(settings: Any, tmp_path: Path) -> Path:
    settings.TRACKER_EVIDENCE_ROOT = tmp_path / "private"
    return settings.TRACKER_EVIDENCE_ROOT


@pytest.fixture
def indicator(adopted_measure):
    return IndicatorFactory(measure=adopted_measure, name="Judges trained")


@pytest.fixture
def report(adopted_measure, focal_point) -> ProgressReport:
    return ProgressReportFactory(measure=adopted_measure, author=focal_point)


def report_in(state: str, report: ProgressReport, users: dict[str, Any]) -> ProgressReport:
    """Walk ``report`` through the workflow up to ``state``."""
    steps = [
        (ReportState.SUBMITTED, services.progress_report_submit, "focal_point"),
        (ReportState.VALIDATED, services.progress_report_validate, "validator"),
        (ReportState.ACCEPTED, services.progress_report_accept, "secretariat"),
        (ReportState.PUBLISHED, services.progress_report_publish, "secretariat"),
    ]
    if state == ReportState.RETURNED:
        report = services.progress_report_submit(actor=users["focal_point"], report=report)
        return services.progress_report_return(
            actor=users["validator"], report=report, reason="Add the figures."
        )
    for reached, service, who in steps:
        if report.state == state:
            break
        report = service(actor=users[who], report=report)
        if reached == state:
            break
    report.refresh_from_db()
    return report


@pytest.fixture
def users(secretariat, focal_point, validator, other_focal_point, nhri, cso, partner):
    return {
        "secretariat": secretariat,
        "focal_point": focal_point,
        "validator": validator,
        "other_focal_point": other_focal_point,
        "nhri": nhri,
        "cso": cso,
        "partner": partner,
        "public": None,
    }
