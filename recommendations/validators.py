"""Input rules that the import form, the API and the services share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_one_source(*, source: str | None, upload: object | None) -> None:
    """An import reads one source: an uploaded file or a feed URL, not both and not neither.

    Raises Django's ``ValidationError``, which the form shows above its fields and the API
    returns as a 400 with the reason."""
    if bool(source) == bool(upload):
        raise ValidationError(_("Give either a file or a feed URL."), code="one_source")
