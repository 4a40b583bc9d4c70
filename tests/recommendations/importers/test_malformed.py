"""A corpus of malformed feeds: the import never crashes, says why it refused a row, keeps the rest.

Each case is imported after a good import of ``feed.json`` (done once for the module). Its feed holds
the same good records again, one new good record and the malformed part. Then:

* a problem with the whole source fails the run with a clear ``error`` (and the command raises
  ``CommandError``); nothing is written;
* every rejected row has an ``ImportIssue`` with a reason and the field; the good rows import;
* the recommendations of the earlier import are exactly as they were (texts, tags, not withdrawn).
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from recommendations.models import (
    ImportIssue,
    ImportRun,
    ImportStatus,
    Recommendation,
    Theme,
)
from tests.fixtures.uhri.make_xlsx import COLUMNS, csv_bytes, export_rows, write_xlsx

from .helpers import FEED_JSON, feed_records, imported, run_import, snapshot, write_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("earlier_import")]

MISSING = object()
NEW_GOOD = "d9c1f8a2-3b4e-4f5a-9c6d-7e8f9a0b1c2d"
BASE = feed_records()
GOOD = {
    **BASE[0],
    "AnnotationId": NEW_GOOD,
    "Text": "136.300 Strengthen the independence of the Independent High Commission for Human Rights",
    "UprRecommendingStates": ["Chile"],
}


@pytest.fixture(scope="module")
def earlier_import(
    reference_data: None, django_db_blocker: Any
) -> Iterator[dict[str, dict[str, Any]]]:
    """The good feed, imported once for the module (rolled back with the reference data)."""
    with django_db_blocker.unblock():
        run = run_import(FEED_JSON)
        assert (run.status, run.created) == (ImportStatus.SUCCEEDED, len(BASE)), run.error
        yield {"snapshot": snapshot(), "imported": imported()}


def bad(name: str, **changes: Any) -> dict[str, Any]:
    """A new, otherwise valid UPR record for Iraq with ``changes`` (``MISSING`` removes a key)."""
    record = {
        **BASE[0],
        "AnnotationId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"malformed/{name}")),
        "Text": f"136.{200 + len(name)} Ensure the protection of {name.replace('_', ' ')}",
        "UprRecommendingStates": ["Mexico"],
    }
    for key, value in changes.items():
        if value is MISSING:
            record.pop(key, None)
        else:
            record[key] = value
    return record


def bad_id(name: str) -> str:
    return bad(name)["AnnotationId"]


# -- writing the case's source ---------------------------------------------------------------------

Builder = Callable[[Path], Path]


def json_feed(*records: Any, base: list[Any] | None = None) -> Builder:
    def build(directory: Path) -> Path:
        return write_json(
            directory / "feed.json", [*(BASE if base is None else base), GOOD, *records]
        )

    return build


def raw(name: str, content: bytes | Callable[[], bytes]) -> Builder:
    def build(directory: Path) -> Path:
        path = directory / name
        path.write_bytes(content() if callable(content) else content)
        return path

    return build


def tabular(fmt: str, *rows: list[Any], header: list[Any] | None = None) -> Builder:
    """The good feed, the new good record and ``rows`` as an XLSX or CSV export."""

    def build(directory: Path) -> Path:
        table = [header or COLUMNS, *export_rows([*BASE, GOOD])[1:], *rows]
        if fmt == "xlsx":
            return write_xlsx(directory / "feed.xlsx", table)
        path = directory / "feed.csv"
        path.write_bytes(csv_bytes(table))
        return path

    return build


def row(name: str, **changes: Any) -> list[Any]:
    """A tabular row of ``bad(name)`` with some cells replaced, by column name."""
    cells = export_rows([bad(name)])[1]
    for column, value in changes.items():
        cells[COLUMNS.index(column.replace("_", " "))] = value
    return cells


def truncated_json() -> bytes:
    text = json.dumps([*BASE, GOOD])
    return text[: len(text) * 2 // 3].encode()


def cp1252_csv() -> bytes:
    return csv_bytes(bom=False).decode("utf-8").encode("cp1252", errors="replace")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, rows)  # type: ignore[arg-type]
    return buffer.getvalue()


# -- checks on an imported malformed record -------------------------------------------------------


def stored(name: str) -> Recommendation:
    return Recommendation.objects.get(annotation_id=bad_id(name))


def sanitised(*forbidden: str, in_text: tuple[str, ...] = ()) -> Callable[[str], None]:
    """The stored HTML has none of ``forbidden`` (nor any script), the plain text none of
    ``in_text``, and the words of the recommendation are kept."""

    def check(name: str) -> None:
        text = stored(name).texts.get(language="en")
        for needle in (*forbidden, "<script"):
            assert needle not in text.html.lower(), (needle, text.html)
        for needle in in_text:
            assert needle not in text.text, (needle, text.text)
        assert "Ensure" in text.text

    return check


def text_is(expected: str) -> Callable[[str], None]:
    def check(name: str) -> None:
        assert stored(name).texts.get(language="en").text == expected

    return check


def one_theme(expected: str) -> Callable[[str], None]:
    def check(name: str) -> None:
        assert list(stored(name).themes.values_list("name", flat=True)) == [expected]

    return check


LONG_LABEL = "Right to education " + "and more " * 600


def long_theme(name: str) -> None:
    [theme] = stored(name).themes.all()
    assert theme.name == LONG_LABEL.strip()[:200]


def no_tags(name: str) -> None:
    recommendation = stored(name)
    assert not recommendation.themes.exists()
    assert not recommendation.affected_groups.exists()
    assert not recommendation.sdg_targets.exists()
    assert recommendation.position == ""


def warned(field_name: str) -> Callable[[str], None]:
    def check(name: str) -> None:
        assert ImportIssue.objects.filter(
            annotation_id=bad_id(name), field=field_name, severity="warning"
        ).exists()

    return check


def no_target(name: str) -> None:
    assert not stored(name).sdg_targets.exists()


# -- the corpus ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    build: Builder
    outcome: str  # "failed" (whole source), "rejected" (rows), "imported", "nothing" (no rows)
    field: str = ""  # rejected: the field every rejection names
    error: str = ""  # failed: part of the run's error
    rejected: int = 1
    check: Callable[[str], None] | None = None  # called with ``record``
    record: str = ""  # the name given to ``bad()`` for the record the check looks at
    batch_size: int | None = None


CASES = [
    # The whole source is unusable.
    Case("truncated_json", raw("feed.json", truncated_json), "failed", error="truncated"),
    Case(
        "top_level_object",
        raw("feed.json", json.dumps({"records": [*BASE, GOOD]}).encode()),
        "failed",
        error="must be an array",
    ),
    Case("top_level_number", raw("feed.json", b"42"), "failed", error="must be an array"),
    Case("empty_json_file", raw("feed.json", b""), "failed", error="JSON feed"),
    Case(
        "html_error_page",
        raw("feed.json", b"<html><body>503 Service Unavailable</body></html>"),
        "failed",
        error="malformed",
    ),
    Case("unclosed_nested_arrays", raw("feed.json", b"[[[[{"), "failed", error="JSON feed"),
    Case(
        "csv_wrong_columns",
        raw("feed.csv", b"id,text,country\r\n1,Ratify the OPCAT,Iraq\r\n"),
        "failed",
        error="does not have the UHRI export columns",
    ),
    Case(
        "xlsx_wrong_columns",
        raw("feed.xlsx", lambda: xlsx_bytes([["id", "text"], ["1", "Ratify the OPCAT"]])),
        "failed",
        error="missing AnnotationId, Body, Symbol",
    ),
    Case("csv_not_utf8", raw("feed.csv", cp1252_csv), "failed", error="not UTF-8"),
    Case("csv_empty_file", raw("feed.csv", b""), "failed", error="empty"),
    Case("xlsx_empty_workbook", raw("feed.xlsx", lambda: xlsx_bytes([])), "failed", error="empty"),
    Case(
        "xlsx_not_a_zip",
        raw("feed.xlsx", b"Text,Symbol\r\nthis is a CSV file named .xlsx\r\n"),
        "failed",
        error="not a readable XLSX workbook",
    ),
    Case(
        "xlsx_cut_in_half",
        raw("feed.xlsx", lambda: xlsx_bytes(export_rows())[:3000]),
        "failed",
        error="not a readable XLSX workbook",
    ),
    # A readable source with no rows at all.
    Case("json_empty_array", raw("feed.json", b"[]"), "nothing"),
    Case("csv_only_header", raw("feed.csv", lambda: csv_bytes([COLUMNS])), "nothing"),
    Case("xlsx_only_header", raw("feed.xlsx", lambda: xlsx_bytes([COLUMNS])), "nothing"),
    # Rows that are rejected, with the field that is wrong.
    Case(
        "missing_annotation_id",
        json_feed(bad("missing_id", AnnotationId=MISSING)),
        "rejected",
        "AnnotationId",
    ),
    Case(
        "invalid_annotation_id",
        json_feed(bad("invalid_id", AnnotationId="UHRI-123-not-a-uuid")),
        "rejected",
        "AnnotationId",
    ),
    Case(
        "numeric_annotation_id",
        json_feed(bad("numeric_id", AnnotationId=123456)),
        "rejected",
        "AnnotationId",
    ),
    Case(
        "whitespace_annotation_id",
        json_feed(bad("blank_id", AnnotationId="   ")),
        "rejected",
        "AnnotationId",
    ),
    Case(
        "same_id_twice",
        json_feed(bad("twice"), bad("twice", Text="136.99 A second text under the same id")),
        "rejected",
        "AnnotationId",
        check=text_is(bad("twice")["Text"]),
        record="twice",
    ),
    Case(
        "same_id_twice_in_two_batches",
        json_feed(bad("twice"), bad("twice", Text="136.99 A second text under the same id")),
        "rejected",
        "AnnotationId",
        check=text_is(bad("twice")["Text"]),
        record="twice",
        batch_size=4,
    ),
    Case("empty_text", json_feed(bad("empty_text", Text="")), "rejected", "Text"),
    Case("missing_text", json_feed(bad("missing_text", Text=MISSING)), "rejected", "Text"),
    Case("whitespace_text", json_feed(bad("blank_text", Text="  \n\t ")), "rejected", "Text"),
    Case(
        "nbsp_only_text", json_feed(bad("nbsp_text", Text="&nbsp;\xa0&nbsp;")), "rejected", "Text"
    ),
    Case(
        "text_of_only_tags",
        json_feed(bad("tags_only", Text="<p> </p><br/><div><span></span></div>")),
        "rejected",
        "Text",
    ),
    Case(
        "megabyte_of_text",
        json_feed(bad("megabyte", Text="136.1 " + "Ratify the Convention. " * 46_000)),
        "rejected",
        "Text",
    ),
    Case(
        "text_over_the_limit",
        json_feed(bad("too_long", Text="136.1 " + "x" * 25_000)),
        "rejected",
        "Text",
    ),
    Case("text_is_a_number", json_feed(bad("number_text", Text=136.1)), "rejected", "Text"),
    Case("text_is_a_list", json_feed(bad("list_text", Text=["136.1 Ratify"])), "rejected", "Text"),
    Case("text_is_an_object", json_feed(bad("object_text", Text={"en": "x"})), "rejected", "Text"),
    Case("record_is_a_list", json_feed(["136.1 Ratify", "A/HRC/59/15"]), "rejected", "record"),
    Case("record_is_a_number", json_feed(42), "rejected", "record"),
    Case("record_is_a_string", json_feed("136.1 Ratify the OPCAT"), "rejected", "record"),
    Case("record_is_null", json_feed(None), "rejected", "record"),
    Case("missing_symbol", json_feed(bad("no_symbol", Symbol=MISSING)), "rejected", "Symbol"),
    Case("whitespace_symbol", json_feed(bad("blank_symbol", Symbol="   ")), "rejected", "Symbol"),
    Case("symbol_too_long", json_feed(bad("long_symbol", Symbol="A/" * 80)), "rejected", "Symbol"),
    Case("missing_body", json_feed(bad("no_body", Body=MISSING)), "rejected", "Body"),
    Case("body_too_long", json_feed(bad("long_body", Body="SR " * 40)), "rejected", "Body"),
    Case(
        "unknown_sdg_target",
        json_feed(bad("sdg_target", Sdgs=["16.99 - An imaginary target"])),
        "rejected",
        "Sdgs",
    ),
    Case(
        "sdg_label_garbage",
        json_feed(bad("sdg_garbage", Sdgs=["Promote the rule of law"])),
        "rejected",
        "Sdgs",
    ),
    Case(
        "sdg_goal_out_of_range",
        json_feed(bad("sdg_goal", Sdgs=["18 - AN EIGHTEENTH GOAL"])),
        "rejected",
        "Sdgs",
    ),
    Case(
        "impossible_date",
        json_feed(bad("feb30", PublicationDate="2023-02-30T00:00:00Z")),
        "rejected",
        "PublicationDate",
    ),
    Case(
        "date_far_in_the_future",
        json_feed(bad("future", PublicationDate="2999-01-01T00:00:00Z")),
        "rejected",
        "PublicationDate",
    ),
    Case(
        "date_before_the_un",
        json_feed(bad("ancient", PublicationDate="1066-10-14")),
        "rejected",
        "PublicationDate",
    ),
    Case(
        "date_garbage",
        json_feed(bad("date_words", PublicationDate="last Tuesday")),
        "rejected",
        "PublicationDate",
    ),
    Case(
        "unknown_upr_position",
        json_feed(bad("position", UprPosition="Maybe later")),
        "rejected",
        "UprPosition",
    ),
    Case(
        "absurd_upr_session",
        json_feed(bad("session", UprSession="999th Session")),
        "rejected",
        "UprSession",
    ),
    Case(
        "upr_session_without_number",
        json_feed(bad("session_words", UprSession="Session")),
        "rejected",
        "UprSession",
    ),
    Case(
        "absurd_upr_cycle",
        json_feed(bad("cycle", UprSession=MISSING, UprCycle="12th cycle")),
        "rejected",
        "UprCycle",
    ),
    Case(
        "csv_row_with_a_bad_date",
        tabular("csv", row("csv_date", Document_Publication_Date="31/02/2023")),
        "rejected",
        "PublicationDate",
    ),
    Case(
        "xlsx_row_with_a_negative_serial_date",
        tabular("xlsx", row("xlsx_date", Document_Publication_Date=-5)),
        "rejected",
        "PublicationDate",
    ),
    Case(
        "xlsx_row_without_id",
        tabular("xlsx", row("xlsx_id", OHCHR_Annotation_Id=None)),
        "rejected",
        "AnnotationId",
    ),
    Case(
        "xlsx_row_with_a_numeric_text",
        tabular("xlsx", row("xlsx_text", Text=136.1)),
        "rejected",
        "Text",
    ),
    Case(
        "csv_short_row",
        tabular("csv", ["136.1 Ratify the OPCAT", "- Iraq"]),
        "rejected",
        "AnnotationId",
    ),
    Case(
        "csv_megabyte_cell",
        tabular("csv", row("csv_megabyte", Text="136.1 " + "x" * 1_000_000)),
        "rejected",
        "Text",
    ),
    Case(
        "known_id_now_invalid",
        json_feed(base=[*BASE[1:], {**BASE[0], "Sdgs": ["not an SDG"]}]),
        "rejected",
        "Sdgs",
    ),
    # Accepted, but made safe or kept as it is.
    Case(
        "script_injection",
        json_feed(bad("script", Text="<p>136.1 Ensure <script>alert('x')</script>fair trials</p>")),
        "imported",
        check=sanitised("alert(", in_text=("alert(", "<script")),
        record="script",
    ),
    Case(
        "event_handlers",
        json_feed(
            bad(
                "handlers",
                Text='<p onclick="steal()">136.1 Ensure fair trials</p><img src=x onerror="alert(1)">',
            )
        ),
        "imported",
        check=sanitised("onerror", "onclick", "<img", "steal"),
        record="handlers",
    ),
    Case(
        "style",
        json_feed(
            bad(
                "style",
                Text='<style>p{display:none}</style><p style="color:red">136.1 Ensure fair trials</p>',
            )
        ),
        "imported",
        check=sanitised("style", "display:none", "color:red"),
        record="style",
    ),
    Case(
        "javascript_link",
        json_feed(
            bad("js_link", Text='<p>136.1 Ensure <a href="javascript:alert(1)">fair trials</a></p>')
        ),
        "imported",
        check=sanitised("javascript:", "<a", "href"),
        record="js_link",
    ),
    Case(
        "escaped_markup",
        json_feed(
            bad("escaped", Text="136.1 Ensure &lt;script&gt;alert(1)&lt;/script&gt; is text")
        ),
        "imported",
        check=sanitised("<script"),
        record="escaped",
    ),
    Case(
        "unicode_and_rtl",
        json_feed(
            bad(
                "rtl",
                Text="136.7 ضمان حق التعليم \u200fلجميع الأطفال\u200f — "
                "« égalité » \u2018Ñandú\u2019 中文 Ελληνικά emoji 🇮🇶 e\u0301",
            )
        ),
        "imported",
        check=text_is(
            "136.7 ضمان حق التعليم \u200fلجميع الأطفال\u200f — "
            "« égalité » \u2018Ñandú\u2019 中文 Ελληνικά emoji 🇮🇶 e\u0301"
        ),
        record="rtl",
    ),
    Case(
        "very_long_theme_label",
        json_feed(bad("long_theme", Themes=[LONG_LABEL])),
        "imported",
        check=long_theme,
        record="long_theme",
    ),
    Case(
        "duplicate_themes",
        json_feed(
            bad(
                "dup_themes",
                Themes=[
                    "Right to education",
                    "Right to education",
                    " Right to education ",
                    "right to EDUCATION",
                ],
            )
        ),
        "imported",
        check=one_theme("Right to education"),
        record="dup_themes",
    ),
    Case(
        "whitespace_only_fields",
        json_feed(
            bad(
                "blanks",
                Themes=["  ", "\t"],
                AffectedPersons=[" "],
                Sdgs=["   "],
                UprPosition="   ",
                Regions="  ",
                DocumentId="  ",
            )
        ),
        "imported",
        check=no_tags,
        record="blanks",
    ),
    Case(
        "unknown_country",
        json_feed(bad("atlantis", Countries=["Iraq", "Atlantis"])),
        "imported",
        check=warned("Countries"),
        record="atlantis",
    ),
    Case(
        "unknown_recommending_state",
        json_feed(bad("narnia", UprRecommendingStates=["Narnia"])),
        "imported",
        check=warned("UprRecommendingStates"),
        record="narnia",
    ),
    Case(
        "invalid_document_id",
        json_feed(bad("doc_id", Symbol="A/HRC/59/15/Corr.1", DocumentId="doc-1")),
        "imported",
        check=warned("DocumentId"),
        record="doc_id",
    ),
    Case(
        "goal_label_only",
        json_feed(bad("goal_only", Sdgs=["1 - NO POVERTY"])),
        "imported",
        check=no_target,
        record="goal_only",
    ),
    Case(
        "strings_instead_of_lists",
        json_feed(bad("strings", Countries="Iraq", Themes="Death penalty; Right to education")),
        "imported",
    ),
    Case(
        "unexpected_keys_and_types",
        json_feed(bad("extra", Extra={"nested": [1, 2]}, UprSession=48, AnnotationType=None)),
        "imported",
    ),
    Case(
        "nul_character",
        json_feed(bad("nul", Text="136.1 Ensure fair\u0000 trials")),
        "imported",
        check=text_is("136.1 Ensure fair trials"),
        record="nul",
    ),
    Case(
        "document_id_of_another_document",
        json_feed(bad("stolen_doc", Symbol="A/HRC/59/15/Add.9")),
        "imported",
        check=warned("DocumentId"),
        record="stolen_doc",
    ),
]


def _param(case: Case) -> Any:
    return pytest.param(case, id=case.name)


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


def _assert_earlier_import_intact(earlier: dict[str, Any], exact: bool) -> None:
    now = imported()
    for annotation_id, before in earlier["imported"].items():
        assert now[annotation_id] == before, annotation_id
    states = dict(
        Recommendation.objects.filter(annotation_id__in=list(earlier["imported"])).values_list(
            "annotation_id", "withdrawn_at"
        )
    )
    assert set(states.values()) == {None}
    if exact:  # a JSON feed holding the same records: not even the hash or the version moved
        current = snapshot()
        for annotation_id, before in earlier["snapshot"].items():
            assert current[annotation_id] == before, annotation_id


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_malformed_input(case: Case, tmp_path: Path, earlier_import: dict[str, Any]) -> None:
    path = case.build(tmp_path)
    issues_before = ImportIssue.objects.count()
    themes_before = Theme.objects.count()

    run = run_import(path, batch_size=case.batch_size)  # must not raise

    run.refresh_from_db()
    errors = list(run.issues.filter(severity=ImportIssue.Severity.ERROR))
    for issue in run.issues.all():
        assert issue.reason.strip(), issue
        assert issue.field.strip(), issue
    if case.outcome == "failed":
        assert run.status == ImportStatus.FAILED
        assert case.error in run.error
        assert run.finished_at is not None
        assert (run.created, run.updated, run.withdrawn) == (0, 0, 0)
        assert ImportIssue.objects.count() == issues_before
        assert Theme.objects.count() == themes_before
        assert not Recommendation.objects.filter(annotation_id=NEW_GOOD).exists()
        with pytest.raises(CommandError, match=case.error):
            call_command("import_uhri", str(path), stdout=io.StringIO())
    elif case.outcome == "nothing":
        assert run.status == ImportStatus.SUCCEEDED, run.error
        assert run.summary() == dict.fromkeys(run.summary(), 0)
        assert run.rows_read == 0
    else:
        assert run.status == ImportStatus.SUCCEEDED, run.error
        assert run.error == ""
        expected_rejected = case.rejected if case.outcome == "rejected" else 0
        assert run.rejected == expected_rejected
        assert len(errors) == expected_rejected
        for issue in errors:
            assert issue.field == case.field
            assert issue.row is not None
        # The good rows of the same feed: the new one is created, the known ones unchanged.
        assert Recommendation.objects.filter(annotation_id=NEW_GOOD).exists()
        assert run.created == 1 + (case.outcome == "imported") + ("twice" in case.name)
        if path.suffix == ".json":
            # (XLSX and CSV carry no DocumentId: their known rows count as updated, see
            # test_formats.test_the_same_records_in_another_format_are_unchanged.)
            assert run.updated == 0
        assert run.withdrawn == 0
        if case.check:
            case.check(case.record)
    _assert_earlier_import_intact(
        earlier_import, exact=path.suffix == ".json" or case.outcome == "failed"
    )
    assert ImportRun.objects.filter(status=ImportStatus.RUNNING).count() == 0
