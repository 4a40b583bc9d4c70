"""``manage.py load_demo_data [--seed N] [--reset]``: a realistic national data set with one demo
login per role, built by the demo steps of the installed apps (``tracker.demo``).

For laptops, demonstrations and training only: the demo accounts share a published password, so
the command refuses to load where DEBUG is off unless ``TRACKER_DEMO_DATA_ALLOWED`` is set.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.demo import (
    DEFAULT_SEED,
    LOGIN_URL,
    DemoDataError,
    load_demo_data,
    reset_demo_data,
)


class Command(BaseCommand):
    help = (
        "Load reference data, then a demo data set for the State in TRACKER_COUNTRY (default "
        "KEN): UPR cycles 1-4, treaty-body and special-procedure recommendations, institutions, "
        "clusters and one demo user per role. Idempotent: a second run adds nothing. Refused "
        "where DEBUG is off, unless TRACKER_DEMO_DATA_ALLOWED is set. --reset removes the demo "
        "data (only the rows a load created) instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Seed of the text and tag choices (default {DEFAULT_SEED}). Keep it the same "
            "across runs.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove the demo data: the rows demo loads created, nothing else. Allowed "
            "everywhere. Run the command again without it for a fresh demo set.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"]:
            self._reset()
            return
        started = time.perf_counter()
        try:
            summary = load_demo_data(seed=options["seed"])
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started

        about = f" for {summary.state}" if summary.state else ""
        self.stdout.write(self.style.SUCCESS(f"Demo data{about} ready in {elapsed:.1f} s."))
        for count in summary.lines:
            label = f"  {count.label}" if count.part else count.label
            new = summary.created.get(count.key, 0) if not count.part else 0
            suffix = f"  ({new} new)" if new else ""
            self.stdout.write(f"  {label:<28} {count.total:>5}{suffix}")
        if not summary.created:
            self.stdout.write("  Nothing new: the demo data was already loaded.")

        self.stdout.write("")
        rows = [("username", "password", "role", "institution")]
        rows += [(x.username, x.password, x.role, x.institution) for x in summary.logins]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for n, row in enumerate(rows):
            line = "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3]))
            self.stdout.write(f"  {line}  {row[3]}")
            if n == 0:
                self.stdout.write("  " + "-" * (sum(widths) + 4 + len("institution") + 2))
        self.stdout.write(f"\nSign in at {LOGIN_URL} (Django admin: /admin/).")
        message = (
            "The demo accounts share a published password. Never load demo data on a server "
            "that holds real data or can be reached from the internet."
        )
        self.stdout.write(
            self.style.WARNING(message) if settings.DEBUG else self.style.ERROR(message)
        )

    def _reset(self) -> None:
        try:
            summary = reset_demo_data()
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        if not summary.deleted and not summary.kept:
            self.stdout.write("No demo data to remove.")
            return
        self.stdout.write(self.style.SUCCESS("Demo data removed."))
        for label, count in summary.deleted.items():
            self.stdout.write(f"  {label:<28} {count:>5}")
        for label, count in summary.kept.items():
            self.stdout.write(
                self.style.WARNING(
                    f"  {count} demo {label} kept: data outside the demo still refers to them."
                )
            )
