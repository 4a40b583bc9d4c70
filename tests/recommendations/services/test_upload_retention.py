"""Uploaded feeds are deleted some days after their import finished, unless a run still needs them."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from recommendations.models import ImportRun, ImportStatus
from recommendations.services import import_uploads_purge

pytestmark = pytest.mark.django_db

DAYS = 30


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    settings.TRACKER_IMPORT_UPLOAD_DAYS = DAYS
    return tmp_path


def _run(days_ago: int | None, *, file: str = "", dry_run: bool = False) -> ImportRun:
    """A run finished ``days_ago`` days ago (``None``: not finished), with ``file`` uploaded, or
    sharing the upload of an earlier run when ``file`` is a stored name."""
    finished = timezone.now() - timedelta(days=days_ago) if days_ago is not None else None
    status = ImportStatus.SUCCEEDED if finished else ImportStatus.RUNNING
    run = ImportRun(
        source="feed.json", format="json", status=status, finished_at=finished, dry_run=dry_run
    )
    if file.startswith("imports/"):
        run.upload.name = file
        run.save()
    else:
        run.upload.save(file or "feed.json", ContentFile(b"[]"), save=True)
    return run


def _kept(run: ImportRun) -> bool:
    run.refresh_from_db()
    return bool(run.upload) and run.upload.storage.exists(run.upload.name)


def test_old_uploads_go_and_the_others_stay() -> None:
    old = _run(DAYS + 1)
    recent = _run(DAYS - 1)
    unfinished = _run(None)
    old_dry = _run(DAYS + 5, dry_run=True)
    applied_recently = _run(1, file=old_dry.upload.name)
    old_pair = _run(DAYS + 9, dry_run=True)
    _run(DAYS + 8, file=old_pair.upload.name)
    old_file, pair_file = old.upload.name, old_pair.upload.name

    assert import_uploads_purge() == 2  # ``old``'s file and ``old_pair``'s, once

    assert not _kept(old)
    assert old.source == "feed.json"
    assert not old.upload.storage.exists(old_file)
    assert not _kept(old_pair)
    assert not ImportRun.objects.filter(upload=pair_file).exists()
    for run in (recent, unfinished, old_dry, applied_recently):
        assert _kept(run)
    assert import_uploads_purge() == 0


@pytest.mark.parametrize("days", [0, -1])
def test_no_retention_keeps_every_upload(days: int, settings: Any) -> None:
    settings.TRACKER_IMPORT_UPLOAD_DAYS = days
    old = _run(DAYS * 10)

    assert import_uploads_purge() == 0
    assert _kept(old)


def test_the_command_deletes_with_the_days_given() -> None:
    run = _run(3)
    out = io.StringIO()

    call_command("purge_import_uploads", "--days", "2", stdout=out)

    assert out.getvalue().strip() == "uploaded files deleted: 1"
    assert not _kept(run)


def test_a_dry_run_whose_upload_was_deleted_asks_for_the_file_again(
    client: Any, secretariat: Any
) -> None:
    dry = _run(DAYS + 1, dry_run=True)
    import_uploads_purge()
    dry.refresh_from_db()
    client.force_login(secretariat)

    page = client.get(reverse("recommendations:import-detail", args=[dry.pk])).content.decode()
    response = client.post(reverse("recommendations:import-apply", args=[dry.pk]))

    assert "Import for real" not in page
    assert response.status_code == 400
    assert "upload it again" in response.content.decode()
    assert ImportRun.objects.count() == 1


def test_the_purge_runs_daily_through_celery_beat(settings: Any) -> None:
    from tracker.celery import app

    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["import-uploads-purge"]
    assert entry["task"] in app.tasks
    old = _run(DAYS + 1)

    assert app.tasks[entry["task"]].apply().get() == 1
    assert not _kept(old)
