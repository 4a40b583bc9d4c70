"""``manage.py backup`` then ``manage.py restore`` into a fresh database and media folder: every
table's row count and content digest, and every file, come back the same; a database or folder
that is not empty is refused unless ``--force``. Runs pg_dump and pg_restore for real."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from psycopg2 import sql

from recommendations.models import ImportRun, ImportStatus
from recommendations.services import import_run_create, import_run_execute
from tests.factories.recommendations import RecommendationFactory
from tests.recommendations.helpers import import_upload
from tracker.backups import Database, user_tables

pytestmark = pytest.mark.django_db(transaction=True)


def _url(db: Database) -> str:
    password = f":{db.password}" if db.password else ""
    if db.host.startswith("/"):
        return f"postgres://{db.user}{password}@/{db.name}?host={db.host}&port={db.port}"
    return f"postgres://{db.user}{password}@{db.host or '127.0.0.1'}:{db.port or 5432}/{db.name}"


@pytest.fixture
def source() -> Database:
    return Database.from_settings(connection.settings_dict)


@pytest.fixture
def fresh(source: Database) -> Iterator[Database]:
    """An empty database on the same server, dropped afterwards."""
    target = dataclasses.replace(source, name=f"{source.name}_restore_{uuid.uuid4().hex[:8]}")
    admin = source.connect()
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.name)))
    try:
        yield target
    finally:
        with admin.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(target.name)
                )
            )
        admin.close()


def _digests(db: Database) -> dict[str, tuple[int, str]]:
    """Each table: its row count and an MD5 of its rows, sorted."""
    result: dict[str, tuple[int, str]] = {}
    tables = user_tables(db)
    conn = db.connect()
    with conn.cursor() as cursor:
        for table in tables:
            schema, name = table.split(".", 1)
            cursor.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                    " FROM {}.{} AS t"
                ).format(sql.Identifier(schema), sql.Identifier(name))
            )
            count, digest = cursor.fetchone()
            result[table] = (count, digest)
    conn.close()
    return result


def _files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_a_backup_restores_into_a_fresh_database_and_media_folder(
    media: Path, reference_data: None, source: Database, fresh: Database, tmp_path: Path
) -> None:
    RecommendationFactory.create_batch(3)
    run = import_run_create(actor=None, upload=import_upload(), enqueue=False)
    assert import_run_execute(import_run_id=run.pk).status == ImportStatus.SUCCEEDED
    default_storage.save("evidence/2026/report.pdf", ContentFile(b"%PDF-1.7 evidence"))
    before, files_before = _digests(source), _files(media)
    assert len(files_before) == 2
    assert before["public.recommendations_recommendation"][0] >= 4

    out = io.StringIO()
    call_command("backup", str(tmp_path), stdout=out)
    [archive] = tmp_path.glob("tracker-backup-*.tar")
    assert f"backup written: {archive}" in out.getvalue()
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "database.dump", *(f"media/{name}" for name in files_before)} <= names

    restored_media = tmp_path / "restored-media"
    out = io.StringIO()
    call_command(
        "restore",
        str(archive),
        database_url=_url(fresh),
        media_root=str(restored_media),
        stdout=out,
    )

    assert f"{len(before)} tables" in out.getvalue()
    assert _digests(fresh) == before
    assert _files(restored_media) == files_before
    assert ImportRun.objects.get(pk=run.pk).upload.name in files_before


def test_restore_refuses_what_is_not_empty_unless_forced(
    media: Path, reference_data: None, fresh: Database, tmp_path: Path
) -> None:
    backup_file = tmp_path / "one.tar"
    call_command("backup", str(backup_file), stdout=io.StringIO())
    target_media = tmp_path / "target-media"
    target_media.mkdir()
    (target_media / "kept.txt").write_text("someone's file")

    with pytest.raises(CommandError, match=r"the media folder .* has files"):
        call_command(
            "restore", str(backup_file), database_url=_url(fresh), media_root=str(target_media)
        )
    assert user_tables(fresh) == []  # nothing was restored
    assert (target_media / "kept.txt").exists()

    (target_media / "kept.txt").unlink()
    call_command(
        "restore",
        str(backup_file),
        database_url=_url(fresh),
        media_root=str(target_media),
        stdout=io.StringIO(),
    )
    with pytest.raises(CommandError, match="has tables"):
        call_command(
            "restore", str(backup_file), database_url=_url(fresh), media_root=str(target_media)
        )
    (target_media / "later.txt").write_text("written after the backup")
    call_command(
        "restore",
        str(backup_file),
        database_url=_url(fresh),
        media_root=str(target_media),
        force=True,
        stdout=io.StringIO(),
    )
    assert not (target_media / "later.txt").exists()
    assert user_tables(fresh)


def test_a_backup_never_overwrites_a_file_and_keeps_the_newest(media: Path, tmp_path: Path) -> None:
    existing = tmp_path / "there.tar"
    existing.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="never overwrites"):
        call_command("backup", str(existing))
    assert existing.read_bytes() == b"an older backup"

    folder = tmp_path / "nightly"
    folder.mkdir()
    for stamp in ("20260101T000000Z", "20260102T000000Z", "20260103T000000Z"):
        (folder / f"tracker-backup-{stamp}.tar").write_bytes(b"old")
    call_command("backup", str(folder), keep=2, stdout=io.StringIO())
    kept = sorted(path.name for path in folder.iterdir())
    assert len(kept) == 2
    assert kept[0] == "tracker-backup-20260103T000000Z.tar"
    assert not any(name.endswith(".partial") for name in kept)
