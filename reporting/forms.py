from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from recommendations.models import Document, Mechanism, MechanismFamily, Recommendation

from .models import ObligationKind, ReportFormat, ReportKind


class ReportJobForm(forms.Form):
    """Ask for a report draft."""

    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    cycle = forms.IntegerField(
        label=_("Review cycle"),
        required=False,
        min_value=1,
        max_value=99,
        help_text=_("The number of the cycle; empty: the latest."),
    )
    mechanism = forms.CharField(
        label=_("Mechanism"),
        required=False,
        max_length=50,
        help_text=_("Its code, e.g. UPR or CRC; empty: UPR, or the first treaty body."),
    )
    paragraphs = forms.CharField(
        label=_("Paragraphs selected for follow-up"),
        required=False,
        max_length=500,
        help_text=_(
            "Follow-up reply only: e.g. 12, 18(a), 25. Empty: the committee's selection "
            "recorded on the reporting calendar, else every paragraph."
        ),
    )


class ObligationForm(forms.Form):
    """Enter a report the State owes a mechanism."""

    mechanism = forms.ModelChoiceField(
        label=_("Mechanism"), queryset=Mechanism.objects.order_by("code"), to_field_name="code"
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ObligationKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    document_symbol = forms.CharField(
        label=_("Symbol of the document asking for it"), max_length=120, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowUpDocumentForm(forms.Form):
    """Choose the concluding observations whose follow-up paragraphs to record."""

    document = forms.ModelChoiceField(
        label=_("Concluding observations"),
        queryset=Document.objects.filter(mechanism__family=MechanismFamily.TREATY_BODY)
        .select_related("mechanism")
        .order_by("-publication_date", "symbol"),
    )


class FollowUpSelectionForm(forms.Form):
    """The paragraphs a committee selected for follow-up, and the reply's due date."""

    recommendations = forms.ModelMultipleChoiceField(
        label=_("Paragraphs selected for follow-up"),
        queryset=Recommendation.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    due_on = forms.DateField(
        label=_("Reply due on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recommendations"]
        field.queryset = candidates  # type: ignore[attr-defined]
        field.label_from_instance = _candidate_label  # type: ignore[attr-defined]


def _candidate_label(row: Recommendation) -> str:
    texts = getattr(row, "candidate_texts", [])
    text = texts[0].text if texts else ""
    if len(text) > 160:
        text = text[:157] + "…"
    return f"{row.paragraph}: {text}" if text else row.paragraph
