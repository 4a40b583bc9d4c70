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
from dataclasses import dataclass
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


def restore(value: Any) -> Any:
    """The text ``neutralise`` wrote, as it was: the cell read back from an export of ours (an
    import of an edited export compares it with what is stored, and finds it unchanged)."""
    if isinstance(value, str) and value.startswith("'") and neutralise(value[1:]) != value[1:]:
        return value[1:]
    return value


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its title, header row, rows (any iterable: read once, as the
    workbook is written) and, optionally, the widths of its columns in characters."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = ()


def write_xlsx(stream: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write an XLSX export (openpyxl, write-only: constant memory), every cell neutralised and
    stored as a value, never as a formula."""
    write_xlsx_sheets(stream, [Sheet("Sheet", header, rows)])


def write_xlsx_sheets(stream: IO[bytes], sheets: Iterable[Sheet]) -> None:
    """Write a workbook of several sheets, each as ``write_xlsx`` writes one: write-only (the
    rows go to a temporary file as they come, so memory stays flat however many there are),
    every cell neutralised and stored as a value. The header row is frozen."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def cells(sheet: Any, values: Sequence[Any], *, font: Font | None = None) -> list[Any]:
        out = []
        for value in values:
            # Control characters have no place in XML: the workbook would not open.
            text = ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
            cell = WriteOnlyCell(sheet, value=neutralise(text))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a string, even if it still looked like a formula
            if font is not None:
                cell.font = font
            out.append(cell)
        return out

    for spec in sheets:
        sheet = workbook.create_sheet(title=spec.title[:31])
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        sheet.append(cells(sheet, spec.header, font=bold))
        for row in spec.rows:
            sheet.append(cells(sheet, row))
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
