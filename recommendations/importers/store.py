"""The database side of a run: which rows are stored, and what each batch writes.

New recommendations are COPYed straight into their tables with ids taken from the sequence
beforehand (``Store.render_new``, then ``Store.send``). Changed ones are COPYed into the staging
table and upserted from there with their texts and links (``Store.update``).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.db import connection

from recommendations.models import ImportRun

from . import sql
from .columns import (
    LANGUAGE,
    LINKS,
    NEW_CHANGE,
    RECOMMENDATION,
    REVIEW_TEXT_LIMIT,
    TEXT,
    TEXT_ADDED_CHANGE,
    From,
    copy_value,
    render_record,
    staged_row,
)
from .records import FeedRecord

if TYPE_CHECKING:
    from .lookups import Lookups

# A COPY of new rows: (table, columns, rows).
Rendered = list[tuple[str, str, io.StringIO]]


class Store:
    """Reads and writes of one run's batches, in the run's connection (``render_new`` apart)."""

    def __init__(self, run: ImportRun, lookups: Lookups, publication_state: str) -> None:
        self.run = run
        self.lookups = lookups
        self.publication_state = publication_state
        self.language = run.language or LANGUAGE  # the language of the texts written
        self._id_sequence: str | None = None

    def stored_ids(self) -> set[int]:
        """The annotation ids of every stored recommendation, as integers."""
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql.STORED_IDS)
            return {int(digits, 16) for (digits,) in cursor}

    def stored(self, records: list[FeedRecord]) -> dict[str, tuple[str, bool]]:
        """Digest and withdrawal of the stored recommendations of a batch, by annotation id."""
        if not records:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(sql.STORED_DIGESTS, [[str(record.annotation_id) for record in records]])
            return {
                annotation_id: (digest, withdrawn) for annotation_id, digest, withdrawn in cursor
            }

    def stored_texts(self, records: list[FeedRecord]) -> dict[str, tuple[str, str, int]]:
        """For a feed in another language than the reference: the digest and source of the stored
        text in the run's language of a batch's recommendations (``("", "")`` without one) and
        the recommendation's id, by annotation id."""
        if not records:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                sql.STORED_TEXT_DIGESTS,
                [self.language, [str(record.annotation_id) for record in records]],
            )
            return {
                annotation_id: (text_digest or "", source or "", pk)
                for pk, annotation_id, text_digest, source in cursor
            }

    def render_added(self, added: list[tuple[int, FeedRecord]]) -> Rendered:
        """COPY input for the texts a feed in another language adds to stored recommendations
        (none in its language yet), and their entries in the review list. Touches no database."""
        if not added:
            return []
        run = self.run
        text = TEXT.copy_template((From.ID, From.RECORD), language=self.language)
        change = TEXT_ADDED_CHANGE.copy_template(
            (From.ID, From.RECORD), run=run.pk, language=self.language
        )
        texts, changes = io.StringIO(), io.StringIO()
        for pk, record in added:
            render_record(record)
            texts.write(text % (pk, record.copy_text))
            changes.write(change % (pk, TEXT_ADDED_CHANGE.render(record)))
        return [
            (TEXT.name, TEXT.names(), texts),
            (TEXT_ADDED_CHANGE.name, TEXT_ADDED_CHANGE.names(), changes),
        ]

    def update_texts(self, records: list[FeedRecord]) -> int:
        """Write the run's language's text of stored recommendations whose text in it differs (or
        is not official), and list them for review; in a dry run only list them. Returns how many.
        Nothing else of the recommendations is written but their time of change."""
        run = self.run
        buffer = io.StringIO()
        for record in records:
            buffer.write(
                "\t".join(
                    copy_value(value)
                    for value in (
                        record.annotation_id,
                        record.text,
                        record.html,
                        record.symbol,
                        record.paragraph,
                    )
                )
                + "\n"
            )
        with connection.cursor() as cursor:
            cursor.execute(sql.TEXT_TEMP_TABLE)
            self._copy("import_texts", sql.TEXT_NAMES, buffer)
            cursor.execute(
                sql.TEXT_REVIEW,
                {"limit": REVIEW_TEXT_LIMIT, "language": self.language, "dry_run": run.dry_run},
            )
            params: dict[str, int | str] = {"run": run.pk, "language": self.language}
            if run.dry_run:
                cursor.execute(sql.TEXT_REVIEW_SAVE_DRY_RUN, params)
                return cursor.rowcount
            cursor.execute(sql.TEXT_UPSERT, params)
            cursor.execute(sql.TEXTS_TOUCH_CHANGED)
            cursor.execute(sql.TEXT_REVIEW_SAVE, params)
            return cursor.rowcount

    def new_ids(self, count: int) -> tuple[list[int], str]:
        """Ids for new recommendations, taken from the sequence, and the time to stamp them."""
        if self.run.dry_run:
            return [], ""
        with connection.cursor() as cursor:
            if self._id_sequence is None:
                cursor.execute(sql.ID_SEQUENCE)
                (self._id_sequence,) = cursor.fetchone()
            cursor.execute(sql.NEW_IDS, [self._id_sequence, count])
            now, ids = cursor.fetchone()
        return ids, now

    def render_new(self, records: list[FeedRecord], ids: list[int], now: str) -> Rendered:
        """COPY input for new rows: the recommendations, their texts and links. A dry run
        creates nothing and lists them for review instead (ImportChange, with the new text); a
        real run's review list reads them from the recommendations it created.
        Touches no database: it runs in its own thread while the previous batch is sent."""
        run, lookups = self.run, self.lookups
        if run.dry_run:
            change = NEW_CHANGE.copy_template((From.RECORD,), run=run.pk, language=self.language)
            changes = io.StringIO()
            for record in records:
                changes.write(change % (NEW_CHANGE.render(record),))
            return [(NEW_CHANGE.name, NEW_CHANGE.names(), changes)]
        row = RECOMMENDATION.copy_template(
            (From.ID, From.RECORD, From.DOCUMENT),
            run=run.pk,
            publication=self.publication_state,
            now=now,
        )
        text = TEXT.copy_template((From.ID, From.RECORD), language=self.language)
        link_rows = [link.copy_template((From.ID, From.LINK)) for link in LINKS]
        rows, texts = io.StringIO(), io.StringIO()
        links = [io.StringIO() for _ in LINKS]
        for pk, record in zip(ids, records, strict=True):
            render_record(record)
            rows.write(row % (pk, record.copy_fields, lookups.document(record)))
            texts.write(text % (pk, record.copy_text))
            for buffer, link_row, targets in zip(
                links, link_rows, lookups.links(record), strict=True
            ):
                for target in targets:
                    buffer.write(link_row % (pk, target))
        return [
            (RECOMMENDATION.name, RECOMMENDATION.names(), rows),
            (TEXT.name, TEXT.names(), texts),
            *((link.name, link.names(), buffer) for link, buffer in zip(LINKS, links, strict=True)),
        ]

    def send(self, rendered: Rendered) -> None:
        """COPY what ``render_new`` rendered."""
        for table, columns, buffer in rendered:
            if buffer.tell():
                self._copy(table, columns, buffer)

    def touch(self, ids: list[int]) -> None:
        """Move the time of change of stored recommendations (ids) to now: a text in another
        language was added to them (``render_added``), which sync clients must see."""
        if ids and not self.run.dry_run:
            with connection.cursor() as cursor:
                cursor.execute(sql.TEXTS_TOUCH, [ids])

    @staticmethod
    def _copy(table: str, columns: str, buffer: io.StringIO) -> None:
        # Sent in one piece: psycopg2 reads the buffer in chunks of 8 kB by default, and each
        # chunk waits for the reader thread to hand back the interpreter.
        size = max(buffer.tell(), 8192)
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql.copy(table, columns), buffer, size)  # type: ignore[attr-defined]

    def _stage(self, records: list[FeedRecord]) -> None:
        """Stage the rows to compare with, or write over, their stored recommendations."""
        lookups = self.lookups
        buffer = io.StringIO()
        for record in records:
            buffer.write(staged_row(record, lookups.document(record), lookups.links(record)))
        with connection.cursor() as cursor:
            cursor.execute(sql.TRUNCATE)
        self._copy("import_rows", sql.STAGED_NAMES, buffer)

    def update(self, records: list[FeedRecord]) -> int:
        """Write over the stored recommendations these rows differ from (or that were withdrawn),
        and list them for review; in a dry run only list them. Returns how many."""
        self._stage(records)
        run = self.run
        with connection.cursor() as cursor:
            language = self.language
            cursor.execute(
                sql.REVIEW,
                {"limit": REVIEW_TEXT_LIMIT, "dry_run": run.dry_run, "language": language},
            )
            if run.dry_run:
                cursor.execute(sql.REVIEW_SAVE_DRY_RUN, {"run": run.pk, "language": language})
                return cursor.rowcount
            cursor.execute(
                sql.UPSERT,
                {
                    "run": run.pk,
                    "publication_state": self.publication_state,
                    **RECOMMENDATION.defaults,
                },
            )
            cursor.execute(sql.REPLACED)
            (replaced,) = cursor.fetchone()
            cursor.execute(sql.TEXTS, {**TEXT.defaults, "language": language})
            for delete, insert in sql.LINK_STATEMENTS:
                if replaced:  # a row the upsert inserted after all has no link to remove
                    cursor.execute(delete)
                cursor.execute(insert)
            cursor.execute(sql.REVIEW_SAVE, {"run": run.pk, "language": language})
            return cursor.rowcount
