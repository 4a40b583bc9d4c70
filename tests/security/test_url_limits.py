"""URL imports, bounded: a feed larger than TRACKER_IMPORT_URL_MAX_MB, announced or not, and a
download that goes on past TRACKER_IMPORT_URL_TIMEOUT_MINUTES stop with the reason; a feed URL
with a user name or password is refused on the page and in the API, and errors never repeat
one."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from recommendations.importers import fetch
from recommendations.importers.readers import SourceError
from recommendations.models import ImportRun

MB = 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        size = int(self.path.rsplit("/", 1)[-1])
        self.send_response(200)
        if "announced" in self.path:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b" " * 65536
        sent = 0
        try:
            while sent < size:
                self.wfile.write(chunk[: size - sent])
                sent += len(chunk)
        except OSError:
            pass  # the client stopped reading: what the test wants

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(settings) -> Iterator[str]:
    settings.TRACKER_IMPORT_URL_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _drain(body) -> int:
    total = 0
    try:
        while chunk := body.read(65536):
            total += len(chunk)
    finally:
        body.close()
    return total


def test_a_feed_announced_larger_than_the_cap_is_refused_before_it_is_read(server, settings):
    settings.TRACKER_IMPORT_URL_MAX_MB = 1
    with pytest.raises(SourceError, match="more than the limit of 1 MB"):
        fetch.open_url(f"{server}/announced/{2 * MB}")


def test_a_feed_that_does_not_announce_its_size_stops_at_the_cap(server, settings):
    settings.TRACKER_IMPORT_URL_MAX_MB = 1
    body = fetch.open_url(f"{server}/streamed/{3 * MB}")
    with pytest.raises(SourceError, match="larger than 1 MB: stopped"):
        _drain(body)


def test_a_feed_within_the_cap_is_read_whole(server, settings):
    settings.TRACKER_IMPORT_URL_MAX_MB = 1
    assert _drain(fetch.open_url(f"{server}/streamed/{MB}")) == MB


def test_a_download_past_the_overall_time_stops(server, settings, monkeypatch):
    settings.TRACKER_IMPORT_URL_TIMEOUT_MINUTES = 30
    body = fetch.open_url(f"{server}/streamed/{MB}")
    clock = iter([0.0, 31 * 60.0])
    monkeypatch.setattr(fetch.time, "monotonic", lambda: next(clock, 31 * 60.0))
    body.started = 0.0
    with pytest.raises(SourceError, match="longer than 30 minutes: stopped"):
        _drain(body)


def test_error_messages_never_repeat_a_credential():
    assert fetch.redact("https://user:s3cret@feeds.example.org/uhri.json") == (
        "https://***@feeds.example.org/uhri.json"
    )
    assert fetch.redact("https://feeds.example.org/a.json") == "https://feeds.example.org/a.json"


@pytest.mark.django_db
def test_a_feed_url_with_credentials_is_refused_on_the_page_and_in_the_api(
    client_as, api_client_as
):
    url = "https://user:s3cret@feeds.example.org/uhri.json"
    page = client_as("secretariat").post(reverse("recommendations:import-list"), {"source": url})
    assert page.status_code == 400
    assert "cannot carry a user name or password" in page.content.decode()
    assert "s3cret" not in page.content.decode().replace(url, "")
    api = api_client_as("secretariat").post("/api/v1/import-runs/", {"source": url}, format="json")
    assert api.status_code == 400
    assert "user name or password" in str(api.json())
    assert ImportRun.objects.count() == 0


@pytest.mark.django_db
def test_the_service_refuses_a_feed_url_with_credentials_too(secretariat):
    from recommendations.services import import_run_create
    from tracker.exceptions import ApplicationError

    with pytest.raises(ApplicationError, match="user name or password"):
        import_run_create(actor=secretariat, source="https://u:p@feeds.example.org/f.json")
    assert ImportRun.objects.count() == 0
