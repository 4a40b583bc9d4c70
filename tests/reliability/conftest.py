"""Fixtures of the reliability tests: the Celery app pointed at a broker (the real Redis, or an
address where nothing listens), restored afterwards."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from celery import Celery
from django.core.management import call_command
from django.test import override_settings

from tests.recommendations.importers.test_worker import _reset_app_connections
from tracker import celery_app

BROKER = os.environ.get("TRACKER_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
# Nothing listens on port 1 of the loopback: the connection is refused at once.
DEAD_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_at() -> Iterator[Callable[..., Celery]]:
    """``broker_at(url, queue=None)``: ``tracker.celery_app`` sends to that broker (not eager),
    into ``queue`` when given; and the settings say a broker is configured."""
    app = celery_app
    keys = ("broker_url", "task_always_eager", "task_default_queue", "result_backend")
    saved = {key: app.conf.get(key) for key in keys}
    overridden: list[override_settings] = []

    def point(url: str, queue: str | None = None) -> Celery:
        app.conf.update(
            broker_url=url,
            task_always_eager=False,
            task_default_queue=queue or saved["task_default_queue"],
            result_backend=None,
        )
        _reset_app_connections(app)
        change = override_settings(CELERY_BROKER_URL=url)
        change.enable()
        overridden.append(change)
        return app

    try:
        yield point
    finally:
        for change in reversed(overridden):
            change.disable()
        app.conf.update(saved)
        _reset_app_connections(app)


@pytest.fixture
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Uploaded files go to a folder of the test's own."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)  # type: ignore[attr-defined]
    return root


@pytest.fixture
def reference_data() -> None:
    call_command("load_reference_data", stdout=io.StringIO())
