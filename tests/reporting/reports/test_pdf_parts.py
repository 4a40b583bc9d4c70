"""The pdf is laid out in parts (bounded memory) and joined: every item once, in order, the pages
numbered on from part to part, and one outline: the title, its sections, their items, a section
cut between two parts listed once."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from reporting.reports import writers
from tests.factories.recommendations import RecommendationFactory
from tests.reporting.reports.test_report_files import _build

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_cluster(report_data):
    """Five more recommendations in the Justice cluster: with parts of two items, the cluster is
    cut across three parts."""
    r1 = report_data["upr"][0]
    for n in range(2, 7):
        RecommendationFactory(
            document=r1.document,
            paragraph=f"136.{n}",
            cluster=r1.cluster,
            text=f"Recommendation number {n} on the judiciary.",
        )
    return report_data


def _outline(reader: PdfReader, entries: list, depth: int = 0) -> list[tuple[int, str, int]]:
    out: list[tuple[int, str, int]] = []
    for entry in entries:
        if isinstance(entry, list):
            out += _outline(reader, entry, depth + 1)
        else:
            out.append((depth, entry.title, reader.get_destination_page_number(entry)))
    return out


def test_a_pdf_in_parts_holds_every_item_once_with_pages_numbered_on_and_one_outline(
    long_cluster, monkeypatch
):
    monkeypatch.setattr(writers, "PDF_PART_ITEMS", 2)
    reader = PdfReader(_build("upr-midterm", "pdf", cycle=4))
    texts = [page.extract_text() for page in reader.pages]
    whole = "\n".join(texts)
    paragraphs = ["136.25", "136.1", "136.2", "136.3", "136.4", "136.5", "136.6"]
    positions = [whole.index(f"A/HRC/58/12, para. {p}\n") for p in paragraphs]
    assert positions == sorted(positions)
    assert all(whole.count(f"A/HRC/58/12, para. {p}\n") == 1 for p in paragraphs)
    assert whole.count("Universal Periodic Review: mid-term report") == 1
    assert whole.count("\nJustice\n") == 1  # the cut section's heading is not repeated
    assert len(reader.pages) >= 4  # four parts, each on its own page(s)
    # The footers number the pages on across the parts.
    assert [t.strip().rsplit("\n", 1)[-1] for t in texts] == [
        str(n) for n in range(1, len(texts) + 1)
    ]
    outline = _outline(reader, reader.outline)
    assert [(depth, title) for depth, title, _page in outline] == [
        (0, "Universal Periodic Review: mid-term report"),
        (1, "Education"),
        (2, "A/HRC/58/12, para. 136.25"),
        (1, "Justice"),
        *[(2, f"A/HRC/58/12, para. {p}") for p in paragraphs[1:]],
    ]
    # each item's bookmark points at the page that holds it
    for _depth, title, page in outline[1:]:
        assert title in texts[page]


def test_an_empty_report_is_still_a_pdf_that_says_so(report_data, monkeypatch):
    monkeypatch.setattr(writers, "PDF_PART_ITEMS", 2)
    stream = _build("treaty-followup", "pdf", mechanism="CRC", paragraphs=["99"])
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(stream.read())).pages)
    assert "No recommendation matches." in text
