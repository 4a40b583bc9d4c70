"""``manage.py load_demo_data``: a realistic national data set with one demo login per role.

For laptops, demonstrations and training only: the demo accounts share a published password.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from recommendations.demo import LOGIN_URL, DemoDataError, load_demo_data

# Sub-totals are indented under the total they break down.
COUNT_LABELS = {
    "upr": "  from the UPR",
    "treaty_body": "  from treaty bodies",
    "special_procedure": "  from special procedures",
    "draft": "  draft",
    "published": "  published",
    "archived": "  archived",
    "translations": "  of which translations",
    "users": "demo users",
}


class Command(BaseCommand):
    help = (
        "Load reference data, then a demo data set for the State in TRACKER_COUNTRY (default "
        "KEN): UPR cycles 1-4, treaty-body and special-procedure recommendations, institutions, "
        "clusters and one demo user per role. Idempotent: a second run adds nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=2026,
            help="Seed of the text and tag choices (default 2026). Keep it the same across runs.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            summary = load_demo_data(seed=options["seed"])
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started

        self.stdout.write(
            self.style.SUCCESS(f"Demo data for {summary.state} ready in {elapsed:.1f} s.")
        )
        for key, total in summary.counts.items():
            label = COUNT_LABELS.get(key, key.replace("_", " "))
            new = summary.created.get(key, 0) if not label.startswith(" ") else 0
            suffix = f"  ({new} new)" if new else ""
            self.stdout.write(f"  {label:<28} {total:>5}{suffix}")
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
