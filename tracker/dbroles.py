"""Least privilege in the database: the app connects as a role that may read and write rows, and
nothing more.

In production (docker-compose.yml) two roles share the database: the owner, which runs the
migrations and so owns every table and its audit triggers, and the app role (``web``, ``worker``,
``beat``), which is given here, after every ``migrate`` run by the owner, exactly:

- SELECT, INSERT, UPDATE, DELETE on the tables, and the use of their sequences;
- on the audit event tables (django-pghistory's, append-only), SELECT and INSERT only;
- no TRUNCATE, REFERENCES or TRIGGER, and no ownership: it cannot ``ALTER TABLE ... DISABLE
  TRIGGER``, drop a trigger, or rewrite history (the triggers refuse updates and deletes of
  events as well, and only the owner could remove them).

The role is named by ``TRACKER_DB_APP_ROLE``; unset (a laptop, the tests' own database), nothing is
granted. ``deploy/postgres/initdb/10-roles.sh`` creates both roles when the database is first made.
``tests/tracker/test_db_roles.py`` connects as such a role and tries.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.models.signals import post_migrate
from psycopg2 import sql

TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
EVENT_PRIVILEGES = ("SELECT", "INSERT")


def event_tables() -> set[str]:
    """The tables of django-pghistory's event models: append-only."""
    import pghistory.models

    return {
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, pghistory.models.Event) and not model._meta.proxy
    }


def grant_statements(role: str, tables: list[str], events: set[str]) -> list[sql.Composed]:
    """The statements that give ``role`` what the app needs on ``tables``, and no more."""
    who = sql.Identifier(role)
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(who),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(who),
    ]
    for table in tables:
        name = sql.Identifier(table)
        statements.append(sql.SQL("REVOKE ALL ON {} FROM {}").format(name, who))
        privileges = EVENT_PRIVILEGES if table in events else TABLE_PRIVILEGES
        statements.append(
            sql.SQL("GRANT {} ON {} TO {}").format(
                sql.SQL(", ").join(sql.SQL(p) for p in privileges), name, who
            )
        )
    return statements


def grant_app_role(role: str, using: str = "default") -> int:
    """Grant ``role`` the app's privileges on every table of the public schema; the number of
    tables. Run by the owner of the tables (after ``migrate``)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        for statement in grant_statements(role, tables, event_tables()):
            cursor.execute(statement)
    return len(tables)


def _after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    role = settings.TRACKER_DB_APP_ROLE
    if role and sender.name == "tracker":
        grant_app_role(role, using=using)


def connect_signals() -> None:
    post_migrate.connect(_after_migrate, dispatch_uid="tracker.dbroles.grant")
