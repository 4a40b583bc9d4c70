"""``export_plan`` and ``import_plan`` on the command line."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from plans.models import BudgetLine
from tests.factories.plans import BudgetLineFactory, MeasureFactory, PlanFactory
from tests.plans.conftest import event_count

from .helpers import edited, read_sheets, set_cell

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(ministry_a):
    plan = PlanFactory()
    BudgetLineFactory(measure=MeasureFactory(plan=plan, lead_institution=ministry_a))
    return plan


def _export(plan, tmp_path, *args):
    out = tmp_path / "plan.xlsx"
    stdout = io.StringIO()
    call_command("export_plan", str(plan.pk), str(out), *args, stdout=stdout)
    return out, stdout.getvalue()


def test_export_writes_the_workbook(plan, tmp_path):
    out, printed = _export(plan, tmp_path)
    assert f"Plan {plan.pk}" in printed
    sheets = read_sheets(out.read_bytes())
    assert len(sheets["Measures"]) == 2
    assert not (tmp_path / "plan.xlsx.partial").exists()


def test_export_as_a_user_shows_what_they_may_see(plan, tmp_path, cso):
    with pytest.raises(CommandError, match="may not see"):
        _export(plan, tmp_path, "--user", cso.username)
    with pytest.raises(CommandError, match="No plan"):
        call_command("export_plan", "999999", str(tmp_path / "x.xlsx"), stdout=io.StringIO())


def test_import_dry_run_then_apply(plan, tmp_path):
    out, _printed = _export(plan, tmp_path)
    line = BudgetLine.objects.get(measure__plan=plan)
    stream = edited(out.read_bytes(), lambda s: set_cell(s, "Budget lines", line.pk, "Spent", 12))
    changed = tmp_path / "changed.xlsx"
    changed.write_bytes(stream.getvalue())

    stdout = io.StringIO()
    call_command("import_plan", str(changed), "--plan", str(plan.pk), "--dry-run", stdout=stdout)
    assert f"Budget lines row 2 {line.pk}: change: Spent: '0.00' → '12.00'" in stdout.getvalue()
    assert "dry run, nothing written): changed 1, added 0, unchanged 1" in stdout.getvalue()
    line.refresh_from_db()
    assert line.spent == 0

    stdout = io.StringIO()
    call_command("import_plan", str(changed), "--plan", str(plan.pk), stdout=stdout)
    assert "(applied): changed 1" in stdout.getvalue()
    line.refresh_from_db()
    assert line.spent == Decimal(12)


def test_import_of_the_unchanged_file_writes_nothing(plan, tmp_path):
    out, _printed = _export(plan, tmp_path)
    before = event_count()
    stdout = io.StringIO()
    call_command("import_plan", str(out), "--plan", str(plan.pk), stdout=stdout)
    assert "changed 0, added 0, unchanged 2, rejected 0" in stdout.getvalue()
    assert event_count() == before


def test_import_refuses_a_wrong_file_and_a_user_without_the_right(plan, tmp_path, focal_point):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"Title;Amount\n")
    with pytest.raises(CommandError, match=r"Refused: .*Nothing was written"):
        call_command("import_plan", str(bad), "--plan", str(plan.pk), stdout=io.StringIO())
    out, _printed = _export(plan, tmp_path)
    with pytest.raises(CommandError, match="may not change"):
        call_command(
            "import_plan",
            str(out),
            "--plan",
            str(plan.pk),
            "--user",
            focal_point.username,
            stdout=io.StringIO(),
        )


def test_import_into_an_adopted_plan_exits_with_the_reason(tmp_path, ministry_a):
    plan = PlanFactory(adopted=True)
    BudgetLineFactory(measure=MeasureFactory(plan=plan, lead_institution=ministry_a))
    out, _printed = _export(plan, tmp_path)
    line = BudgetLine.objects.get(measure__plan=plan)
    changed = tmp_path / "changed.xlsx"
    changed.write_bytes(
        edited(
            out.read_bytes(), lambda s: set_cell(s, "Budget lines", line.pk, "Spent", 1)
        ).getvalue()
    )
    with pytest.raises(CommandError, match="is adopted"):
        call_command("import_plan", str(changed), "--plan", str(plan.pk), stdout=io.StringIO())
    line.refresh_from_db()
    assert line.spent == 0
