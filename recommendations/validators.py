"""Input rules that the import form, the API and the services share."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tracker.uploads import UploadRefused, check_type


def validate_one_source(*, source: str | None, upload: object | None) -> None:
    """An import reads one source: an uploaded file or a feed URL, not both and not neither.
    A feed URL carries no user name or password: the source is stored and shown on the import's
    page, and a credential must be neither.

    Raises Django's ``ValidationError``, which the form shows above its fields and the API
    returns as a 400 with the reason."""
    if bool(source) == bool(upload):
        raise ValidationError(_("Give either a file or a feed URL."), code="one_source")
    if source and has_credentials(source):
        raise ValidationError(
            _(
                "A feed URL cannot carry a user name or password: they would be stored and "
                "shown with the import. Publish the feed without them, or mirror it inside "
                "your network."
            ),
            code="credentials",
        )


def has_credentials(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.username is not None or parts.password is not None


def validate_upload(upload: Any, declared_format: str = "") -> str:
    """The format of an uploaded export, told from its content: it must match the format asked
    for, or its file name's extension. An XLSX workbook is checked for a zip bomb before anything
    opens it. Returns the format; raises ``ValidationError`` with the reason."""
    name = str(getattr(upload, "name", "") or "")
    extension = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    declared = declared_format or extension
    if declared not in ("json", "xlsx", "csv"):
        raise ValidationError(
            _("Cannot tell the format of %(name)s: choose JSON, XLSX or CSV.") % {"name": name},
            code="format",
        )
    try:
        check_type(upload.file if hasattr(upload, "file") else upload, declared)
    except UploadRefused as exc:
        raise ValidationError(str(exc), code="content") from None
    return declared
