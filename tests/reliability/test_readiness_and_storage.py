"""/readyz, a full disk during an upload, and JSON log lines."""

from __future__ import annotations

import errno
import json
import logging
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
from celery import Celery
from django.db import OperationalError
from django.urls import reverse

from recommendations.models import ImportRun
from tests.recommendations.helpers import import_upload
from tracker.logs import JsonFormatter

from .conftest import BROKER, DEAD_BROKER

pytestmark = pytest.mark.django_db


# -- /readyz -------------------------------------------------------------------------------------


def test_readyz_without_a_broker_configured_is_ready(anon_client) -> None:
    response = anon_client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "database": "ok", "broker": "not configured"}


def test_readyz_with_the_broker_up(anon_client, broker_at: Callable[..., Celery]) -> None:
    broker_at(BROKER)
    response = anon_client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "database": "ok", "broker": "ok"}


def test_readyz_with_the_broker_down_is_503_and_says_which(
    anon_client, broker_at: Callable[..., Celery]
) -> None:
    broker_at(DEAD_BROKER)
    response = anon_client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"ready": False, "database": "ok", "broker": "unreachable"}


def test_readyz_with_the_database_down_is_503_and_says_which(anon_client) -> None:
    with mock.patch(
        "tracker.health.connection.cursor", side_effect=OperationalError("server closed")
    ):
        response = anon_client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert response["Cache-Control"].startswith("max-age=0")


def test_readyz_reads_only(anon_client) -> None:
    assert anon_client.post("/readyz").status_code == 405


# -- a full disk ---------------------------------------------------------------------------------


def _no_space(fd: int, data: object) -> int:
    raise OSError(errno.ENOSPC, "No space left on device")


def _files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_a_full_disk_during_an_upload_is_a_507_and_keeps_nothing(
    client, secretariat, media: Path, reference_data: None
) -> None:
    client.force_login(secretariat)
    with mock.patch("tracker.storage.os.write", side_effect=_no_space):
        response = client.post(reverse("recommendations:import-list"), {"upload": import_upload()})

    assert response.status_code == 507
    assert "no space left to store this file" in response.content.decode()
    assert _files(media) == []
    assert not ImportRun.objects.exists()


def test_a_full_disk_during_an_api_upload_is_a_507_and_keeps_nothing(
    api_client, secretariat, media: Path, reference_data: None
) -> None:
    api_client.force_authenticate(secretariat)
    with mock.patch("tracker.storage.os.write", side_effect=_no_space):
        response = api_client.post(
            "/api/v1/import-runs/", {"upload": import_upload()}, format="multipart"
        )

    assert response.status_code == 507
    assert "no space left" in response.json()["message"]
    assert _files(media) == []
    assert not ImportRun.objects.exists()


def test_a_write_that_fails_half_way_removes_what_it_wrote(media: Path) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tracker.storage import StorageFull

    real_write = __import__("os").write
    calls: list[int] = []

    def write_once(fd: int, data: memoryview) -> int:
        calls.append(len(data))
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data[:10])

    with mock.patch("tracker.storage.os.write", side_effect=write_once), pytest.raises(StorageFull):
        default_storage.save("evidence/report.pdf", ContentFile(b"x" * 100))
    assert len(calls) == 2
    assert _files(media) == []
    # And with room, the same file is stored whole.
    name = default_storage.save("evidence/report.pdf", ContentFile(b"x" * 100))
    assert (media / name).read_bytes() == b"x" * 100


# -- JSON logs -----------------------------------------------------------------------------------


def test_json_log_lines_carry_the_fields_of_the_call() -> None:
    record = logging.LogRecord(
        "recommendations.services.imports",
        logging.ERROR,
        __file__,
        1,
        "import %s failed",
        (7,),
        None,
    )
    record.import_run = 7
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR"
    assert line["logger"] == "recommendations.services.imports"
    assert line["message"] == "import 7 failed"
    assert line["import_run"] == 7
    assert line["time"].endswith("+00:00")


# -- the database out of reach -------------------------------------------------------------------


def test_the_database_out_of_reach_is_a_503_with_retry_after(anon_client) -> None:
    with mock.patch(
        "tracker.views.connection.cursor", side_effect=OperationalError("server closed")
    ):
        response = anon_client.get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "The database cannot be reached just now" in response.content.decode()
    assert anon_client.get("/healthz").status_code == 200


# -- the cache with Redis away ---------------------------------------------------------------------


def test_the_cache_with_redis_away_misses_instead_of_failing(caplog) -> None:
    from tracker.cache import TolerantRedisCache

    cache = TolerantRedisCache(DEAD_BROKER, {})
    assert cache.get("k", "fallback") == "fallback"
    assert cache.add("k", 1) is False
    cache.set("k", 1)
    assert cache.get_many(["k"]) == {}
    assert cache.incr("k", 3) == 3
    assert cache.has_key("k") is False
    cache.delete("k")
    assert "cache unavailable" in caplog.text


def test_the_cache_with_redis_up_works() -> None:
    from tracker.cache import TolerantRedisCache

    cache = TolerantRedisCache(BROKER, {})
    cache.set("tracker-test-key", "value", 30)
    assert cache.get("tracker-test-key") == "value"
    cache.delete("tracker-test-key")
