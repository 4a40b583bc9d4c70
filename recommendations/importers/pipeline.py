"""Upsert normalised UHRI records in batches with set-based SQL.

Per batch: resolve labels to ids (creating unknown themes, groups, mechanisms and documents as unreviewed
entries) and read the stored digest of each row's recommendation. New recommendations are COPYed straight
into their tables, with ids taken from the sequence beforehand (a first import is all new rows). The rows
whose content digest differs from the stored one go through a temporary table and one
INSERT ... ON CONFLICT; texts and tag links are rewritten only for them. Unchanged rows are not sent to the
database at all, so an unchanged feed writes nothing and leaves no audit event. Each batch commits with the
run's counts and ``rows_done``: a run that is interrupted resumes after the last committed batch.
"""

from __future__ import annotations

import io
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import DatabaseError, connection, transaction

from recommendations.models import (
    ImportChange,
    ImportIssue,
    ImportRun,
    Recommendation,
)
from tracker.audit import audit_context

from .lookups import Lookups
from .readahead import ReadAhead, tuned_interpreter
from .readers import READERS, Skipped, SourceError
from .records import FeedRecord, Rejected, normalise

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
# While the database writes one batch, a second thread reads and normalises the next ones; when the
# writer is waiting for work it takes a smaller batch (at least this many rows) rather than wait.
MIN_EAGER_ROWS = 250
MAX_ISSUES = 10_000  # past this, rejected rows are counted but not listed one by one
REVIEW_TEXT_LIMIT = 4000

# Imports that write take turns (a session-level advisory lock, held for the whole run): between
# reading which rows exist and COPYing the new ones, no other import may create them.
WRITE_LOCK = "recommendations.uhri_import"
TEMP_TABLES = """
CREATE TEMP TABLE IF NOT EXISTS import_rows (
    annotation_id uuid PRIMARY KEY,
    paragraph text NOT NULL,
    paragraph_sort text NOT NULL,
    annotation_type text NOT NULL,
    position text NOT NULL,
    content_hash text NOT NULL,
    raw_record jsonb,
    text text NOT NULL,
    html text NOT NULL,
    symbol text NOT NULL,
    document_id bigint NOT NULL,
    theme_ids bigint[] NOT NULL,
    group_ids bigint[] NOT NULL,
    target_ids bigint[] NOT NULL,
    state_ids bigint[] NOT NULL
);
CREATE TEMP TABLE IF NOT EXISTS import_changed (
    id bigint PRIMARY KEY, annotation_id uuid NOT NULL, inserted boolean NOT NULL
);
CREATE TEMP TABLE IF NOT EXISTS import_review (
    annotation_id uuid PRIMARY KEY, recommendation_id bigint, kind text NOT NULL,
    old_text text NOT NULL, new_text text NOT NULL
);
TRUNCATE import_rows, import_changed, import_review;
"""
# The fields that need no database look-up come first (``FeedRecord.copy_fields``, then
# ``copy_text``: ``Importer._render_record``).
RECORD_COLUMNS = (
    "annotation_id, paragraph, paragraph_sort, annotation_type, position, content_hash, raw_record"
)
COPY_COLUMNS = f"{RECORD_COLUMNS}, text, html, symbol, document_id, theme_ids, group_ids, target_ids, state_ids"
# New recommendations, COPYed with their ids; what the database would otherwise default is given.
NEW_COLUMNS = (
    f"id, {RECORD_COLUMNS}, document_id, created_by_run_id, updated_by_run_id, publication_state, "
    "position_source, status, priority, status_override_reason, national_notes, is_current, "
    "version, created_at, updated_at"
)
CHANGE_COLUMNS = (
    "run_id, recommendation_id, annotation_id, kind, symbol, paragraph, old_text, new_text"
)
UPSERT = """
WITH up AS (
    INSERT INTO recommendations_recommendation AS r (
        annotation_id, document_id, paragraph, paragraph_sort, annotation_type, position,
        position_source, content_hash, raw_record, created_by_run_id, updated_by_run_id,
        publication_state, status, priority, status_override_reason, national_notes, is_current,
        version, created_at, updated_at
    )
    SELECT annotation_id, document_id, paragraph, paragraph_sort, annotation_type, position,
        '', content_hash, raw_record, %(run)s, %(run)s,
        %(publication_state)s, 'not_started', '', '', '', true, 1, now(), now()
    FROM import_rows
    ON CONFLICT (annotation_id) DO UPDATE SET
        document_id = EXCLUDED.document_id,
        paragraph = EXCLUDED.paragraph,
        paragraph_sort = EXCLUDED.paragraph_sort,
        annotation_type = EXCLUDED.annotation_type,
        position = EXCLUDED.position,
        content_hash = EXCLUDED.content_hash,
        raw_record = EXCLUDED.raw_record,
        updated_by_run_id = EXCLUDED.updated_by_run_id,
        withdrawn_at = NULL,
        is_current = true,
        version = r.version + 1,
        updated_at = now()
    WHERE r.content_hash IS DISTINCT FROM EXCLUDED.content_hash OR r.withdrawn_at IS NOT NULL
    RETURNING r.id, r.annotation_id, (r.xmax = 0) AS inserted
)
INSERT INTO import_changed SELECT id, annotation_id, inserted FROM up
"""
TEXTS = """
INSERT INTO recommendations_recommendationtext AS t (recommendation_id, language, text, html, source)
SELECT c.id, 'en', i.text, i.html, 'official'
FROM import_changed c JOIN import_rows i USING (annotation_id)
ON CONFLICT (recommendation_id, language) DO UPDATE
SET text = EXCLUDED.text, html = EXCLUDED.html
WHERE t.text IS DISTINCT FROM EXCLUDED.text OR t.html IS DISTINCT FROM EXCLUDED.html
"""
# (link table, column, array in import_rows)
LINKS = [
    ("recommendations_recommendation_themes", "theme_id", "theme_ids"),
    ("recommendations_recommendation_affected_groups", "affectedgroup_id", "group_ids"),
    ("recommendations_recommendation_sdg_targets", "sdgtarget_id", "target_ids"),
    ("recommendations_recommendation_recommending_states", "country_id", "state_ids"),
]
LINK_DELETE = """
DELETE FROM {table} l USING import_changed c JOIN import_rows i USING (annotation_id)
WHERE l.recommendation_id = c.id AND NOT c.inserted AND NOT (l.{column} = ANY (i.{array}))
"""
LINK_INSERT = """
INSERT INTO {table} (recommendation_id, {column})
SELECT c.id, unnest(i.{array}) FROM import_changed c JOIN import_rows i USING (annotation_id)
ON CONFLICT DO NOTHING
"""
# For the review list and the dry run: how each row of the batch compares with what is stored,
# read before the batch is written. A real run keeps no copy of a new recommendation's text: the
# review list reads it from the recommendation (a first import is all new rows).
REVIEW = """
INSERT INTO import_review
SELECT i.annotation_id, r.id,
    CASE WHEN r.id IS NULL THEN 'new'
         WHEN t.text IS DISTINCT FROM i.text THEN 'text_changed'
         ELSE 'changed' END,
    CASE WHEN r.id IS NULL THEN '' ELSE left(coalesce(t.text, ''), %(limit)s) END,
    CASE WHEN r.id IS NULL AND NOT %(dry_run)s THEN '' ELSE left(i.text, %(limit)s) END
FROM import_rows i
LEFT JOIN recommendations_recommendation r ON r.annotation_id = i.annotation_id
LEFT JOIN recommendations_recommendationtext t ON t.recommendation_id = r.id AND t.language = 'en'
WHERE r.id IS NULL OR r.content_hash IS DISTINCT FROM i.content_hash OR r.withdrawn_at IS NOT NULL
"""
# The review list of the batch: in a real run, of the rows the upsert actually wrote.
REVIEW_SAVE = """
INSERT INTO recommendations_importchange (
    run_id, recommendation_id, annotation_id, kind, symbol, paragraph, old_text, new_text
)
SELECT %(run)s, coalesce(v.recommendation_id, c.id), v.annotation_id, v.kind, i.symbol,
    i.paragraph, v.old_text, v.new_text
FROM import_review v JOIN import_rows i USING (annotation_id)
{join} import_changed c USING (annotation_id)
"""


@dataclass
class Batch:
    """Rows to import, and how many rows of the source they stand for (others' are skipped).

    ``records`` holds each row normalised: a ``FeedRecord`` or the ``Rejected`` reason."""

    rows: list[tuple[int, Any]] = field(default_factory=list)
    consumed: int = 0
    skipped: int = 0
    records: list[tuple[int, Any, FeedRecord | Rejected]] = field(default_factory=list)


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    issues: list[ImportIssue] = field(default_factory=list)


RAW_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


@dataclass
class Prepared:
    """A batch checked and resolved against the database, to render and send."""

    batch: Batch
    result: BatchResult = field(default_factory=BatchResult)
    new: list[FeedRecord] = field(default_factory=list)
    changed: list[FeedRecord] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)  # of the new rows
    now: str = ""


def _copy_value(value: Any) -> str:
    """One field in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, list):
        return "{" + ",".join(str(v) for v in value) + "}"
    text = str(value).replace("\x00", "")  # PostgreSQL text cannot hold NUL
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


@dataclass
class Importer:
    """Runs one ``ImportRun`` from an open byte stream."""

    run: ImportRun
    batch_size: int = BATCH_SIZE
    publication_state: str = "published"

    def __post_init__(self) -> None:
        self.lookups = Lookups(self.run)
        self.vocabulary = self.lookups.vocabulary()
        self.country_iso3 = self.run.country.iso3 if self.run.country else None
        self.issue_count = self.run.issues.count()
        self.warned_labels: set[tuple[str, str]] = set()
        # Ids this run has imported or rejected (as integers: a third of the memory of UUIDs).
        self.seen_ids: set[int] = set()
        # The countries the feed covers (their ids): a complete feed withdraws only within them.
        self.seen_countries: set[int] = set()
        # For a whole-feed run, the ids stored when it started (as integers): only those rows
        # can be changed ones. A one-country run looks its rows up batch by batch instead.
        self.stored_ids: set[int] | None = None
        self.read_ahead: ReadAhead[Batch] = ReadAhead(f"import-{self.run.pk}-reader")
        self._id_sequence: str | None = None

    # -- reading ---------------------------------------------------------------------------------

    def _batches(
        self,
        stream: IO[bytes],
        idle: Callable[[], bool] = bool,
        resume_after: int = 0,
        pause: Callable[[], Any] = bool,
    ) -> Iterator[Batch]:
        """Batches of the rows that concern the run's country (all rows without one), with the
        number of rows read for each. A batch is full at ``batch_size`` rows, or earlier when
        ``idle()`` says the writer has nothing to do; one also ends after row ``resume_after``,
        where an earlier attempt stopped. ``pause()`` is called before each row. When the source
        breaks off, the rows read before it still come out, then the ``SourceError`` is raised."""
        reader = READERS[self.run.format]
        if self.country_iso3 and self.run.format == "json":
            rows = reader(stream, wanted=self._concerns_labels)
        else:
            rows = reader(stream)
        batch = Batch()
        read = 0
        try:
            for row, record in rows:
                pause()
                if type(record) is Skipped:
                    count = record.count
                    if read < resume_after < read + count:  # a batch ends at ``resume_after``
                        batch.consumed += resume_after - read
                        batch.skipped += resume_after - read
                        count -= resume_after - read
                        read = resume_after
                        yield batch
                        batch = Batch()
                    batch.consumed += count
                    batch.skipped += count
                    read += count
                else:
                    batch.consumed += 1
                    read += 1
                    if self._concerns_country(record):
                        batch.rows.append((row, record))
                    else:
                        batch.skipped += 1
                if (
                    len(batch.rows) >= self.batch_size
                    or read == resume_after
                    or (len(batch.rows) >= MIN_EAGER_ROWS and idle())
                ):
                    yield batch
                    batch = Batch()
        except SourceError:
            if batch.consumed:
                yield batch
            raise
        if batch.consumed:
            yield batch

    def _normalised(
        self,
        stream: IO[bytes],
        resume_after: int,
        idle: Callable[[], bool],
        pause: Callable[[], Any],
    ) -> Iterator[Batch]:
        """``_batches``, each row normalised, but those an earlier attempt committed."""
        seen = 0
        for batch in self._batches(stream, idle, resume_after, pause):
            seen += batch.consumed
            if seen > resume_after:  # an earlier attempt committed the others
                for row, raw in batch.rows:
                    pause()
                    batch.records.append((row, raw, self._prepare(raw)))
            yield batch

    def _prepare(self, raw: Any) -> FeedRecord | Rejected:
        """Normalise a row, with its content digest."""
        try:
            record = normalise(raw, self.vocabulary)
        except Rejected as exc:
            return exc
        record.digest = record.content_hash()
        record.raw = raw
        return record

    @staticmethod
    def _render_record(record: FeedRecord) -> FeedRecord:
        """Render the record's own COPY fields, once: only rows that are written need them (an
        unchanged row never does)."""
        if record.copy_fields:
            return record
        values = [
            record.annotation_id,
            record.paragraph,
            Recommendation.paragraph_sort_key(record.paragraph),
            record.annotation_type,
            record.position,
            record.digest,
            # jsonb refuses the NUL character, even escaped.
            RAW_ENCODER.encode(record.raw).replace("\\u0000", ""),
        ]
        record.copy_fields = "\t".join(_copy_value(v) for v in values)
        record.copy_text = f"{_copy_value(record.text)}\t{_copy_value(record.html)}"
        return record

    def _concerns_country(self, record: Any) -> bool:
        """Cheap test on the raw record, before normalisation, for single-country imports."""
        if self.country_iso3 is None or not isinstance(record, dict):
            return True
        return self._concerns_labels(record.get("Countries"))

    def _concerns_labels(self, labels: Any) -> bool:
        """The test of ``_concerns_country`` on a record's "Countries" value alone."""
        if self.country_iso3 is None:
            return True
        if not labels:
            return True  # normalisation rejects it with the reason
        if not isinstance(labels, list):
            labels = [labels]
        country = self.vocabulary.country
        for label in labels:
            if country(label if isinstance(label, str) else str(label)) == self.country_iso3:
                return True
        return False

    # -- one batch -------------------------------------------------------------------------------

    def _issue(
        self,
        result: BatchResult,
        row: int | None,
        rec_id: str,
        where: str,
        why: str,
        raw: Any,
        severity: str = ImportIssue.Severity.ERROR,
    ) -> None:
        if self.issue_count >= MAX_ISSUES:
            return
        self.issue_count += 1
        result.issues.append(
            ImportIssue(
                run=self.run,
                row=row,
                annotation_id=str(rec_id)[:100],
                field=where[:100],
                reason=why,
                raw_value=(raw if isinstance(raw, str) else json.dumps(raw, default=str))[:1000],
                severity=severity,
            )
        )

    def _check_batch(
        self, batch: list[tuple[int, Any, FeedRecord | Rejected]], result: BatchResult
    ) -> list[tuple[int, FeedRecord, Any]]:
        records: list[tuple[int, FeedRecord, Any]] = []
        candidates: list[tuple[int, FeedRecord, Any, Any]] = []
        rejected_ids: list[Any] = []
        for row, raw, record in batch:
            raw_id = raw.get("AnnotationId", "") if isinstance(raw, dict) else ""
            if isinstance(record, Rejected):
                result.rejected += 1
                self._issue(result, row, raw_id, record.field, record.reason, record.value)
                rejected_ids.append(raw_id)
                continue
            if self.country_iso3 and self.country_iso3 not in record.countries:
                result.rejected += 1
                self._issue(result, row, raw_id, "Countries", "the record names no country", "")
                continue
            candidates.append((row, record, raw, raw_id))
        self._remember_rejected(rejected_ids)
        # One id, one row: a repeat within this batch or of an earlier batch is rejected.
        seen = self.seen_ids
        for row, record, raw, raw_id in candidates:
            if record.annotation_id.int in seen:
                result.rejected += 1
                self._issue(
                    result,
                    row,
                    raw_id,
                    "AnnotationId",
                    "the same AnnotationId appears twice in the feed",
                    raw_id,
                )
                continue
            seen.add(record.annotation_id.int)
            records.append((row, record, raw))
        for row, record, _raw in records:
            for where, why, value in record.warnings:
                if (where, value) not in self.warned_labels:
                    self.warned_labels.add((where, value))
                    self._issue(
                        result,
                        row,
                        str(record.annotation_id),
                        where,
                        why,
                        value,
                        ImportIssue.Severity.WARNING,
                    )
        return records

    def _remember_rejected(self, raw_ids: list[Any]) -> None:
        """A rejected row still says its recommendation exists upstream: never withdraw it."""
        for raw_id in raw_ids:
            self._remember_id(raw_id)

    def _remember_id(self, raw_id: Any) -> bool:
        """Record a raw AnnotationId as present in the feed; False if it is not a UUID."""
        try:
            self.seen_ids.add(uuid.UUID(str(raw_id)).int)
        except ValueError:
            return False
        return True

    def _load_stored_ids(self) -> None:
        """The annotation ids of every stored recommendation, as integers (whole-feed runs)."""
        if self.country_iso3:
            return
        with connection.chunked_cursor() as cursor:
            cursor.execute(
                "SELECT replace(annotation_id::text, '-', '') FROM recommendations_recommendation "
                "WHERE annotation_id IS NOT NULL"
            )
            self.stored_ids = {int(digits, 16) for (digits,) in cursor}

    def _stored(self, records: list[FeedRecord]) -> dict[str, tuple[str, bool]]:
        """Digest and withdrawal of the stored recommendations of a batch, by annotation id."""
        if not records:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT annotation_id::text, content_hash, withdrawn_at IS NOT NULL "
                "FROM recommendations_recommendation WHERE annotation_id = ANY(%s::uuid[])",
                [[str(record.annotation_id) for record in records]],
            )
            return {
                annotation_id: (digest, withdrawn) for annotation_id, digest, withdrawn in cursor
            }

    def _new_ids(self, records: list[FeedRecord]) -> tuple[list[int], str]:
        """Ids for new recommendations, taken from the sequence, and the time to stamp them."""
        if self.run.dry_run:
            return [], ""
        with connection.cursor() as cursor:
            if self._id_sequence is None:
                cursor.execute(
                    "SELECT pg_get_serial_sequence('recommendations_recommendation', 'id')"
                )
                (self._id_sequence,) = cursor.fetchone()
            cursor.execute(
                "SELECT now()::text, "
                "array(SELECT nextval(%s::regclass) FROM generate_series(1, %s))",
                [self._id_sequence, len(records)],
            )
            now, ids = cursor.fetchone()
        return ids, now

    def _render(self, prepared: Prepared) -> list[tuple[str, str, io.StringIO]]:
        """COPY input for the new rows of a batch: the recommendations, their texts and links.
        A dry run creates nothing and lists them for review instead (ImportChange, with the new
        text); a real run's review list reads them from the recommendations it created.
        Touches no database: it runs in its own thread while the previous batch is sent."""
        run, records, lookups = self.run, prepared.new, self.lookups
        if run.dry_run:
            changes = io.StringIO()
            for record in records:
                changes.write(
                    f"{run.pk}\t\\N\t{record.annotation_id}\tnew\t{_copy_value(record.symbol)}\t"
                    f"{_copy_value(record.paragraph)}\t\t"
                    f"{_copy_value(record.text[:REVIEW_TEXT_LIMIT])}\n"
                )
            return [("recommendations_importchange", CHANGE_COLUMNS, changes)]
        now = prepared.now
        tail = (
            f"\t{run.pk}\t{run.pk}\t{_copy_value(self.publication_state)}\t\tnot_started\t\t\t\t"
            f"t\t1\t{now}\t{now}\n"
        )
        rows, texts = io.StringIO(), io.StringIO()
        links = [io.StringIO() for _ in LINKS]
        for pk, record in zip(prepared.ids, records, strict=True):
            self._render_record(record)
            rows.write(f"{pk}\t{record.copy_fields}\t{lookups.document(record)}{tail}")
            texts.write(f"{pk}\ten\t{record.copy_text}\tofficial\n")
            for buffer, targets in zip(links, lookups.links(record), strict=True):
                for target in targets:
                    buffer.write(f"{pk}\t{target}\n")
        return [
            ("recommendations_recommendation", NEW_COLUMNS, rows),
            (
                "recommendations_recommendationtext",
                "recommendation_id, language, text, html, source",
                texts,
            ),
            *(
                (table, f"recommendation_id, {column}", buffer)
                for (table, column, _array), buffer in zip(LINKS, links, strict=True)
            ),
        ]

    @staticmethod
    def _copy(table: str, columns: str, buffer: io.StringIO) -> None:
        # Sent in one piece: psycopg2 reads the buffer in chunks of 8 kB by default, and each
        # chunk waits for the reader thread to hand back the interpreter.
        size = max(buffer.tell(), 8192)
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer, size)  # type: ignore[attr-defined]

    def _copy_rows(self, records: list[FeedRecord]) -> None:
        """Stage the rows to compare with, or write over, their stored recommendations."""
        buffer = io.StringIO()
        for record in records:
            self._render_record(record)
            buffer.write(
                f"{record.copy_fields}\t{record.copy_text}\t{_copy_value(record.symbol)}\t"
                f"{self.lookups.document(record)}\t"
            )
            buffer.write("\t".join(_copy_value(ids) for ids in self.lookups.links(record)))
            buffer.write("\n")
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE import_rows, import_changed, import_review")
        self._copy("import_rows", COPY_COLUMNS, buffer)

    def _update(self, records: list[FeedRecord]) -> int:
        """Write over the stored recommendations these rows differ from (or that were withdrawn),
        and list them for review; in a dry run only list them. Returns how many."""
        self._copy_rows(records)
        run = self.run
        with connection.cursor() as cursor:
            cursor.execute(REVIEW, {"limit": REVIEW_TEXT_LIMIT, "dry_run": run.dry_run})
            if run.dry_run:
                cursor.execute(REVIEW_SAVE.format(join="LEFT JOIN"), {"run": run.pk})
                return cursor.rowcount
            cursor.execute(UPSERT, {"run": run.pk, "publication_state": self.publication_state})
            cursor.execute("SELECT count(*) FILTER (WHERE NOT inserted) > 0 FROM import_changed")
            (replaced,) = cursor.fetchone()
            cursor.execute(TEXTS)
            for table, column, array in LINKS:
                if replaced:  # a row the upsert inserted after all has no link to remove
                    cursor.execute(LINK_DELETE.format(table=table, column=column, array=array))
                cursor.execute(LINK_INSERT.format(table=table, column=column, array=array))
            cursor.execute(REVIEW_SAVE.format(join="JOIN"), {"run": run.pk})
            return cursor.rowcount

    def prepare_batch(self, batch: Batch) -> Prepared:
        """Check a batch and resolve it against the database: documents and labels (created if
        new), which rows are new, changed or unchanged, and the new rows' ids."""
        prepared = Prepared(batch=batch)
        result = prepared.result
        result.skipped = batch.skipped
        writer_busy = self.read_ahead.writer_busy
        with writer_busy():
            records = [record for _row, record, _raw in self._check_batch(batch.records, result)]
        if not records:
            return prepared
        with writer_busy():
            lookups = self.lookups
            lookups.resolve_documents(records)
            for record in records:
                lookups.links(record)  # creates the new labels now: rendering only reads them
            countries = lookups.countries
            self.seen_countries.update(
                countries[iso3]
                for record in records
                for iso3 in record.countries
                if iso3 in countries
            )
        # Only the rows whose id is stored are looked up (none in a first import).
        stored_ids = self.stored_ids
        if stored_ids is not None:
            maybe_stored = [r for r in records if r.annotation_id.int in stored_ids]
        else:
            maybe_stored = records
        stored = self._stored(maybe_stored)
        for record in records:
            found = stored.get(str(record.annotation_id))
            if found is None:
                prepared.new.append(record)
            elif found[0] != record.digest or found[1]:
                prepared.changed.append(record)
        result.created = len(prepared.new)
        result.unchanged = len(records) - len(prepared.new) - len(prepared.changed)
        if prepared.new:
            prepared.ids, prepared.now = self._new_ids(prepared.new)
        return prepared

    def send_batch(self, prepared: Prepared, rendered: list[tuple[str, str, io.StringIO]]) -> None:
        """Write a prepared batch (``rendered``: its new rows as COPY input) and its counts."""
        for table, columns, buffer in rendered:
            if buffer.tell():
                self._copy(table, columns, buffer)
        result = prepared.result
        if prepared.changed:
            result.updated = self._update(prepared.changed)
            result.unchanged += len(prepared.changed) - result.updated
        self._save_batch(prepared.batch.consumed, result)

    # -- the run ---------------------------------------------------------------------------------

    def _save_batch(self, rows_in_batch: int, result: BatchResult) -> None:
        run = self.run
        run.rows_read += rows_in_batch
        run.rows_done = run.rows_read
        run.created += result.created
        run.updated += result.updated
        run.unchanged += result.unchanged
        run.rejected += result.rejected
        run.skipped += result.skipped
        for label_kind, label in self.lookups.new_labels:
            self._issue(
                result,
                None,
                "",
                label_kind,
                f"new {label_kind} created for review"
                if not run.dry_run
                else f"new {label_kind} would be created",
                label,
                ImportIssue.Severity.WARNING,
            )
        self.lookups.new_labels.clear()
        for symbol, document_uuid, annotation_id in self.lookups.conflicts:
            self._issue(
                result,
                None,
                annotation_id,
                "DocumentId",
                f"DocumentId already belongs to another document: ignored for {symbol}",
                document_uuid,
                ImportIssue.Severity.WARNING,
            )
        self.lookups.conflicts.clear()
        ImportIssue.objects.bulk_create(result.issues)
        run.save(
            update_fields=[
                "rows_read",
                "rows_done",
                "created",
                "updated",
                "unchanged",
                "rejected",
                "skipped",
            ]
        )

    def _withdraw(self) -> None:
        """Mark as withdrawn what a complete feed no longer contains, for the countries it covers."""
        run = self.run
        if run.created + run.updated + run.unchanged == 0:
            # A feed with no usable record (empty, or every row rejected) is no evidence that
            # anything was withdrawn upstream: more likely the feed itself is broken.
            if run.rows_read or run.country_id:
                ImportIssue.objects.create(
                    run=run,
                    field="feed",
                    reason="no usable record in the feed: nothing was marked withdrawn",
                    severity=ImportIssue.Severity.WARNING,
                )
            return
        countries = [run.country_id] if run.country_id else sorted(self.seen_countries)
        # The feed's ids are in memory (``seen_ids``): the stored ones are streamed past them.
        with connection.chunked_cursor() as cursor:
            cursor.execute(
                "SELECT r.id, replace(r.annotation_id::text, '-', '') "
                "FROM recommendations_recommendation r "
                "JOIN recommendations_document d ON d.id = r.document_id "
                "WHERE d.country_id = ANY(%s) AND r.annotation_id IS NOT NULL "
                "AND r.withdrawn_at IS NULL",
                [countries],
            )
            seen = self.seen_ids
            missing = [pk for pk, digits in cursor if int(digits, 16) not in seen]
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT r.id, r.annotation_id, d.symbol, r.paragraph, t.text
                FROM recommendations_recommendation r
                JOIN recommendations_document d ON d.id = r.document_id
                LEFT JOIN recommendations_recommendationtext t
                    ON t.recommendation_id = r.id AND t.language = 'en'
                WHERE r.id = ANY(%s) ORDER BY r.id
                """,
                [missing],
            )
            gone = cursor.fetchall()
            if gone and not run.dry_run:
                cursor.execute(
                    "UPDATE recommendations_recommendation SET withdrawn_at = now(), is_current = false, "
                    "updated_by_run_id = %(run)s, updated_at = now(), version = version + 1 "
                    "WHERE id = ANY(%(ids)s)",
                    {"run": run.pk, "ids": [row[0] for row in gone]},
                )
        ImportChange.objects.bulk_create(
            ImportChange(
                run=run,
                recommendation_id=rec_id,
                annotation_id=annotation_id,
                kind=ImportChange.Kind.WITHDRAWN,
                symbol=symbol,
                paragraph=paragraph,
                old_text=(text or "")[:REVIEW_TEXT_LIMIT],
            )
            for rec_id, annotation_id, symbol, paragraph, text in gone
        )
        run.withdrawn = len(gone)
        run.save(update_fields=["withdrawn"])

    def execute(self, stream: IO[bytes]) -> ImportRun:
        """Read the stream to the end, batch by batch; resume after ``rows_done`` if re-run.

        Batches go through a pipeline: while one batch is sent to the database, the next one is
        rendered in a worker thread. Each transaction prepares batch N + 1 (documents and labels
        it needs, the ids of its new rows) and sends batch N with the run's counts, so a run
        that is interrupted resumes after the last batch sent."""
        run = self.run
        resume_after = run.rows_done
        if resume_after:
            run.rows_read = resume_after
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(TEMP_TABLES)
            if not run.dry_run:  # imports take turns: see WRITE_LOCK
                cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [WRITE_LOCK])
        try:
            self._load_stored_ids()
            with (
                tuned_interpreter(),
                ThreadPoolExecutor(1, thread_name_prefix=f"import-{run.pk}-render") as renderer,
            ):
                self._run_batches(stream, resume_after, renderer)
        except SourceError as exc:
            # Rows read before the break are kept; the run fails and withdraws nothing.
            if run.rows_read:
                raise SourceError(f"{exc} ({run.rows_read} rows before it were imported)") from None
            raise
        else:
            with self._audit("uhri_import_withdraw"):
                self._withdraw()
        finally:
            if not run.dry_run:
                self._unlock()
        logger.info("import %s done in %.1fs", run.pk, time.monotonic() - started)
        return run

    def _unlock(self) -> None:
        """Let the next import go on. If the connection is broken, the lock went with it, and the
        error that broke it is the one to report."""
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [WRITE_LOCK])
        except DatabaseError:
            logger.warning("import %s: could not release the import lock", self.run.pk)

    @contextmanager
    def _audit(self, action: str) -> Iterator[None]:
        """One transaction, with the audit context of this run."""
        run = self.run
        with (
            transaction.atomic(),
            audit_context(actor=run.triggered_by, action=action, import_run=run.pk),
        ):
            yield

    def _run_batches(self, stream: IO[bytes], resume_after: int, renderer: Executor) -> None:
        pending: list[tuple[Prepared, Future[Any]]] = []

        def send_pending() -> None:
            if pending:
                with self._audit("uhri_import"):
                    prepared, rendering = pending.pop()
                    self.send_batch(prepared, rendering.result())

        rows_seen = 0
        try:
            # While the reader is behind, the pending batch is sent rather than kept waiting.
            batches = self.read_ahead.items(
                lambda waiting, pause: self._normalised(stream, resume_after, waiting, pause),
                idle=send_pending,
            )
            for batch in batches:
                if rows_seen + batch.consumed <= resume_after:
                    # Already committed by an earlier attempt: only remember the ids as seen.
                    rows_seen += batch.consumed
                    self._remember_seen(batch.rows)
                    continue
                rows_seen += batch.consumed
                with self._audit("uhri_import"):
                    prepared = self.prepare_batch(batch)
                    rendering = renderer.submit(self._render, prepared)
                    if pending:
                        previous, previous_rendering = pending.pop()
                        self.send_batch(previous, previous_rendering.result())
                pending.append((prepared, rendering))
        except SourceError:
            send_pending()  # the rows before the break are imported
            raise
        send_pending()

    def _remember_seen(self, batch: list[tuple[int, Any]]) -> None:
        """Ids and countries of a batch an earlier attempt committed, for the withdrawal step."""
        for _row, raw in batch:
            if not isinstance(raw, dict) or not self._concerns_country(raw):
                continue
            if not self._remember_id(raw.get("AnnotationId")):
                continue
            for label in raw.get("Countries") or []:
                iso3 = self.vocabulary.country(str(label))
                if iso3 in self.lookups.countries:
                    self.seen_countries.add(self.lookups.countries[iso3])
