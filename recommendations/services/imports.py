"""Imports of UHRI feeds: start one, apply a dry run, run it, give up on it, purge old uploads."""

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
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from recommendations import policies
from recommendations.importers import languages as feed_languages
from recommendations.importers.columns import max_length
from recommendations.importers.fetch import TransientFeedError, is_url, open_url
from recommendations.importers.pipeline import BATCH_SIZE, Importer
from recommendations.importers.readers import SourceError, guess_format
from recommendations.models import ImportFormat, ImportRun, ImportStatus
from recommendations.validators import validate_one_source
from tracker import jobs
from tracker.audit import audited
from tracker.exceptions import ApplicationError
from tracker.models import Country, User

logger = logging.getLogger(__name__)

# Import runs as jobs (tracker/jobs.py): one worker at a time, a lease, a limit on redeliveries,
# an outbox while the broker is away.
IMPORT_JOB = jobs.JobKind(
    name="import",
    model=ImportRun,
    task="recommendations.tasks.uhri_import_run",
    pending=ImportStatus.PENDING,
    running=ImportStatus.RUNNING,
    failed=ImportStatus.FAILED,
    on_claim=lambda: {"started_at": Coalesce(F("started_at"), Now())},
    # A scheduled feed in another language starts once the run it follows has finished.
    ready=lambda: Q(follows__isnull=True) | Q(follows__finished_at__isnull=False),
)


def _dispatch_followers(run_id: int) -> None:
    """Send the runs that waited for this one (``follows``), now that it has finished. Should
    the broker be away, or this worker die before, the relay (``import_runs_sweep``) sends them."""
    for follower in ImportRun.objects.filter(
        follows_id=run_id, status=ImportStatus.PENDING, dispatched_at__isnull=True
    ).order_by("pk"):
        jobs.dispatch(IMPORT_JOB, follower)


@audited
def import_run_create(
    *,
    actor: User | None,
    source: str = "",
    upload: UploadedFile | None = None,
    format: str = "",
    country: Country | None = None,
    dry_run: bool = False,
    enqueue: bool = True,
    language: str = "",
) -> ImportRun:
    """Record an import request and, after commit, hand it to a worker.

    ``actor`` is ``None`` only for the system itself (the schedule, the command line); a person must be
    allowed to import. ``language``: that of the feed's texts; when not given, the source's name
    may tell it, else the import detects it from the texts. Raises ``ApplicationError`` when neither
    a source nor a file is given, the format cannot be told or the language is unknown.
    """
    if actor is not None:
        policies.ensure_can_import(actor)
    try:
        validate_one_source(source=source, upload=upload)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], {"fields": {"source": exc.messages}}) from None
    name = upload.name if upload is not None else source
    try:
        format = format or guess_format(name or "")
    except SourceError as exc:
        raise ApplicationError(str(exc), {"fields": {"format": [str(exc)]}}) from None
    if format not in ImportFormat.values:
        raise ApplicationError("Unknown format.", {"fields": {"format": ["json, xlsx or csv."]}})
    try:
        language = feed_languages.normalise(language) if language else ""
    except feed_languages.UnknownLanguageError as exc:
        raise ApplicationError(str(exc), {"fields": {"language": [str(exc)]}}) from None
    language = language or feed_languages.from_name(name or "") or ""
    with transaction.atomic():
        run = ImportRun(
            source=(source or name or "")[: max_length(ImportRun, "source")],
            format=format,
            country=country,
            language=language,
            dry_run=dry_run,
            triggered_by=actor,
        )
        if upload is not None:
            run.upload.save(Path(upload.name or "feed").name, upload, save=False)
        run.save()
        if enqueue:
            jobs.dispatch_on_commit(IMPORT_JOB, run)
    return run


@audited
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
            language=dry_run.language,
            dry_run=False,
            applies=dry_run,
            triggered_by=actor,
        )
        if enqueue:
            jobs.dispatch_on_commit(IMPORT_JOB, run)
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
                    shutil.copyfileobj(response, spool)
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


@audited
def import_run_execute(
    *, import_run_id: int, batch_size: int | None = None, resume_failed: bool = True
) -> ImportRun:
    """Run (or resume) an import. Safe to call twice: a run that succeeded is left as it is, and a
    run another worker holds (its lease lives, ``tracker.jobs``) is not run a second time.

    Claims the run, reads the feed batch by batch (each batch commits with the counts) while a
    heartbeat renews the lease, then marks withdrawn what a complete feed no longer contains. A
    source that cannot be read at all fails the run with the reason; ``TransientFeedError`` gives
    the run back as pending and propagates so that the task retries. ``resume_failed``: a failed
    run is run again, after its last committed batch (the worker's deliveries say no: a run failed
    for too many interruptions must stay failed).
    """
    token = jobs.claim(IMPORT_JOB, import_run_id, resume_failed=resume_failed)
    run = ImportRun.objects.select_related("country", "triggered_by").get(pk=import_run_id)
    if token is None:
        return run
    importer = Importer(run, batch_size=batch_size or BATCH_SIZE)
    try:
        with jobs.hold(IMPORT_JOB, run.pk, token), _open_source(run) as stream:
            importer.execute(stream)
    except SourceError as exc:
        run.status = ImportStatus.FAILED
        run.error = str(exc)
    except TransientFeedError:
        jobs.release(IMPORT_JOB, run.pk, token)
        raise
    except Exception as exc:
        # Whatever went wrong, the run must not stay "running": the batches committed so far are
        # kept, the reason is recorded, and the operators get the traceback in the log. If the
        # database itself is gone, the lease expires and the sweeper takes the run up again.
        logger.exception("import %s failed", run.pk, extra={"import_run": run.pk})
        run.status = ImportStatus.FAILED
        run.error = f"The import stopped on an unexpected error: {exc.__class__.__name__}: {exc}"[
            :2000
        ]
    else:
        run.status = ImportStatus.SUCCEEDED
    run.finished_at = timezone.now()
    if not jobs.finish(
        IMPORT_JOB,
        run.pk,
        token,
        status=run.status,
        error=run.error,
        finished_at=run.finished_at,
    ):
        logger.warning("import %s: the lease was lost before the end", run.pk)
        run.refresh_from_db()
    run.lease_owner, run.lease_expires_at = "", None
    if run.is_finished:
        _dispatch_followers(run.pk)
    return run


@audited
def import_run_give_up(*, import_run_id: int, reason: str) -> None:
    """Fail a run whose feed could not be fetched after every retry."""
    if jobs.fail(
        IMPORT_JOB, import_run_id, f"The feed could not be fetched, after retrying: {reason}"
    ):
        _dispatch_followers(import_run_id)


@audited
def import_runs_sweep() -> jobs.Swept:
    """Runs whose worker is gone (lease expired) are sent again to resume, or failed past
    ``TRACKER_JOB_MAX_REDELIVERIES``; runs that never reached the broker are sent now."""
    swept = jobs.sweep(IMPORT_JOB)
    jobs.dispatch_pending(IMPORT_JOB)
    return swept


@audited
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
    storage = ImportRun._meta.get_field("upload").storage
    for name in names:
        storage.delete(name)
        ImportRun.objects.filter(upload=name).update(upload="")
        logger.info("deleted the uploaded feed %s", name)
    return len(names)
