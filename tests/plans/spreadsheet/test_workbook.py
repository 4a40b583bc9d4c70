"""The workbook writer the plan's export uses (``tracker.exports.write_xlsx_sheets``) and the
reading back of a neutralised cell (``restore``)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tracker.exports import Sheet, neutralise, restore, write_xlsx_sheets


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "  =x", "\uff1d1"])
def test_a_neutralised_cell_reads_back_as_it_was(value):
    assert restore(neutralise(value)) == value


@pytest.mark.parametrize("value", ["'quoted", "'", "plain", 12, None, "it's"])
def test_other_cells_are_read_as_they_are(value):
    assert restore(value) == value


def test_every_sheet_is_written_with_formulas_as_text():
    out = io.BytesIO()
    write_xlsx_sheets(
        out,
        [
            Sheet("One", ["=a", "b"], iter([["=1+1", 5], ["ok", "bell\x07"]]), (10, 20)),
            Sheet("Two", ["x"], [["@x"]]),
        ],
    )
    out.seek(0)
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["One", "Two"]
    one = [[c.value for c in row] for row in workbook["One"].iter_rows()]
    assert one == [["'=a", "b"], ["'=1+1", 5], ["ok", "bell"]]
    assert workbook["Two"]["A2"].value == "'@x"
    assert all(c.data_type != "f" for ws in workbook for row in ws.iter_rows() for c in row)
    assert workbook["One"].freeze_panes == "A2"
