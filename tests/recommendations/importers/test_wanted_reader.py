"""The JSON reader of one-country imports: it passes over other States' records without building
them, and keeps exactly what a full read keeps, errors included."""

from __future__ import annotations

import io
import json
import random
from typing import Any

import pytest

from recommendations.importers import readers
from recommendations.importers.readers import Skipped, SourceError, read_json

from .helpers import feed_records


def wants_iraq(value: Any) -> bool:
    """Like the importer's test: a record naming no State is kept (it is rejected later)."""
    if not value:
        return True
    labels = value if isinstance(value, list) else [value]
    return any(str(label).strip().casefold() == "iraq" for label in labels)


def keeps(record: Any) -> bool:
    return not isinstance(record, dict) or wants_iraq(record.get("Countries"))


def full_read(data: bytes) -> tuple[list[tuple[int, Any]], int, str | None]:
    """What a one-country import keeps from a full read: (kept rows, rows read, error)."""
    kept, read, error = [], 0, None
    try:
        for row, record in read_json(io.BytesIO(data)):
            read = row
            if keeps(record):
                kept.append((row, record))
    except SourceError as exc:
        error = str(exc)
    return kept, read, error


def wanted_read(data: bytes) -> tuple[list[tuple[int, Any]], int, str | None]:
    """The same through ``wanted``; every record is counted once, kept or skipped."""
    kept, read, error = [], 0, None
    try:
        for row, record in read_json(io.BytesIO(data), wanted=wants_iraq):
            if isinstance(record, Skipped):
                assert record.count > 0
                read += record.count
                assert row == read
            else:
                read += 1
                assert row == read
                if keeps(record):
                    kept.append((row, record))
    except SourceError as exc:
        error = str(exc)
    return kept, read, error


def assert_same(data: bytes) -> None:
    full = full_read(data)
    assert wanted_read(data) == full
    # The records come out with their values as the full reader builds them (types included).
    assert [repr(r) for _row, r in wanted_read(data)[0]] == [repr(r) for _row, r in full[0]]


@pytest.fixture(params=[48, 300, 4096, 512 * 1024], ids=lambda n: f"slice{n}")
def slice_bytes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Small slices make every feed span many of them."""
    monkeypatch.setattr(readers, "SLICE_BYTES", request.param)
    return int(request.param)


def with_countries(*values: Any) -> list[dict[str, Any]]:
    records = feed_records()
    for record, value in zip(records, values, strict=False):
        if value == "absent":
            del record["Countries"]
        else:
            record["Countries"] = value
    return records


def dumps(records: Any, **options: Any) -> bytes:
    return json.dumps(records, ensure_ascii=False, **options).encode()


TRICKY_TEXT = 'He said "},{" and {"Countries": ["Iraq"]}, \\ then }, and ,{ ok'

CASES: dict[str, bytes] = {
    "fixture, indented": dumps(feed_records(), indent=2),
    "fixture, minified": dumps(feed_records(), separators=(",", ":")),
    "fixture, one per line": b"[\n" + b",\n".join(dumps(r) for r in feed_records()) + b"\n]\n",
    "ASCII-escaped": json.dumps(feed_records()).encode(),
    "texts holding cuts": dumps([{**r, "Text": TRICKY_TEXT * 3} for r in feed_records()]),
    "spaces before commas": b"[" + b" ,\n".join(dumps(r) for r in feed_records()) + b"]",
    "empty array": b"[]",
    "blank array": b" [ \n ] \n",
    "byte order mark": b"\xef\xbb\xbf" + dumps(feed_records()),
    "Countries of every shape": dumps(
        with_countries(
            "absent", [], None, "Iraq", "France; Iraq", {"Iraq": 1}, [["Iraq"]], 7, ["IRAQ"], [""]
        )
    ),
    "the same key twice": dumps(feed_records())
    .replace(b'"Countries": ["France"]', b'"Countries": ["France"], "Countries": ["Iraq"]')
    .replace(b'"Countries": ["Chile"]', b'"Countries": ["Iraq"], "Countries": ["Chile"]'),
    "elements that are not records": dumps([feed_records()[0], "text", 3, None, [1, {"a": 2}]])
    + b"",
    "nested objects": dumps([{**r, "Extra": {"a": {"b": [{"c": "},"}]}}} for r in feed_records()]),
    "numbers": dumps(
        [{**r, "N": [0, -1.5, 2e10, 1e-7, 2**63 - 1, -(2**62)]} for r in feed_records()]
    ),
    "truncated": dumps(feed_records())[:-400],
    "cut inside a record": dumps(feed_records())[:2500],
    "trailing garbage": dumps(feed_records()) + b" x",
    "a second array": dumps(feed_records()) + b"[]",
    "no closing bracket": dumps(feed_records())[:-1],
    "syntax error in another State's record": dumps(feed_records()).replace(
        b'"Countries": ["Chile"]', b'"Countries": ["Chile"],,'
    ),
    "syntax error in a kept record": dumps(feed_records()).replace(
        b'"Countries": ["Iraq"]', b'"Countries": ["Iraq"] "x"', 1
    ),
    "bad UTF-8 in a kept record": dumps(feed_records()).replace(b"Ratify", b"Rat\xffify", 1),
    "lone surrogate": dumps(feed_records()).replace(b"Ratify", b"\\ud800Ratify", 1),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_wanted_read_keeps_what_a_full_read_keeps(name: str, slice_bytes: int) -> None:
    assert_same(CASES[name])


def test_a_record_longer_than_the_longest_slice_is_left_to_the_full_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(readers, "SLICE_BYTES", 64)
    monkeypatch.setattr(readers, "MAX_SLICE_BYTES", 1000)
    records = feed_records()
    records[3]["Text"] = "x" * 5000
    data = dumps(records)
    handed_over: list[int] = []
    original = readers._read_items

    def read_items(source: Any, start: int) -> Any:
        handed_over.append(start)
        return original(source, start)

    assert_same(data)
    monkeypatch.setattr(readers, "_read_items", read_items)
    wanted_read(data)

    assert handed_over == [4]  # the rest, from the fourth record on


def test_other_states_records_are_not_built(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[Any] = []
    original = readers._RECORD

    class Counting:
        def decode(self, raw: Any) -> Any:
            built.append(raw)
            return original.decode(raw)

    monkeypatch.setattr(readers, "_RECORD", Counting())
    kept, read, error = wanted_read(dumps(feed_records()))

    assert (read, error) == (11, None)
    assert len(built) == len(kept) == 6  # Iraq's records, none of France's or Chile's
    assert kept == full_read(dumps(feed_records()))[0]


def test_bytes_that_are_not_utf8_in_another_states_record_do_not_stop_it() -> None:
    # Its texts are not decoded: a full read stops there, a one-country read does not.
    records = feed_records()
    [chilean, *_] = [r for r in records if r["Countries"] == ["Chile"]]
    chilean["Text"] += " MARK"
    data = dumps(records).replace(b"MARK", b"\xff")

    kept, read, error = wanted_read(data)

    assert (read, error) == (11, None)
    assert kept == full_read(dumps(records))[0]
    assert "malformed" in str(full_read(data)[2])


def test_integers_beyond_64_bits_do_not_stop_it() -> None:
    # ijson's parser refuses them (integer overflow); msgspec reads them, as JSON allows.
    records = feed_records()
    records[0]["N"] = 2**64 + 1
    records[5]["N"] = 2**64 + 1  # France's
    data = dumps(records)

    kept, read, error = wanted_read(data)

    assert (read, error) == (11, None)
    assert kept[0][1]["N"] == 2**64 + 1
    assert "overflow" in str(full_read(data)[2])


def _random_record(rng: random.Random, index: int) -> Any:
    pieces = ["},", "{", "}", '"', "\\", ",", "[", "]", "Iraq", "é", "\u0627", " ", "\n", "a"]
    text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
    countries = rng.choice([["Iraq"], ["France"], ["Chile", "Iraq"], [], None, "Iraq", ["Peru"]])
    record: dict[str, Any] = {"AnnotationId": str(index), "Text": text, "Countries": countries}
    if rng.random() < 0.2:
        record["Nested"] = {"x": [text, {"y": text}]}
    if rng.random() < 0.05:
        return rng.choice([text, index, None, [text]])
    if rng.random() < 0.2:
        del record["Countries"]
    return record


@pytest.mark.parametrize("seed", range(40))
def test_random_feeds(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    monkeypatch.setattr(readers, "SLICE_BYTES", rng.choice([16, 64, 256, 1024]))
    records = [_random_record(rng, i) for i in range(rng.randint(0, 60))]
    separator = rng.choice([",", ",\n", ", ", " ,", ",\n  "])
    data = "[" + separator.join(json.dumps(r, ensure_ascii=rng.random() < 0.5) for r in records)
    data += "]"
    encoded = data.encode()
    if rng.random() < 0.3:
        encoded = encoded[: rng.randint(0, len(encoded))]
    assert_same(encoded)
