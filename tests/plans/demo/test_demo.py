"""The plans' demo data: an adopted plan and the draft of its next version, with everything a
plan holds; loaded once, removed by --reset, and a workbook of it that round-trips unchanged."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from pghistory.models import Context, Events
from pytest_django.plugin import DjangoDbBlocker

from plans.models import (
    BudgetLine,
    Consultation,
    ImplementationPlan,
    Indicator,
    IndicatorValue,
    Measure,
    Milestone,
    PlanState,
    ProposalState,
)
from plans.spreadsheet import export_plan, import_plan
from recommendations.models import Recommendation
from tracker.demo import DemoSummary, load_demo_data, marked
from tracker.models import DemoRecord, InstitutionKind

PLAN_MODELS = (
    ImplementationPlan,
    Measure,
    Milestone,
    BudgetLine,
    Indicator,
    IndicatorValue,
    Consultation,
)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo_data()
        transaction.set_rollback(True)


def _plans() -> tuple[ImplementationPlan, ImplementationPlan]:
    adopted = ImplementationPlan.objects.get(state=PlanState.ADOPTED)
    draft = ImplementationPlan.objects.get(state=PlanState.DRAFT)
    return adopted, draft


@pytest.mark.django_db
def test_an_adopted_plan_and_the_draft_of_its_next_version(demo: DemoSummary) -> None:
    adopted, draft = _plans()
    assert draft.previous_version == adopted
    assert (adopted.version, draft.version) == (1, 2)
    assert adopted.adopted_on is not None
    copied = draft.measures.exclude(copied_from=None)
    assert copied.count() == adopted.measures.count()
    # The revision: one measure added, one proposed by a focal point and waiting.
    assert draft.measures.filter(copied_from=None).count() == 2
    proposal = draft.measures.get(proposal_state=ProposalState.PROPOSED)
    assert proposal.proposed_by.username == "focal"
    assert demo.counts["plans"] == 2
    assert demo.counts["measures"] == Measure.objects.count()


@pytest.mark.django_db
def test_measures_span_clusters_and_institutions(demo: DemoSummary) -> None:
    adopted, _draft = _plans()
    measures = adopted.measures.all()
    clusters = set(
        Recommendation.objects.filter(measures__in=measures).values_list("cluster", flat=True)
    )
    assert len(clusters) >= 6
    assert measures.values("lead_institution").distinct().count() >= 5
    assert not measures.filter(recommendations=None).exists()
    assert measures.filter(supporting_institutions__kind=InstitutionKind.PARLIAMENT).exists()
    assert measures.values("kind").distinct().count() >= 6


@pytest.mark.django_db
def test_milestones_some_overdue_budgets_indicators_with_values(demo: DemoSummary) -> None:
    adopted, _draft = _plans()
    today = timezone.localdate()
    milestones = Milestone.objects.filter(measure__plan=adopted)
    assert milestones.filter(done_on=None, due_on__lt=today).count() >= 3
    assert milestones.exclude(done_on=None).exists()
    lines = BudgetLine.objects.filter(measure__plan=adopted)
    assert lines.values("currency").distinct().count() >= 2
    assert lines.filter(spent__gt=0).exists()
    indicators = Indicator.objects.filter(measure__plan=adopted)
    assert indicators.count() == adopted.measures.count()
    values = IndicatorValue.objects.filter(indicator__in=indicators)
    assert values.filter(disaggregation={"sex": "female"}).exists()
    assert values.values("period").distinct().count() == 2


@pytest.mark.django_db
def test_consultations_include_the_nhri_and_civil_society(demo: DemoSummary) -> None:
    assert Consultation.objects.count() == 3
    for consultation in Consultation.objects.all():
        kinds = set(consultation.participants.values_list("kind", flat=True))
        assert {InstitutionKind.NHRI, InstitutionKind.CSO} <= kinds
        assert consultation.recommendations.exists()


@pytest.mark.django_db
def test_every_plan_row_is_demo_data(demo: DemoSummary) -> None:
    for model in PLAN_MODELS:
        assert marked(model).count() == model.objects.count() > 0, model
    assert DemoRecord.objects.filter(step="plans").exists()


@pytest.mark.django_db
def test_a_second_load_adds_nothing_and_writes_no_history(demo: DemoSummary) -> None:
    before = (
        [m.objects.count() for m in PLAN_MODELS],
        Events.objects.count(),
        Context.objects.count(),
    )
    again = load_demo_data()
    assert again.created == {}
    after = (
        [m.objects.count() for m in PLAN_MODELS],
        Events.objects.count(),
        Context.objects.count(),
    )
    assert after == before


@pytest.mark.django_db
def test_reset_removes_the_plans(demo: DemoSummary) -> None:
    call_command("load_demo_data", "--reset", stdout=io.StringIO())
    for model in PLAN_MODELS:
        assert not model.objects.exists(), model


@pytest.mark.django_db
def test_the_demo_plans_workbook_comes_back_unchanged(demo: DemoSummary) -> None:
    _adopted, draft = _plans()
    out = io.BytesIO()
    export_plan(actor=None, plan=draft, stream=out, system=True)
    out.seek(0)
    before = Events.objects.count()
    report = import_plan(actor=None, plan=draft, stream=out)
    assert report.changed == []
    assert Events.objects.count() == before
