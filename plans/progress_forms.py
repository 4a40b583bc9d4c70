"""The forms of the progress pages: they check the shape of what is typed; the rules are the
services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Indicator, MeasureStatus, StepAction

TEXT = {"class": "form-control"}


class ReportForm(forms.Form):
    """A report's text, the status it gives the measure, and a value per indicator of the
    measure (the total, for the report's period) as ``value_<indicator id>``."""

    period = forms.CharField(
        label=_("Period"),
        max_length=7,
        help_text=_('A year ("2027"), a quarter ("2027-Q3") or a month ("2027-03").'),
        widget=forms.TextInput(attrs={**TEXT, "dir": "ltr"}),
    )
    narrative = forms.CharField(
        label=_("What was done"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 8}),
    )
    measure_status = forms.ChoiceField(
        label=_("Status of the measure"),
        required=False,
        choices=[("", _("No change")), *MeasureStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            label = indicator.name + (f" ({indicator.unit})" if indicator.unit else "")
            self.fields[f"value_{indicator.pk}"] = forms.DecimalField(
                label=label,
                required=False,
                max_digits=20,
                decimal_places=4,
                widget=forms.NumberInput(attrs={**TEXT, "step": "any", "dir": "ltr"}),
            )

    def values(self) -> list[dict[str, Any]]:
        return [
            {"indicator": indicator.pk, "value": self.cleaned_data[f"value_{indicator.pk}"]}
            for indicator in self.indicators
            if self.cleaned_data.get(f"value_{indicator.pk}") is not None
        ]

    def value_fields(self) -> list[forms.BoundField]:
        return [self[f"value_{indicator.pk}"] for indicator in self.indicators]


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, OpenDocument text, PNG or JPEG."),
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )
    title = forms.CharField(
        label=_("Title"), max_length=300, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    is_public = forms.BooleanField(
        label=_("Public: shown on the portal once the report is published"), required=False
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=[(a, a) for a in StepAction.values if a != StepAction.CREATE])
    reason = forms.CharField(required=False, max_length=5000)
    version = forms.IntegerField(required=False)
