"""python manage.py export_plan PLAN_ID OUT.xlsx [--user USERNAME]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plans import policies
from plans.models import ImplementationPlan
from plans.spreadsheet import export_plan
from tracker.models import User


class Command(BaseCommand):
    help = (
        "Write an implementation plan as an XLSX workbook (measures, milestones, budget lines, "
        "indicators), to edit and import back with import_plan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", type=int, help="The plan's id.")
        parser.add_argument("out", help="The workbook to write (OUT.xlsx; - for stdout).")
        parser.add_argument(
            "--user", help="Export what this account may see of the plan (default: all of it)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = _user(options["user"])
        try:
            plan = ImplementationPlan.objects.get(pk=options["plan"])
        except ImplementationPlan.DoesNotExist:
            raise CommandError(f"No plan {options['plan']}.") from None
        if user is not None and not policies.can_view_plan(user, plan):
            raise CommandError(f"{user.username} may not see plan {plan.pk}.")
        if options["out"] == "-":
            export_plan(actor=user, plan=plan, stream=self.stdout._out.buffer, system=user is None)  # type: ignore[attr-defined]
            return
        out = Path(options["out"])
        partial = out.with_name(out.name + ".partial")
        try:
            with partial.open("wb") as stream:
                export_plan(actor=user, plan=plan, stream=stream, system=user is None)
            partial.replace(out)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Cannot write {out}: {exc}") from None
        self.stdout.write(f"Plan {plan.pk} ({plan}) written to {out}.")


def _user(username: str | None) -> User | None:
    if not username:
        return None
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"No account {username!r}.") from None
