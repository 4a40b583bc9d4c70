"""The three UHRI export formats (JSON, XLSX, CSV) give the same recommendations."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from recommendations.importers.readers import excel_date, split_multi
from recommendations.importers.records import Vocabulary, normalise
from recommendations.models import (
    AffectedGroup,
    ImportStatus,
    Mechanism,
    Recommendation,
    Theme,
)
from tests.fixtures.uhri.make_xlsx import (
    COLUMNS,
    csv_bytes,
    export_row,
    export_rows,
    write_csv,
    write_xlsx,
)

from .helpers import FEED_CSV, feed_records, imported, run_import, write_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

TORTURE = "Prohibition of torture & ill-treatment (including cruel, inhuman or degrading treatment)"
RATIFICATION = "Ratification of & accession to international instruments"

# What feed.json holds, record by record, as the tracker should store it:
# (symbol, paragraph, type, position, UPR cycle, themes, SDG targets, recommending States, text)
EXPECTED: dict[str, tuple[Any, ...]] = {
    "0377fd67-7e1a-4ea4-bf88-a9a4595da5b3": (
        "A/HRC/59/15",
        "136.1",
        "recommendation",
        "supported",
        4,
        [TORTURE, RATIFICATION],
        ["16.3"],
        ["CHL", "FRA"],
        "136.1 Ratify the Optional Protocol to the Convention against Torture and Other Cruel, "
        "Inhuman or Degrading Treatment or Punishment",
    ),
    # UUID type, UprRecommendingCountry / UprCycle spelling, &nbsp; and <p>.
    "59f06e84-94ce-4758-a4a8-a2ca89c4f251": (
        "A/HRC/59/15",
        "136.45",
        "recommendation",
        "noted",
        4,
        ["Death penalty"],
        ["16.1"],
        ["DEU", "MEX"],
        "136.45 Abolish the death penalty and, pending abolition, establish an official "
        "moratorium on executions",
    ),
    # UprCycle holding a cycle rather than a session; a goal label next to a target label.
    "ec103a63-3e6e-43eb-8f60-8c0d1bee50ff": (
        "A/HRC/59/15",
        "136.112",
        "recommendation",
        "supported",
        4,
        ["Right to education"],
        ["4.1"],
        ["BRA"],
        "136.112 Continue efforts to guarantee access to quality education for all children, "
        "including girls in rural areas",
    ),
    # Treaty body concern, with a section heading before the paragraph number.
    "6783b771-fd7a-4cf0-ac03-c3e5f93b23e3": (
        "CEDAW/C/IRQ/CO/7",
        "24",
        "concern",
        "",
        None,
        ["Violence against women"],
        ["5.2"],
        [],
        "Gender-based violence against women\n24. The Committee is concerned about the high "
        "prevalence of gender-based violence against women, including so-called honour crimes.",
    ),
    "628c7b47-3d09-4c4e-ac9c-6f6a1dd296dd": (
        "CEDAW/C/IRQ/CO/7",
        "25",
        "recommendation",
        "",
        None,
        ["Sexual & gender-based violence", "Violence against women"],
        ["16.3", "5.2"],
        [],
        "25. The Committee recommends that the State party adopt without delay the draft law on "
        "combating domestic violence and ensure that it criminalizes all forms of gender-based "
        "violence against women.",
    ),
    # UUID type on a treaty body: "urges" makes it a recommendation.
    "e992e4a4-e3a9-4a45-adf2-66c3ceda286b": (
        "CRC/C/FRA/CO/6-7",
        "37",
        "recommendation",
        "",
        None,
        ["Persons with disabilities: independence, inclusion", "Right to education"],
        ["4.5"],
        [],
        "Right to education\n37. The Committee urges the State party to ensure that all children "
        "with disabilities have access to inclusive education in mainstream schools.",
    ),
    # UUID type on a treaty body, no recommending verb: a concern.
    "8f4685ea-871a-4f4a-9e29-952dabd70159": (
        "CRC/C/FRA/CO/6-7",
        "36",
        "concern",
        "",
        None,
        ["Human rights & poverty"],
        ["1.2"],
        [],
        "36. The Committee notes with deep concern the number of children living in poverty and "
        "in precarious housing, in particular in overseas departments.",
    ),
    "0e149ddc-8aa9-43a6-87bc-c34bcab6ecf6": (
        "A/HRC/55/52/Add.1",
        "92",
        "recommendation",
        "",
        None,
        [TORTURE],
        ["16.3"],
        [],
        "92. The Special Rapporteur recommends that the Government establish an independent "
        "mechanism to investigate all allegations of torture and ill-treatment by law enforcement "
        "officials.",
    ),
    "8bfae9f4-e70a-40c4-81b4-41f59d939a59": (
        "A/HRC/54/5",
        "140.12",
        "recommendation",
        "noted",
        4,
        ["Racial discrimination"],
        [],
        ["CHL"],
        "140.12 Take the necessary measures to end racial profiling in identity checks by law "
        "enforcement officials",
    ),
    "6261f484-1c64-4aa6-a915-2402be51f0cb": (
        "A/HRC/56/8",
        "125.3",
        "recommendation",
        "supported",
        4,
        ["Indigenous peoples"],
        ["10.2"],
        ["FRA", "IRQ"],
        "125.3 Guarantee the right of the Mapuche and other indigenous peoples to free, prior and "
        "informed consultation \u2013 “consulta indígena” \u2013 on measures that affect them",
    ),
    "7ad24cca-a48d-4f37-90ce-ead48ceadb2d": (
        "A/HRC/57/54/Add.1",
        "79",
        "recommendation",
        "",
        None,
        ["Enforced disappearances"],
        ["16.10"],
        [],
        "79. The Working Group recommends that the Government establish a central register of all "
        "persons deprived of liberty and make it accessible to relatives.",
    ),
}
FIELDS = (
    "symbol",
    "paragraph",
    "annotation_type",
    "position",
    "cycle",
    "themes",
    "sdg_targets",
    "recommending_states",
    "text",
)


def _import_and_read(path: Path) -> dict[str, dict[str, Any]]:
    """Import one file in a savepoint, read what it stored, and roll it back."""
    with transaction.atomic():
        run = run_import(path)
        assert run.status == ImportStatus.SUCCEEDED, run.error
        assert (run.created, run.rejected) == (len(EXPECTED), 0)
        stored = imported()
        transaction.set_rollback(True)
    return stored


@pytest.mark.parametrize("feed", ["json", "xlsx", "csv"], indirect=True)
def test_each_format_gives_the_expected_recommendations(feed: Path) -> None:
    run = run_import(feed)

    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert run.summary() == {
        "created": 11,
        "updated": 0,
        "unchanged": 0,
        "withdrawn": 0,
        "rejected": 0,
    }
    stored = imported()
    assert set(stored) == set(EXPECTED)
    for annotation_id, expected in EXPECTED.items():
        actual = tuple(stored[annotation_id][field] for field in FIELDS)
        assert actual == expected, annotation_id


def test_the_three_formats_store_exactly_the_same_data(
    feed_json: Path, feed_xlsx: Path, feed_csv: Path
) -> None:
    from_json = _import_and_read(feed_json)
    from_xlsx = _import_and_read(feed_xlsx)
    from_csv = _import_and_read(feed_csv)

    assert from_xlsx == from_json
    assert from_csv == from_json


def test_the_same_records_in_another_format_are_unchanged(feed_json: Path, feed_xlsx: Path) -> None:
    run_import(feed_json)

    again = run_import(feed_xlsx)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 11)


def test_committed_csv_is_the_export_of_feed_json_with_a_bom() -> None:
    assert FEED_CSV.read_bytes() == csv_bytes()
    assert FEED_CSV.read_bytes().startswith(b"\xef\xbb\xbf")


def test_csv_without_bom_reads_the_same(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "feed.csv", bom=False)

    run = run_import(path)

    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert run.created == 11
    assert imported()["0377fd67-7e1a-4ea4-bf88-a9a4595da5b3"]["text"].startswith("136.1 Ratify")


def test_both_upr_key_spellings_give_states_session_and_cycle(tmp_path: Path) -> None:
    base = feed_records()[0]
    for key in ("UprRecommendingStates", "UprSession"):
        del base[key]
    variants = {
        "states-session": {
            "UprRecommendingStates": ["France", "Chile"],
            "UprSession": "35th session",
        },
        "country-cycle": {
            "UprRecommendingCountry": ["France", "Chile"],
            "UprCycle": "35th Session",
        },
        "country-cycle-number": {
            "UprRecommendingCountry": "Chile\nFrance",
            "UprCycle": "3rd cycle",
        },
    }
    records = []
    ids = {}
    for n, (name, keys) in enumerate(variants.items(), start=1):
        ids[name] = str(uuid.uuid5(uuid.NAMESPACE_URL, name))
        records.append(
            {**base, **keys, "AnnotationId": ids[name], "Symbol": f"A/HRC/41/{n}", "DocumentId": ""}
        )

    run = run_import(write_json(tmp_path / "spellings.json", records))

    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert run.created == 3
    stored = imported()
    for name, annotation_id in ids.items():
        assert stored[annotation_id]["recommending_states"] == ["CHL", "FRA"], name
        assert stored[annotation_id]["cycle"] == 3, name  # sessions 27-40 are the third cycle
    raw = Recommendation.objects.get(annotation_id=ids["country-cycle"]).raw_record
    assert raw["UprCycle"] == "35th Session"


VOCABULARY = Vocabulary(sdg_targets={"16.3"}, countries={"iraq": "IRQ"})


@pytest.mark.parametrize(
    ("body", "text", "expected"),
    [
        ("UPR", "136.4 Consider ratifying the Convention", "recommendation"),
        ("UPR", "136.5 Continue the efforts made so far", "recommendation"),
        ("CRC", "37. The Committee urges the State party to adopt", "recommendation"),
        ("CEDAW", "12. The Committee calls upon the State party to repeal", "recommendation"),
        ("CCPR", "8. As previously recommended, the State party should", "recommendation"),
        ("SR Torture", "92. The Special Rapporteur encourages the Government", "recommendation"),
        ("CRC", "36. The Committee notes with deep concern the number of", "concern"),
        ("CEDAW", "24. The Committee is concerned about the prevalence of", "concern"),
        ("WG Disappearances", "70. The Working Group notes that 2,000 cases remain", "concern"),
    ],
)
def test_uuid_annotation_type_is_decided_from_the_text(body: str, text: str, expected: str) -> None:
    record = {
        "AnnotationId": str(uuid.uuid4()),
        "AnnotationType": "96da457e-dede-40da-b2b2-28fc54080a0d",
        "Text": text,
        "Symbol": "X/1",
        "Body": body,
        "Countries": ["Iraq"],
    }

    assert normalise(record, VOCABULARY).annotation_type == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Recommendations", "recommendation"),
        ("- Recommendations", "recommendation"),
        ("Concerns/Observations", "concern"),
        ("Observations", "concern"),
    ],
)
def test_type_label_wins_over_the_text(label: str, expected: str) -> None:
    text = "49. The Committee recommends" if expected == "concern" else "49. The Committee notes"
    record = {
        "AnnotationId": str(uuid.uuid4()),
        "AnnotationType": label,
        "Text": text,
        "Symbol": "X/1",
        "Body": "CRC",
    }

    assert normalise(record, VOCABULARY).annotation_type == expected


def test_excel_serial_dates_are_read(feed_xlsx: Path) -> None:
    run = run_import(feed_xlsx)

    assert run.status == ImportStatus.SUCCEEDED, run.error
    recommendation = Recommendation.objects.select_related("document").get(
        annotation_id="0377fd67-7e1a-4ea4-bf88-a9a4595da5b3"
    )
    assert recommendation.document.publication_date == date(2025, 3, 24)
    raw = recommendation.raw_record
    assert raw["PublicationDate"].startswith("2025-03-24T00:00:00")
    # The last column is a date-time: 3 days later at 15:15 (to the second; floats are inexact).
    uhri = datetime.fromisoformat(raw["UhriPublicationDate"])
    assert abs((uhri - datetime(2025, 3, 27, 15, 15, tzinfo=UTC)).total_seconds()) < 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (45740, "2025-03-24T00:00:00+00:00"),
        (45740.0, "2025-03-24T00:00:00+00:00"),
        ("45740", "2025-03-24T00:00:00+00:00"),  # a CSV cell
        (1, "1899-12-31T00:00:00+00:00"),
        (datetime(2025, 3, 24, 9, 30, tzinfo=UTC), "2025-03-24T09:30:00+00:00"),  # a date cell
        ("2025-03-24T00:00:00Z", "2025-03-24T00:00:00Z"),  # already ISO: unchanged
        (None, None),
    ],
)
def test_excel_date_values(value: Any, expected: Any) -> None:
    assert excel_date(value) == expected


def test_an_xlsx_with_real_date_cells_reads_the_same_dates(tmp_path: Path) -> None:
    rows = export_rows()
    for row in rows[1:]:
        row[7] = datetime(1899, 12, 30) + timedelta(days=row[7])  # noqa: DTZ001 (a naive cell)
    path = write_xlsx(tmp_path / "dates.xlsx", rows)

    run = run_import(path)

    assert run.status == ImportStatus.SUCCEEDED, run.error
    stored = imported()
    assert stored["0377fd67-7e1a-4ea4-bf88-a9a4595da5b3"]["publication_date"] == date(2025, 3, 24)
    assert stored["6783b771-fd7a-4cf0-ac03-c3e5f93b23e3"]["publication_date"] == date(2019, 11, 12)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("- UPR", ["UPR"]),
        ("- France\n- Chile", ["France", "Chile"]),
        ("  - France  \r\n-  Chile\n\n", ["France", "Chile"]),
        ("-", []),
        ("", []),
        (None, []),
        ("France", ["France"]),
        ("- 16.3 - Promote the rule of law", ["16.3 - Promote the rule of law"]),
    ],
)
def test_dash_prefixes_are_stripped(cell: Any, expected: list[str]) -> None:
    assert split_multi(cell) == expected


@pytest.mark.parametrize("feed", ["xlsx", "csv"], indirect=True)
def test_no_dash_prefix_reaches_the_database(feed: Path) -> None:
    run_import(feed)

    labels = [
        *Theme.objects.values_list("name", flat=True),
        *AffectedGroup.objects.values_list("name", flat=True),
        *Mechanism.objects.values_list("code", flat=True),
    ]
    assert not [label for label in labels if label.startswith("-")]
    stored = imported()
    assert {r["mechanism"] for r in stored.values()} == {
        "UPR",
        "CEDAW",
        "CRC",
        "SR Torture",
        "WG Disappearances",
    }
    assert {r["position"] for r in stored.values()} == {"supported", "noted", ""}


def test_dashes_inside_a_text_are_kept_in_tabular_exports(tmp_path: Path) -> None:
    record = {
        **feed_records()[0],
        "AnnotationId": "2b7e5c1a-9d1f-4c53-8e2a-0c6f1e9b7a10",
        "Text": "136.2 Adopt a national plan that:\n- protects children\n- protects women",
    }

    run_import(write_csv(tmp_path / "dashes.csv", export_rows([record])))

    text = Recommendation.objects.get(annotation_id=record["AnnotationId"]).texts.get().text
    assert text == record["Text"]


def _loose(name: str) -> str:
    """A header as a person re-saving the export might leave it."""
    return {
        "Text": "  TEXT ",
        "Countries Concerned": "countries   concerned",
        "Reccomending Body": "Recommending Body",
        "Document Symbol": "Document symbol",
        "UPR Reccomending States": "upr reccomending states",
        "OHCHR Annotation Id": "OHCHR Annotation ID",
        "Date of publication on UHRI": "Date of Publication on UHRI ",
    }.get(name, name)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_column_names_are_matched_loosely_in_any_order(tmp_path: Path, fmt: str) -> None:
    header, *rows = export_rows()
    order = list(reversed(range(len(COLUMNS))))  # any order
    loose = [[_loose(header[i]) for i in order] + ["Notes added by hand"]]
    loose += [[row[i] for i in order] + ["ignored"] for row in rows]
    writer = write_csv if fmt == "csv" else write_xlsx
    path = writer(tmp_path / f"loose.{fmt}", loose)

    run = run_import(path)

    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.created, run.rejected) == (11, 0)
    stored = imported()
    for annotation_id, expected in EXPECTED.items():
        assert tuple(stored[annotation_id][field] for field in FIELDS) == expected


def test_export_row_has_the_sixteen_columns() -> None:
    row = export_row(feed_records()[1])

    assert len(row) == len(COLUMNS) == 16
    assert row[COLUMNS.index("UPR Reccomending States")] == "- Germany\n- Mexico"
    assert row[COLUMNS.index("Reccomending Body")] == "- UPR"
    assert isinstance(row[COLUMNS.index("Date of publication on UHRI")], float)
