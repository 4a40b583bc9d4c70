"""Forms of the plan pages: they check the shape of what is typed (types, lengths, choices); the
rules across fields and rows are the services' (``plans.services``), whose errors the views put
back on the fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from recommendations.models import Recommendation, SdgIndicator, SdgTarget
from tracker.exceptions import ApplicationError
from tracker.models import Institution

from .models import (
    DISAGGREGATION_DIMENSIONS,
    BudgetLine,
    Frequency,
    GenderMarker,
    IndicatorKind,
    Measure,
    MeasureKind,
    MeasureStatus,
    NationalGoal,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def apply_errors(form: forms.Form, exc: ApplicationError) -> None:
    """Put a service's refusal on the form: on the fields it names, else on the whole form."""
    fields = exc.extra.get("fields")
    if isinstance(fields, dict):
        for name, errors in fields.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, str(error))
    else:
        form.add_error(None, exc.message)


class RecommendationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Recommendation) -> str:
        return f"{obj.document.symbol} ¶{obj.paragraph}" if obj.paragraph else obj.document.symbol


class SdgTargetChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: SdgTarget) -> str:
        return obj.code


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())


class MeasureForm(forms.Form):
    """A measure as the secretariat writes it (the fields of the issue's item 3)."""

    title = forms.CharField(label=_("Title"), max_length=500)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeasureKind.choices)
    recommendations = RecommendationChoiceField(
        label=_("Recommendations addressed"),
        queryset=Recommendation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    lead_institution = forms.ModelChoiceField(
        label=_("Lead institution"), queryset=Institution.objects.none(), required=False
    )
    supporting_institutions = forms.ModelMultipleChoiceField(
        label=_("Supporting institutions"),
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    expected_outcome = forms.CharField(
        label=_("Expected outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    sdg_targets = SdgTargetChoiceField(
        label=_("SDG targets"),
        queryset=SdgTarget.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    framework_goals = forms.ModelMultipleChoiceField(
        label=_("National framework goals"),
        queryset=NationalGoal.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    gender_marker = forms.ChoiceField(
        label=_("Gender marker"), choices=GenderMarker.choices, required=False
    )
    technical_assistance = forms.CharField(
        label=_("Technical assistance needed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What support the State needs to carry out the measure; empty if none."),
    )

    def __init__(
        self,
        *args: Any,
        recommendations: QuerySet[Recommendation],
        institutions: QuerySet[Institution] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["recommendations"].queryset = recommendations.select_related("document").order_by(
            "document__symbol", "paragraph_sort", "pk"
        )
        every = Institution.objects.filter(is_active=True).order_by("name")
        if "lead_institution" in fields:
            fields["lead_institution"].queryset = (
                institutions if institutions is not None else every
            )
        fields["supporting_institutions"].queryset = every
        fields["sdg_targets"].queryset = SdgTarget.objects.order_by("sort_key")
        fields["framework_goals"].queryset = NationalGoal.objects.order_by(
            "framework_id", "code", "pk"
        )

    @staticmethod
    def initial_for(measure: Measure) -> dict[str, Any]:
        return {
            "title": measure.title,
            "description": measure.description,
            "kind": measure.kind,
            "recommendations": [r.pk for r in measure.recommendations.all()],
            "lead_institution": measure.lead_institution_id,
            "supporting_institutions": [i.pk for i in measure.supporting_institutions.all()],
            "starts_on": measure.starts_on,
            "ends_on": measure.ends_on,
            "status": measure.status,
            "expected_outcome": measure.expected_outcome,
            "sdg_targets": [t.pk for t in measure.sdg_targets.all()],
            "framework_goals": [g.pk for g in measure.framework_goals.all()],
            "gender_marker": measure.gender_marker,
            "technical_assistance": measure.technical_assistance,
        }

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("title", None)
        return data


class ProposalForm(MeasureForm):
    """A measure a focal point proposes: led by its own institution (one of them, if several),
    planned; the secretariat sets the status when it accepts it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["status"]
        self.fields["lead_institution"].required = True


class MatrixRowForm(forms.Form):
    """The fields of a measure the planning matrix edits in its row."""

    title = forms.CharField(label=_("Title"), max_length=500)
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    lead_institution = forms.ModelChoiceField(
        label=_("Lead institution"), queryset=Institution.objects.none(), required=False
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput())

    def __init__(
        self,
        *args: Any,
        institutions: Iterable[Institution],
        form_id: str = "row-form",
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"{form_id}-%s")
        super().__init__(*args, **kwargs)
        self.form_id = form_id
        field: Any = self.fields["lead_institution"]
        field.queryset = institutions
        # The row's controls sit in the cells of a table row, the form element in the last one:
        # each names its form (a <form> cannot wrap a <tr>).
        for name, each in self.fields.items():
            each.widget.attrs["form"] = form_id
            if name == "title":
                each.widget.attrs["autofocus"] = True

    @staticmethod
    def initial_for(measure: Measure) -> dict[str, Any]:
        return {
            "title": measure.title,
            "status": measure.status,
            "lead_institution": measure.lead_institution_id,
            "starts_on": measure.starts_on,
            "ends_on": measure.ends_on,
        }


class BulkForm(forms.Form):
    """Several measures of the matrix at once: a new status, or a new lead institution."""

    ACTIONS = (("status", _("Set the status")), ("lead_institution", _("Set the lead institution")))

    measures = forms.ModelMultipleChoiceField(
        label=_("Measures"),
        queryset=Measure.objects.none(),
        error_messages={"required": _("Select at least one measure.")},
    )
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    status = forms.ChoiceField(
        label=_("New status"), choices=[("", "—"), *MeasureStatus.choices], required=False
    )
    lead_institution = forms.ModelChoiceField(
        label=_("New lead institution"), queryset=Institution.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        measures: QuerySet[Measure],
        institutions: QuerySet[Institution],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["measures"].queryset = measures
        fields["lead_institution"].queryset = institutions

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action and not data.get(action):
            self.add_error(action, _("Choose the new value."))
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The focal point who proposed the measure reads it."),
    )


SMART_CHOICES = (("", _("Not judged")), ("yes", _("Met")), ("no", _("Not met")))
SMART_CRITERIA = (
    ("specific", _("Specific")),
    ("measurable", _("Measurable")),
    ("achievable", _("Achievable")),
    ("relevant", _("Relevant")),
    ("time_bound", _("Time-bound")),
)


class SmartForm(forms.Form):
    specific = forms.ChoiceField(label=_("Specific"), choices=SMART_CHOICES, required=False)
    measurable = forms.ChoiceField(label=_("Measurable"), choices=SMART_CHOICES, required=False)
    achievable = forms.ChoiceField(label=_("Achievable"), choices=SMART_CHOICES, required=False)
    relevant = forms.ChoiceField(label=_("Relevant"), choices=SMART_CHOICES, required=False)
    time_bound = forms.ChoiceField(label=_("Time-bound"), choices=SMART_CHOICES, required=False)
    note = forms.CharField(
        label=_("Note on the SMART check"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @staticmethod
    def initial_for(measure: Measure) -> dict[str, str]:
        def value(flag: bool | None) -> str:
            return "" if flag is None else ("yes" if flag else "no")

        initial = {name: value(getattr(measure, f"smart_{name}")) for name, _l in SMART_CRITERIA}
        return {**initial, "note": measure.smart_note}

    def verdicts(self) -> dict[str, Any]:
        data = self.cleaned_data
        verdicts: dict[str, Any] = {
            name: (None if not data[name] else data[name] == "yes") for name, _l in SMART_CRITERIA
        }
        verdicts["note"] = data["note"]
        return verdicts


class MilestoneForm(forms.Form):
    prefix = "milestone"

    title = forms.CharField(label=_("Milestone"), max_length=300)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DateInput())


class BudgetLineForm(forms.Form):
    prefix = "budget"

    amount = forms.DecimalField(
        label=_("Amount planned"), max_digits=16, decimal_places=2, min_value=0
    )
    currency = forms.CharField(
        label=_("Currency"),
        min_length=3,
        max_length=3,
        help_text=_("The ISO 4217 code: USD, EUR, XOF…"),
    )
    funding_source = forms.CharField(
        label=_("Funding source"),
        max_length=200,
        help_text=BudgetLine._meta.get_field("funding_source").help_text,
    )
    committed = forms.DecimalField(
        label=_("Committed"), max_digits=16, decimal_places=2, min_value=0, required=False
    )
    spent = forms.DecimalField(
        label=_("Spent"), max_digits=16, decimal_places=2, min_value=0, required=False
    )

    def values(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if v is not None}
        data["currency"] = data["currency"].upper()
        return data


class SdgIndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SdgIndicator) -> str:
        return obj.code


class IndicatorForm(forms.Form):
    prefix = "indicator"

    name = forms.CharField(label=_("Indicator"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=IndicatorKind.choices)
    unit = forms.CharField(label=_("Unit"), max_length=100, required=False)
    baseline_value = forms.DecimalField(
        label=_("Baseline value"), max_digits=20, decimal_places=4, required=False
    )
    baseline_year = forms.IntegerField(
        label=_("Baseline year"), min_value=1950, max_value=2100, required=False
    )
    target_value = forms.DecimalField(
        label=_("Target value"), max_digits=20, decimal_places=4, required=False
    )
    target_year = forms.IntegerField(
        label=_("Target year"), min_value=1950, max_value=2100, required=False
    )
    frequency = forms.ChoiceField(
        label=_("Reporting frequency"), choices=Frequency.choices, initial=Frequency.YEARLY
    )
    data_source = forms.CharField(label=_("Data source"), max_length=300, required=False)
    disaggregation = forms.MultipleChoiceField(
        label=_("Broken down by"),
        choices=list(DISAGGREGATION_DIMENSIONS.items()),
        required=False,
        initial=["sex"],
        widget=forms.CheckboxSelectMultiple,
    )
    sdg_indicator = SdgIndicatorChoiceField(
        label=_("SDG indicator"), queryset=SdgIndicator.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["sdg_indicator"]
        field.queryset = SdgIndicator.objects.order_by("code")

    def values(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        data["disaggregation"] = list(self.cleaned_data["disaggregation"])
        return data


class IndicatorValueForm(forms.Form):
    """A value for a period, for the total or one combination of the indicator's dimensions
    (a field per dimension: empty for the total over it)."""

    prefix = "value"

    period = forms.CharField(
        label=_("Period"), max_length=7, help_text=_('"2027", "2027-Q3" or "2027-03".')
    )
    value = forms.DecimalField(label=_("Value"), max_digits=20, decimal_places=4)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)

    def __init__(self, *args: Any, dimensions: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dimensions = list(dimensions)
        for dimension in self.dimensions:
            label = DISAGGREGATION_DIMENSIONS.get(dimension, dimension)
            self.fields[f"by_{dimension}"] = forms.CharField(
                label=label,
                max_length=100,
                required=False,
                help_text=_("Empty for the total."),
            )

    def breakdown(self) -> dict[str, str]:
        return {
            d: self.cleaned_data[f"by_{d}"].strip()
            for d in self.dimensions
            if self.cleaned_data.get(f"by_{d}", "").strip()
        }
