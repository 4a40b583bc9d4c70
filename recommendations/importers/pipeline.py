"""Import normalised UHRI records in batches, with set-based SQL: the orchestration of a run.

Per batch: resolve labels to ids (creating unknown themes, groups, mechanisms and documents as unreviewed
entries) and read the stored digest of each row's recommendation. New recommendations are COPYed straight
into their tables, with ids taken from the sequence beforehand (a first import is all new rows). The rows
whose content digest differs from the stored one go through a temporary table and one
INSERT ... ON CONFLICT; texts and tag links are rewritten only for them. Unchanged rows are not sent to the
database at all, so an unchanged feed writes nothing and leaves no audit event. Each batch commits with the
run's counts and ``rows_done``: a run that is interrupted resumes after the last committed batch.

This module runs the batches; the rest is done, by concern, in ``readahead`` (the reader thread and the
interpreter settings), ``checks`` (rejected rows, issues, the ids the feed contains), ``lookups``
(labels to ids), ``columns`` (what is written into which column, in COPY's format), ``sql`` (the
statements), ``store`` (what a batch reads and writes) and ``withdrawal``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import DatabaseError, connection, transaction

from recommendations.models import (
    Document,
    ImportIssue,
    ImportRun,
    PublicationState,
    Recommendation,
    RecommendationText,
    TextSource,
)
from tracker.audit import audit_context

from . import languages, sql
from .checks import BatchResult, Checks
from .lookups import Lookups
from .readahead import ReadAhead, tuned_interpreter
from .readers import READERS, Skipped, SourceError
from .records import FeedRecord, Rejected, normalise
from .sql import WRITE_LOCK
from .store import Rendered, Store
from .translations import add_translations
from .withdrawal import withdraw

logger = logging.getLogger(__name__)

# After an import that wrote this many rows, the planner's statistics of the recommendations'
# tables are refreshed at once rather than at autovacuum's next pass: planned from the
# statistics of a nearly empty table, a page's correlated counts over thousands of new rows can
# take minutes (measured in the test suite, where autovacuum never runs: tests/db.py).
ANALYZE_AFTER_ROWS = 1000


def analyze_recommendation_tables() -> None:
    """ANALYZE the tables an import fills: recommendations, their texts, documents and links."""
    tables = [Recommendation._meta.db_table, RecommendationText._meta.db_table]
    tables += [Document._meta.db_table]
    for m2m in Recommendation._meta.many_to_many:
        through = m2m.remote_field.through
        if through is not None:
            tables.append(through._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


BATCH_SIZE = 2000
# While the database writes one batch, a second thread reads and normalises the next ones; when the
# writer is waiting for work it takes a smaller batch (at least this many rows) rather than wait.
MIN_EAGER_ROWS = 250


@dataclass
class Batch:
    """Rows to import, and how many rows of the source they stand for (others' are skipped).

    ``records`` holds each row normalised: a ``FeedRecord`` or the ``Rejected`` reason."""

    rows: list[tuple[int, Any]] = field(default_factory=list)
    consumed: int = 0
    skipped: int = 0
    records: list[tuple[int, Any, FeedRecord | Rejected]] = field(default_factory=list)


@dataclass
class Prepared:
    """A batch checked and resolved against the database, to render and send."""

    batch: Batch
    result: BatchResult = field(default_factory=BatchResult)
    new: list[FeedRecord] = field(default_factory=list)
    changed: list[FeedRecord] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)  # of the new rows
    now: str = ""
    # A feed in another language than the reference: stored rows whose text in it differs, and
    # (with their recommendation's id) those that have none in it yet.
    texts: list[FeedRecord] = field(default_factory=list)
    added: list[tuple[int, FeedRecord]] = field(default_factory=list)


@dataclass
class Importer:
    """Runs one ``ImportRun`` from an open byte stream."""

    run: ImportRun
    batch_size: int = BATCH_SIZE
    publication_state: str = PublicationState.PUBLISHED

    def __post_init__(self) -> None:
        self.lookups = Lookups(self.run)
        self.vocabulary = self.lookups.vocabulary()
        self.country_iso3 = self.run.country.iso3 if self.run.country else None
        self.checks = Checks(self.run, self.country_iso3)
        self.seen_ids = self.checks.seen_ids  # imported or rejected, for the withdrawal
        # The countries the feed covers (their ids): a complete feed withdraws only within them.
        self.seen_countries: set[int] = set()
        # For a whole-feed run, the ids stored when it started (as integers): only those rows
        # can be changed ones. A one-country run looks its rows up batch by batch instead.
        self.stored_ids: set[int] | None = None
        self.store = Store(self.run, self.lookups, self.publication_state)
        self.reference_language = languages.reference_language()
        if self.run.language:
            self._use_language(self.run.language)
        self.read_ahead: ReadAhead[Batch] = ReadAhead(f"import-{self.run.pk}-reader")

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
            if exc.field != "UprPosition" or not self.run.language or self.is_reference:
                return exc
            # A feed in another language words the position in it: where the wording is not
            # understood, the row still gives its text (the reference feed gives the position).
            try:
                record = normalise({**raw, "UprPosition": ""}, self.vocabulary)
            except Rejected as again:
                return again
            record.warnings.append(
                ("UprPosition", "position not understood in this language: left out", exc.value)
            )
        record.digest = record.content_hash()
        record.text_digest = record.text_hash()
        record.raw = raw
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

    # -- the feed's language ----------------------------------------------------------------------

    @property
    def is_reference(self) -> bool:
        """Whether the feed is in the reference language, which gives the records' fields."""
        return (self.run.language or self.reference_language) == self.reference_language

    def _use_language(self, language: str) -> None:
        self.store.language = language
        if language != self.reference_language:
            add_translations(self.lookups, language)

    def _settle_language(self, records: list[FeedRecord], result: BatchResult) -> None:
        """A run told no language (and its source's name said none): the texts of its first
        records tell it; when they say too little, it is the reference language, with a warning."""
        run = self.run
        language = languages.from_texts(record.text for record in records[:50])
        if language is None:
            language = self.reference_language
            self.checks.issue(
                result,
                None,
                "",
                "language",
                f"the language of the feed could not be told from its texts: taken as {language}",
                "",
                ImportIssue.Severity.WARNING,
            )
        run.language = language
        run.save(update_fields=["language"])
        self._use_language(language)

    # -- one batch -------------------------------------------------------------------------------

    def prepare_batch(self, batch: Batch) -> Prepared:
        """Check a batch and resolve it against the database: documents and labels (created if
        new), which rows are new, changed or unchanged, and the new rows' ids."""
        prepared = Prepared(batch=batch)
        result = prepared.result
        result.skipped = batch.skipped
        writer_busy = self.read_ahead.writer_busy
        with writer_busy():
            records = [
                record for _row, record, _raw in self.checks.check_batch(batch.records, result)
            ]
        if not records:
            return prepared
        if not self.run.language:
            self._settle_language(records, result)
        if not self.is_reference:
            return self._prepare_other_language(prepared, records)
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
        stored = self.store.stored(maybe_stored)
        for record in records:
            found = stored.get(str(record.annotation_id))
            if found is None:
                prepared.new.append(record)
            elif found[0] != record.digest or found[1]:
                prepared.changed.append(record)
        result.created = len(prepared.new)
        result.unchanged = len(records) - len(prepared.new) - len(prepared.changed)
        if prepared.new:
            prepared.ids, prepared.now = self.store.new_ids(len(prepared.new))
        return prepared

    def _prepare_other_language(self, prepared: Prepared, records: list[FeedRecord]) -> Prepared:
        """``prepare_batch`` for a feed in another language than the reference: a stored record
        gets its text in the feed's language, if that differs, and nothing else; a record not
        stored is created from the feed, its labels resolved through the known translations."""
        stored_ids = self.stored_ids
        if stored_ids is not None:
            maybe_stored = [r for r in records if r.annotation_id.int in stored_ids]
        else:
            maybe_stored = records
        stored = self.store.stored_texts(maybe_stored)
        for record in records:
            found = stored.get(str(record.annotation_id))
            if found is None:
                prepared.new.append(record)
                continue
            text_digest, source, pk = found
            if not source and not self.run.dry_run:  # no text in the language yet: COPYed
                prepared.added.append((pk, record))
            elif (text_digest, source) != (record.text_digest, TextSource.OFFICIAL):
                prepared.texts.append(record)
        self._remember_countries(prepared.new)
        if prepared.new:
            with self.read_ahead.writer_busy():
                self.lookups.resolve_documents(prepared.new)
                for record in prepared.new:
                    self.lookups.links(record)
            prepared.ids, prepared.now = self.store.new_ids(len(prepared.new))
        result = prepared.result
        result.created = len(prepared.new)
        result.unchanged = (
            len(records) - len(prepared.new) - len(prepared.texts) - len(prepared.added)
        )
        return prepared

    def _remember_countries(self, records: list[FeedRecord]) -> None:
        countries = self.lookups.countries
        self.seen_countries.update(
            countries[iso3] for record in records for iso3 in record.countries if iso3 in countries
        )

    def _render(self, prepared: Prepared) -> Rendered:
        """COPY input for the new rows of a batch (in the renderer thread: no database)."""
        rendered = self.store.render_new(prepared.new, prepared.ids, prepared.now)
        return rendered + self.store.render_added(prepared.added)

    def send_batch(self, prepared: Prepared, rendered: Rendered) -> None:
        """Write a prepared batch (``rendered``: its new rows as COPY input) and its counts."""
        self.store.send(rendered)
        self.store.touch([pk for pk, _record in prepared.added])
        result = prepared.result
        if prepared.changed:
            result.updated = self.store.update(prepared.changed)
            result.unchanged += len(prepared.changed) - result.updated
        result.updated += len(prepared.added)
        if prepared.texts:
            updated = self.store.update_texts(prepared.texts)
            result.updated += updated
            result.unchanged += len(prepared.texts) - updated
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
        self.checks.lookup_issues(result, self.lookups)
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
            cursor.execute(sql.TEMP_TABLES)
            if not run.dry_run:  # imports take turns: see WRITE_LOCK
                cursor.execute(sql.LOCK, [WRITE_LOCK])
        try:
            if not self.country_iso3:
                self.stored_ids = self.store.stored_ids()
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
            if not run.language:  # no usable record told it
                run.language = self.reference_language
                run.save(update_fields=["language"])
            # Withdrawal is the reference language's decision: a record missing from a feed in
            # another language may only lack its translation.
            if self.is_reference:
                with self._audit("uhri_import_withdraw"):
                    withdraw(run, self.seen_ids, self.seen_countries, self.reference_language)
            if not run.dry_run and run.created + run.updated + run.withdrawn >= ANALYZE_AFTER_ROWS:
                analyze_recommendation_tables()
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
                cursor.execute(sql.UNLOCK, [WRITE_LOCK])
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
            if not self.checks.remember_id(raw.get("AnnotationId")):
                continue
            for label in raw.get("Countries") or []:
                iso3 = self.vocabulary.country(str(label))
                if iso3 in self.lookups.countries:
                    self.seen_countries.add(self.lookups.countries[iso3])
