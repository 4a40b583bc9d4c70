"""python manage.py build_report KIND --format docx|pdf|xlsx --out FILE [--cycle N]
[--mechanism CODE] [--language LANG] [--paragraphs 12,18(a)]"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reporting.models import ReportFormat, ReportKind
from reporting.reports.content import ReportRequest
from reporting.services import report_write
from tracker.exceptions import ApplicationError


class Command(BaseCommand):
    help = (
        "Write a report draft (UPR mid-term report, treaty-body follow-up reply or thematic matrix)"
        " as docx, pdf or xlsx. It covers every recommendation but the archived ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ReportKind.values)
        parser.add_argument("--format", choices=ReportFormat.values, required=True)
        parser.add_argument("--out", required=True, help="The file to write.")
        parser.add_argument("--cycle", type=int, default=None, help="Review cycle number.")
        parser.add_argument(
            "--mechanism",
            default="",
            help="Mechanism code (UPR by default; for treaty-followup, e.g. CRC).",
        )
        parser.add_argument(
            "--language", default="en", choices=[code for code, _name in settings.LANGUAGES]
        )
        parser.add_argument(
            "--paragraphs",
            default="",
            help="treaty-followup: the paragraphs selected for follow-up, comma-separated.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        request = ReportRequest(
            kind=options["kind"],
            language=options["language"],
            cycle=options["cycle"],
            mechanism=options["mechanism"],
            paragraphs=[p.strip() for p in options["paragraphs"].split(",") if p.strip()],
        )
        started = time.perf_counter()
        try:
            with open(options["out"], "wb") as stream:
                total = report_write(
                    request=request, format=options["format"], stream=stream, system=True
                )
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"{options['kind']} ({options['format']}, {options['language']}): {total}"
            f" recommendations written to {options['out']} in {time.perf_counter() - started:.1f} s"
        )
