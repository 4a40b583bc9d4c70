"""Build a plan with every kind of row, export it, edit the workbook as a person would."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from plans.spreadsheet import export_plan
from tracker.exports import Sheet, write_xlsx_sheets


def exported(plan, actor=None) -> bytes:
    out = io.BytesIO()
    export_plan(actor=actor, plan=plan, stream=out, system=actor is None)
    return out.getvalue()


def read_sheets(data: bytes) -> dict[str, list[list[Any]]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return {
        ws.title: [list(row) for row in ws.iter_rows(values_only=True)]
        for ws in workbook.worksheets
    }


def edited(data: bytes, edit: Callable[[dict[str, list[list[Any]]]], None]) -> io.BytesIO:
    """The workbook rewritten after ``edit`` changed its sheets (lists of rows, header first)."""
    sheets = read_sheets(data)
    edit(sheets)
    out = io.BytesIO()
    write_xlsx_sheets(out, [Sheet(title, rows[0], rows[1:]) for title, rows in sheets.items()])
    out.seek(0)
    return out


def set_cell(sheets, sheet: str, row_id: int, header: str, value: Any) -> None:
    rows = sheets[sheet]
    column = rows[0].index(header)
    for row in rows[1:]:
        if row[0] == row_id:
            row[column] = value
            return
    raise AssertionError(f"no row {row_id} in {sheet}")


def money(value: str) -> Decimal:
    return Decimal(value)
