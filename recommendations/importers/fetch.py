"""Fetch a feed from an http(s) URL, only from the public internet unless allowed otherwise.

A URL import makes the server open a connection the person who typed the URL chooses. Without a
guard, that is a way into the server's own network: the database, Redis, a cloud metadata service,
whose answers would come back in the import's error messages. So every connection, the first and
each one a redirect leads to, is checked once it is open, on the address it actually reached (a
host name that resolves differently the second time gains nothing): it must be a global address,
or in one of the networks of ``TRACKER_IMPORT_URL_ALLOWED_NETWORKS`` (a feed mirrored inside the
ministry's network, say). Redirects may only lead to http or https. Nothing is sent to a refused
address.

Network failures, whether on opening or halfway through the body, raise ``TransientFeedError``: the
task retries, and the retry resumes after the last committed batch.

A download is bounded: past ``TRACKER_IMPORT_URL_MAX_MB`` (announced by Content-Length, or
counted as it arrives) or ``TRACKER_IMPORT_URL_TIMEOUT_MINUTES`` in all, it stops with a
``SourceError`` that says so (a retry would meet the same feed). Error messages never repeat a
user name or password that a URL carries.
"""

from __future__ import annotations

import http.client
import ipaddress
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

from .readers import SourceError

URL_TIMEOUT = 60
SCHEMES = ("http://", "https://")


def redact(url: str) -> str:
    """The URL without the user name and password it may carry, for messages and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(an unreadable URL)"
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))


def max_download_bytes() -> int:
    return int(settings.TRACKER_IMPORT_URL_MAX_MB) * 1024 * 1024


def download_seconds() -> float:
    return float(settings.TRACKER_IMPORT_URL_TIMEOUT_MINUTES) * 60


def is_url(source: str) -> bool:
    """Whether an import's source is an http(s) URL (else a file name or a path)."""
    return source.lower().startswith(SCHEMES)


class TransientFeedError(Exception):
    """The feed could not be fetched for a reason that may pass (network, server busy): retry."""


class RefusedAddressError(SourceError):
    """The URL leads to an address imports may not reach."""


def allowed_networks(
    names: Iterable[str] | None = None,
) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The networks of ``TRACKER_IMPORT_URL_ALLOWED_NETWORKS`` (CIDR notation)."""
    if names is None:
        names = settings.TRACKER_IMPORT_URL_ALLOWED_NETWORKS
    return [ipaddress.ip_network(name.strip(), strict=False) for name in names if name.strip()]


def check_address(address: str) -> None:
    """Raise ``RefusedAddressError`` unless an import may connect to ``address``."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if any(ip in network for network in allowed_networks()):
        return
    if not ip.is_global or ip.is_multicast:
        raise RefusedAddressError(
            f"The feed URL leads to {ip}, an address on a private or local network: imports only "
            "fetch from the public internet (TRACKER_IMPORT_URL_ALLOWED_NETWORKS lists exceptions)."
        )


def _checked(connection: http.client.HTTPConnection) -> None:
    sock = connection.sock
    if sock is None:
        return
    try:
        check_address(sock.getpeername()[0])
    except RefusedAddressError:
        connection.close()
        raise


class _HTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _checked(self)


class _HTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        # Check the TCP peer before the TLS handshake says anything to it.
        http.client.HTTPConnection.connect(self)
        _checked(self)
        host = getattr(self, "_tunnel_host", None) or self.host
        self.sock = self._context.wrap_socket(self.sock, server_hostname=host)  # type: ignore[attr-defined]


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_HTTPSConnection, req, context=self._context)  # type: ignore[attr-defined]


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not is_url(newurl):
            raise SourceError(f"The feed URL redirects to {newurl[:200]!r}: only http(s) is read.")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    # No proxy from the environment: the check must see the feed's own address.
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), _HTTPHandler, _HTTPSHandler, _RedirectHandler
    )


class _Body:
    """The response body, whose network failures are transient ones, and whose size and
    duration are bounded."""

    def __init__(self, response: Any, url: str, started: float | None = None) -> None:
        self.response = response
        self.url = redact(url)
        self.started = time.monotonic() if started is None else started
        self.received = 0

    def read(self, size: int = -1) -> bytes:
        if time.monotonic() - self.started > download_seconds():
            raise SourceError(
                f"{self.url}: the download took longer than "
                f"{settings.TRACKER_IMPORT_URL_TIMEOUT_MINUTES} minutes: stopped."
            )
        try:
            data = bytes(self.response.read(size))
        except (http.client.HTTPException, OSError) as exc:
            raise TransientFeedError(f"{self.url}: the download broke off: {exc!r}") from exc
        self.received += len(data)
        if self.received > max_download_bytes():
            raise SourceError(
                f"{self.url}: the feed is larger than {settings.TRACKER_IMPORT_URL_MAX_MB} MB: "
                "stopped."
            )
        # http.client ends the body quietly when the connection closes before Content-Length.
        if not data and size and getattr(self.response, "length", None):
            raise TransientFeedError(
                f"{self.url}: the download broke off {self.response.length} bytes before its end"
            )
        return data

    def close(self) -> None:
        self.response.close()


def open_url(url: str) -> _Body:
    """An open feed URL, as a byte stream (``read``, ``close``)."""
    if not is_url(url):
        raise SourceError("A feed URL must start with http:// or https://.")
    started = time.monotonic()
    shown = redact(url)
    try:
        response = _opener().open(url, timeout=URL_TIMEOUT)
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code >= 500 or exc.code == 429:
            raise TransientFeedError(f"{shown}: HTTP {exc.code}") from exc
        if 300 <= exc.code < 400:  # urllib follows only http(s) and ftp redirects
            raise SourceError(
                f"The feed URL redirects (HTTP {exc.code}) to an address that is not http(s): "
                "only http(s) is read."
            ) from None
        raise SourceError(f"The feed URL answered HTTP {exc.code}.") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, SourceError):
            raise exc.reason from None
        raise TransientFeedError(f"{shown}: {exc.reason}") from exc
    except (http.client.HTTPException, OSError) as exc:
        raise TransientFeedError(f"{shown}: {exc!r}") from exc
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_download_bytes():
        response.close()
        raise SourceError(
            f"{shown}: the feed is {int(length) // (1024 * 1024)} MB, more than the limit of "
            f"{settings.TRACKER_IMPORT_URL_MAX_MB} MB."
        )
    return _Body(response, url, started)
