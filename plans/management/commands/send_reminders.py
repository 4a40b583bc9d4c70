"""``python manage.py send_reminders [--date YYYY-MM-DD]``: the daily reminders, for a day."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plans.services import reminders_send


class Command(BaseCommand):
    help = "Send the reminders of a day (today by default): each one is sent once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", dest="day", help="The day, YYYY-MM-DD (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options.get("day"):
            try:
                day = date.fromisoformat(options["day"])
            except ValueError:
                raise CommandError("--date takes a date: YYYY-MM-DD.") from None
        summary = reminders_send(actor=None, today=day)
        self.stdout.write(f"sent: {summary.sent}")
        self.stdout.write(f"emailed: {summary.emailed}")
        for kind, count in sorted(summary.by_kind.items()):
            self.stdout.write(f"{kind}: {count}")
