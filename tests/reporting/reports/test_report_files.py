"""Each report draft opens in its own library and says what the data say: symbols, paragraphs,
recommendation texts, measures and indicator values."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from reporting.reports.content import ReportRequest
from reporting.services import report_write

pytestmark = pytest.mark.django_db


def _build(kind: str, fmt: str, **options) -> io.BytesIO:
    stream = io.BytesIO()
    report_write(
        request=ReportRequest(kind=kind, **options), format=fmt, stream=stream, system=True
    )
    stream.seek(0)
    return stream


def docx_text(stream: io.BytesIO) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(stream).paragraphs)


def pdf_text(stream: io.BytesIO) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(stream).pages)


def xlsx_rows(stream: io.BytesIO) -> list[tuple]:
    from openpyxl import load_workbook

    return list(load_workbook(stream, read_only=True).active.iter_rows(values_only=True))


def test_upr_midterm_docx_cites_each_recommendation_grouped_by_cluster(report_data):
    text = docx_text(_build("upr-midterm", "docx", cycle=4))
    assert "A/HRC/58/12, para. 136.1" in text
    assert "A/HRC/58/12, para. 136.25" in text
    assert "Strengthen the independence of the judiciary." in text
    assert "France" in text
    assert "Judicial Council Act (Ministry of Justice (MOJ); Planned)" in text
    assert "Judges appointed by the council, baseline 12, target 80, latest 2025: 37.5" in text
    # clusters in alphabetical order: Education (136.25) before Justice (136.1)
    assert (
        text.index("Education") < text.index("136.25") < text.index("Justice") < text.index("136.1")
    )
    # the treaty body's recommendations are not part of a UPR report
    assert "CRC/C/XYZ/CO/5-6" not in text


def test_upr_midterm_xlsx_has_one_row_per_recommendation_with_symbol_and_paragraph(report_data):
    rows = xlsx_rows(_build("upr-midterm", "xlsx", cycle=4))
    header, body = rows[0], rows[1:]
    assert header[1:3] == ("Document symbol", "Paragraph")
    assert [(r[1], r[2]) for r in body] == [("A/HRC/58/12", "136.25"), ("A/HRC/58/12", "136.1")]
    justice = body[1]
    assert justice[0] == "Justice"
    assert "Judicial Council Act" in justice[11]
    assert "latest 2025: 37.5" in justice[12]


def test_upr_midterm_pdf_holds_symbols_paragraphs_and_values(report_data):
    text = pdf_text(_build("upr-midterm", "pdf", cycle=4))
    assert "A/HRC/58/12, para. 136.1" in text
    assert "136.25" in text
    assert "Judicial Council Act" in text
    assert "37.5" in text


def test_arabic_pdf_carries_arabic_glyphs(report_data):
    text = pdf_text(_build("upr-midterm", "pdf", cycle=4, language="ar"))
    # pypdf gives back the Arabic letters of the text (in visual order, possibly joined forms)
    arabic = [c for c in text if "\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff"]
    assert len(arabic) > 20
    assert "A/HRC/58/12" in text


def test_chinese_pdf_carries_chinese_glyphs(report_data):
    text = pdf_text(_build("upr-midterm", "pdf", cycle=4, language="zh-hans"))
    assert "司法独立" in text


def test_treaty_followup_covers_only_the_selected_paragraphs(report_data):
    text = docx_text(_build("treaty-followup", "docx", mechanism="CRC", paragraphs=["18(a)"]))
    assert "CRC/C/XYZ/CO/5-6, para. 18(a)" in text
    assert "Raise the minimum age of criminal responsibility." in text
    assert "Judicial Council Act" in text
    assert "para. 25" not in text
    assert "A/HRC/58/12" not in text


def test_thematic_matrix_xlsx_for_a_mechanism_lists_themes(report_data):
    rows = xlsx_rows(_build("thematic-matrix", "xlsx", mechanism="UPR"))
    body = {r[2]: r for r in rows[1:]}
    assert set(body) == {"136.1", "136.25"}
    assert body["136.1"][0] == "Administration of justice"
    assert body["136.1"][8] == "Administration of justice"
    assert body["136.25"][0] == "No theme"


def test_xlsx_cells_that_would_start_a_formula_are_neutralised(report_data):
    r1 = report_data["upr"][0]
    r1.texts.filter(language="en").update(text='=HYPERLINK("http://x")')
    rows = xlsx_rows(_build("upr-midterm", "xlsx", cycle=4))
    assert '\'=HYPERLINK("http://x")' in [r[4] for r in rows]


def test_unknown_cycle_is_an_error_not_an_empty_report(report_data, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No review cycle 9"):
        call_command(
            "build_report",
            "upr-midterm",
            "--format",
            "docx",
            "--out",
            str(tmp_path / "r.docx"),
            "--cycle",
            "9",
        )
    assert not (tmp_path / "r.docx").exists() or (tmp_path / "r.docx").stat().st_size == 0


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_build_report_command_writes_the_file(report_data, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    stdout = io.StringIO()
    call_command(
        "build_report",
        "upr-midterm",
        "--format",
        fmt,
        "--out",
        str(out),
        "--cycle",
        "4",
        stdout=stdout,
    )
    assert "2 recommendations" in stdout.getvalue()
    data = io.BytesIO(out.read_bytes())
    text = {"docx": docx_text, "pdf": pdf_text, "xlsx": lambda s: str(xlsx_rows(s))}[fmt](data)
    assert "136.25" in text
