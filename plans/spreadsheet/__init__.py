"""The plan as a spreadsheet: export it, edit it in any spreadsheet program, import it back.

The workbook (``layout``) has one sheet per kind of row, each row with the stable id of what it
shows: *Measures* (one row per measure, its recommendations listed in one cell: a secretariat
edits a measure once, not once for each of the recommendations it addresses), *Milestones*,
*Budget lines* and *Indicators* (one row each, with the id of their measure), and *About* (the
plan, and the values the coded columns take). Headers are English whatever the language of the
page: they are the file's format, which an import of the same file must read in any language.

``export_plan`` writes it with constant memory (``tracker.exports``: write-only, formula cells
neutralised). ``import_plan`` reads it back (read-only, values never formulas, the upload and
zip-bomb checks of ``tracker.uploads``), compares each row with what is stored and writes the
differences through the plans services (policy, frozen rule, validation, audit): a row that
differs in nothing is not written, a bad row is rejected with its reason and the others apply, a
workbook whose sheets or columns are not the export's is refused as a whole. A dry run does the
same and rolls everything back, so that what it lists is exactly what the import would do.
"""

from __future__ import annotations

from .exporter import export_filename, export_plan
from .importer import ImportReport, RowResult, SpreadsheetRefused, import_plan

__all__ = [
    "ImportReport",
    "RowResult",
    "SpreadsheetRefused",
    "export_filename",
    "export_plan",
    "import_plan",
]
