from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tracker.models import Country, Institution

from .models import (
    SEARCH_CONFIGS,
    AnnotationType,
    Cluster,
    FeedLanguage,
    ImportFormat,
    MechanismFamily,
    Position,
    Priority,
    PublicationState,
    Theme,
)
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


# -- the secretariat's national follow-up -------------------------------------------------------


def _active_clusters() -> Any:
    return Cluster.objects.filter(is_active=True).order_by("name")


class ClusterForm(forms.Form):
    """Create or change a national cluster."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        required=False,
        help_text=_("A short national code, such as JUS or C-03."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    lead_institution = forms.ModelChoiceField(
        label=_("Lead institution"),
        queryset=Institution.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("None yet"),
    )
    is_active = forms.BooleanField(
        label=_("Active (a retired cluster keeps its recommendations but takes no more)"),
        required=False,
        initial=True,
    )


class NationalFieldsForm(forms.Form):
    """The cluster and priority of one recommendation, with the version the form was read at."""

    cluster = forms.ModelChoiceField(
        label=_("National cluster"),
        queryset=Cluster.objects.none(),
        required=False,
        empty_label=_("No cluster"),
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", _("Not set")), *Priority.choices], required=False
    )
    priority_reason = forms.CharField(
        label=_("Reason for the priority"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, current: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A retired cluster stays selectable on the recommendation that already has it.
        clusters = Cluster.objects.filter(is_active=True)
        if current is not None:
            clusters = clusters | Cluster.objects.filter(pk=current)
        self.fields["cluster"].queryset = clusters.order_by("name")  # type: ignore[attr-defined]


class BulkAssignForm(forms.Form):
    """Put the selected recommendations, or all those matching a filter, in a cluster."""

    cluster = forms.ModelChoiceField(
        label=_("Cluster"),
        queryset=Cluster.objects.none(),
        required=False,
        empty_label=_("Take out of any cluster"),
    )
    scope = forms.ChoiceField(choices=[("selected", "selected"), ("all", "all")])
    query = forms.CharField(required=False, max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = _active_clusters()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        try:
            data["ids"] = [int(value) for value in raw]
        except ValueError:
            raise forms.ValidationError(_("Not a recommendation.")) from None
        return data


class SuggestionAcceptForm(forms.Form):
    theme = forms.ModelChoiceField(queryset=Theme.objects.all(), widget=forms.HiddenInput)
    name = forms.CharField(label=_("Cluster name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=20, required=False)


class RelatedForm(forms.Form):
    other = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(
        choices=[
            ("link", "link"),
            ("unlink", "unlink"),
            ("confirm", "confirm"),
            ("dismiss", "dismiss"),
        ]
    )


class TermActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("accept", "accept"), ("rename", "rename"), ("merge", "merge")]
    )
    name = forms.CharField(label=_("New name"), max_length=200, required=False)
    into = forms.IntegerField(label=_("Merge into"), required=False, min_value=1)


class ManualRecommendationForm(forms.Form):
    """A recommendation that no feed carries, with its source document."""

    mechanism = forms.CharField(
        label=_("Mechanism"),
        max_length=80,
        help_text=_("Its code, such as ACHPR or Voluntary pledges; a new one is created."),
    )
    family = forms.ChoiceField(
        label=_("Kind of mechanism (for a new one)"),
        choices=MechanismFamily.choices,
        initial=MechanismFamily.NATIONAL,
    )
    symbol = forms.CharField(label=_("Document symbol or reference"), max_length=120)
    title = forms.CharField(label=_("Document title"), max_length=500, required=False)
    url = forms.URLField(
        label=_("Document address"), max_length=1000, required=False, assume_scheme="https"
    )
    publication_date = forms.DateField(
        label=_("Publication date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    paragraph = forms.CharField(label=_("Paragraph"), max_length=40, required=False)
    language = forms.ChoiceField(
        label=_("Language of the text"),
        choices=[(code, code) for code in SEARCH_CONFIGS],
        initial="en",
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))
    annotation_type = forms.ChoiceField(
        label=_("Type"), choices=AnnotationType.choices, initial=AnnotationType.RECOMMENDATION
    )
    position = forms.ChoiceField(
        label=_("Position of the State"),
        choices=[("", _("Not recorded")), *Position.choices],
        required=False,
    )
    publication_state = forms.ChoiceField(
        label=_("Publication"), choices=PublicationState.choices, initial=PublicationState.DRAFT
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), required=False
    )
