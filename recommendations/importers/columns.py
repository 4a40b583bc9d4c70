"""The columns an import writes, one table per target table, and COPY's text format.

Each ``Table`` lists its columns once, each with where its value comes from (``From``) and what an
update of a stored row does with it. Everything else about those columns is generated from the list:
the COPY rows of new rows (``Table.copy_template``, ``Table.render``), the column lists of COPY and of
the upserts (``sql``), the values given where the feed has none (the model field's default, read
with ``Model._meta.get_field(name).get_default()``, never typed out again) and the staging table
``import_rows`` the changed rows go through (``STAGED``). A column is added or moved here only.
"""

from __future__ import annotations

import enum
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from django.db import models

from recommendations.models import ImportChange, Recommendation, RecommendationText

if TYPE_CHECKING:
    from .records import FeedRecord

# The language of the UHRI texts when a run does not tell (the reference language's default).
LANGUAGE = "en"
# Texts listed for review (ImportChange) are cut to this many characters.
REVIEW_TEXT_LIMIT = 4000


def max_length(model: type[models.Model], name: str) -> int:
    """The ``max_length`` of a model's field: what a value written to it must fit in."""
    length = getattr(model._meta.get_field(name), "max_length", None)
    if not isinstance(length, int):
        raise TypeError(f"{model.__name__}.{name} has no max_length")
    return length


def field_default(model: type[models.Model], name: str) -> Any:
    """The value Django would give a model's field when none is set (the choice's value)."""
    model_field = model._meta.get_field(name)
    if not isinstance(model_field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    value = model_field.get_default()
    return value.value if isinstance(value, enum.Enum) else value


def copy_value(value: Any) -> str:
    """One field in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, list):
        return "{" + ",".join(str(v) for v in value) + "}"
    text = str(value).replace("\x00", "")  # PostgreSQL text cannot hold NUL
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_constant(value: Any) -> str:
    """A value that is the same on every row, in COPY's text format."""
    if isinstance(value, bool):
        return "t" if value else "f"
    return copy_value(value)


# Built once: ``json.dumps`` with options builds a new encoder on every call.
RAW_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


def raw_json(raw: Any) -> str:
    """The raw record as stored (jsonb refuses the NUL character, even escaped)."""
    return RAW_ENCODER.encode(raw).replace("\\u0000", "")


class From(enum.Enum):
    """Where the value of a column comes from."""

    ID = enum.auto()  # the recommendation's id (a new one's is taken from the sequence first)
    RECORD = enum.auto()  # the feed record: ``Column.attribute``, through ``Column.convert``
    DOCUMENT = enum.auto()  # the id of the record's document, looked up
    LINK = enum.auto()  # the id of one theme, group, SDG target or State the record links to
    RUN = enum.auto()  # the import run's id
    PUBLICATION = enum.auto()  # the publication state the importer gives new recommendations
    CONSTANT = enum.auto()  # ``Column.constant``: the same for every row of every import
    DEFAULT = enum.auto()  # the model field's default
    NOW = enum.auto()  # the batch's time (in an upsert, the transaction's: now())
    LANGUAGE = enum.auto()  # the language of the run's texts


# The values that differ from one row to the next; the others are the same for a whole batch.
PER_ROW = frozenset({From.ID, From.RECORD, From.DOCUMENT, From.LINK})


@dataclass(frozen=True)
class Column:
    name: str
    source: From
    # When the row is stored already (upsert): True takes the incoming value (EXCLUDED.<name>),
    # a string is the SQL of the new value, False keeps the stored one (the NMRF's own fields).
    update: bool | str = False
    attribute: str = ""  # From.RECORD: the FeedRecord attribute
    convert: Callable[[Any], Any] | None = None  # From.RECORD: the attribute to the value stored
    constant: Any = None  # From.CONSTANT
    staged: str = ""  # the column's type in the staging table ``import_rows``, if staged there
    # From.RECORD, not staged: its value in an upsert, as SQL over the staged row ({staged}: alias)
    upsert_sql: str = ""


@dataclass(frozen=True)
class Table:
    """The columns an import writes into one table, in the order it writes them."""

    model: type[models.Model]
    columns: tuple[Column, ...]
    array: str = ""  # a link table: the array of its ids in ``import_rows``
    _record: tuple[Column, ...] = field(init=False, repr=False, compare=False)
    _get: Callable[[Any], Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        record = tuple(c for c in self.columns if c.source is From.RECORD)
        if record:
            get = attrgetter(*(c.attribute for c in record))
            # One attribute: attrgetter gives the value itself, not a tuple.
            object.__setattr__(self, "_get", get if len(record) > 1 else lambda r: (get(r),))
        object.__setattr__(self, "_record", record)

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    def column(self, source: From) -> Column:
        """The table's one column with values from ``source``."""
        (found,) = (c for c in self.columns if c.source is source)
        return found

    def names(self) -> str:
        """The column list, as COPY takes it."""
        return ", ".join(c.name for c in self.columns)

    @property
    def record_columns(self) -> tuple[Column, ...]:
        return self._record

    @functools.cached_property
    def defaults(self) -> dict[str, Any]:
        """The values the feed does not give (defaults and constants), by column name."""
        values = {c.name: c.constant for c in self.columns if c.source is From.CONSTANT}
        values.update(
            (c.name, field_default(self.model, c.name))
            for c in self.columns
            if c.source is From.DEFAULT
        )
        return values

    def render(self, record: FeedRecord) -> str:
        """The record's own columns of this table, tab-separated in COPY's text format."""
        return "\t".join(
            [
                copy_value(value if column.convert is None else column.convert(value))
                for column, value in zip(self._record, self._get(record), strict=True)
            ]
        )

    def copy_template(
        self,
        order: tuple[From, ...],
        run: int = 0,
        publication: str = "",
        now: str = "",
        language: str = LANGUAGE,
    ) -> str:
        """A COPY row of this table as a %-template, for one batch: the values of each row left
        open as ``%s`` (``order``: their sources, as the caller passes them; the record's columns
        are one field, ``render``), the others (``run``, ``publication``, ``now``, the defaults
        and constants) in place."""
        constants = self.defaults
        batch = {
            From.RUN: run,
            From.PUBLICATION: publication,
            From.NOW: now,
            From.LANGUAGE: language,
        }
        fields: list[str] = []
        open_fields: list[From] = []
        for column in self.columns:
            if column.source in PER_ROW:
                if column.source is not From.RECORD or open_fields[-1:] != [From.RECORD]:
                    fields.append("%s")
                    open_fields.append(column.source)
                continue
            value = batch.get(column.source, constants.get(column.name))
            fields.append(_copy_constant(value).replace("%", "%%"))
        if tuple(open_fields) != order:
            raise ValueError(f"{self.name}: the rows' own values come as {open_fields}")
        return "\t".join(fields) + "\n"

    def insert_values(self, *, staged: str = "", id_sql: str | None = None) -> tuple[str, str]:
        """(columns, values) of an ``INSERT ... SELECT`` from the staging table (``staged``: its
        alias, with the dot). Without ``id_sql``, the id column is left to its sequence. The
        parameters are ``%(run)s``, ``%(publication_state)s``, ``%(language)s`` and ``defaults``."""
        names, values = [], []
        for column in self.columns:
            source = column.source
            if source is From.ID:
                if id_sql is None:
                    continue
                value = id_sql
            elif column.upsert_sql:
                value = column.upsert_sql.format(staged=staged)
            elif source in {From.RECORD, From.DOCUMENT}:
                value = f"{staged}{column.name}"
            elif source is From.LANGUAGE:
                value = "%(language)s"
            elif source is From.RUN:
                value = "%(run)s"
            elif source is From.PUBLICATION:
                value = "%(publication_state)s"
            elif source is From.NOW:
                value = "now()"
            else:
                value = f"%({column.name})s"
            names.append(column.name)
            values.append(value)
        return ", ".join(names), ", ".join(values)

    @property
    def updated(self) -> tuple[Column, ...]:
        """The columns an update of a stored row writes."""
        return tuple(c for c in self.columns if c.update)

    def update_set(self) -> str:
        """The SET list of ``ON CONFLICT DO UPDATE``."""
        return ", ".join(
            f"{c.name} = {'EXCLUDED.' + c.name if c.update is True else c.update}"
            for c in self.updated
        )


def _record(name: str, staged: str, attribute: str = "", **options: Any) -> Column:
    """A column of the record's, updated from the feed, staged with ``staged`` type."""
    return Column(
        name, From.RECORD, update=True, attribute=attribute or name, staged=staged, **options
    )


# New recommendations are COPYed with these columns in this order; changed ones are upserted
# with the same columns but the id. The record's own columns come first (``FeedRecord.copy_fields``).
RECOMMENDATION = Table(
    Recommendation,
    (
        Column("id", From.ID),
        Column("annotation_id", From.RECORD, attribute="annotation_id", staged="uuid PRIMARY KEY"),
        _record("paragraph", "text NOT NULL"),
        _record(
            "paragraph_sort",
            "text NOT NULL",
            attribute="paragraph",
            convert=Recommendation.paragraph_sort_key,
        ),
        _record("annotation_type", "text NOT NULL"),
        _record("position", "text NOT NULL"),
        _record("content_hash", "text NOT NULL", attribute="digest"),
        _record("raw_record", "jsonb", attribute="raw", convert=raw_json),
        Column("document_id", From.DOCUMENT, update=True, staged="bigint NOT NULL"),
        Column("created_by_run_id", From.RUN),
        Column("updated_by_run_id", From.RUN, update=True),
        Column("publication_state", From.PUBLICATION),
        # The NMRF's own fields: the defaults for a new row, never overwritten by an import.
        Column("position_source", From.DEFAULT),
        Column("status", From.DEFAULT),
        Column("priority", From.DEFAULT),
        Column("status_override_reason", From.DEFAULT),
        Column("national_notes", From.DEFAULT),
        # A changed row that was withdrawn is back in the feed: current again, not withdrawn.
        Column("is_current", From.DEFAULT, update=True),
        Column("withdrawn_at", From.DEFAULT, update=True),
        # Every change counts in ``version``; ``national_version`` (the national fields' lock) is
        # not written: the database's default for a new row, and an import leaves it.
        Column("version", From.DEFAULT, update="r.version + 1"),
        Column("created_at", From.NOW),
        Column("updated_at", From.NOW, update=True),
    ),
)

# The text of each recommendation in the run's language (``FeedRecord.copy_text``). Its digest
# is that of the HTML, from which the plain text follows: PostgreSQL computes the same (md5).
TEXT = Table(
    RecommendationText,
    (
        Column("recommendation_id", From.ID),
        Column("language", From.LANGUAGE),
        _record("text", "text NOT NULL"),
        _record("html", "text NOT NULL"),
        Column(
            "content_hash",
            From.RECORD,
            update=True,
            attribute="text_digest",
            upsert_sql="md5({staged}html)",
        ),
        Column("source", From.DEFAULT),
    ),
)


def _link(descriptor: Any, array: str) -> Table:
    """A many-to-many table of recommendations; ``array``: its ids in ``import_rows``."""
    m2m = descriptor.field
    return Table(
        descriptor.through,
        (Column(m2m.m2m_column_name(), From.ID), Column(m2m.m2m_reverse_name(), From.LINK)),
        array=array,
    )


# The tags of a recommendation, in the order of ``Lookups.links``.
LINKS = (
    _link(Recommendation.themes, "theme_ids"),
    _link(Recommendation.affected_groups, "group_ids"),
    _link(Recommendation.sdg_targets, "target_ids"),
    _link(Recommendation.recommending_states, "state_ids"),
)

# A dry run lists its new recommendations for review instead of creating them.
NEW_CHANGE = Table(
    ImportChange,
    (
        Column("run_id", From.RUN),
        Column("language", From.LANGUAGE),
        Column("kind", From.CONSTANT, constant=ImportChange.Kind.NEW.value),
        Column("recommendation_id", From.DEFAULT),
        Column("old_text", From.DEFAULT),
        Column("annotation_id", From.RECORD, attribute="annotation_id"),
        Column("symbol", From.RECORD, attribute="symbol"),
        Column("paragraph", From.RECORD, attribute="paragraph"),
        Column(
            "new_text",
            From.RECORD,
            attribute="text",
            convert=lambda text: text[:REVIEW_TEXT_LIMIT],
        ),
    ),
)

# A feed in another language than the reference lists the texts it adds to stored recommendations
# for review, without a copy of the text (the review list reads it from the text).
TEXT_ADDED_CHANGE = Table(
    ImportChange,
    (
        Column("run_id", From.RUN),
        Column("language", From.LANGUAGE),
        Column("kind", From.CONSTANT, constant=ImportChange.Kind.TEXT_CHANGED.value),
        Column("old_text", From.DEFAULT),
        Column("new_text", From.DEFAULT),
        Column("recommendation_id", From.ID),
        Column("annotation_id", From.RECORD, attribute="annotation_id"),
        Column("symbol", From.RECORD, attribute="symbol"),
        Column("paragraph", From.RECORD, attribute="paragraph"),
    ),
)

# The staging table of changed rows, in the order of ``staged_row``: the recommendation's own
# columns, its text, the document's symbol (for the review list), the document, the link arrays.
SYMBOL = Column("symbol", From.RECORD, attribute="symbol", staged="text NOT NULL")
STAGED = (
    *RECOMMENDATION.record_columns,
    *(column for column in TEXT.record_columns if column.staged),
    SYMBOL,
    RECOMMENDATION.column(From.DOCUMENT),
    *(Column(link.array, From.LINK, staged="bigint[] NOT NULL") for link in LINKS),
)


def render_record(record: FeedRecord) -> FeedRecord:
    """Render the record's own COPY fields, once: only rows that are written need them (an
    unchanged row never does)."""
    if not record.copy_fields:
        record.copy_fields = RECOMMENDATION.render(record)
        record.copy_text = TEXT.render(record)
    return record


def staged_row(record: FeedRecord, document: int, links: list[list[int]]) -> str:
    """A row of ``import_rows`` (columns: ``STAGED``), with its line end."""
    render_record(record)
    arrays = "\t".join(copy_value(ids) for ids in links)
    text = record.copy_text.rsplit("\t", 1)[0]  # the text's digest is not staged
    return f"{record.copy_fields}\t{text}\t{copy_value(record.symbol)}\t{document}\t{arrays}\n"
