"""``manage.py restore PATH [--force]``: put a backup of ``manage.py backup`` back.

Into an empty database and an empty media folder; refuses a non-empty one unless ``--force``,
which replaces what they hold. Afterwards every table's row count and every file's digest are
checked against the backup's manifest. See README "Backups" and ``tracker/backups.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tracker.backups import BackupError, Database, restore


class Command(BaseCommand):
    help = (
        "Restore a backup file into an empty database and media folder (MEDIA_ROOT), then check "
        "the row counts and files against it. --force replaces a database and folder that are "
        "not empty. Run it as the database's owner (the role that runs migrate), then migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--force", action="store_true", help="replace what is there")
        parser.add_argument("--database-url", default="", help="default: the app's database")
        parser.add_argument("--media-root", type=Path, default=None, help="default: MEDIA_ROOT")

    def handle(self, *args: Any, **options: Any) -> None:
        db = (
            Database.from_url(options["database_url"])
            if options["database_url"]
            else Database.from_settings(connection.settings_dict)
        )
        # The app's own connection would hold the tables the restore replaces.
        connection.close()
        media_root = Path(options["media_root"] or settings.MEDIA_ROOT)
        try:
            checked = restore(
                Path(options["path"]), db=db, media_root=media_root, force=options["force"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored {options['path']} into {db.label()} and {media_root}: "
            f"{checked['tables']} tables, {checked['rows']} rows and {checked['files']} files "
            "checked against the backup"
        )
