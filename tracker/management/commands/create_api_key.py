"""``python manage.py create_api_key USERNAME --scope read|write [--days N] [--name NAME]``:
make an API key for an account and print it alone on the last line (for scripts)."""

from __future__ import annotations

from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker import services
from tracker.exceptions import ApplicationError
from tracker.models import ApiKeyScope, User


class Command(BaseCommand):
    help = "Make an API key for an account; the key is printed alone on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--scope", required=True, choices=ApiKeyScope.values)
        parser.add_argument("--days", type=int, default=None, help="Valid for N days.")
        parser.add_argument("--name", default="", help="Who or what uses the key.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"No account named {options['username']!r}.") from None
        name = options["name"] or f"{user.username} ({options['scope']})"
        try:
            key, secret = services.api_key_create(
                actor=None,
                user=user,
                scope=options["scope"],
                name=name,
                days=options["days"],
                as_system=True,
            )
        except ApplicationError as exc:
            fields = cast("dict[str, list[str]]", exc.extra.get("fields") or {})
            details = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in fields.items())
            raise CommandError(f"{exc.message} {details}".strip()) from None
        expiry = key.expiry.date().isoformat() if key.expiry else "never"
        self.stderr.write(
            f"API key {key.name!r} for {user.username}, scope {key.scope}, expires {expiry}. "
            "It is shown once: store it now."
        )
        self.stdout.write(secret)
