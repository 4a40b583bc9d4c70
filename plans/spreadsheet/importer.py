"""Read a plan's workbook back and write what differs, row by row, through the plans services.

1. The file as a whole: the secretariat asks (``policies.ensure_can_edit_plan``); it is an XLSX
   workbook that is not a zip bomb (``tracker.uploads.check_type``); it has the export's sheets,
   each with its id column and every editable column, and no column the export does not write;
   its *About* sheet, if kept, names this plan. Otherwise ``SpreadsheetRefused`` and nothing is
   read further.
2. Each row: its cells are read as values (``data_only``: a formula's last computed value, never
   the formula), parsed, and compared with what is stored. A cell the export neutralised
   (``'=...``) reads back as it was. A row that differs in nothing is left alone: the unchanged
   file writes nothing and records no audit event.
3. The changed rows go through the services, each in its own savepoint: a row the services refuse
   (a value out of range, an end before the start) is rejected with their reason, the others
   apply. The whole import runs in one audit context (``plan_import``).
4. A dry run does all of it and rolls everything back, so that the rows it lists as changed,
   added or rejected are exactly what the import would do. An adopted or closed plan refuses a
   file that would change it, with the reason (``plans.frozen``), before any row is tried.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from plans import policies, services
from plans.frozen import FrozenError, ensure_not_frozen
from plans.models import (
    DISAGGREGATION_DIMENSIONS,
    BudgetLine,
    Frequency,
    GenderMarker,
    ImplementationPlan,
    Indicator,
    IndicatorKind,
    Measure,
    MeasureKind,
    MeasureStatus,
    Milestone,
)
from recommendations.models import Recommendation
from tracker.audit import audited
from tracker.exceptions import ApplicationError
from tracker.exports import restore
from tracker.models import Institution, User
from tracker.uploads import UploadRefused, check_type

from . import layout
from .exporter import institution_label, recommendation_label
from .layout import (
    ABOUT,
    BUDGET_LINES,
    INDICATORS,
    MEASURES,
    MILESTONES,
    PLAN_ID,
    SHEETS,
    Column,
    SheetLayout,
)

CHOICES: dict[tuple[str, str], Any] = {
    ("Measures", "kind"): MeasureKind,
    ("Measures", "status"): MeasureStatus,
    ("Measures", "gender_marker"): GenderMarker,
    ("Indicators", "kind"): IndicatorKind,
    ("Indicators", "frequency"): Frequency,
}
MAX_REPORTED_ROWS = 100_000


class SpreadsheetRefused(Exception):  # noqa: N818 (the name says what happened to the file)
    """The workbook as a whole cannot be imported; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RowRejected(Exception):  # noqa: N818
    pass


UNCHANGED = "unchanged"
UPDATED = "updated"
CREATED = "created"
REJECTED = "rejected"


@dataclass
class Change:
    column: str
    before: str
    after: str


@dataclass
class RowResult:
    """What the import did (or, in a dry run, would do) with one row of the workbook."""

    sheet: str
    row: int  # the row's number in the sheet, as the spreadsheet program shows it
    id: int | None
    action: str  # UNCHANGED, UPDATED, CREATED or REJECTED
    changes: list[Change] = field(default_factory=list)
    reason: str = ""

    @property
    def label(self) -> str:
        return f"{self.sheet} row {self.row}"


@dataclass
class ImportReport:
    plan: ImplementationPlan
    dry_run: bool
    rows: list[RowResult]
    refused: str = ""  # why nothing was written although rows would change (a frozen plan)

    @property
    def counts(self) -> Counter[str]:
        return Counter(row.action for row in self.rows)

    @property
    def changed(self) -> list[RowResult]:
        """The rows that change, are added or are rejected: what the page and command list."""
        return [row for row in self.rows if row.action != UNCHANGED]

    @property
    def applied(self) -> bool:
        return not self.dry_run and not self.refused


# --- reading the workbook ------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    cells: dict[str, Any]  # header -> value


def _header(value: Any) -> str:
    return str(value).strip().casefold() if value is not None else ""


def _open(stream: IO[bytes]) -> Any:
    from openpyxl import load_workbook

    try:
        check_type(stream, "xlsx")
    except UploadRefused as exc:
        raise SpreadsheetRefused(str(exc)) from None
    try:
        return load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SpreadsheetRefused(_unreadable(exc)) from None


def _unreadable(exc: BaseException) -> str:
    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DTDForbidden | EntitiesForbidden | ExternalReferenceForbidden):
            return _(
                "The workbook declares XML entities, which are refused: they could expand "
                "without end (an XML bomb) or read other files."
            )
        seen = seen.__cause__ or seen.__context__
    return _("The file is not a readable XLSX workbook: %(error)s") % {"error": exc}


def _sheet_rows(workbook: Any, sheet: SheetLayout) -> list[_Row]:
    """The rows of ``sheet`` by header, after checking its columns."""
    titles = {title.strip().casefold(): title for title in workbook.sheetnames}
    if sheet.title.casefold() not in titles:
        raise SpreadsheetRefused(
            _("The workbook has no sheet “%(sheet)s”: import a file exported from the plan.")
            % {"sheet": sheet.title}
        )
    rows = workbook[titles[sheet.title.casefold()]].iter_rows(values_only=True)
    try:
        headers = [_header(value) for value in next(rows)]
    except StopIteration:
        headers = []
    known = {_header(h): h for h in sheet.headers}
    needed = [sheet.id_header] + [c.header for c in sheet.editable]
    missing = [h for h in needed if _header(h) not in headers]
    unknown = [h for h in headers if h and h not in known]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing: %(columns)s") % {"columns": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown: %(columns)s") % {"columns": ", ".join(unknown)})
        raise SpreadsheetRefused(
            _("The columns of the sheet “%(sheet)s” are not those of a plan's export (%(what)s).")
            % {"sheet": sheet.title, "what": "; ".join(parts)}
        )
    duplicated = [h for h, n in Counter(h for h in headers if h).items() if n > 1]
    if duplicated:
        raise SpreadsheetRefused(
            _("The sheet “%(sheet)s” has the column %(column)s twice.")
            % {"sheet": sheet.title, "column": known[duplicated[0]]}
        )
    out = []
    for number, values in enumerate(rows, start=2):
        cells = {known[h]: value for h, value in zip(headers, values, strict=False) if h in known}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        out.append(_Row(number, cells))
        if len(out) > MAX_REPORTED_ROWS:
            raise SpreadsheetRefused(
                _("The sheet “%(sheet)s” has too many rows.") % {"sheet": sheet.title}
            )
    return out


def _check_about(workbook: Any, plan: ImplementationPlan) -> None:
    titles = {title.strip().casefold(): title for title in workbook.sheetnames}
    if ABOUT.casefold() not in titles:
        return
    for values in workbook[titles[ABOUT.casefold()]].iter_rows(values_only=True, max_row=20):
        if len(values) >= 2 and _header(values[0]) == PLAN_ID.casefold():
            try:
                exported = int(values[1])
            except (TypeError, ValueError):
                return
            if exported != plan.pk:
                raise SpreadsheetRefused(
                    _(
                        "This file is an export of plan %(exported)s, not of plan %(plan)s: "
                        "import it into the plan it was exported from."
                    )
                    % {"exported": exported, "plan": plan.pk}
                )
            return


# --- parsing cells -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()
    return str(restore(value)).replace("\r\n", "\n").strip()


def _split_cell(value: Any) -> list[str]:
    text = _text(value).replace("\n", ";")
    return [part.strip() for part in text.split(";") if part.strip()]


def _date(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value))
    except ValueError:
        raise RowRejected(_("not a date (YYYY-MM-DD): %(value)s") % {"value": value}) from None


def _decimal(value: Any, places: int) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(_text(value).replace(",", "")) if isinstance(value, str) else None
        if number is None:
            number = Decimal(str(value)) if not isinstance(value, Decimal) else value
        if not number.is_finite():
            raise InvalidOperation
        return number.quantize(Decimal(1).scaleb(-places))
    except (InvalidOperation, ValueError):
        raise RowRejected(_("not a number: %(value)s") % {"value": value}) from None


def _integer(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise RowRejected(_("not a whole number: %(value)s") % {"value": value}) from None
    if isinstance(number, float) and not number.is_integer():
        raise RowRejected(_("not a whole number: %(value)s") % {"value": value})
    return int(number)


def _choice(value: Any, choices: Any) -> str:
    text = _text(value)
    if not text:
        if "" in choices.values:
            return ""
        raise RowRejected(_("a value is needed"))
    wanted = text.casefold()
    for code, label in choices.choices:
        if wanted in (str(code).casefold(), str(label).casefold()):
            return str(code)
    raise RowRejected(
        _("“%(value)s” is not one of %(codes)s")
        % {"value": text, "codes": ", ".join(v for v in choices.values if v)}
    )


class _Lookups:
    """Institutions and recommendations by the labels the export writes: read once."""

    def __init__(self, rows: list[_Row]) -> None:
        self.institutions: dict[str, list[Institution]] = defaultdict(list)
        for institution in Institution.objects.only("id", "name", "acronym"):
            for key in {institution.name.casefold(), (institution.acronym or "").casefold()}:
                if key:
                    self.institutions[key].append(institution)
        refs = {ref for row in rows for ref in _split_cell(row.cells.get("Recommendations"))}
        symbols = {ref.split(" ¶")[0].strip() for ref in refs}
        self.recommendations: dict[str, list[int]] = defaultdict(list)
        self.labels: dict[int, str] = {}
        found = Recommendation.objects.filter(document__symbol__in=symbols).select_related(
            "document"
        )
        for rec in found.only("id", "paragraph", "document__symbol"):
            self.labels[rec.pk] = recommendation_label(rec)
            self.recommendations[self.labels[rec.pk].casefold()].append(rec.pk)

    def institution(self, label: str) -> Institution:
        found = self.institutions.get(label.casefold(), [])
        if len(found) != 1:
            message = (
                _("no institution “%(label)s”")
                if not found
                else _("“%(label)s” names several institutions: use the full name")
            )
            raise RowRejected(message % {"label": label})
        return found[0]

    def recommendation(self, label: str) -> int:
        normalised = " ¶".join(part.strip() for part in label.split("¶"))
        found = self.recommendations.get(normalised.casefold(), [])
        if len(found) != 1:
            message = (
                _("no recommendation “%(label)s”")
                if not found
                else _("“%(label)s” names several recommendations")
            )
            raise RowRejected(message % {"label": label})
        return found[0]


def _parse(sheet: SheetLayout, column: Column, value: Any, lookups: _Lookups) -> Any:
    kind = column.kind
    if kind == layout.TEXT:
        return _text(value)
    if kind == layout.REQUIRED_TEXT:
        text = _text(value)
        if not text:
            raise RowRejected(_("a value is needed"))
        return text
    if kind == layout.CHOICE:
        return _choice(value, CHOICES[(sheet.title, column.field)])
    if kind == layout.DATE:
        return _date(value)
    if kind == layout.MONEY:
        return _decimal(value, 2)
    if kind == layout.NUMBER:
        return _decimal(value, 4)
    if kind in (layout.YEAR, layout.ID):
        return _integer(value)
    if kind == layout.INSTITUTION:
        text = _text(value)
        return lookups.institution(text) if text else None
    if kind == layout.INSTITUTIONS:
        return {lookups.institution(label).pk for label in _split_cell(value)}
    if kind == layout.RECOMMENDATIONS:
        return {lookups.recommendation(label) for label in _split_cell(value)}
    if kind == layout.DIMENSIONS:
        dimensions = [part.casefold() for part in _split_cell(value)]
        unknown = [d for d in dimensions if d not in DISAGGREGATION_DIMENSIONS]
        if unknown:
            raise RowRejected(
                _("not a dimension: %(names)s (%(known)s)")
                % {"names": ", ".join(unknown), "known": ", ".join(DISAGGREGATION_DIMENSIONS)}
            )
        return list(dict.fromkeys(dimensions))
    raise AssertionError(kind)  # pragma: no cover


def _values(sheet: SheetLayout, row: _Row, lookups: _Lookups) -> dict[str, Any]:
    values: dict[str, Any] = {}
    errors = []
    for column in sheet.editable:
        try:
            values[column.field] = _parse(sheet, column, row.cells.get(column.header), lookups)
        except RowRejected as exc:
            errors.append(f"{column.header}: {exc}")
    if errors:
        raise RowRejected("; ".join(errors))
    if sheet is BUDGET_LINES:
        # Nothing committed or spent yet: an empty cell is zero, as the pages take it.
        for name in ("committed", "spent"):
            if values[name] is None:
                values[name] = Decimal("0.00")
        values["currency"] = values["currency"].upper()
    return values


# --- comparing with what is stored ---------------------------------------------------------------


def _stored(obj: Any, name: str) -> Any:
    if name in ("supporting_institutions", "recommendations"):
        return {o.pk for o in getattr(obj, name).all()}
    if name == "measure":
        return obj.measure_id
    if name == "lead_institution":
        return obj.lead_institution
    value = getattr(obj, name)
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if name == "disaggregation":
        return list(value or [])
    return value


def _same(stored: Any, wanted: Any) -> bool:
    if isinstance(stored, Decimal) and isinstance(wanted, Decimal):
        return stored.compare(wanted) == 0
    if isinstance(stored, Institution) or isinstance(wanted, Institution):
        return getattr(stored, "pk", None) == getattr(wanted, "pk", None)
    return bool(stored == wanted)


def _show(value: Any, labels: Callable[[int], str] | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, Institution):
        return institution_label(value)
    if isinstance(value, set):
        shown = sorted(labels(v) for v in value) if labels else sorted(map(str, value))
        return layout.SEPARATOR.join(shown)
    if isinstance(value, list):
        return layout.SEPARATOR.join(map(str, value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- the import ----------------------------------------------------------------------------------


class _Import:
    def __init__(self, actor: User | None, plan: ImplementationPlan, workbook: Any) -> None:
        self.actor = actor
        self.plan = plan
        self.rows = {sheet.title: _sheet_rows(workbook, sheet) for sheet in SHEETS}
        self.lookups = _Lookups(self.rows[MEASURES.title])
        self.measures = {
            m.pk: m
            for m in Measure.objects.filter(plan=plan)
            .select_related("lead_institution")
            .prefetch_related(
                "supporting_institutions",
                Prefetch(
                    "recommendations",
                    queryset=Recommendation.objects.select_related("document").only(
                        "id", "paragraph", "document__symbol"
                    ),
                ),
            )
        }
        for measure in self.measures.values():
            for rec in measure.recommendations.all():
                self.lookups.labels.setdefault(rec.pk, recommendation_label(rec))
        self.stored: dict[str, dict[int, Any]] = {
            MEASURES.title: self.measures,
            MILESTONES.title: {o.pk: o for o in Milestone.objects.filter(measure__plan=plan)},
            BUDGET_LINES.title: {o.pk: o for o in BudgetLine.objects.filter(measure__plan=plan)},
            INDICATORS.title: {o.pk: o for o in Indicator.objects.filter(measure__plan=plan)},
        }
        self.institution_names = {
            i.pk: institution_label(i) for i in Institution.objects.only("id", "name", "acronym")
        }
        self.pending: list[tuple[RowResult, SheetLayout, Any, dict[str, Any]]] = []

    def _label(self, name: str) -> Callable[[int], str] | None:
        if name == "supporting_institutions":
            return lambda pk: self.institution_names.get(pk, str(pk))
        if name == "recommendations":
            return self._recommendation_label
        return None

    def _recommendation_label(self, pk: int) -> str:
        return self.lookups.labels.get(pk, f"#{pk}")

    def compare(self) -> list[RowResult]:
        results = []
        for sheet in SHEETS:
            seen: dict[int, int] = {}
            stored = self.stored[sheet.title]
            for row in self.rows[sheet.title]:
                result = RowResult(sheet.title, row.number, None, UNCHANGED)
                results.append(result)
                try:
                    self._compare_row(sheet, row, stored, seen, result)
                except RowRejected as exc:
                    result.action = REJECTED
                    result.reason = str(exc)
        return results

    def _compare_row(
        self,
        sheet: SheetLayout,
        row: _Row,
        stored: dict[int, Any],
        seen: dict[int, int],
        result: RowResult,
    ) -> None:
        try:
            pk = _integer(row.cells.get(sheet.id_header))
        except RowRejected as exc:
            raise RowRejected(f"{sheet.id_header}: {exc}") from None
        result.id = pk
        if pk is not None:
            if pk not in stored:
                raise RowRejected(
                    _("%(column)s %(id)s is not a %(noun)s of this plan.")
                    % {"column": sheet.id_header, "id": pk, "noun": sheet.noun}
                )
            if pk in seen:
                raise RowRejected(
                    _("%(column)s %(id)s is on row %(row)s already.")
                    % {"column": sheet.id_header, "id": pk, "row": seen[pk]}
                )
            seen[pk] = row.number
        values = _values(sheet, row, self.lookups)
        if sheet.parent:
            measure_id = values.pop("measure")
            if measure_id is None or measure_id not in self.measures:
                raise RowRejected(
                    _("%(column)s: not a measure of this plan.") % {"column": layout.MEASURE_ID}
                )
            if pk is not None and stored[pk].measure_id != measure_id:
                raise RowRejected(
                    _("A %(noun)s stays with its measure: add it to the other one as a new row.")
                    % {"noun": sheet.noun}
                )
            values["measure"] = self.measures[measure_id]
        if pk is None:
            result.action = CREATED
            result.changes = [
                Change(c.header, "", _show(values.get(c.field), self._label(c.field)))
                for c in sheet.editable
                if c.field != "measure" and values.get(c.field) not in (None, "", set(), [])
            ]
            self.pending.append((result, sheet, None, values))
            return
        obj = stored[pk]
        changes = {}
        for column in sheet.editable:
            if column.field == "measure":
                continue
            before, after = _stored(obj, column.field), values[column.field]
            if not _same(before, after):
                changes[column.field] = after
                label = self._label(column.field)
                result.changes.append(
                    Change(column.header, _show(before, label), _show(after, label))
                )
        if changes:
            result.action = UPDATED
            self.pending.append((result, sheet, obj, changes))

    def apply(self) -> None:
        for result, sheet, obj, values in self.pending:
            try:
                with transaction.atomic():
                    self._write(sheet, obj, values)
            except ApplicationError as exc:
                result.action = REJECTED
                result.reason = _reason(exc)
            except (PermissionDenied, FrozenError) as exc:
                result.action = REJECTED
                result.reason = str(exc) or _("Not allowed.")

    def _write(self, sheet: SheetLayout, obj: Any, values: dict[str, Any]) -> None:
        actor = self.actor
        if sheet is MEASURES:
            if obj is None:
                title = values.pop("title")
                services.measure_create(actor=actor, plan=self.plan, title=title, **values)
            else:
                services.measure_update(actor=actor, measure=obj, **values)
        elif sheet is MILESTONES:
            if obj is None:
                services.milestone_create(actor=actor, **values)
            else:
                services.milestone_update(actor=actor, milestone=obj, **values)
        elif sheet is BUDGET_LINES:
            if obj is None:
                services.budget_line_create(actor=actor, **values)
            else:
                services.budget_line_update(actor=actor, budget_line=obj, **values)
        elif obj is None:
            services.indicator_create(actor=actor, **values)
        else:
            services.indicator_update(actor=actor, indicator=obj, **values)


def _reason(exc: ApplicationError) -> str:
    fields = (getattr(exc, "extra", None) or {}).get("fields") or {}
    if not fields:
        return str(exc.message)
    return "; ".join(
        f"{name}: {' '.join(str(m) for m in messages)}" for name, messages in fields.items()
    )


@audited
def plan_import(
    *, actor: User | None, plan: ImplementationPlan, stream: IO[bytes], dry_run: bool = False
) -> ImportReport:
    """Import a plan's workbook into ``plan`` (see the module's docstring); with ``dry_run``,
    what it would do, nothing written.

    Raises ``PermissionDenied`` unless the secretariat asks, ``SpreadsheetRefused`` for a file
    that cannot be imported as a whole (not a workbook, a zip bomb, the wrong sheets or columns,
    another plan's export).
    """
    if actor is not None:
        policies.ensure_can_edit_plan(actor, plan)
    workbook = _open(stream)
    try:
        _check_about(workbook, plan)
        job = _Import(actor, plan, workbook)
    except SpreadsheetRefused:
        raise
    except Exception as exc:  # what the XML parser or openpyxl raise for a hostile or broken part
        raise SpreadsheetRefused(_unreadable(exc)) from None
    finally:
        workbook.close()
    rows = job.compare()
    report = ImportReport(plan=plan, dry_run=dry_run, rows=rows)
    if job.pending:
        try:
            ensure_not_frozen(plan)
        except FrozenError as exc:
            report.refused = str(exc)
            return report
    with transaction.atomic():
        job.apply()
        if dry_run:
            transaction.set_rollback(True)
    return report


def import_plan(
    *, actor: User | None, plan: ImplementationPlan, stream: IO[bytes], dry_run: bool = False
) -> ImportReport:
    """``plan_import``: the name the commands and pages call."""
    return plan_import(actor=actor, plan=plan, stream=stream, dry_run=dry_run)


def iter_lines(report: ImportReport) -> Iterator[str]:
    """The report as lines of text (the command prints them)."""
    for row in report.changed:
        what = {CREATED: _("add"), UPDATED: _("change"), REJECTED: _("rejected")}[row.action]
        target = f" {row.id}" if row.id is not None else ""
        if row.action == REJECTED:
            yield f"{row.label}{target}: {what}: {row.reason}"
            continue
        details = "; ".join(f"{c.column}: {c.before!r} → {c.after!r}" for c in row.changes)
        yield f"{row.label}{target}: {what}: {details}"
