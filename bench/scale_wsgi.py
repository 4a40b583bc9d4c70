"""The WSGI application of the API scale bench: the real app, plus the floor under ``/bench/floor/``.

``/bench/floor/<path>?<query>`` is the floor of ``/<path>?<query>``: the least work that gives the
same answer. The first time it is asked for a path, it calls the real endpoint once in-process and
records the SQL statements it ran (as sent to PostgreSQL, parameters in place) and the JSON it
returned. From then on each request runs those statements through Django's connection
(``django.db.connection``, with Django's per-request connection handling: the same signals, so
the same ``CONN_MAX_AGE`` reuse), fetches every row, and returns the recorded JSON encoded with
``json.dumps``: no URL resolution, middleware, authentication, filter set, ORM, serializer or
renderer. What the real endpoint costs beyond the floor is what those cost.

Only this bench's gunicorn serves it (``scale_wsgi:application``); the real app's URLconf has no
such route.
"""

from __future__ import annotations

import io
import json
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scale_settings")

from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.test.utils import CaptureQueriesContext

django_application = get_wsgi_application()
FLOOR_PREFIX = "/bench/floor"
_recorded: dict[str, tuple[list[str], Any]] = {}
_lock = threading.Lock()
StartResponse = Callable[..., Any]


def _record(environ: dict[str, Any], path: str) -> tuple[list[str], Any]:
    """The real endpoint's statements and answer for ``path`` (and the request's query)."""
    inner = {
        **environ,
        "PATH_INFO": path,
        "HTTP_HOST": "testserver",
        "SERVER_NAME": "testserver",
        "wsgi.input": io.BytesIO(b""),
    }
    inner.pop("HTTP_IF_NONE_MATCH", None)
    status: list[str] = []

    def start(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        status.append(line)
        return lambda data: None

    with CaptureQueriesContext(connection) as captured:
        body = b"".join(django_application(inner, start))
    if not status or not status[0].startswith("200"):
        raise RuntimeError(f"floor: {path} answered {status[:1]}")
    return [q["sql"] for q in captured.captured_queries], json.loads(body)


def floor(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    path = environ["PATH_INFO"][len(FLOOR_PREFIX) :] or "/"
    key = f"{path}?{environ.get('QUERY_STRING', '')}"
    if key not in _recorded:
        with _lock:
            if key not in _recorded:
                _recorded[key] = _record(environ, path)
    statements, payload = _recorded[key]
    signals.request_started.send(sender=None, environ=environ)
    try:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
        encoded = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    finally:
        signals.request_finished.send(sender=None)
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(encoded)))]
    )
    return [encoded]


def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    if environ.get("PATH_INFO", "").startswith(FLOOR_PREFIX + "/"):
        return floor(environ, start_response)
    return django_application(environ, start_response)
