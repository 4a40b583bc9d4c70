"""Spreadsheet exports (CSV and XLSX) that a spreadsheet program cannot be made to run.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets ("CSV injection"): a recommendation text or a
name typed by someone could then fetch a URL or run a command on the computer of whoever opens
the export. Every such cell is written with a leading apostrophe, which spreadsheet programs
show as text and do not evaluate (OWASP's advice). Numbers, dates and booleans are written as
they are.

Every export of the project writes through ``write_csv`` or ``write_xlsx`` (or passes its cells
through ``neutralise``): ``tests/tracker/test_exports.py`` fails on a ``csv.writer`` or a workbook
written anywhere else.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: Any) -> Any:
    """The cell as text a spreadsheet shows and never evaluates."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(stream: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write a CSV export, every cell neutralised."""
    writer = csv.writer(stream)
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])


def write_xlsx(stream: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write an XLSX export (openpyxl, write-only: constant memory), every cell neutralised and
    stored as a value, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()

    def cells(values: Sequence[Any]) -> list[WriteOnlyCell]:
        out = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a string, even if it still looked like a formula
            out.append(cell)
        return out

    sheet.append(cells(header))
    for row in rows:
        sheet.append(cells(row))
    workbook.save(stream)


class _Line:
    """A file-like object that hands back what the csv writer wrote, for streaming."""

    def write(self, value: str) -> str:
        return value


def stream_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """A CSV export as an iterator of lines (for a streaming response: memory stays flat
    whatever the number of rows), every cell neutralised."""
    writer = csv.writer(_Line())
    yield writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])
