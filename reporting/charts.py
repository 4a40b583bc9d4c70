"""Charts drawn on the server as SVG: the same drawing serves the page, print and PDF, without
JavaScript. Each chart has a title and a description, and its numbers stand in a table beside
it; each bar links to the filtered list behind it."""

from __future__ import annotations

from dataclasses import dataclass

from recommendations.models import ImplementationStatus

from .selectors import Bar

WIDTH = 640
LABEL_WIDTH = 210
BAR_AREA = WIDTH - LABEL_WIDTH - 50
ROW = 26
BAR_HEIGHT = 18
# One colour per status, each at least 3:1 against white (WCAG 1.4.11, graphics).
STATUS_COLOURS = {
    ImplementationStatus.NOT_STARTED: "#6c757d",
    ImplementationStatus.IN_PROGRESS: "#0a58ca",
    ImplementationStatus.PARTIALLY_IMPLEMENTED: "#a15c00",
    ImplementationStatus.IMPLEMENTED: "#146c43",
    ImplementationStatus.NO_INFORMATION: "#212529",
}


@dataclass
class Segment:
    x: float
    width: float
    colour: str
    label: str
    count: int


@dataclass
class ChartRow:
    y: int
    text_y: int
    label: str
    total: int
    query: str
    segments: list[Segment]
    total_x: float


@dataclass
class Chart:
    width: int
    height: int
    label_x: int
    rows: list[ChartRow]
    legend: list[tuple[str, str]]


def stacked_bars(bars: list[Bar]) -> Chart:
    """The geometry of a horizontal stacked bar chart, one bar per row, split by status."""
    labels = [str(label) for label in ImplementationStatus.labels]
    colours = [STATUS_COLOURS[ImplementationStatus(v)] for v in ImplementationStatus.values]
    biggest = max((bar.total for bar in bars), default=0) or 1
    rows = []
    for index, bar in enumerate(bars):
        y = index * ROW + 4
        x = float(LABEL_WIDTH)
        segments = []
        for count, colour, label in zip(bar.counts, colours, labels, strict=True):
            if not count:
                continue
            width = BAR_AREA * count / biggest
            segments.append(Segment(round(x, 1), round(width, 1), colour, label, count))
            x += width
        rows.append(
            ChartRow(
                y=y,
                text_y=y + BAR_HEIGHT - 5,
                label=bar.label if len(bar.label) <= 30 else bar.label[:29] + "…",
                total=bar.total,
                query=bar.query,
                segments=segments,
                total_x=round(x + 6, 1),
            )
        )
    return Chart(
        width=WIDTH,
        height=max(len(bars), 1) * ROW + 8,
        label_x=LABEL_WIDTH - 8,
        rows=rows,
        legend=list(zip(labels, colours, strict=True)),
    )
