"""The operators' admin for the reporting app: the committees' follow-up selections (the pages of
the reporting calendar are where the secretariat enters them; operators may correct them here,
inside an audit context, with the same rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from recommendations.models import MechanismFamily

from .models import FollowUpSelection

# The calendar entry follows the selection as in the services; the admin form is the audit
# context (``GuardedAdminMixin.changeform_view``).
from .services.follow_up import _sync_obligation


class FollowUpSelectionAdminForm(forms.ModelForm[FollowUpSelection]):
    class Meta:
        model = FollowUpSelection
        fields = ["document", "recommendations", "due_on", "notes"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        document = data.get("document")
        chosen = data.get("recommendations") or []
        if document is not None:
            if document.mechanism.family != MechanismFamily.TREATY_BODY:
                self.add_error(
                    "document", _("Only a treaty body's concluding observations have a follow-up.")
                )
            elif any(r.document_id != document.pk for r in chosen):
                self.add_error(
                    "recommendations",
                    _("Every paragraph must come from %(symbol)s.") % {"symbol": document.symbol},
                )
        return data


@admin.register(FollowUpSelection)
class FollowUpSelectionAdmin(admin.ModelAdmin[FollowUpSelection]):
    form = FollowUpSelectionAdminForm
    list_display = ("document", "due_on", "obligation")
    raw_id_fields = ("document", "recommendations")
    list_select_related = ("document", "obligation")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        _sync_obligation(form.instance)
