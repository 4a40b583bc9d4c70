"""``manage.py backup PATH [--keep N]``: one file with the database and the uploaded files.

PATH is a file, or a folder in which a dated file ``tracker-backup-YYYYmmddTHHMMSSZ.tar`` is
written; with a folder, ``--keep N`` then deletes the oldest backups beyond the newest N.
See README "Backups" and ``tracker/backups.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tracker.backups import BackupError, Database, backup, prune


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump custom format) and the uploaded files (MEDIA_ROOT) into "
        "one tar file. PATH: the file, or a folder for a dated file. --keep N (with a folder) "
        "deletes the oldest backups beyond the newest N. --database-url backs up another database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--keep", type=int, default=0, help="backups to keep in the folder")
        parser.add_argument("--database-url", default="", help="default: the app's database")
        parser.add_argument("--media-root", type=Path, default=None, help="default: MEDIA_ROOT")

    def handle(self, *args: Any, **options: Any) -> None:
        db = (
            Database.from_url(options["database_url"])
            if options["database_url"]
            else Database.from_settings(connection.settings_dict)
        )
        media_root = Path(options["media_root"] or settings.MEDIA_ROOT)
        folder = Path(options["path"]) if Path(options["path"]).is_dir() else None
        if options["keep"] and folder is None:
            raise CommandError("--keep needs PATH to be a folder.")
        try:
            path, manifest = backup(Path(options["path"]), db=db, media_root=media_root)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"backup written: {path} ({path.stat().st_size} bytes; "
            f"{len(manifest['tables'])} tables, {rows} rows, {len(manifest['media'])} files)"
        )
        if folder is not None and options["keep"]:
            for old in prune(folder, options["keep"]):
                self.stdout.write(f"deleted the old backup {old}")
