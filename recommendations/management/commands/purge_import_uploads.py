"""Delete uploaded feed files of imports that finished long ago (what the daily task does)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from recommendations.services import import_uploads_purge


class Command(BaseCommand):
    help = (
        "Delete the uploaded files of imports finished more than --days days ago "
        "(default: TRACKER_IMPORT_UPLOAD_DAYS); their runs keep the file name."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args: Any, days: int | None = None, **options: Any) -> None:
        deleted = import_uploads_purge(days=days)
        self.stdout.write(f"uploaded files deleted: {deleted}")
