"""QuickSelectMultiple writes the same HTML as Django's SelectMultiple, escaped, selected and
grouped alike (the list page's filters use it for their hundreds of options)."""

from __future__ import annotations

from django import forms
from django.test.html import parse_html

from tracker.forms import QuickSelectMultiple

CHOICES = [("1", "A & B"), ("2", "<script>x</script>"), ("Group", [("3", "x"), ("4", "y")])]


class _Form(forms.Form):
    django = forms.MultipleChoiceField(choices=CHOICES)
    quick = forms.MultipleChoiceField(choices=CHOICES, widget=QuickSelectMultiple)


def test_quick_select_writes_what_django_writes():
    form = _Form(data={"django": ["2", "3"], "quick": ["2", "3"]})
    attrs = {"class": "form-select", "aria-describedby": "x_help"}
    expected = str(form["django"].as_widget(attrs=attrs)).replace("django", "quick")
    written = str(form["quick"].as_widget(attrs=attrs))
    assert parse_html(written) == parse_html(expected)
    assert "<script>" not in written
    assert written.count(" selected") == 2
