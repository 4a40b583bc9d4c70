"""The documents a consultation keeps: which types are accepted, told from their content.

A file's name and the type its browser claims are not trusted: the first bytes say what it is
(PDF, PNG, JPEG), and for the office formats, which are zip archives, the names of the parts
inside it (Word and Excel documents, OpenDocument text). Office documents with macros are
refused. Nothing is extracted from an archive: only its directory and, for OpenDocument, its
first small ``mimetype`` part are read.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings

# The size limit, in bytes: TRACKER_DOCUMENT_MAX_BYTES in the settings (20 MB unless set).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
ODT = "application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class DocumentType:
    content_type: str
    extension: str
    label: str


PDF = DocumentType("application/pdf", "pdf", "PDF")
PNG = DocumentType("image/png", "png", "PNG")
JPEG = DocumentType("image/jpeg", "jpg", "JPEG")
DOCX = DocumentType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word"
)
XLSX = DocumentType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel"
)
ODT_TYPE = DocumentType(ODT, "odt", "OpenDocument text")
ACCEPTED = (PDF, DOCX, XLSX, ODT_TYPE, PNG, JPEG)


def max_bytes() -> int:
    return int(getattr(settings, "TRACKER_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _zip_type(handle: IO[bytes]) -> DocumentType | None:
    try:
        with zipfile.ZipFile(handle) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            if any(name.lower().endswith("vbaproject.bin") for name in infos):
                return None  # macros
            if "word/document.xml" in infos and "[Content_Types].xml" in infos:
                return DOCX
            if "xl/workbook.xml" in infos and "[Content_Types].xml" in infos:
                return XLSX
            mimetype = infos.get("mimetype")
            if (
                mimetype is not None
                and mimetype.file_size <= 100
                and archive.read("mimetype").decode("ascii", "replace").strip() == ODT
            ):
                return ODT_TYPE
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, NotImplementedError):
        return None
    return None


def sniff(handle: IO[bytes]) -> DocumentType | None:
    """The accepted type of the file's content, or ``None``. Leaves the file at its start."""
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"PK\x03\x04"):
            return _zip_type(handle)
        return None
    finally:
        handle.seek(0)
