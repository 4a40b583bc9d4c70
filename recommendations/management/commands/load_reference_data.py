"""``manage.py load_reference_data``: load or refresh the reference data shipped with the code.

Run it after ``migrate`` on every install and upgrade; a second run changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from recommendations.reference import load_reference_data


class Command(BaseCommand):
    help = (
        "Load the SDG goals, targets and indicators, countries, mechanisms, UPR cycles and UHRI "
        "themes and affected groups shipped in tracker/reference_data. Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for table, count in load_reference_data().items():
            self.stdout.write(f"{table}: {count}")
