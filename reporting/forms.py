from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import ReportFormat, ReportKind


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
        help_text=_("Follow-up reply only: e.g. 12, 18(a), 25. Empty: every paragraph."),
    )
