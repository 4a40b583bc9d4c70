from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tracker.models import Country

from .models import FeedLanguage, ImportFormat
from .validators import validate_one_source, validate_upload


class ImportRunForm(forms.Form):
    """Start an import: upload an export or give the URL of a feed (local paths: command line only)."""

    upload = forms.FileField(
        label=_("UHRI export file"),
        required=False,
        help_text=_("JSON, XLSX or CSV, as exported by the Universal Human Rights Index."),
    )
    source = forms.URLField(
        label=_("or feed URL"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_("An http or https address of a JSON, XLSX or CSV feed."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Tell from the file name")), *ImportFormat.choices],
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        required=False,
        queryset=Country.objects.all(),
        to_field_name="iso3",
        empty_label=_("All countries in the feed"),
        help_text=_("Import only this State's recommendations."),
    )
    language = forms.ChoiceField(
        label=_("Language of the feed"),
        required=False,
        choices=[("", _("Tell from the file name or the texts")), *FeedLanguage.choices],
        help_text=_(
            "The texts are stored in this language. Only the reference language's feed changes "
            "the recommendations' other fields."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: show what would change, write nothing"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            elif not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-control"
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_help"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        validate_one_source(source=data.get("source"), upload=upload)
        # The size was checked as the body arrived (TRACKER_UPLOAD_MAX_MB, tracker/uploads.py).
        if upload is not None:
            try:
                validate_upload(upload, data.get("format") or "")
            except forms.ValidationError as exc:
                self.add_error("upload", exc)
        return data
