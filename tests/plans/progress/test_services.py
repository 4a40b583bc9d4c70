"""The progress report services: every step of the workflow, refusals that write nothing, the
frozen rule letting progress through on adopted plans, optimistic locking and evidence."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from plans import services
from plans.frozen import FrozenError
from plans.models import (
    Evidence,
    IndicatorValue,
    MeasureStatus,
    PlanState,
    ProgressReport,
    ProgressStep,
    ReportState,
)
from tests.conftest import _member
from tests.factories.plans import MeasureFactory, PlanFactory
from tests.plans.conftest import actions_of, event_count
from tracker.exceptions import ApplicationError, ConflictError
from tracker.locking import StaleVersionError
from tracker.roles import Role

from .conftest import PDF, PNG, report_in

pytestmark = pytest.mark.django_db


def test_focal_point_writes_a_draft_report_with_values(focal_point, adopted_measure, indicator):
    report = services.progress_report_create(
        actor=focal_point,
        measure=adopted_measure,
        period="2025",
        narrative="Two hundred judges trained.",
        measure_status=MeasureStatus.IN_PROGRESS,
        values=[{"indicator": indicator.pk, "value": "200", "source": "Ministry records"}],
    )
    assert report.state == ReportState.DRAFT
    assert report.institution == adopted_measure.lead_institution
    assert report.version == 1
    assert [(v.indicator_id, v.value) for v in report.values.all()] == [
        (indicator.pk, Decimal("200"))
    ]
    assert [s.action for s in report.steps.all()] == ["create"]
    assert "progress_report_create" in actions_of(report)


@pytest.mark.parametrize("who", ["other_focal_point", "validator", "nhri", "cso", "partner"])
def test_others_cannot_write_a_report(users, who, adopted_measure):
    before = event_count()
    with pytest.raises(PermissionDenied):
        services.progress_report_create(actor=users[who], measure=adopted_measure, period="2025")
    assert ProgressReport.objects.count() == 0
    assert event_count() == before


def test_a_supporting_institution_reports_for_itself(
    other_focal_point, adopted_measure, ministry_b
):
    adopted_measure.supporting_institutions.add(ministry_b)
    report = services.progress_report_create(
        actor=other_focal_point, measure=adopted_measure, period="2025-Q2"
    )
    assert report.institution == ministry_b


def test_values_must_be_of_the_measures_indicators(focal_point, adopted_measure):
    from tests.factories.plans import IndicatorFactory

    foreign = IndicatorFactory()
    with pytest.raises(ApplicationError) as raised:
        services.progress_report_create(
            actor=focal_point,
            measure=adopted_measure,
            period="2025",
            values=[{"indicator": foreign.pk, "value": "1"}],
        )
    assert "values" in raised.value.extra["fields"]
    assert ProgressReport.objects.count() == 0


def test_a_bad_period_is_refused_with_the_field(focal_point, adopted_measure):
    with pytest.raises(ApplicationError) as raised:
        services.progress_report_create(actor=focal_point, measure=adopted_measure, period="25")
    assert "period" in raised.value.extra["fields"]


def test_no_report_on_a_draft_or_closed_plan(focal_point, draft_measure, ministry_a):
    with pytest.raises(ConflictError):
        services.progress_report_create(actor=focal_point, measure=draft_measure, period="2025")
    closed = MeasureFactory(
        plan=PlanFactory(adopted=True, state=PlanState.CLOSED), lead_institution=ministry_a
    )
    with pytest.raises(FrozenError):
        services.progress_report_create(actor=focal_point, measure=closed, period="2025")
    assert ProgressReport.objects.count() == 0


def test_the_whole_workflow_with_its_history(users, report, indicator):
    services.progress_report_update(
        actor=users["focal_point"],
        report=report,
        version=1,
        measure_status=MeasureStatus.COMPLETED,
        values=[{"indicator": indicator.pk, "value": "12.5"}],
    )
    report = services.progress_report_submit(actor=users["focal_point"], report=report)
    assert report.state == ReportState.SUBMITTED
    report = services.progress_report_validate(actor=users["validator"], report=report)
    assert report.state == ReportState.VALIDATED
    report = services.progress_report_accept(actor=users["secretariat"], report=report)
    assert report.state == ReportState.ACCEPTED
    # The adopted plan's measure takes the status and the value: progress passes the frozen rule.
    report.measure.refresh_from_db()
    assert report.measure.plan.state == PlanState.ADOPTED
    assert report.measure.status == MeasureStatus.COMPLETED
    assert report.measure.version == 2
    value = IndicatorValue.objects.get(indicator=indicator, period="2025")
    assert value.value == Decimal("12.5")
    report = services.progress_report_publish(actor=users["secretariat"], report=report)
    assert report.state == ReportState.PUBLISHED
    assert report.published_at is not None
    steps = list(report.steps.order_by("at", "id").values_list("action", "actor__username"))
    assert steps == [
        ("submit", "focal"),
        ("validate", "validator"),
        ("accept", "secretariat"),
        ("publish", "secretariat"),
    ]
    assert {
        "progress_report_submit",
        "progress_report_validate",
        "progress_report_accept",
        "progress_report_publish",
    } <= set(actions_of(report))


def test_a_returned_report_is_fixed_and_submitted_again(users, report):
    report = report_in(ReportState.RETURNED, report, users)
    assert report.state == ReportState.RETURNED
    assert report.return_reason == "Add the figures."
    step = report.steps.get(action="return")
    assert (step.actor, step.reason, step.from_state) == (
        users["validator"],
        "Add the figures.",
        ReportState.SUBMITTED,
    )
    report = services.progress_report_update(
        actor=users["focal_point"], report=report, narrative="With the figures: 200 judges."
    )
    report = services.progress_report_submit(actor=users["focal_point"], report=report)
    assert report.state == ReportState.SUBMITTED


@pytest.mark.parametrize(
    "state", [ReportState.SUBMITTED, ReportState.VALIDATED, ReportState.ACCEPTED]
)
def test_the_secretariat_returns_from_any_step(users, report, state):
    report = report_in(state, report, users)
    report = services.progress_report_return(
        actor=users["secretariat"], report=report, reason="Evidence missing."
    )
    assert report.state == ReportState.RETURNED


def test_a_return_needs_a_reason(users, report):
    report = report_in(ReportState.SUBMITTED, report, users)
    before = event_count()
    with pytest.raises(ApplicationError) as raised:
        services.progress_report_return(actor=users["validator"], report=report, reason="  ")
    assert "reason" in raised.value.extra["fields"]
    assert event_count() == before


# Each step, who may not take it: refused, nothing written.
STEP_REFUSALS = [
    (
        ReportState.DRAFT,
        services.progress_report_submit,
        ["validator", "other_focal_point", "nhri", "cso", "partner"],
    ),
    (
        ReportState.SUBMITTED,
        services.progress_report_validate,
        ["focal_point", "secretariat", "other_focal_point", "nhri", "cso", "partner"],
    ),
    (
        ReportState.VALIDATED,
        services.progress_report_accept,
        ["focal_point", "validator", "other_focal_point", "nhri", "cso", "partner"],
    ),
    (
        ReportState.ACCEPTED,
        services.progress_report_publish,
        ["focal_point", "validator", "other_focal_point", "nhri", "cso", "partner"],
    ),
]


# One cell per step and person, so that each refusal passes or fails on its own.
STEP_REFUSAL_CELLS = [
    pytest.param(state, service, who, id=f"{service.__name__}-{who}")
    for state, service, refused in STEP_REFUSALS
    for who in refused
]


@pytest.mark.parametrize(("state", "service", "who"), STEP_REFUSAL_CELLS)
def test_wrong_roles_cannot_take_a_step(users, report, state, service, who):
    report = report_in(state, report, users)
    before = event_count()
    with pytest.raises(PermissionDenied):
        service(actor=users[who], report=report)
    report.refresh_from_db()
    assert report.state == state
    assert event_count() == before


def test_a_validator_of_another_institution_cannot_validate(users, report, ministry_b):
    other = _member("other_validator", Role.VALIDATOR, ministry_b)
    report = report_in(ReportState.SUBMITTED, report, users)
    with pytest.raises(PermissionDenied):
        services.progress_report_validate(actor=other, report=report)
    with pytest.raises(PermissionDenied):
        services.progress_report_return(actor=other, report=report, reason="No")


def test_a_validator_cannot_return_a_validated_report(users, report):
    report = report_in(ReportState.VALIDATED, report, users)
    with pytest.raises(PermissionDenied):
        services.progress_report_return(actor=users["validator"], report=report, reason="No")


@pytest.mark.parametrize(
    ("state", "service", "who"),
    [
        (ReportState.DRAFT, services.progress_report_validate, "validator"),
        (ReportState.SUBMITTED, services.progress_report_accept, "secretariat"),
        (ReportState.VALIDATED, services.progress_report_publish, "secretariat"),
        (ReportState.PUBLISHED, services.progress_report_submit, "focal_point"),
        (ReportState.SUBMITTED, services.progress_report_submit, "focal_point"),
    ],
)
def test_a_step_from_the_wrong_state_is_a_conflict(users, report, state, service, who):
    report = report_in(state, report, users)
    before = event_count()
    with pytest.raises(ConflictError) as raised:
        service(actor=users[who], report=report)
    assert raised.value.extra["code"] == "wrong_state"
    report.refresh_from_db()
    assert report.state == state
    assert event_count() == before


def test_a_published_report_is_not_returned(users, report):
    report = report_in(ReportState.PUBLISHED, report, users)
    with pytest.raises(ConflictError):
        services.progress_report_return(actor=users["secretariat"], report=report, reason="x")


def test_a_submitted_report_is_not_changed(users, report):
    report = report_in(ReportState.SUBMITTED, report, users)
    with pytest.raises(ConflictError):
        services.progress_report_update(actor=users["focal_point"], report=report, narrative="x")


def test_an_empty_report_is_not_submitted(users, report):
    services.progress_report_update(actor=users["focal_point"], report=report, narrative="")
    with pytest.raises(ApplicationError):
        services.progress_report_submit(actor=users["focal_point"], report=report)


# --- optimistic locking -------------------------------------------------------------------------


def test_a_save_from_a_stale_version_is_refused_and_writes_nothing(focal_point, report):
    services.progress_report_update(actor=focal_point, report=report, version=1, narrative="A")
    before = event_count()
    with pytest.raises(StaleVersionError) as raised:
        services.progress_report_update(actor=focal_point, report=report, version=1, narrative="B")
    assert raised.value.extra == {"code": "stale_version", "expected": 1, "current": 2}
    assert "reload" in raised.value.message
    report.refresh_from_db()
    assert (report.narrative, report.version) == ("A", 2)
    assert event_count() == before


def test_a_step_from_a_stale_version_is_refused(users, report):
    services.progress_report_update(actor=users["focal_point"], report=report, narrative="A")
    with pytest.raises(StaleVersionError):
        services.progress_report_submit(actor=users["focal_point"], report=report, version=1)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_nothing_changed_is_no_new_version(focal_point, report):
    services.progress_report_update(actor=focal_point, report=report, narrative=report.narrative)
    report.refresh_from_db()
    assert report.version == 1


def test_measures_and_plans_refuse_a_stale_version(secretariat, draft_measure):
    services.measure_update(actor=secretariat, measure=draft_measure, version=1, title="New")
    with pytest.raises(StaleVersionError):
        services.measure_update(actor=secretariat, measure=draft_measure, version=1, title="Old")
    draft_measure.refresh_from_db()
    assert (draft_measure.title, draft_measure.version) == ("New", 2)
    plan = draft_measure.plan
    services.plan_update(actor=secretariat, plan=plan, revision=1, title="Renamed")
    with pytest.raises(StaleVersionError):
        services.plan_update(actor=secretariat, plan=plan, revision=1, title="Again")
    plan.refresh_from_db()
    assert (plan.title, plan.revision) == ("Renamed", 2)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_one_wins(ministry_a):
    """Two threads save the same report from version 1: exactly one is written."""
    from tests.factories.plans import ProgressReportFactory

    focal = _member("focal_race", Role.FOCAL_POINT, ministry_a)
    measure = MeasureFactory(plan=PlanFactory(adopted=True), lead_institution=ministry_a)
    report = ProgressReportFactory(measure=measure)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(text: str) -> None:
        try:
            barrier.wait()
            services.progress_report_update(
                actor=focal,
                report=ProgressReport.objects.get(pk=report.pk),
                version=1,
                narrative=text,
            )
            outcomes.append("saved")
        except StaleVersionError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(t,)) for t in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    report.refresh_from_db()
    assert report.version == 2
    assert report.narrative in {"first", "second"}


# --- evidence -----------------------------------------------------------------------------------


def test_evidence_is_kept_privately_with_its_type_from_the_content(
    focal_point, report, evidence_root
):
    upload = SimpleUploadedFile("decree.exe", PDF, content_type="application/x-msdownload")
    evidence = services.progress_evidence_add(
        actor=focal_point, report=report, file=upload, title="Decree", is_public=True
    )
    assert evidence.content_type == "application/pdf"
    assert evidence.file.name.endswith("/decree.pdf")
    assert (evidence_root / evidence.file.name).read_bytes() == PDF
    report.refresh_from_db()
    assert report.version == 2
    with pytest.raises(ValueError, match="no public URL"):
        evidence.file.url  # noqa: B018


def test_evidence_of_the_limit_plus_one_byte_is_refused(settings, focal_point, report):
    settings.TRACKER_EVIDENCE_MAX_MB = 1
    body = PNG + b"\x00" * (1024 * 1024 - len(PNG) + 1)
    with pytest.raises(ApplicationError) as raised:
        services.progress_evidence_add(
            actor=focal_point, report=report, file=SimpleUploadedFile("a.png", body)
        )
    assert "file" in raised.value.extra["fields"]
    assert Evidence.objects.count() == 0
    exact = PNG + b"\x00" * (1024 * 1024 - len(PNG))
    services.progress_evidence_add(
        actor=focal_point, report=report, file=SimpleUploadedFile("a.png", exact)
    )
    assert Evidence.objects.count() == 1


def test_evidence_whose_content_does_not_match_its_name_is_refused(
    focal_point, report, evidence_root
):
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(ApplicationError) as raised:
        services.progress_evidence_add(actor=focal_point, report=report, file=fake)
    assert "told from its content" in raised.value.extra["fields"]["file"][0]
    assert Evidence.objects.count() == 0
    assert not evidence_root.exists() or not any(evidence_root.rglob("*.pdf"))


def test_evidence_is_not_added_by_others_nor_once_submitted(users, report):
    with pytest.raises(PermissionDenied):
        services.progress_evidence_add(
            actor=users["other_focal_point"], report=report, file=SimpleUploadedFile("a.pdf", PDF)
        )
    report = report_in(ReportState.SUBMITTED, report, users)
    with pytest.raises(ConflictError):
        services.progress_evidence_add(
            actor=users["focal_point"], report=report, file=SimpleUploadedFile("a.pdf", PDF)
        )
    assert Evidence.objects.count() == 0


def test_step_rows_are_only_written_by_the_workflow(users, report):
    report_in(ReportState.PUBLISHED, report, users)
    assert ProgressStep.objects.filter(report=report).count() == 4
