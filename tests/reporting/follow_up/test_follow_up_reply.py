"""The treaty-body follow-up reply reports on the paragraphs the committee selected, each citing
the document's symbol and the paragraph; with no selection recorded it covers the whole document
and says so."""

from __future__ import annotations

import datetime

import pytest

from reporting.services import follow_up_selection_create
from tests.factories.recommendations import RecommendationFactory
from tests.reporting.reports.test_report_files import _build, docx_text, pdf_text, xlsx_rows

pytestmark = pytest.mark.django_db

SYMBOL = "CRC/C/XYZ/CO/5-6"


@pytest.fixture
def selected(report_data):
    r3, r4 = report_data["crc"]
    extra = RecommendationFactory(
        document=r3.document, paragraph="31(b)", text="Establish a juvenile justice system."
    )
    follow_up_selection_create(
        actor=None,
        document=r3.document,
        recommendations=[r4, extra],
        due_on=datetime.date(2026, 6, 1),
    )
    return report_data


def test_docx_covers_only_the_selected_paragraphs(selected):
    text = docx_text(_build("treaty-followup", "docx", mechanism="CRC"))
    assert f"{SYMBOL}, para. 25" in text
    assert f"{SYMBOL}, para. 31(b)" in text
    assert "Prohibit corporal punishment in all settings." in text
    assert "Establish a juvenile justice system." in text
    assert "18(a)" not in text
    assert "Raise the minimum age" not in text
    assert "A/HRC/58/12" not in text
    assert "selected for follow-up; the reply is due on 2026-06-01" in text
    assert text.index("para. 25") < text.index("para. 31(b)")


def test_pdf_covers_only_the_selected_paragraphs(selected):
    text = pdf_text(_build("treaty-followup", "pdf", mechanism="CRC"))
    assert f"{SYMBOL}, para. 25" in text
    assert f"{SYMBOL}, para. 31(b)" in text
    assert "18(a)" not in text
    assert "Raise the minimum age" not in text


def test_xlsx_has_one_row_per_selected_paragraph(selected):
    rows = xlsx_rows(_build("treaty-followup", "xlsx", mechanism="CRC"))
    assert [(r[1], r[2]) for r in rows[1:]] == [(SYMBOL, "25"), (SYMBOL, "31(b)")]


def test_paragraphs_named_when_asking_win_over_the_selection(selected):
    text = docx_text(_build("treaty-followup", "docx", mechanism="CRC", paragraphs=["18(a)"]))
    assert f"{SYMBOL}, para. 18(a)" in text
    assert "para. 25" not in text
    assert "Paragraphs named when the report was asked for: 18(a)." in text


def test_without_a_selection_every_paragraph_is_included_and_the_report_says_so(report_data):
    text = docx_text(_build("treaty-followup", "docx", mechanism="CRC"))
    assert f"{SYMBOL}, para. 18(a)" in text
    assert f"{SYMBOL}, para. 25" in text
    assert f"No follow-up selection is recorded for {SYMBOL}" in text
