"""Stream raw UHRI records from JSON, XLSX or CSV, in constant memory.

Every reader yields ``(row_number, record)`` where ``record`` uses the JSON export's keys, whatever the
format, so that normalisation has one shape to handle. A problem with the source as a whole (not JSON, not
an array, wrong columns, not UTF-8) raises ``SourceError``; a problem with one row is for normalisation.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import IO, Any

import ijson

# The 16 export columns, as OHCHR exports them (typos included), mapped to the JSON keys.
XLSX_COLUMNS = {
    "text": "Text",
    "countries concerned": "Countries",
    "recommending body": "Body",
    "document symbol": "Symbol",
    "themes": "Themes",
    "affected persons": "AffectedPersons",
    "sdgs": "Sdgs",
    "document publication date": "PublicationDate",
    "upr recommending states": "UprRecommendingStates",
    "upr position": "UprPosition",
    "type": "AnnotationType",
    "ohchr annotation id": "AnnotationId",
    "upr session": "UprSession",
    "regions concerned": "Regions",
    "recommending regions": "RecommendingRegions",
    "date of publication on uhri": "UhriPublicationDate",
}
REQUIRED_COLUMNS = {"Text", "Symbol", "AnnotationId", "Body"}
LIST_KEYS = {
    "Countries",
    "Themes",
    "AffectedPersons",
    "Sdgs",
    "UprRecommendingStates",
    "Regions",
    "RecommendingRegions",
}
EXCEL_EPOCH = datetime(1899, 12, 30, tzinfo=UTC)
MAX_CELL_BYTES = 16 * 1024 * 1024


class SourceError(Exception):
    """The source as a whole cannot be read: nothing in it can be imported."""


def _column_key(header: Any) -> str | None:
    """Match an export column name loosely: case, spacing and the 'Reccomending' typo."""
    if header is None:
        return None
    name = re.sub(r"\s+", " ", str(header)).strip().lower().replace("reccomending", "recommending")
    return XLSX_COLUMNS.get(name)


def split_multi(value: Any) -> list[str]:
    """A multi-value export cell: newline-separated values, each prefixed with "- "."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    parts = []
    for line in str(value).splitlines():
        line = line.strip()
        if line.startswith("- "):
            line = line[2:]
        elif line == "-":
            line = ""
        if line.strip():
            parts.append(line.strip())
    return parts


def excel_date(value: Any) -> Any:
    """Excel serial numbers (epoch 1899-12-30) to ISO 8601; anything else unchanged."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 0 < value < 2_958_466:  # 9999-12-31
            return f"serial {value}"
        # Round to the second: serials are binary fractions of a day (15:15 is 0.63541666...).
        return (EXCEL_EPOCH + timedelta(seconds=round(float(value) * 86400))).isoformat()
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value.strip()):
        return excel_date(float(value))
    return value


def _tabular_record(headers: list[str | None], values: Any) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key, value in zip(headers, values, strict=False):
        if key is None:
            continue
        if key in LIST_KEYS:
            record[key] = split_multi(value)
        elif key in {"PublicationDate", "UhriPublicationDate"}:
            record[key] = excel_date(value)
        elif key == "Text":
            # The paragraph itself: its own lines may start with "- " and must stay as written.
            record[key] = "" if value is None else value
        else:
            single = split_multi(value) if isinstance(value, str) else value
            if isinstance(single, list):
                record[key] = single[0] if len(single) == 1 else "\n".join(single)
            else:
                record[key] = "" if single is None else single
    return record


def _headers(row: Any) -> list[str | None]:
    headers = [_column_key(h) for h in row]
    missing = REQUIRED_COLUMNS - {h for h in headers if h}
    if missing:
        found = ", ".join(str(h) for h in row if h is not None) or "none"
        raise SourceError(
            f"The file does not have the UHRI export columns: missing {', '.join(sorted(missing))} "
            f"(found: {found[:300]})."
        )
    return headers


class _Rewound:
    """A byte stream with its first bytes, already read, put back in front."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self.head = head
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        if not self.head:
            return self.stream.read(size)
        if size is None or size < 0:
            data, self.head = self.head + self.stream.read(), b""
            return data
        data, self.head = self.head[:size], self.head[size:]
        if len(data) < size:
            data += self.stream.read(size - len(data))
        return data


def read_json(stream: IO[bytes]) -> Iterator[tuple[int, Any]]:
    """Records of a JSON array, one at a time. A truncated file raises ``SourceError`` where it ends.

    The first significant byte is checked here, so that ijson's C backend can then build the
    records straight from the stream (a Python-level event pipeline halves its speed).
    """
    head = stream.read(64)
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    stripped = head.lstrip()
    while not stripped:
        more = stream.read(64)
        if not more:
            raise SourceError("The JSON feed is empty.")
        head += more
        stripped = head.lstrip()
    if (
        stripped[:1] not in (b"[", b"{", b'"', b"-", b"t", b"f", b"n")
        and not stripped[:1].isdigit()
    ):
        start = stripped[:40].decode("utf-8", errors="replace")
        raise SourceError(f"The JSON feed is malformed: it is not JSON (it starts with {start!r}).")
    if not stripped.startswith(b"["):
        kind = "an object" if stripped.startswith(b"{") else "a single value"
        raise SourceError(f"The JSON feed must be an array of records; it is {kind}.")
    try:
        yield from enumerate(ijson.items(_Rewound(head, stream), "item", use_float=True), start=1)
    except ijson.JSONError as exc:
        raise SourceError(f"The JSON feed is malformed or truncated: {exc}") from None


def read_csv(stream: IO[bytes]) -> Iterator[tuple[int, Any]]:
    """Rows of a UTF-8 CSV export (with or without BOM)."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    # A cell may legitimately be long; a row beyond the limit is rejected by normalisation, not
    # the whole file by the csv module.
    csv.field_size_limit(MAX_CELL_BYTES)
    try:
        reader = csv.reader(text)
        try:
            header_row = next(reader)
        except StopIteration:
            raise SourceError("The CSV file is empty.") from None
        headers = _headers(header_row)
        for row, values in enumerate(reader, start=1):
            if not any(v.strip() for v in values):
                continue
            yield row, _tabular_record(headers, values)
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"The CSV file is not UTF-8 (byte 0x{exc.object[exc.start]:02x} cannot be read): "
            "export it again as UTF-8."
        ) from None
    except csv.Error as exc:
        raise SourceError(f"The CSV file cannot be read: {exc}") from None


def read_xlsx(stream: IO[bytes]) -> Iterator[tuple[int, Any]]:
    """Rows of the first sheet of an XLSX export, read-only (constant memory)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    broken = (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except broken as exc:
        raise SourceError(f"The file is not a readable XLSX workbook: {exc}") from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        try:
            headers = _headers(next(rows))
        except StopIteration:
            raise SourceError("The XLSX workbook is empty.") from None
        for row, values in enumerate(rows, start=1):
            if not any(v not in (None, "") for v in values):
                continue
            yield row, _tabular_record(headers, values)
    except broken as exc:
        raise SourceError(f"The XLSX workbook is damaged: {exc}") from None
    finally:
        workbook.close()


READERS = {"json": read_json, "csv": read_csv, "xlsx": read_xlsx}


def guess_format(name: str) -> str:
    lowered = name.lower().split("?")[0]
    for extension in ("json", "xlsx", "csv"):
        if lowered.endswith("." + extension):
            return extension
    raise SourceError(f"Cannot tell the format of {name!r}: give --format json, xlsx or csv.")
