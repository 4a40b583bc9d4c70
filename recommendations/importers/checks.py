"""The rows of a batch checked before they are written, and what a run records about them: rejected
rows, repeated ids and warnings, as ``ImportIssue`` rows, and the ids the feed contains.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from recommendations.models import ImportIssue, ImportRun

from .columns import max_length
from .lookups import Lookups
from .records import FeedRecord, Rejected

MAX_ISSUES = 10_000  # past this, rejected rows are counted but not listed one by one
ISSUE_VALUE_LIMIT = 1000  # characters of a rejected value kept with its issue
ISSUE_ID_LENGTH = max_length(ImportIssue, "annotation_id")
ISSUE_FIELD_LENGTH = max_length(ImportIssue, "field")


@dataclass
class BatchResult:
    """What one batch did (or, in a dry run, would do), and its issues."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    issues: list[ImportIssue] = field(default_factory=list)


class Checks:
    """The checks of one run's rows, and the ids its feed contains (for the withdrawal)."""

    def __init__(self, run: ImportRun, country_iso3: str | None) -> None:
        self.run = run
        self.country_iso3 = country_iso3
        self.issue_count = run.issues.count()
        self.warned_labels: set[tuple[str, str]] = set()
        # Ids this run has imported or rejected (as integers: a third of the memory of UUIDs).
        self.seen_ids: set[int] = set()

    def issue(
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
                annotation_id=str(rec_id)[:ISSUE_ID_LENGTH],
                field=where[:ISSUE_FIELD_LENGTH],
                reason=why,
                raw_value=(raw if isinstance(raw, str) else json.dumps(raw, default=str))[
                    :ISSUE_VALUE_LIMIT
                ],
                severity=severity,
            )
        )

    def check_batch(
        self, batch: list[tuple[int, Any, FeedRecord | Rejected]], result: BatchResult
    ) -> list[tuple[int, FeedRecord, Any]]:
        """The rows of a batch to write; the others are counted as rejected, with the reason."""
        records: list[tuple[int, FeedRecord, Any]] = []
        candidates: list[tuple[int, FeedRecord, Any, Any]] = []
        rejected_ids: list[Any] = []
        for row, raw, record in batch:
            raw_id = raw.get("AnnotationId", "") if isinstance(raw, dict) else ""
            if isinstance(record, Rejected):
                result.rejected += 1
                self.issue(result, row, raw_id, record.field, record.reason, record.value)
                rejected_ids.append(raw_id)
                continue
            if self.country_iso3 and self.country_iso3 not in record.countries:
                result.rejected += 1
                self.issue(result, row, raw_id, "Countries", "the record names no country", "")
                continue
            candidates.append((row, record, raw, raw_id))
        self._remember_rejected(rejected_ids)
        # One id, one row: a repeat within this batch or of an earlier batch is rejected.
        seen = self.seen_ids
        for row, record, raw, raw_id in candidates:
            if record.annotation_id.int in seen:
                result.rejected += 1
                self.issue(
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
                    self.issue(
                        result,
                        row,
                        str(record.annotation_id),
                        where,
                        why,
                        value,
                        ImportIssue.Severity.WARNING,
                    )
        return records

    def lookup_issues(self, result: BatchResult, lookups: Lookups) -> None:
        """Warnings for what the look-ups of a batch created (or would create), and for the
        document ids they ignored."""
        for label_kind, label in lookups.new_labels:
            self.issue(
                result,
                None,
                "",
                label_kind,
                f"new {label_kind} created for review"
                if not self.run.dry_run
                else f"new {label_kind} would be created",
                label,
                ImportIssue.Severity.WARNING,
            )
        lookups.new_labels.clear()
        for symbol, document_uuid, annotation_id in lookups.conflicts:
            self.issue(
                result,
                None,
                annotation_id,
                "DocumentId",
                f"DocumentId already belongs to another document: ignored for {symbol}",
                document_uuid,
                ImportIssue.Severity.WARNING,
            )
        lookups.conflicts.clear()

    def _remember_rejected(self, raw_ids: list[Any]) -> None:
        """A rejected row still says its recommendation exists upstream: never withdraw it."""
        for raw_id in raw_ids:
            self.remember_id(raw_id)

    def remember_id(self, raw_id: Any) -> bool:
        """Record a raw AnnotationId as present in the feed; False if it is not a UUID."""
        try:
            self.seen_ids.add(uuid.UUID(str(raw_id)).int)
        except ValueError:
            return False
        return True
