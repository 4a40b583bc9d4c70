"""The three formats of a report. Each writer consumes the report's items once, in order.

- docx: python-docx, one heading per section, each item a heading citing symbol and paragraph;
- pdf: the HTML of ``reporting/report.html`` laid out by WeasyPrint with the Noto fonts (Arabic,
  Chinese), right to left in Arabic;
- xlsx: one row per item through ``tracker.exports.write_xlsx`` (formula cells neutralised).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.template.loader import render_to_string
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from tracker.exports import write_xlsx

from .content import Item, Report

Progress = Callable[[int], None] | None


def _join(values: list[str]) -> str:
    return "; ".join(values)


def _measures_text(item: Item) -> str:
    return "\n".join(str(m) for m in item.measures)


def _indicators_text(item: Item) -> str:
    return "\n".join(str(i) for m in item.measures for i in m.indicators)


def write_docx(report: Report, stream: IO[bytes], on_progress: Progress = None) -> None:
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = Document()
    rtl = get_language_bidi()
    # python-docx's add_paragraph looks for the body's last element (sectPr) among all the
    # paragraphs already written: quadratic for a long report. Paragraphs are appended at the
    # end instead, and the section properties moved back to the end once all are written.
    body = document.element.body
    styles = {name: document.styles[name] for name in ("Title", "Heading 1", "Heading 2")}

    def add(style: str | None = None) -> Paragraph:
        p = OxmlElement("w:p")
        body.append(p)
        paragraph = Paragraph(p, document._body)  # type: ignore[arg-type]
        if style:
            paragraph.style = styles.get(style) or document.styles[style]
        return paragraph

    def heading(text: str, level: int) -> None:
        add("Title" if level == 0 else f"Heading {level}").add_run(text)

    def para(text: str, style: str | None = None, *, bold_label: str = "") -> None:
        paragraph = add(style)
        if bold_label:
            paragraph.add_run(bold_label + ": ").bold = True
        paragraph.add_run(text)
        if rtl:
            paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))

    heading(report.title, 0)
    if report.subtitle:
        para(report.subtitle)
    if report.note:
        para(report.note)
    para(_("Draft of %(date)s") % {"date": report.generated_on.isoformat()})
    section = None
    for section_heading, item in report.items(on_progress):
        if section_heading != section:
            heading(section_heading, 1)
            section = section_heading
        heading(item.citation, 2)
        para(item.text)
        if item.recommending_states:
            para(_join(item.recommending_states), bold_label=_("Recommending States"))
        if item.position:
            para(item.position, bold_label=_("Position"))
        para(item.status, bold_label=_("Status"))
        if item.themes:
            para(_join(item.themes), bold_label=_("Themes"))
        if item.measures:
            para("", bold_label=_("Measures taken"))
            for measure in item.measures:
                para(str(measure), "List Bullet")
                for indicator in measure.indicators:
                    para(str(indicator), "List Bullet 2")
        else:
            para(_("No measure recorded."), bold_label=_("Measures taken"))
        para(_join(item.progress) or _("No information"), bold_label=_("Progress"))
        para(_join(item.assessments) or _("No information"), bold_label=_("Assessments"))
    sect_pr = body.find(qn("w:sectPr"))
    if sect_pr is not None:
        body.remove(sect_pr)
        body.append(sect_pr)
    if rtl:
        for style in document.styles:
            element = getattr(style, "element", None)
            if element is not None and element.find(qn("w:pPr")) is not None:
                element.find(qn("w:pPr")).append(OxmlElement("w:bidi"))
    document.save(stream)


class _Sections:
    """The items grouped by section heading, for the template, streamed."""

    def __init__(self, report: Report, on_progress: Progress) -> None:
        self.report = report
        self.on_progress = on_progress

    def __iter__(self) -> Iterator[dict[str, Any]]:
        heading: str | None = None
        items: list[Item] = []
        for section, item in self.report.items(self.on_progress):
            if section != heading and items:
                yield {"heading": heading, "items": items, "continued": False}
                items = []
            heading = section
            items.append(item)
        if items:
            yield {"heading": heading, "items": items, "continued": False}


def report_html(
    report: Report,
    on_progress: Progress = None,
    *,
    sections: Iterable[dict[str, Any]] | None = None,
    first_part: bool = True,
    first_page: int = 1,
) -> str:
    """The report as HTML for WeasyPrint: all of it, or one part of it (``sections``, laid out
    from page ``first_page``; the title only on the first part)."""
    return render_to_string(
        "reporting/report.html",
        {
            "report": report,
            "sections": _Sections(report, on_progress) if sections is None else sections,
            "rtl": get_language_bidi(),
            "first_part": first_part,
            "first_page": first_page,
        },
    )


# How many items WeasyPrint lays out at a time. A whole report at once held every page's boxes
# in memory (about 2.4 GB for 5,000 recommendations); in parts, memory stays that of one part.
PDF_PART_ITEMS = 200


def _pdf_parts(report: Report, on_progress: Progress) -> Iterator[list[dict[str, Any]]]:
    """The report's sections cut into parts of at most ``PDF_PART_ITEMS`` items. A section cut in
    two goes on in the next part without its heading again (``continued``). At least one part,
    empty for an empty report."""
    part: list[dict[str, Any]] = []
    count = 0
    heading: str | None = None
    sent = False
    for section, item in report.items(on_progress):
        if count == PDF_PART_ITEMS:
            yield part
            sent = True
            part, count = [], 0
        if not part or part[-1]["heading"] != section:
            part.append({"heading": section, "items": [], "continued": section == heading})
        heading = section
        part[-1]["items"].append(item)
        count += 1
    if part or not sent:
        yield part


def _bookmarks(tree: list[Any]) -> Iterator[int]:
    """The page of each bookmark (heading) WeasyPrint made, in document order."""
    for _label, (page, *_position), children, _state in tree:
        yield page
        yield from _bookmarks(children)


def write_pdf(report: Report, stream: IO[bytes], on_progress: Progress = None) -> None:
    """The report laid out by WeasyPrint part by part (``PDF_PART_ITEMS`` items each), the parts'
    pages joined by pypdf. Pages are numbered on from part to part; the outline (bookmarks) is
    the report's: the title, each section under it, each item under its section."""
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    writer = PdfWriter()
    pages = 0
    title_entry: Any = None
    section_entry: Any = None
    for number, part in enumerate(_pdf_parts(report, on_progress)):
        html = report_html(report, sections=part, first_part=number == 0, first_page=pages + 1)
        document = HTML(string=html).render()
        # The headings in document order, as the template writes them: the title (first part
        # only), then each section's heading (unless it goes on from the previous part) and the
        # citation of each of its items.
        headings: list[tuple[str, str]] = [("title", report.title)] if number == 0 else []
        for section in part:
            if not section["continued"]:
                headings.append(("section", section["heading"]))
            headings.extend(("item", item.citation) for item in section["items"])
        starts = list(_bookmarks(document.make_bookmark_tree()))
        count = len(document.pages)
        buffer = io.BytesIO()
        document.write_pdf(buffer)
        del document, html
        buffer.seek(0)
        writer.append(PdfReader(buffer), import_outline=False)
        del buffer
        if len(headings) != len(starts):  # a heading WeasyPrint made no bookmark for
            headings = []
        for (kind, label), page in zip(headings, starts, strict=False):
            if kind == "title":
                title_entry = writer.add_outline_item(title=label, page_number=pages + page)
            elif kind == "section":
                section_entry = writer.add_outline_item(
                    title=label, page_number=pages + page, parent=title_entry, is_open=False
                )
            else:
                writer.add_outline_item(title=label, page_number=pages + page, parent=section_entry)
        pages += count
    writer.write(stream)


def write_xlsx_report(report: Report, stream: IO[bytes], on_progress: Progress = None) -> None:
    header = [
        _("Section"),
        _("Document symbol"),
        _("Paragraph"),
        _("Mechanism"),
        _("Recommendation"),
        _("Recommending States"),
        _("Position"),
        _("Status"),
        _("Themes"),
        _("Affected persons"),
        _("SDG targets"),
        _("Measures taken"),
        _("Indicator values"),
        _("Progress"),
        _("Assessments"),
    ]
    rows = (
        [
            section,
            item.symbol,
            item.paragraph,
            item.mechanism,
            item.text,
            _join(item.recommending_states),
            item.position,
            item.status,
            _join(item.themes),
            _join(item.affected_groups),
            _join(item.sdg_targets),
            _measures_text(item),
            _indicators_text(item),
            "\n".join(item.progress),
            "\n".join(item.assessments),
        ]
        for section, item in report.items(on_progress)
    )
    write_xlsx(stream, header, rows)


WRITERS: dict[str, Callable[[Report, IO[bytes], Progress], None]] = {
    "docx": write_docx,
    "pdf": write_pdf,
    "xlsx": write_xlsx_report,
}
