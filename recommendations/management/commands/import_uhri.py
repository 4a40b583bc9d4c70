"""python manage.py import_uhri SOURCE [--country ISO3] [--format json|xlsx|csv]
[--language en|fr|es|ar|ru|zh] [--dry-run]"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recommendations.importers.languages import COMMAND_CHOICES
from recommendations.importers.readers import SourceError
from recommendations.models import ImportStatus
from recommendations.services import import_run_create, import_run_execute
from tracker.exceptions import ApplicationError
from tracker.models import Country


def summary_lines(run: Any) -> list[str]:
    """The summary the command prints and the import page shows."""
    lines = [
        f"Import #{run.pk} ({run.get_format_display()}{', dry run' if run.dry_run else ''}): {run.get_status_display()}"
    ]
    if run.language:
        lines.append(f"language: {run.language}")
    lines += [f"{name}: {count}" for name, count in run.summary().items()]
    if run.skipped:
        lines.append(f"other countries: {run.skipped}")
    if run.error:
        lines.append(f"error: {run.error}")
    return lines


class Command(BaseCommand):
    help = "Import recommendations from a UHRI feed (a path or a URL) and print a summary."
    # The system checks look at URLs, templates and admin, none of which an import uses; the
    # deployment runs them (migrate, the web server) and they would add a third of a second to every run.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="Path or http(s) URL of the feed.")
        parser.add_argument(
            "--country", help="ISO 3166 alpha-3 code: import only this State's records."
        )
        parser.add_argument("--format", choices=["json", "xlsx", "csv"], default="")
        parser.add_argument(
            "--language",
            choices=COMMAND_CHOICES,
            default="",
            help="The language of the feed's texts (default: told by the file name or the texts).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument("--batch-size", type=int, default=None, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        country = None
        if options["country"]:
            try:
                country = Country.objects.get(iso3=options["country"].upper())
            except Country.DoesNotExist:
                raise CommandError(f"Unknown country code {options['country']!r}.") from None
        try:
            run = import_run_create(
                actor=None,
                source=options["source"],
                format=options["format"],
                country=country,
                dry_run=options["dry_run"],
                language=options["language"],
                enqueue=False,
            )
            run = import_run_execute(import_run_id=run.pk, batch_size=options["batch_size"])
        except (ApplicationError, SourceError) as exc:
            raise CommandError(str(exc)) from None
        for line in summary_lines(run):
            self.stdout.write(line)
        issues = run.issues.filter(severity="error")[:20]
        for issue in issues:
            self.stdout.write(f"  row {issue.row}: {issue.field}: {issue.reason}")
        if run.status == ImportStatus.FAILED:
            raise CommandError(run.error)
