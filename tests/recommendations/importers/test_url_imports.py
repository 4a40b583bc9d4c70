"""Imports from a feed URL, served by a real HTTP server on the loopback interface: fetching,
HTTP errors, downloads that break off, and the guard that keeps URLs out of local networks."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from celery.exceptions import Retry

from recommendations.importers.fetch import (
    RefusedAddressError,
    TransientFeedError,
    check_address,
)
from recommendations.models import ImportRun, ImportStatus, Recommendation
from recommendations.services import import_run_create, import_run_execute
from recommendations.tasks import uhri_import_run
from tracker.models import Country

from .helpers import FEED_JSON

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

ALL = 11
IRAQ_COUNT = 6


class FeedServer(ThreadingHTTPServer):
    """Serves ``routes`` (path -> (status, headers, body)) and counts the requests per path."""

    daemon_threads = True

    def __init__(self, host: str) -> None:
        super().__init__((host, 0), FeedHandler)
        self.routes: dict[str, list[tuple[int, dict[str, str], bytes]]] = {}
        self.requests: Counter[str] = Counter()

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def serve(self, path: str, *answers: tuple[int, dict[str, str], bytes]) -> str:
        """Answer ``path`` with each of ``answers`` in turn, the last one ever after."""
        self.routes[path] = list(answers)
        return self.base + path


class FeedHandler(BaseHTTPRequestHandler):
    server: FeedServer

    def do_GET(self) -> None:
        self.server.requests[self.path] += 1
        answers = self.server.routes.get(self.path) or [(404, {}, b"not here")]
        status, headers, body = answers.pop(0) if len(answers) > 1 else answers[0]
        self.send_response(status)
        headers = {"Content-Length": str(len(body)), **headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        if int(headers["Content-Length"]) != len(body):
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _server(host: str) -> Iterator[FeedServer]:
    server = FeedServer(host)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    yield from _server("127.0.0.1")


@pytest.fixture
def other_server() -> Iterator[FeedServer]:
    """Another loopback address (127.0.0.0/8 is all loopback on Linux)."""
    yield from _server("127.0.0.2")


@pytest.fixture
def loopback_allowed(settings: Any) -> None:
    settings.TRACKER_IMPORT_URL_ALLOWED_NETWORKS = ["127.0.0.1/32"]


def _run(url: str, **options: Any) -> ImportRun:
    return import_run_create(actor=None, source=url, enqueue=False, **options)


FEED = FEED_JSON.read_bytes()


@pytest.mark.usefixtures("loopback_allowed")
@pytest.mark.parametrize("country", [None, "IRQ"])
def test_a_feed_url_imports_like_the_file(server: FeedServer, country: str | None) -> None:
    url = server.serve("/uhri/feed.json", (200, {"Content-Type": "application/json"}, FEED))
    iraq = Country.objects.get(iso3=country) if country else None

    run = import_run_execute(import_run_id=_run(url, country=iraq).pk)

    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert run.created == (IRAQ_COUNT if country else ALL)
    assert server.requests["/uhri/feed.json"] == 1


@pytest.mark.usefixtures("loopback_allowed")
def test_an_xlsx_feed_url_is_read_from_a_spooled_copy(server: FeedServer, feed_xlsx: Path) -> None:
    url = server.serve("/export.xlsx", (200, {}, feed_xlsx.read_bytes()))

    run = import_run_execute(import_run_id=_run(url).pk)

    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert run.created == ALL


def test_a_url_on_the_servers_own_network_is_refused_without_a_request(
    server: FeedServer,
) -> None:
    url = server.serve("/feed.json", (200, {}, FEED))

    run = import_run_execute(import_run_id=_run(url).pk)

    assert run.status == ImportStatus.FAILED
    assert "127.0.0.1, an address on a private or local network" in run.error
    assert server.requests["/feed.json"] == 0
    assert not Recommendation.objects.exists()


@pytest.mark.usefixtures("loopback_allowed")
def test_a_redirect_is_checked_like_the_first_address(
    server: FeedServer, other_server: FeedServer
) -> None:
    inside = other_server.serve("/feed.json", (200, {}, FEED))
    url = server.serve("/moved", (302, {"Location": inside}, b""))

    run = import_run_execute(import_run_id=_run(url, format="json").pk)

    assert run.status == ImportStatus.FAILED
    assert "127.0.0.2" in run.error
    assert server.requests["/moved"] == 1
    assert other_server.requests["/feed.json"] == 0


@pytest.mark.usefixtures("loopback_allowed")
@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://ftp.example.org/feed.json"])
def test_a_redirect_to_another_scheme_is_refused(server: FeedServer, target: str) -> None:
    url = server.serve("/moved", (302, {"Location": target}, b""))

    run = import_run_execute(import_run_id=_run(url, format="json").pk)

    assert run.status == ImportStatus.FAILED
    assert "only http(s) is read" in run.error


@pytest.mark.usefixtures("loopback_allowed")
def test_a_missing_feed_fails_the_run(server: FeedServer) -> None:
    run = import_run_execute(import_run_id=_run(server.base + "/gone.json").pk)

    assert run.status == ImportStatus.FAILED
    assert run.error == "The feed URL answered HTTP 404."


@pytest.mark.usefixtures("loopback_allowed")
def test_a_busy_server_is_retried_and_the_retry_imports(server: FeedServer) -> None:
    url = server.serve("/feed.json", (503, {}, b"busy"), (200, {}, FEED))
    run = _run(url)

    with pytest.raises(TransientFeedError, match="HTTP 503"):
        import_run_execute(import_run_id=run.pk)
    run.refresh_from_db()
    # Given back, waiting, for the task's retry to claim it again.
    assert (run.status, run.lease_owner, run.lease_expires_at) == (ImportStatus.PENDING, "", None)

    again = import_run_execute(import_run_id=run.pk)
    assert again.status == ImportStatus.SUCCEEDED, again.error
    assert again.created == ALL


@pytest.mark.usefixtures("loopback_allowed")
def test_a_download_that_breaks_off_is_retried_and_resumes(server: FeedServer) -> None:
    cut = FEED[: len(FEED) * 2 // 3]
    url = server.serve(
        "/feed.json", (200, {"Content-Length": str(len(FEED))}, cut), (200, {}, FEED)
    )
    run = _run(url)

    with pytest.raises(TransientFeedError, match="broke off"):
        import_run_execute(import_run_id=run.pk, batch_size=2)
    run.refresh_from_db()
    assert run.status == ImportStatus.PENDING
    assert run.withdrawn == 0
    committed = run.rows_done
    assert Recommendation.objects.count() == run.created

    again = import_run_execute(import_run_id=run.pk, batch_size=2)
    assert again.status == ImportStatus.SUCCEEDED, again.error
    assert (again.created, again.rows_done) == (ALL, ALL)
    assert 0 < committed < ALL  # the retry went on after the committed batches
    assert Recommendation.objects.count() == ALL


@pytest.mark.usefixtures("loopback_allowed")
def test_the_task_fails_the_run_after_its_last_retry(server: FeedServer) -> None:
    url = server.serve("/feed.json", (503, {}, b"busy"))
    run = _run(url)

    # An attempt before the last leaves the run to its retry.
    with pytest.raises(Retry, match="HTTP 503"):
        uhri_import_run.apply(args=[run.pk], retries=0)
    run.refresh_from_db()
    assert (run.status, run.error) == (ImportStatus.PENDING, "")

    with pytest.raises(TransientFeedError, match="HTTP 503"):
        uhri_import_run.apply(args=[run.pk], retries=uhri_import_run.max_retries)

    assert server.requests["/feed.json"] == 2
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert run.error.startswith("The feed could not be fetched, after retrying:")
    assert "HTTP 503" in run.error
    assert run.finished_at is not None


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 (an address to refuse, not one to bind)
        "224.0.0.1",
        "::1",
        "::ffff:127.0.0.1",
        "fc00::1",
        "fe80::1%eth0",
    ],
)
def test_local_addresses_are_refused(address: str) -> None:
    with pytest.raises(RefusedAddressError):
        check_address(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "2001:4860:4860::8888", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    check_address(address)


def test_allowed_networks_open_local_addresses(settings: Any) -> None:
    settings.TRACKER_IMPORT_URL_ALLOWED_NETWORKS = ["10.20.0.0/16", "fd00::/8"]

    check_address("10.20.3.4")
    check_address("fd12::1")
    with pytest.raises(RefusedAddressError):
        check_address("10.21.0.1")
