from django.contrib import admin

from .models import (
    AffectedGroup,
    Cluster,
    Document,
    Mechanism,
    Recommendation,
    RecommendationText,
    ReviewCycle,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    Theme,
)


@admin.register(Mechanism)
class MechanismAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "family", "name", "is_reviewed"]
    list_filter = ["family", "is_reviewed"]
    search_fields = ["code"]


@admin.register(ReviewCycle)
class ReviewCycleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["mechanism", "number", "label", "review_date", "mid_term_due"]
    list_filter = ["mechanism__family"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["symbol", "mechanism", "cycle", "country", "publication_date"]
    list_filter = ["mechanism__family"]
    search_fields = ["symbol"]
    list_select_related = ["mechanism", "cycle__mechanism", "country"]


@admin.register(Theme, AffectedGroup)
class TaxonomyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "source", "is_reviewed"]
    list_filter = ["source", "is_reviewed"]
    search_fields = ["name"]


@admin.register(SdgGoal)
class SdgGoalAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["number", "short_title"]


@admin.register(SdgTarget)
class SdgTargetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "goal", "kind"]
    list_filter = ["goal", "kind"]
    search_fields = ["code"]


@admin.register(SdgIndicator)
class SdgIndicatorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "target"]
    search_fields = ["code"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "lead_institution"]
    search_fields = ["name"]
    autocomplete_fields = ["lead_institution"]


class RecommendationTextInline(admin.StackedInline):  # type: ignore[type-arg]
    model = RecommendationText
    extra = 0
    exclude = ["search_vector"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["__str__", "annotation_type", "position", "status", "publication_state"]
    list_filter = ["publication_state", "status", "position", "document__mechanism__family"]
    search_fields = ["document__symbol", "paragraph", "annotation_id"]
    list_select_related = ["document"]
    autocomplete_fields = ["document", "cluster", "themes", "affected_groups", "sdg_targets"]
    filter_horizontal = ["recommending_states"]
    readonly_fields = ["annotation_id", "raw_record", "version"]
    exclude = ["related"]
    inlines = [RecommendationTextInline]
