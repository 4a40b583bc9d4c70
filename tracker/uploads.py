"""Uploaded files: one size limit, enforced while the body streams in; the type told from the
content, not the name; zip archives (XLSX) checked for bombs before anything unpacks them.

The limit is ``TRACKER_UPLOAD_MAX_MB`` for every request, pages and API alike.
``LimitedUploadHandler`` comes first among Django's upload handlers: it refuses a body whose
declared length is already past the limit before reading it, and otherwise counts the bytes of the
files as they arrive and stops at the first one past the limit, so that nothing beyond it is
written to memory or disk. ``UploadLimitMiddleware`` (pages, and the API's POSTs) and the API's
exception handler (any other method) turn that into a 413 that gives the reason.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Callable
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .security import log_event
from .storage import is_disk_full

logger = logging.getLogger(__name__)

# Room for the other fields and the multipart boundaries of a request, beyond its files.
MULTIPART_ALLOWANCE = 64 * 1024


def max_upload_bytes() -> int:
    return int(settings.TRACKER_UPLOAD_MAX_MB) * 1024 * 1024


class UploadTooLarge(Exception):  # noqa: N818 (the name says what the client did)
    """The uploaded files are larger than ``TRACKER_UPLOAD_MAX_MB``."""

    def __init__(self) -> None:
        self.limit_mb = int(settings.TRACKER_UPLOAD_MAX_MB)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _("The file is larger than the limit of %(limit)s MB.") % {"limit": self.limit_mb}


class LimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of the request's files as they stream in; past the limit, raises
    ``UploadTooLarge`` before the next handler stores the chunk."""

    received = 0

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],  # noqa: N803 (Django's name)
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        self.received = 0
        if content_length > max_upload_bytes() + MULTIPART_ALLOWANCE:
            raise UploadTooLarge

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > max_upload_bytes():
            raise UploadTooLarge
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def storage_full_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """507 Insufficient Storage, with the reason: JSON for the API, the site's page otherwise."""
    from .storage import StorageFull

    logger.error("upload refused: no space left to store it (%s) on %s", exc, request.path)
    message = StorageFull().message
    if request.path_info.startswith("/api/"):
        return JsonResponse({"message": message, "extra": {}}, status=507)
    body = loader.render_to_string("507.html", {"reason": message}, request=request)
    return HttpResponse(body, status=507)


def too_large_response(request: HttpRequest, exc: UploadTooLarge) -> HttpResponse:
    """413, with the reason: JSON for the API, the site's page otherwise."""
    log_event("upload_refused", request=request, limit_mb=exc.limit_mb)
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"message": exc.message, "extra": {"limit_mb": exc.limit_mb}}, status=413
        )
    body = loader.render_to_string("413.html", {"reason": exc.message}, request=request)
    return HttpResponse(body, status=413)


class UploadLimitMiddleware:
    """Reads a multipart POST's body here, before CSRF does, so that an upload past the limit is
    a 413 with its reason rather than an error wherever the body happens to be read first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018 (parses the body, files included)
            except UploadTooLarge as exc:
                return too_large_response(request, exc)
            except OSError as exc:  # the upload's temporary file could not be written
                if not is_disk_full(exc):
                    raise
                return storage_full_response(request, exc)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A page that stores a file on a full disk: 507 with the reason, not a server error. The
        database out of reach (restarting, say): 503 with Retry-After; the next request connects
        again (CONN_HEALTH_CHECKS)."""
        if is_disk_full(exception):
            return storage_full_response(request, exception)
        if isinstance(exception, OperationalError | InterfaceError):
            return database_unavailable_response(request, exception)
        return None


def database_unavailable_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    logger.error("database unavailable on %s: %s", request.path, exc)
    if request.path_info.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "message": "The database cannot be reached just now: try again in a minute.",
                "extra": {},
            },
            status=503,
        )
    else:
        # Rendered without the request: its context processors would ask the database again.
        context = {"LANGUAGE_CODE": get_language() or settings.LANGUAGE_CODE}
        response = HttpResponse(loader.render_to_string("503.html", context), status=503)
    response["Retry-After"] = "30"
    return response


# --- Telling the type from the content ---------------------------------------------------------


class UploadRefused(ValueError):  # noqa: N818 (the name says what happened to it)
    """The file is not what its name says, or is unsafe to open. The message gives the reason."""


ZIP_MAGIC = b"PK\x03\x04"
XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


def sniff(stream: IO[bytes]) -> str:
    """What the first bytes say the file is: "xlsx" (a zip with a workbook), "zip" (another zip),
    "json" (a JSON text), "text" (UTF-8 text without NUL bytes: CSV), or "binary"."""
    position = stream.tell()
    head = stream.read(8192)
    stream.seek(position)
    if head.startswith(ZIP_MAGIC):
        try:
            names = set(zipfile.ZipFile(stream).namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "binary"
        finally:
            stream.seek(position)
        return "xlsx" if all(part in names for part in XLSX_PARTS) else "zip"
    if b"\x00" in head:
        return "binary"
    text = head.removeprefix(b"\xef\xbb\xbf")
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(text) - 3:  # not merely a character cut at the end of the sample
            return "binary"
        decoded = text[: exc.start].decode("utf-8")
    stripped = decoded.lstrip()
    if stripped[:1] in ("[", "{"):
        return "json"
    return "text"


# The sniffed kinds each declared format accepts.
ACCEPTED = {"json": {"json"}, "xlsx": {"xlsx"}, "csv": {"text", "json"}}


def check_type(stream: IO[bytes], declared: str) -> None:
    """Raise ``UploadRefused`` unless the content is of the ``declared`` format (json, xlsx,
    csv)."""
    found = sniff(stream)
    if found not in ACCEPTED.get(declared, set()):
        described = {
            "xlsx": _("an XLSX workbook"),
            "zip": _("a zip archive that is not an XLSX workbook"),
            "json": _("JSON"),
            "text": _("plain text"),
            "binary": _("binary data"),
        }[found]
        raise UploadRefused(
            _("The file's content does not match its format %(format)s: it is %(found)s.")
            % {"format": declared.upper(), "found": described}
        )
    if declared == "xlsx":
        check_zip(stream)


def check_zip(stream: IO[bytes]) -> None:
    """Raise ``UploadRefused`` for a zip bomb: parts that unpack to more than
    ``TRACKER_XLSX_MAX_UNCOMPRESSED_MB`` in all, or a part compressed more than
    ``TRACKER_XLSX_MAX_RATIO`` to one. Reads the archive's directory only, nothing is unpacked.
    (A directory that understates a part's size gains nothing: Python's zipfile stops reading a
    part at its stated size.)"""
    position = stream.tell()
    try:
        members = zipfile.ZipFile(stream).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadRefused(
            _("The file is not a readable zip archive: %(error)s") % {"error": exc}
        ) from None
    finally:
        stream.seek(position)
    limit = int(settings.TRACKER_XLSX_MAX_UNCOMPRESSED_MB) * 1024 * 1024
    ratio = int(settings.TRACKER_XLSX_MAX_RATIO)
    total = sum(member.file_size for member in members)
    if total > limit:
        raise UploadRefused(
            _(
                "The workbook would unpack to %(size)s MB, more than the limit of %(limit)s MB "
                "(a zip bomb?)."
            )
            % {"size": total // (1024 * 1024), "limit": settings.TRACKER_XLSX_MAX_UNCOMPRESSED_MB}
        )
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > ratio * max(
            member.compress_size, 1
        ):
            raise UploadRefused(
                _(
                    "A part of the workbook (%(name)s) is compressed %(ratio)s to 1, more than "
                    "the limit of %(limit)s to 1 (a zip bomb?)."
                )
                % {
                    "name": member.filename[:100],
                    "ratio": member.file_size // max(member.compress_size, 1),
                    "limit": ratio,
                }
            )
