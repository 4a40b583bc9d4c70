"""Database helpers of the tests."""

from __future__ import annotations

from django.db import connection


def analyze() -> None:
    """Let PostgreSQL's planner see the rows a test has just made, as autovacuum lets it see a
    server's after an import. A test's rows are uncommitted, so autovacuum never analyses them:
    the planner would plan from the statistics of empty tables (one row each), and a correlated
    count over a thousand rows became a nested loop that scanned a whole index for every row
    (minutes instead of milliseconds). ANALYZE inside the test's transaction counts its rows,
    and its statistics are rolled back with the rest."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
