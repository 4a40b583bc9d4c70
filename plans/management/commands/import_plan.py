"""python manage.py import_plan FILE.xlsx --plan PLAN_ID [--dry-run] [--user USERNAME]"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from plans.models import ImplementationPlan
from plans.spreadsheet import SpreadsheetRefused, import_plan
from plans.spreadsheet.importer import CREATED, REJECTED, UNCHANGED, UPDATED, iter_lines

from .export_plan import _user


class Command(BaseCommand):
    help = (
        "Import a plan's workbook (as export_plan writes it) back into the plan: each row that "
        "differs is written through the plans services, a bad row is rejected with its reason. "
        "Exits 1 when the file is refused as a whole."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The XLSX workbook.")
        parser.add_argument("--plan", type=int, required=True, help="The plan's id.")
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would change; write nothing."
        )
        parser.add_argument(
            "--user",
            help="Import as this account, with its rights and in its name in the history "
            "(default: the system).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = _user(options["user"])
        try:
            plan = ImplementationPlan.objects.get(pk=options["plan"])
        except ImplementationPlan.DoesNotExist:
            raise CommandError(f"No plan {options['plan']}.") from None
        try:
            with open(options["file"], "rb") as stream:
                report = import_plan(
                    actor=user, plan=plan, stream=stream, dry_run=options["dry_run"]
                )
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc}") from None
        except SpreadsheetRefused as exc:
            raise CommandError(f"Refused: {exc.message} Nothing was written.") from None
        except PermissionDenied:
            raise CommandError(f"{user} may not change plan {plan.pk}.") from None
        for line in iter_lines(report):
            self.stdout.write(line)
        counts = report.counts
        mode = "dry run, nothing written" if report.dry_run else "applied"
        if report.refused:
            mode = "refused, nothing written"
        self.stdout.write(
            f"Plan {plan.pk} ({mode}): changed {counts[UPDATED]}, added {counts[CREATED]}, "
            f"unchanged {counts[UNCHANGED]}, rejected {counts[REJECTED]}."
        )
        if report.refused:
            raise CommandError(report.refused)
