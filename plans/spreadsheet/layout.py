"""The sheets and columns of a plan's workbook: what the export writes and the import expects.

Each column names the field it shows (``field``) and how its cells read (``kind``). A column
that is not ``editable`` is there to help whoever edits the file (the measure's title beside a
budget line, the clusters of a measure's recommendations): the import ignores it, and accepts a
file without it. Every editable column, and the id column, must be in the file.
"""

from __future__ import annotations

from dataclasses import dataclass

# How the cells of a column read: see ``importer._parse``.
TEXT = "text"
REQUIRED_TEXT = "required_text"
CHOICE = "choice"
DATE = "date"
MONEY = "money"  # two decimal places
NUMBER = "number"  # four decimal places
YEAR = "year"
INSTITUTION = "institution"
INSTITUTIONS = "institutions"
RECOMMENDATIONS = "recommendations"
DIMENSIONS = "dimensions"
ID = "id"

# Several values in one cell are separated by a semicolon.
SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = TEXT
    editable: bool = True
    width: int = 16


@dataclass(frozen=True)
class SheetLayout:
    title: str
    noun: str  # "measure", "budget line": in the reasons the import gives
    id_header: str
    columns: tuple[Column, ...]
    parent: bool = True  # whether its rows carry the id of their measure

    @property
    def headers(self) -> list[str]:
        return [self.id_header, *(c.header for c in self.columns)]

    @property
    def editable(self) -> list[Column]:
        return [c for c in self.columns if c.editable]

    @property
    def widths(self) -> list[int]:
        return [12, *(c.width for c in self.columns)]


MEASURE_ID = "Measure id"

MEASURES = SheetLayout(
    title="Measures",
    noun="measure",
    id_header=MEASURE_ID,
    parent=False,
    columns=(
        Column("Title", "title", REQUIRED_TEXT, width=48),
        Column("Kind", "kind", CHOICE, width=16),
        Column("Status", "status", CHOICE, width=14),
        Column("Lead institution", "lead_institution", INSTITUTION, width=20),
        Column("Supporting institutions", "supporting_institutions", INSTITUTIONS, width=24),
        Column("Starts on", "starts_on", DATE, width=12),
        Column("Ends on", "ends_on", DATE, width=12),
        Column("Recommendations", "recommendations", RECOMMENDATIONS, width=36),
        Column("Clusters", "clusters", editable=False, width=24),
        Column("Expected outcome", "expected_outcome", width=40),
        Column("Description", "description", width=40),
        Column("Gender marker", "gender_marker", CHOICE, width=14),
        Column("Technical assistance", "technical_assistance", width=30),
        Column("Proposal", "proposal_state", editable=False, width=12),
    ),
)

MILESTONES = SheetLayout(
    title="Milestones",
    noun="milestone",
    id_header="Milestone id",
    columns=(
        Column(MEASURE_ID, "measure", ID, width=12),
        Column("Measure", "measure_title", editable=False, width=36),
        Column("Title", "title", REQUIRED_TEXT, width=48),
        Column("Due on", "due_on", DATE, width=12),
        Column("Done on", "done_on", DATE, width=12),
    ),
)

BUDGET_LINES = SheetLayout(
    title="Budget lines",
    noun="budget line",
    id_header="Budget line id",
    columns=(
        Column(MEASURE_ID, "measure", ID, width=12),
        Column("Measure", "measure_title", editable=False, width=36),
        Column("Amount", "amount", MONEY, width=16),
        Column("Currency", "currency", REQUIRED_TEXT, width=10),
        Column("Funding source", "funding_source", REQUIRED_TEXT, width=28),
        Column("Committed", "committed", MONEY, width=16),
        Column("Spent", "spent", MONEY, width=16),
    ),
)

INDICATORS = SheetLayout(
    title="Indicators",
    noun="indicator",
    id_header="Indicator id",
    columns=(
        Column(MEASURE_ID, "measure", ID, width=12),
        Column("Measure", "measure_title", editable=False, width=36),
        Column("Name", "name", REQUIRED_TEXT, width=40),
        Column("Kind", "kind", CHOICE, width=12),
        Column("Unit", "unit", width=10),
        Column("Baseline value", "baseline_value", NUMBER, width=14),
        Column("Baseline year", "baseline_year", YEAR, width=12),
        Column("Target value", "target_value", NUMBER, width=14),
        Column("Target year", "target_year", YEAR, width=12),
        Column("Frequency", "frequency", CHOICE, width=12),
        Column("Data source", "data_source", width=28),
        Column("Disaggregation", "disaggregation", DIMENSIONS, width=20),
    ),
)

SHEETS = (MEASURES, MILESTONES, BUDGET_LINES, INDICATORS)
ABOUT = "About"
PLAN_ID = "Plan id"
