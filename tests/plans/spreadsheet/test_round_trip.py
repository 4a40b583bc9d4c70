"""The plan's workbook: exported, edited, imported back. The unchanged file writes nothing; an
edit is applied through the services (audited); bad rows and wrong files give their reasons."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from pghistory.models import Events

from plans.models import BudgetLine, Indicator, Measure, Milestone
from plans.spreadsheet import SpreadsheetRefused, import_plan
from plans.spreadsheet.importer import CREATED, REJECTED, UNCHANGED, UPDATED
from tests.factories.plans import (
    BudgetLineFactory,
    IndicatorFactory,
    MeasureFactory,
    MilestoneFactory,
    PlanFactory,
)
from tests.factories.recommendations import RecommendationFactory
from tests.plans.conftest import actions_of, event_count
from tests.security.bombs import BILLION_LAUGHS, zip_bomb_xlsx

from .helpers import edited, exported, read_sheets, set_cell

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(ministry_a, ministry_b):
    """A draft plan with two measures, each with a milestone, a budget line and an indicator,
    and texts a spreadsheet would take for formulas."""
    plan = PlanFactory(title="National plan 2025-2029")
    first = RecommendationFactory(paragraph="136.1")
    second = RecommendationFactory(document=first.document, paragraph="136.2")
    one = MeasureFactory(
        plan=plan,
        title='=HYPERLINK("http://evil.example")',
        lead_institution=ministry_a,
        recommendations=[first, second],
        description="Line one\nline two",
        position=0,
    )
    one.supporting_institutions.add(ministry_b)
    two = MeasureFactory(plan=plan, title="Train judges", lead_institution=ministry_b, position=1)
    for measure in (one, two):
        MilestoneFactory(measure=measure, due_on=date(2026, 3, 31))
        BudgetLineFactory(measure=measure, amount=Decimal("1250000.50"), committed=Decimal(10))
        IndicatorFactory(measure=measure, baseline_value=Decimal("12.5"))
    return plan


def _import(plan, stream, *, actor=None, dry_run=False):
    return import_plan(actor=actor, plan=plan, stream=stream, dry_run=dry_run)


def test_the_export_has_a_row_per_measure_with_stable_ids_and_neutralised_formulas(plan):
    sheets = read_sheets(exported(plan))
    assert list(sheets) == ["Measures", "Milestones", "Budget lines", "Indicators", "About"]
    measures = sheets["Measures"]
    assert measures[0][:4] == ["Measure id", "Title", "Kind", "Status"]
    ids = [row[0] for row in measures[1:]]
    assert ids == list(plan.measures.order_by("position").values_list("pk", flat=True))
    first = dict(zip(measures[0], measures[1], strict=True))
    assert first["Title"] == '\'=HYPERLINK("http://evil.example")'
    assert first["Lead institution"] == "MOJ"
    assert first["Supporting institutions"] == "MOE"
    assert first["Recommendations"].count("¶") == 2
    budget = dict(zip(sheets["Budget lines"][0], sheets["Budget lines"][1], strict=True))
    assert Decimal(str(budget["Amount"])) == Decimal("1250000.50")
    assert ["Plan id", plan.pk] in sheets["About"]


def test_the_unchanged_file_changes_nothing_and_writes_no_audit_event(plan, secretariat):
    data = exported(plan)
    before = event_count()
    report = _import(plan, io.BytesIO(data), actor=secretariat)
    assert report.changed == []
    assert report.counts[UNCHANGED] == 8
    assert event_count() == before


def test_an_edited_amount_is_applied_through_the_services_and_audited(plan, secretariat):
    line = BudgetLine.objects.filter(measure__plan=plan).order_by("pk").first()
    stream = edited(
        exported(plan), lambda s: set_cell(s, "Budget lines", line.pk, "Amount", 2_000_000)
    )
    dry = _import(plan, stream, actor=secretariat, dry_run=True)
    [row] = dry.changed
    assert (row.sheet, row.id, row.action) == ("Budget lines", line.pk, UPDATED)
    assert [(c.column, c.before, c.after) for c in row.changes] == [
        ("Amount", "1250000.50", "2000000.00")
    ]
    line.refresh_from_db()
    assert line.amount == Decimal("1250000.50")  # the dry run wrote nothing

    stream.seek(0)
    report = _import(plan, stream, actor=secretariat)
    assert report.counts[UPDATED] == 1
    line.refresh_from_db()
    assert line.amount == Decimal("2000000.00")
    assert actions_of(line)[-1] == "plan_import"
    events = Events.objects.references(line).order_by("pgh_created_at", "pgh_id")
    assert [e.pgh_context["user"] for e in events if e.pgh_context] == [secretariat.pk]


def test_measure_fields_and_links_are_changed_by_label(plan, secretariat, ministry_a):
    measure = plan.measures.get(title="Train judges")
    other = RecommendationFactory(paragraph="77.3")

    def edit(sheets):
        set_cell(sheets, "Measures", measure.pk, "Status", "In progress")
        set_cell(sheets, "Measures", measure.pk, "Supporting institutions", "Ministry of Justice")
        set_cell(sheets, "Measures", measure.pk, "Recommendations", str(other))
        set_cell(sheets, "Measures", measure.pk, "Ends on", datetime(2028, 1, 31))  # noqa: DTZ001 (a cell)

    report = _import(plan, edited(exported(plan), edit), actor=secretariat)
    assert [r.action for r in report.changed] == [UPDATED]
    measure.refresh_from_db()
    assert measure.status == "in_progress"
    assert measure.ends_on == date(2028, 1, 31)
    assert list(measure.supporting_institutions.all()) == [ministry_a]
    assert list(measure.recommendations.all()) == [other]


def test_a_bad_row_is_rejected_with_its_reason_and_the_others_apply(plan, secretariat):
    lines = list(BudgetLine.objects.filter(measure__plan=plan).order_by("pk"))
    milestone = Milestone.objects.filter(measure__plan=plan).order_by("pk").first()

    def edit(sheets):
        set_cell(sheets, "Budget lines", lines[0].pk, "Amount", -5)  # the service refuses it
        set_cell(sheets, "Budget lines", lines[1].pk, "Spent", 42)
        set_cell(sheets, "Milestones", milestone.pk, "Due on", "next spring")  # not a date
        sheets["Measures"].append([999999, "Ghost", "policy", "planned"] + [None] * 11)

    report = _import(plan, edited(exported(plan), edit), actor=secretariat)
    by_id = {(r.sheet, r.id): r for r in report.changed}
    assert by_id[("Budget lines", lines[0].pk)].action == REJECTED
    assert "amount" in by_id[("Budget lines", lines[0].pk)].reason
    assert by_id[("Budget lines", lines[1].pk)].action == UPDATED
    assert "Due on: not a date" in by_id[("Milestones", milestone.pk)].reason
    assert "not a measure of this plan" in by_id[("Measures", 999999)].reason
    lines[0].refresh_from_db()
    lines[1].refresh_from_db()
    assert lines[0].amount == Decimal("1250000.50")
    assert lines[1].spent == Decimal(42)


def test_rows_without_an_id_are_added(plan, secretariat):
    measure = plan.measures.get(title="Train judges")

    def edit(sheets):
        sheets["Budget lines"].append(
            [None, measure.pk, None, 5000, "eur", "European Union", None, None]
        )
        sheets["Measures"].append(
            [None, "Publish the plan", "awareness", "planned", "MOE"] + [None] * 10
        )

    report = _import(plan, edited(exported(plan), edit), actor=secretariat)
    assert [r.action for r in report.changed] == [CREATED, CREATED]
    assert measure.budget_lines.filter(currency="EUR", amount=5000).exists()
    added = plan.measures.get(title="Publish the plan")
    assert (added.kind, added.lead_institution.acronym) == ("awareness", "MOE")


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda s: s["Measures"][0].__setitem__(1, "Name"), "missing: Title; unknown: name"),
        (lambda s: s.pop("Indicators"), "no sheet “Indicators”"),
        (lambda s: s["Budget lines"][0].append("Notes"), "unknown: notes"),
    ],
)
def test_a_file_with_the_wrong_columns_is_refused_as_a_whole(plan, secretariat, edit, reason):
    line = BudgetLine.objects.filter(measure__plan=plan).first()

    def change(sheets):
        edit(sheets)
        set_cell(sheets, "Budget lines", line.pk, "Spent", 99)

    before = event_count()
    with pytest.raises(SpreadsheetRefused, match=reason):
        _import(plan, edited(exported(plan), change), actor=secretariat)
    assert event_count() == before


def test_a_file_that_is_not_a_workbook_is_refused(plan, secretariat):
    with pytest.raises(SpreadsheetRefused, match="does not match"):
        _import(plan, io.BytesIO(b"Measure id,Title\n1,x\n"), actor=secretariat)


def test_another_plans_export_is_refused(plan, secretariat):
    other = PlanFactory()
    with pytest.raises(SpreadsheetRefused, match="export of plan"):
        _import(other, io.BytesIO(exported(plan)), actor=secretariat)


def test_cells_are_read_as_values_never_formulas(plan, secretariat):
    line = BudgetLine.objects.filter(measure__plan=plan).order_by("pk").first()
    measure = line.measure

    def edit(sheets):
        set_cell(sheets, "Budget lines", line.pk, "Funding source", "=1+1")
        set_cell(sheets, "Measures", measure.pk, "Title", '=HYPERLINK("http://evil.example")')

    report = _import(plan, edited(exported(plan), edit), actor=secretariat)
    [row] = report.changed
    line.refresh_from_db()
    # Written as text by the export (neutralised), read back as the text typed.
    assert line.funding_source == "=1+1"
    assert row.sheet == "Budget lines"


def test_an_adopted_plan_refuses_changes_with_the_reason(plan, secretariat):
    line = BudgetLine.objects.filter(measure__plan=plan).first()
    data = exported(plan)
    plan.state, plan.adopted_on = "adopted", date(2025, 3, 1)
    plan.save()
    unchanged = _import(plan, io.BytesIO(data), actor=secretariat)
    assert unchanged.refused == ""
    stream = edited(data, lambda s: set_cell(s, "Budget lines", line.pk, "Spent", 7))
    report = _import(plan, stream, actor=secretariat)
    assert "adopted" in report.refused
    line.refresh_from_db()
    assert line.spent == Decimal(0)


def test_only_the_secretariat_imports(plan, focal_point):
    before = (event_count(), Measure.objects.count(), Indicator.objects.count())
    with pytest.raises(PermissionDenied):
        _import(plan, io.BytesIO(exported(plan)), actor=focal_point)
    assert (event_count(), Measure.objects.count(), Indicator.objects.count()) == before


def _with_bomb(data: bytes) -> bytes:
    """The workbook with the "billion laughs" declared in the XML of its Measures sheet."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(out, "w") as bomb:
        for item in original.infolist():
            part = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = part.decode()
                body = text[text.index("<worksheet") :]
                body = body.replace("<sheetData>", "<sheetData><!-- &lol9; -->", 1)
                part = (BILLION_LAUGHS + body).encode()
            bomb.writestr(item, part)
    return out.getvalue()


def test_an_xml_bomb_is_refused_with_the_reason(plan, secretariat):
    with pytest.raises(SpreadsheetRefused, match="XML bomb"):
        _import(plan, io.BytesIO(_with_bomb(exported(plan))), actor=secretariat)


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(plan, secretariat, monkeypatch):
    opened = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: opened.append(a))
    with pytest.raises(SpreadsheetRefused, match="zip bomb"):
        _import(plan, io.BytesIO(zip_bomb_xlsx()), actor=secretariat)
    assert opened == []


def test_a_damaged_sheet_is_refused_with_the_reason(plan, secretariat):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(exported(plan))) as original, zipfile.ZipFile(out, "w") as bad:
        for item in original.infolist():
            part = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                part = part[: len(part) // 2]
            bad.writestr(item, part)
    with pytest.raises(SpreadsheetRefused, match="not a readable XLSX workbook"):
        _import(plan, io.BytesIO(out.getvalue()), actor=secretariat)
