"""What a complete feed no longer contains is marked withdrawn (never deleted), for review."""

from __future__ import annotations

from django.db import connection

from recommendations.models import ImportChange, ImportIssue, ImportRun

from . import sql
from .columns import LANGUAGE, REVIEW_TEXT_LIMIT


def withdraw(
    run: ImportRun, seen_ids: set[int], seen_countries: set[int], language: str = LANGUAGE
) -> None:
    """Mark as withdrawn what a complete feed no longer contains, for the countries it covers
    (the run's country, else ``seen_countries``): the stored recommendations whose annotation id
    (as an integer) is not in ``seen_ids`` and that have a text in ``language`` (the reference
    language: a record only another language's feed has carried is not withdrawn). Each is listed for review; a dry run only lists them."""
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
    countries = [run.country_id] if run.country_id else sorted(seen_countries)
    # The feed's ids are in memory (``seen_ids``): the stored ones are streamed past them.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql.WITHDRAW_CANDIDATES, [countries, language])
        missing = [pk for pk, digits in cursor if int(digits, 16) not in seen_ids]
    with connection.cursor() as cursor:
        cursor.execute(sql.WITHDRAWN_ROWS, [missing])
        gone = cursor.fetchall()
        if gone and not run.dry_run:
            cursor.execute(sql.WITHDRAW, {"run": run.pk, "ids": [row[0] for row in gone]})
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
