from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    AffectedGroup,
    Cluster,
    Document,
    ImportIssue,
    ImportRun,
    Mechanism,
    Recommendation,
    RecommendationText,
    ReviewCycle,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    Theme,
)
from .services import NATIONAL_FIELDS


@admin.register(Mechanism)
class MechanismAdmin(admin.ModelAdmin[Mechanism]):
    list_display = ["code", "family", "name", "is_reviewed"]
    list_filter = ["family", "is_reviewed"]
    search_fields = ["code"]


@admin.register(ReviewCycle)
class ReviewCycleAdmin(admin.ModelAdmin[ReviewCycle]):
    list_display = ["mechanism", "number", "label", "review_date", "mid_term_due"]
    list_filter = ["mechanism__family"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin[Document]):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["symbol", "mechanism", "cycle", "country", "publication_date"]
    list_filter = ["mechanism__family"]
    search_fields = ["symbol"]
    list_select_related = ["mechanism", "cycle__mechanism", "country"]


@admin.register(Theme, AffectedGroup)
class TaxonomyAdmin(admin.ModelAdmin[Theme | AffectedGroup]):
    list_display = ["name", "source", "is_reviewed"]
    list_filter = ["source", "is_reviewed"]
    search_fields = ["name"]


@admin.register(SdgGoal)
class SdgGoalAdmin(admin.ModelAdmin[SdgGoal]):
    list_display = ["number", "short_title"]


@admin.register(SdgTarget)
class SdgTargetAdmin(admin.ModelAdmin[SdgTarget]):
    list_display = ["code", "goal", "kind"]
    list_filter = ["goal", "kind"]
    search_fields = ["code"]


@admin.register(SdgIndicator)
class SdgIndicatorAdmin(admin.ModelAdmin[SdgIndicator]):
    list_display = ["code", "target"]
    search_fields = ["code"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin[Cluster]):
    list_display = ["name", "code", "lead_institution", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["lead_institution"]


class RecommendationTextInline(admin.StackedInline[RecommendationText, Recommendation]):
    model = RecommendationText
    extra = 0
    exclude = ["search_vector"]


class RecommendationAdminForm(forms.ModelForm[Recommendation]):
    """Carries the version the form was opened at: a save from a stale one is refused. The
    admin shows the feed's fields and the national ones, so it checks ``version``, which counts
    every change of the row."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Recommendation
        # The admin lists the fields it shows (ModelAdmin.get_form); these are for a bare form.
        fields = ["cluster", "priority", "priority_reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk:
            stored = Recommendation.objects.filter(pk=self.instance.pk).values_list(
                "version", flat=True
            )
            current = stored.first()
            if data.get("seen_version") != current:
                raise forms.ValidationError(
                    _(
                        "Someone else changed this recommendation since you opened it: nothing "
                        "was saved. Open it again and make your change again."
                    ),
                    code="stale",
                )
        return data


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin[Recommendation]):
    form = RecommendationAdminForm
    list_display = ["__str__", "annotation_type", "position", "status", "publication_state"]
    list_filter = ["publication_state", "status", "position", "document__mechanism__family"]
    search_fields = ["document__symbol", "paragraph", "annotation_id"]
    list_select_related = ["document"]
    autocomplete_fields = ["document", "cluster", "themes", "affected_groups", "sdg_targets"]
    filter_horizontal = ["recommending_states"]
    readonly_fields = ["annotation_id", "raw_record", "version", "national_version"]
    exclude = ["related"]
    inlines = [RecommendationTextInline]

    def save_model(
        self, request: HttpRequest, obj: Recommendation, form: Any, change: bool
    ) -> None:
        if change:
            obj.version = (form.cleaned_data.get("seen_version") or obj.version) + 1
            if set(form.changed_data) & set(NATIONAL_FIELDS):
                # A national form opened before this save must not overwrite it.
                obj.national_version += 1
        super().save_model(request, obj, form, change)


class ImportIssueInline(admin.TabularInline[ImportIssue, ImportRun]):
    model = ImportIssue
    extra = 0
    can_delete = False
    fields = ["row", "severity", "field", "reason", "raw_value", "annotation_id"]
    readonly_fields = ["row", "severity", "field", "reason", "raw_value", "annotation_id"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin[ImportRun]):
    """Read-only: imports are started from the import page, the API or the command line."""

    list_display = [
        "id",
        "source",
        "format",
        "country",
        "dry_run",
        "status",
        "created",
        "updated",
        "rejected",
    ]
    list_filter = ["status", "format", "dry_run"]
    inlines = [ImportIssueInline]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
