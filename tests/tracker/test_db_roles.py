"""The app's database role, for real: in the test database, a role is given exactly what
tracker/dbroles.py grants after a migrate (as docker-compose.yml's web, worker and beat use it),
and a connection as that role tries what an attacker in the app would. It can do the app's DML,
with the audit triggers firing; it cannot disable or drop a trigger, rewrite or delete an audit
event, truncate a table, or switch triggers off for its session."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg2
import pytest
from django.db import connection
from psycopg2 import errors, sql

from tracker.dbroles import event_tables, grant_statements

pytestmark = pytest.mark.django_db

ROLE = "tracker_app_test"


def _connect(user: str):
    params = connection.get_connection_params()
    params = {k: v for k, v in params.items() if k in ("host", "port", "dbname", "database")}
    params["dbname"] = params.pop("database", None) or connection.settings_dict["NAME"]
    return psycopg2.connect(user=user, **params)


@pytest.fixture
def app_connection() -> Iterator[psycopg2.extensions.connection]:
    admin = _connect(connection.settings_dict["USER"] or "postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
        if cursor.fetchone() is None:
            cursor.execute(
                sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOINHERIT").format(sql.Identifier(ROLE))
            )
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        for statement in grant_statements(ROLE, tables, event_tables()):
            cursor.execute(statement)
    app = _connect(ROLE)
    try:
        yield app
    finally:
        app.close()
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(ROLE)))
            cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(ROLE)))
        admin.close()


def _refused(app, statement: str, error=errors.InsufficientPrivilege) -> str:
    with pytest.raises(error) as raised, app.cursor() as cursor:
        cursor.execute(statement)
    app.rollback()
    return str(raised.value)


def test_the_app_role_does_the_apps_dml_and_the_audit_triggers_record_it(app_connection):
    app = app_connection
    with app.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tracker_institution (name, acronym, kind, website, is_active, "
            "created_at, updated_at) VALUES ('Role test', '', 'ministry', '', true, now(), now()) "
            "RETURNING id"
        )
        (pk,) = cursor.fetchone()
        cursor.execute("UPDATE tracker_institution SET acronym = 'RT' WHERE id = %s", [pk])
        cursor.execute("SELECT count(*) FROM tracker_institutionevent WHERE pgh_obj_id = %s", [pk])
        assert cursor.fetchone()[0] == 2  # the triggers wrote the events, as the app role
        cursor.execute("DELETE FROM tracker_institution WHERE id = %s", [pk])
        cursor.execute("CREATE TEMPORARY TABLE scratch (x int)")  # imports COPY into these
    app.rollback()


def test_the_app_role_cannot_disable_or_drop_the_audit_triggers(app_connection):
    message = _refused(app_connection, "ALTER TABLE tracker_institution DISABLE TRIGGER ALL")
    assert "must be owner" in message
    _refused(app_connection, "ALTER TABLE tracker_institution DISABLE TRIGGER USER")
    with app_connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'tracker_institution'::regclass "
            "AND NOT tgisinternal LIMIT 1"
        )
        (trigger,) = cursor.fetchone()
    app_connection.rollback()
    assert "must be owner" in _refused(
        app_connection, f'DROP TRIGGER "{trigger}" ON tracker_institution'
    )
    _refused(app_connection, "SET session_replication_role = replica")


def test_the_app_role_cannot_rewrite_or_delete_an_audit_event(app_connection):
    events = event_tables()
    assert "tracker_institutionevent" in events
    assert "recommendations_recommendationevent" in events
    for table in ("tracker_institutionevent", "recommendations_recommendationevent"):
        assert "permission denied" in _refused(
            app_connection,
            f"UPDATE {table} SET pgh_label = 'forged'",  # noqa: S608 (a constant)
        )
        assert "permission denied" in _refused(app_connection, f"DELETE FROM {table}")  # noqa: S608
        assert "permission denied" in _refused(app_connection, f"TRUNCATE {table}")


def test_the_app_role_cannot_truncate_or_change_the_schema(app_connection):
    _refused(app_connection, "TRUNCATE tracker_institution")
    _refused(app_connection, "ALTER TABLE tracker_institution ADD COLUMN x int")
    _refused(app_connection, "CREATE TABLE public.intruder (x int)")


def test_the_owner_grants_after_migrate_only_when_an_app_role_is_named(settings, monkeypatch):
    from types import SimpleNamespace

    from tracker import dbroles

    calls = []
    monkeypatch.setattr(dbroles, "grant_app_role", lambda role, using: calls.append(role))
    settings.TRACKER_DB_APP_ROLE = ""
    dbroles._after_migrate(SimpleNamespace(name="tracker"))
    settings.TRACKER_DB_APP_ROLE = "tracker_app"
    dbroles._after_migrate(SimpleNamespace(name="recommendations"))
    dbroles._after_migrate(SimpleNamespace(name="tracker"))
    assert calls == ["tracker_app"]
