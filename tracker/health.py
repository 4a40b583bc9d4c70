"""What ``/readyz`` checks: the database answers, and the message broker can be reached."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        logger.warning("readiness: the database is unreachable: %s", exc)
        return "unreachable"
    return "ok"


def broker_status() -> str:
    if not settings.CELERY_BROKER_URL:
        return "not configured"
    from tracker import celery_app

    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:
        logger.warning("readiness: the broker is unreachable: %s", exc)
        return "unreachable"
    return "ok"


def readiness() -> dict[str, str]:
    return {"database": database_status(), "broker": broker_status()}
