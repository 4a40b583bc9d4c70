"""Every write to recommendations goes through here: policy check, audit context, then the change."""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from tracker.exceptions import ApplicationError
from tracker.models import Country, User

from . import policies
from .importers.fetch import TransientFeedError, is_url, open_url
from .importers.pipeline import BATCH_SIZE, Importer
from .importers.readers import SourceError, guess_format
from .models import ImportFormat, ImportRun, ImportStatus

logger = logging.getLogger(__name__)


def import_run_create(
    *,
    actor: User | None,
    source: str = "",
    upload: UploadedFile | None = None,
    format: str = "",
    country: Country | None = None,
    dry_run: bool = False,
    enqueue: bool = True,
) -> ImportRun:
    """Record an import request and, after commit, hand it to a worker.

    ``actor`` is ``None`` only for the system itself (the schedule, the command line); a person must be
    allowed to import. Raises ``ApplicationError`` when neither a source nor a file is given or the
    format cannot be told.
    """
    if actor is not None:
        policies.ensure_can_import(actor)
    if not source and upload is None:
        raise ApplicationError("Give a file or a feed URL.", {"fields": {"source": ["Required."]}})
    name = upload.name if upload is not None else source
    try:
        format = format or guess_format(name or "")
    except SourceError as exc:
        raise ApplicationError(str(exc), {"fields": {"format": [str(exc)]}}) from None
    if format not in ImportFormat.values:
        raise ApplicationError("Unknown format.", {"fields": {"format": ["json, xlsx or csv."]}})
    with transaction.atomic():
        run = ImportRun(
            source=(source or name or "")[:1000],
            format=format,
            country=country,
            dry_run=dry_run,
            triggered_by=actor,
        )
        if upload is not None:
            run.upload.save(Path(upload.name or "feed").name, upload, save=False)
        run.save()
        if enqueue:
            from .tasks import uhri_import_run

            uhri_import_run.delay_on_commit(run.pk)  # type: ignore[attr-defined]
    return run


def import_run_apply(
    *, actor: User | None, dry_run: ImportRun, enqueue: bool = True
) -> tuple[ImportRun, bool]:
    """Import for real what a finished dry run showed: the same source (an uploaded file is read
    again, a URL fetched again), format and country. ``(run, created)``: asked again, it gives the
    real run it started, unless that one failed. Raises ``ApplicationError`` for a run that is not
    a finished dry run."""
    if actor is not None:
        policies.ensure_can_import(actor)
    if not dry_run.is_finished_dry_run:
        raise ApplicationError("Only a dry run that finished can be imported for real.")
    if not dry_run.can_be_applied or (
        dry_run.upload and not dry_run.upload.storage.exists(dry_run.upload.name)
    ):
        raise ApplicationError("The dry run's file is no longer kept here: upload it again.")
    with transaction.atomic():
        # One real run per dry run at a time: the lock makes a second request wait for the first.
        ImportRun.objects.select_for_update().get(pk=dry_run.pk)
        earlier = dry_run.applied_by.exclude(status=ImportStatus.FAILED).order_by("pk").first()
        if earlier is not None:
            return earlier, False
        run = ImportRun.objects.create(
            source=dry_run.source,
            upload=dry_run.upload.name if dry_run.upload else "",
            format=dry_run.format,
            country=dry_run.country,
            dry_run=False,
            applies=dry_run,
            triggered_by=actor,
        )
        if enqueue:
            from .tasks import uhri_import_run

            uhri_import_run.delay_on_commit(run.pk)  # type: ignore[attr-defined]
    return run, True


@contextmanager
def _open_source(run: ImportRun) -> Iterator[IO[bytes]]:
    """A byte stream of the run's feed: the uploaded file, a local path, or a URL."""
    if run.upload:
        with run.upload.open("rb") as handle:
            yield handle
        return
    source = run.source
    if is_url(source):
        response = open_url(source)
        try:
            if run.format == ImportFormat.XLSX:
                # A workbook is a zip file: it needs a seekable file.
                with tempfile.TemporaryFile() as spool:
                    shutil.copyfileobj(response, spool)  # type: ignore[misc]
                    spool.seek(0)
                    yield spool
            else:
                yield response  # type: ignore[misc]
        finally:
            response.close()
        return
    path = Path(source)
    if not path.is_file():
        raise SourceError(f"No such file: {source}")
    with path.open("rb") as handle:
        yield handle


def import_run_execute(*, import_run_id: int, batch_size: int | None = None) -> ImportRun:
    """Run (or resume) an import. Safe to call twice: a run that succeeded is left as it is.

    Claims the run with a conditional update, reads the feed batch by batch (each batch commits with
    the counts), then marks withdrawn what a complete feed no longer contains. A source that cannot be
    read at all fails the run with the reason; ``TransientFeedError`` propagates so that the task retries.
    """
    # A failed run may be run again: it resumes after its last committed batch.
    claimed = ImportRun.objects.filter(
        pk=import_run_id,
        status__in=[ImportStatus.PENDING, ImportStatus.RUNNING, ImportStatus.FAILED],
    ).update(status=ImportStatus.RUNNING, error="", started_at=Coalesce(F("started_at"), Now()))
    run = ImportRun.objects.select_related("country", "triggered_by").get(pk=import_run_id)
    if not claimed:
        return run
    importer = Importer(run, batch_size=batch_size or BATCH_SIZE)
    try:
        with _open_source(run) as stream:
            importer.execute(stream)
    except SourceError as exc:
        run.status = ImportStatus.FAILED
        run.error = str(exc)
    except TransientFeedError:
        raise
    except Exception as exc:
        # Whatever went wrong, the run must not stay "running": the batches committed so far are
        # kept, the reason is recorded, and the operators get the traceback in the log.
        logger.exception("import %s failed", run.pk)
        run.status = ImportStatus.FAILED
        run.error = f"The import stopped on an unexpected error: {exc.__class__.__name__}: {exc}"[
            :2000
        ]
    else:
        run.status = ImportStatus.SUCCEEDED
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    return run


def import_run_give_up(*, import_run_id: int, reason: str) -> None:
    """Fail a run whose feed could not be fetched after every retry (it was left "running")."""
    ImportRun.objects.filter(pk=import_run_id, status=ImportStatus.RUNNING).update(
        status=ImportStatus.FAILED,
        error=f"The feed could not be fetched, after retrying: {reason}"[:2000],
        finished_at=Now(),
    )


def import_uploads_purge(*, days: int | None = None) -> int:
    """Delete the uploaded files of runs that finished more than ``days`` days ago (default
    ``TRACKER_IMPORT_UPLOAD_DAYS``; 0 deletes nothing), unless a run still to finish, or finished
    more recently, reads the same file (a dry run and the run that applied it share one). The runs
    keep the file's name as their source. Returns the number of files deleted."""
    days = settings.TRACKER_IMPORT_UPLOAD_DAYS if days is None else days
    if days <= 0:
        return 0
    cutoff = timezone.now() - timedelta(days=days)
    with_upload = ImportRun.objects.exclude(upload="")
    # Not finished (no finished_at), or finished since the cutoff.
    needed = with_upload.exclude(finished_at__lt=cutoff).values("upload")
    names = sorted(
        set(
            with_upload.filter(finished_at__lt=cutoff)
            .exclude(upload__in=needed)
            .values_list("upload", flat=True)
        )
    )
    storage = ImportRun._meta.get_field("upload").storage  # type: ignore[attr-defined]
    for name in names:
        storage.delete(name)
        ImportRun.objects.filter(upload=name).update(upload="")
        logger.info("deleted the uploaded feed %s", name)
    return len(names)


# -- The NMRF's own fields, texts and links --------------------------------------------------------
# Imports never write these (see the README): the secretariat does, from the pages, the API and
# the demo data. Each service has a bulk form for lists; the single forms call it with one row.

# Imported here rather than at the top so that this section stands apart from the import services
# above when branches touching both are merged.
from collections.abc import Iterable, Mapping, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import date  # noqa: E402
from typing import Any  # noqa: E402

from django.core.exceptions import ValidationError  # noqa: E402
from django.db import connection, models  # noqa: E402
from django.utils.html import escape  # noqa: E402

from tracker.audit import audit_context  # noqa: E402

from .models import (  # noqa: E402
    SEARCH_CONFIGS,
    Cluster,
    Document,
    Mechanism,
    Recommendation,
    RecommendationText,
    ReviewCycle,
    TextSource,
)

# The recommendation fields that are the NMRF's, not the UN's: an import never overwrites them.
NATIONAL_FIELDS = (
    "cluster",
    "priority",
    "status",
    "status_override_reason",
    "national_notes",
    "publication_state",
    "is_current",
    "position_source",
)


def _clean_national_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields by attribute name (``cluster_id``), checked against the model's rules."""
    unknown = sorted(set(fields) - set(NATIONAL_FIELDS))
    if unknown:
        raise ApplicationError(f"Not a national field: {', '.join(unknown)}.")
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        if name == "cluster":
            if value is None or (isinstance(value, Cluster) and value.pk):
                cleaned["cluster_id"] = value.pk if value is not None else None
            else:
                errors[name] = ["A saved cluster, or None."]
            continue
        try:
            cleaned[name] = Recommendation._meta.get_field(name).clean(value, None)  # type: ignore[union-attr]
        except ValidationError as exc:
            errors[name] = list(exc.messages)
    if errors:
        raise ApplicationError("Invalid national fields.", {"fields": errors})
    return cleaned


@transaction.atomic
def recommendation_set_national_fields_bulk(
    *, actor: User | None, changes: Mapping[int, Mapping[str, Any]]
) -> int:
    """Set the national fields (``NATIONAL_FIELDS``) of many recommendations, by id: one update
    statement for all of them. Only values that differ are written; each changed row's version
    goes up. Returns how many rows changed (0: nothing written, no history event).

    ``actor`` is ``None`` only for the system itself (the demo data). Raises ``PermissionDenied``
    for an actor who may not edit recommendations, ``ApplicationError`` for an unknown field or a
    value the field refuses (nothing is written then).
    """
    if actor is not None:
        policies.ensure_can_edit_recommendation(actor)
    cleaned = {pk: _clean_national_fields(fields) for pk, fields in changes.items()}
    touched = sorted({name for fields in cleaned.values() for name in fields})
    if not touched:
        return 0
    with audit_context(actor=actor, action="recommendation_set_national_fields"):
        rows = (
            Recommendation.objects.select_for_update()
            .filter(pk__in=cleaned)
            .only("pk", "version", *touched)
            .order_by("pk")
        )
        changed = []
        for row in rows:
            differs = False
            for name, value in cleaned[row.pk].items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
                    differs = True
            if differs:
                changed.append(row)
        if not changed:
            return 0
        _update_recommendations(changed, touched)
    return len(changed)


def _update_recommendations(rows: Sequence[Recommendation], fields: Sequence[str]) -> None:
    """Write ``fields`` of ``rows`` in one ``UPDATE ... FROM (VALUES ...)``, with the version up
    and the time of the change. (``bulk_update`` builds a CASE per field and row: seconds of
    Python for a few hundred rows.)"""
    columns = [
        column
        for name in fields
        if isinstance(column := Recommendation._meta.get_field(name), models.Field)
    ]
    quote = connection.ops.quote_name
    row_values = ", ".join(f"%s::{column.db_type(connection)}" for column in columns)
    values = ", ".join(f"(%s::bigint, {row_values})" for _row in rows)
    params: list[Any] = [timezone.now()]
    for row in rows:
        params.append(row.pk)
        params.extend(
            column.get_db_prep_save(getattr(row, column.attname), connection) for column in columns
        )
    names = [quote(column.column) for column in columns]
    sql = (
        f"UPDATE {quote(Recommendation._meta.db_table)} AS r SET "  # noqa: S608 (names from the model)
        + ", ".join(f"{name} = v.{name}" for name in names)
        + ", version = r.version + 1, updated_at = %s"
        + f" FROM (VALUES {values}) AS v (id, {', '.join(names)}) WHERE r.id = v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def recommendation_set_national_fields(
    *, actor: User | None, recommendation: Recommendation, **fields: Any
) -> Recommendation:
    """Set national fields of one recommendation (see ``recommendation_set_national_fields_bulk``);
    returns it as stored."""
    recommendation_set_national_fields_bulk(actor=actor, changes={recommendation.pk: fields})
    recommendation.refresh_from_db()
    return recommendation


@dataclass(frozen=True)
class TextInput:
    """A translation of a recommendation's text, as plain text (the HTML is made from it)."""

    recommendation_id: int
    language: str
    text: str
    source: str = TextSource.UNOFFICIAL


def _text_html(text: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())


@transaction.atomic
def recommendation_text_set_bulk(*, actor: User | None, texts: Iterable[TextInput]) -> int:
    """Add or change translations of recommendations' texts (unofficial or machine): one insert
    for the new ones, one update for the changed ones; a text that is already as given is not
    written. Returns how many texts were written.

    The official text of a language comes from the UN feed only: it is never overwritten here.
    Raises ``PermissionDenied`` for an actor who may not edit recommendations, and
    ``ApplicationError`` for a language the tracker does not search, an empty text, an official
    source, or a language whose text is the official one (nothing is written then).
    """
    if actor is not None:
        policies.ensure_can_edit_recommendation(actor)
    wanted: dict[tuple[int, str], TextInput] = {}
    for item in texts:
        text = item.text.strip()
        if item.language not in SEARCH_CONFIGS:
            raise ApplicationError(
                f"Unknown language {item.language!r}.", {"fields": {"language": ["Unknown."]}}
            )
        if not text:
            raise ApplicationError("The text is empty.", {"fields": {"text": ["Required."]}})
        if item.source not in (TextSource.UNOFFICIAL, TextSource.MACHINE):
            raise ApplicationError(
                "Official texts come from the UN feed only.", {"fields": {"source": ["Invalid."]}}
            )
        wanted[(item.recommendation_id, item.language)] = TextInput(
            item.recommendation_id, item.language, text, item.source
        )
    if not wanted:
        return 0
    with audit_context(actor=actor, action="recommendation_text_set"):
        stored = {
            (row.recommendation_id, row.language): row
            for row in RecommendationText.objects.select_for_update()
            .filter(recommendation_id__in={key[0] for key in wanted})
            .defer("search_vector")
        }
        new, changed = [], []
        for key, item in wanted.items():
            html = _text_html(item.text)
            row = stored.get(key)
            if row is None:
                new.append(
                    RecommendationText(
                        recommendation_id=item.recommendation_id,
                        language=item.language,
                        text=item.text,
                        html=html,
                        source=item.source,
                    )
                )
            elif row.source == TextSource.OFFICIAL:
                raise ApplicationError(
                    f"The {item.language} text of recommendation {key[0]} is the official one.",
                    {"fields": {"language": ["Official text."]}},
                )
            elif (row.text, row.html, row.source) != (item.text, html, item.source):
                row.text, row.html, row.source = item.text, html, item.source
                changed.append(row)
        RecommendationText.objects.bulk_create(new)
        RecommendationText.objects.bulk_update(changed, ["text", "html", "source"])
    return len(new) + len(changed)


def recommendation_text_set(
    *,
    actor: User | None,
    recommendation: Recommendation,
    language: str,
    text: str,
    source: str = TextSource.UNOFFICIAL,
) -> RecommendationText:
    """Add or change one translation (see ``recommendation_text_set_bulk``); returns it."""
    recommendation_text_set_bulk(
        actor=actor, texts=[TextInput(recommendation.pk, language, text, source)]
    )
    return recommendation.texts.get(language=language)


@transaction.atomic
def recommendation_link_related_bulk(
    *, actor: User | None, pairs: Iterable[tuple[int, int]]
) -> int:
    """Link recommendations, by id, as related (the same recommendation repeated across cycles
    or mechanisms). Links go both ways; a pair already linked is left as it is. Returns how many
    pairs were linked.

    Raises ``PermissionDenied`` for an actor who may not edit recommendations, and
    ``ApplicationError`` for a recommendation linked to itself.
    """
    if actor is not None:
        policies.ensure_can_edit_recommendation(actor)
    wanted = set()
    for a, b in pairs:
        if a == b:
            raise ApplicationError("A recommendation cannot be related to itself.")
        wanted.add((min(a, b), max(a, b)))
    if not wanted:
        return 0
    through = Recommendation.related.through
    with audit_context(actor=actor, action="recommendation_link_related"):
        ids = {pk for pair in wanted for pk in pair}
        stored = set(
            through.objects.filter(
                from_recommendation_id__in=ids, to_recommendation_id__in=ids
            ).values_list("from_recommendation_id", "to_recommendation_id")
        )
        new = sorted(pair for pair in wanted if pair not in stored)
        # The relation is symmetrical: Django stores both directions.
        through.objects.bulk_create(
            (
                through(from_recommendation_id=a, to_recommendation_id=b)
                for pair in new
                for a, b in (pair, pair[::-1])
            ),
            ignore_conflicts=True,
        )
    return len(new)


def recommendation_link_related(
    *, actor: User | None, recommendation: Recommendation, others: Iterable[Recommendation]
) -> int:
    """Link one recommendation to others (see ``recommendation_link_related_bulk``)."""
    return recommendation_link_related_bulk(
        actor=actor, pairs=[(recommendation.pk, other.pk) for other in others]
    )


_UNSET: Any = object()


@transaction.atomic
def document_update(
    *,
    actor: User | None,
    document: Document,
    title: str | None = None,
    languages: Sequence[str] | None = None,
    cycle: ReviewCycle | None = _UNSET,
) -> Document:
    """Set what a UN feed does not say about a document: its title, its languages, and (for a
    treaty body or special procedure) its review cycle. Arguments left out are not changed;
    nothing is written when nothing differs.

    Raises ``PermissionDenied`` for an actor who may not edit recommendations, and
    ``ApplicationError`` for a cycle of another mechanism or an unknown language.
    """
    if actor is not None:
        policies.ensure_can_edit_recommendation(actor)
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = title.strip()
    if languages is not None:
        unknown = sorted(set(languages) - set(SEARCH_CONFIGS))
        if unknown:
            raise ApplicationError(f"Unknown languages: {', '.join(unknown)}.")
        changes["languages"] = list(languages)
    if cycle is not _UNSET:
        if cycle is not None and cycle.mechanism_id != document.mechanism_id:
            raise ApplicationError("The cycle belongs to another mechanism.")
        changes["cycle_id"] = cycle.pk if cycle is not None else None
    with audit_context(actor=actor, action="document_update"):
        document = Document.objects.select_for_update().get(pk=document.pk)
        changed = [name for name, value in changes.items() if getattr(document, name) != value]
        if not changed:
            return document
        for name in changed:
            setattr(document, name, changes[name])
        # Only the changed fields: checking the others would look each foreign key up again.
        unchanged = [f.name for f in Document._meta.fields if f.attname not in changed]
        document.full_clean(exclude=unchanged, validate_unique=False, validate_constraints=False)
        document.save(update_fields=changed)
    return document


@transaction.atomic
def review_cycle_get_or_create(
    *,
    actor: User | None,
    mechanism: Mechanism,
    number: int,
    label: str = "",
    session: int | None = None,
    review_date: date | None = None,
    mid_term_due: date | None = None,
    next_review: date | None = None,
) -> tuple[ReviewCycle, bool]:
    """The cycle ``number`` of ``mechanism``, created when missing; ``(cycle, created)``. A field
    the stored cycle has no value for is filled in from the arguments, a value already there is
    kept (it may have been edited nationally). Nothing is written when nothing is missing.

    Raises ``PermissionDenied`` for an actor who may not edit recommendations.
    """
    if actor is not None:
        policies.ensure_can_edit_recommendation(actor)
    wanted: dict[str, Any] = {
        "label": label,
        "session": session,
        "review_date": review_date,
        "mid_term_due": mid_term_due,
        "next_review": next_review,
    }
    with audit_context(actor=actor, action="review_cycle_get_or_create"):
        cycle, created = ReviewCycle.objects.select_for_update().get_or_create(
            mechanism=mechanism, number=number, defaults=wanted
        )
        if created:
            return cycle, True
        missing = [
            name for name, value in wanted.items() if value and getattr(cycle, name) in (None, "")
        ]
        if missing:
            for name in missing:
                setattr(cycle, name, wanted[name])
            cycle.save(update_fields=missing)
    return cycle, False
