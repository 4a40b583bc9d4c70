"""Stream raw UHRI records from JSON, XLSX or CSV, in constant memory.

Every reader yields ``(row_number, record)`` where ``record`` uses the JSON export's keys, whatever the
format, so that normalisation has one shape to handle. A problem with the source as a whole (not JSON, not
an array, wrong columns, not UTF-8) raises ``SourceError``; a problem with one row is for normalisation.

The JSON reader can also pass over the records a one-country import does not want without building them
(``wanted``): they come out as ``Skipped`` counts.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import IO, Any

import ijson
import msgspec

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

    def __init__(self, head: bytes, stream: IO[bytes] | _Rewound) -> None:
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


@dataclass(frozen=True, slots=True)
class Skipped:
    """``count`` records the reader passed over without building them (``wanted`` refused them)."""

    count: int


class _Countries(msgspec.Struct):
    """A record's "Countries" value alone: msgspec checks the other keys' syntax, builds nothing."""

    Countries: Any = None


# A one-country import reads the feed in slices of about this many bytes (see ``_read_wanted``).
SLICE_BYTES = 512 * 1024
MAX_SLICE_BYTES = 32 * 1024 * 1024  # a longer record is left to the full reader
_SLICE_COUNTRIES = msgspec.json.Decoder(list[_Countries])
_SLICE_RAW = msgspec.json.Decoder(list[msgspec.Raw])
_RECORD = msgspec.json.Decoder()


def read_json(
    stream: IO[bytes], wanted: Callable[[Any], bool] | None = None
) -> Iterator[tuple[int, Any]]:
    """Records of a JSON array, one at a time. A truncated file raises ``SourceError`` where it ends.

    The first significant byte is checked here, so that ijson's C backend can then build the
    records straight from the stream (a Python-level event pipeline halves its speed).

    ``wanted``, a test on a record's "Countries" value (``None`` when it has none), lets the
    reader pass over the records it refuses: they come out as ``(row, Skipped(n))``, ``row``
    being the last of them. What it keeps is exactly what it keeps from a full read (``wanted``
    may still be asked again about each record that comes out).
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
    source = _Rewound(head, stream)
    if wanted is None:
        yield from _read_items(source, 1)
    else:
        yield from _read_wanted(source, wanted)


def _read_items(source: Any, start: int) -> Iterator[tuple[int, Any]]:
    """Every record of the array ``source`` holds, numbered from ``start``."""
    try:
        yield from enumerate(ijson.items(source, "item", use_float=True), start=start)
    except ijson.JSONError as exc:
        raise SourceError(f"The JSON feed is malformed or truncated: {exc}") from None


def _read_wanted(source: _Rewound, wanted: Callable[[Any], bool]) -> Iterator[tuple[int, Any]]:
    """The records ``wanted`` accepts, and ``Skipped`` counts for the others.

    The array is cut into slices at a ``},`` between two records; msgspec decodes each slice
    as a list of objects, reading each record's "Countries" value alone (twice as fast as ijson
    building every record). Only a slice with a wanted record is decoded again, for that record.
    A cut that is not between two records (inside a text, say) makes its slice invalid JSON, so
    a slice that decodes was cut right. Anything else msgspec will not decode (no cut within
    ``MAX_SLICE_BYTES``, a record that is not an object, a syntax error) hands the rest of the
    array, from the last good cut, to the full reader: errors are then reported as in a full read.

    Unlike a full read, the skipped records' strings are checked for JSON syntax but not decoded:
    bytes in them that are not UTF-8 do not stop a one-country import.
    """
    buffer = source.read(SLICE_BYTES)
    start = buffer.index(b"[") + 1  # ``read_json`` saw it first
    row = 0
    decisions: dict[Any, bool] = {}  # a feed repeats a few hundred "Countries" values
    at_end = False
    while True:
        if not at_end and len(buffer) - start < SLICE_BYTES:
            more = source.read(SLICE_BYTES)
            if more:
                buffer = buffer[start:] + more
                start = 0
            else:
                at_end = True
        if at_end:
            end = len(buffer)
            text = b"[" + buffer[start:]
        else:
            end = buffer.rfind(b"},", start) + 1
            if not end:  # no record ends in the slice: take more, up to a limit
                if len(buffer) - start > MAX_SLICE_BYTES:
                    break
                more = source.read(SLICE_BYTES)
                if more:
                    buffer += more
                else:
                    at_end = True
                continue
            text = b"[" + buffer[start:end] + b"]"
        try:
            count, found = _wanted_records(text, wanted, decisions)
        except (msgspec.MsgspecError, UnicodeDecodeError):
            break
        done = 0  # records of the slice that came out
        for index, record in found:
            if index > done:
                yield row + index, Skipped(index - done)
            yield row + index + 1, record
            done = index + 1
        if count > done:
            yield row + count, Skipped(count - done)
        row += count
        if at_end:
            return
        start = end + 1
    yield from _read_items(_Rewound(b"[" + buffer[start:], source), row + 1)


def _wanted_records(
    text: bytes, wanted: Callable[[Any], bool], decisions: dict[Any, bool]
) -> tuple[int, list[tuple[int, Any]]]:
    """(records in the slice, [(its index in the slice, record) for each wanted record])."""
    found: list[tuple[int, Any]] = []
    slice_records = _SLICE_COUNTRIES.decode(text)
    raw: list[msgspec.Raw] | None = None
    for index, record in enumerate(slice_records):
        value = record.Countries
        if type(value) is list and all(type(label) is str for label in value):
            key: Any = tuple(value)
        elif type(value) is str:
            key = value
        else:  # absent, or of another shape: rare, and 1 and true would be one key
            key = None
        if key is None:
            keep = wanted(value)
        elif key in decisions:
            keep = decisions[key]
        else:
            keep = decisions[key] = wanted(value)
        if keep:
            if raw is None:
                raw = _SLICE_RAW.decode(text)
            found.append((index, _RECORD.decode(raw[index])))
    return len(slice_records), found


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


XML_BOMB = (
    "The XLSX workbook declares XML entities, which are refused: they could expand without end "
    "(an XML bomb) or read other files."
)


def read_xlsx(stream: IO[bytes]) -> Iterator[tuple[int, Any]]:
    """Rows of the first sheet of an XLSX export, read-only (constant memory)."""
    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    broken = (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError)
    _check_workbook_archive(stream)
    xml_bombs = (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except xml_bombs:
        raise SourceError(XML_BOMB) from None
    except broken as exc:
        if _caused_by(exc, xml_bombs):  # openpyxl wraps what its XML parser raised
            raise SourceError(XML_BOMB) from None
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
    except xml_bombs:
        raise SourceError(XML_BOMB) from None
    except broken as exc:
        if _caused_by(exc, xml_bombs):
            raise SourceError(XML_BOMB) from None
        raise SourceError(f"The XLSX workbook is damaged: {exc}") from None
    finally:
        workbook.close()


def _caused_by(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kinds):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _check_workbook_archive(stream: IO[bytes]) -> None:
    """Refuse a zip bomb before openpyxl unpacks anything (tracker.uploads.check_zip: total size
    and compression ratio from the archive's directory). openpyxl reads the parts' XML with
    defusedxml, which refuses entity declarations (an XML bomb)."""
    from tracker.uploads import UploadRefused, check_zip

    if not getattr(stream, "seekable", lambda: False)():
        return
    position = stream.tell()
    is_zip = zipfile.is_zipfile(stream)  # type: ignore[arg-type]
    stream.seek(position)
    if not is_zip:
        return  # openpyxl says what is wrong with it
    try:
        check_zip(stream)
    except UploadRefused as exc:
        raise SourceError(str(exc)) from None


READERS: dict[str, Callable[..., Iterator[tuple[int, Any]]]] = {
    "json": read_json,
    "csv": read_csv,
    "xlsx": read_xlsx,
}


def guess_format(name: str) -> str:
    lowered = name.lower().split("?")[0]
    for extension in ("json", "xlsx", "csv"):
        if lowered.endswith("." + extension):
            return extension
    raise SourceError(f"Cannot tell the format of {name!r}: give --format json, xlsx or csv.")
