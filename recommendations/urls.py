from django.urls import path

from . import import_views, national_views, views

app_name = "recommendations"

urlpatterns = [
    path("", views.recommendation_list, name="recommendation-list"),
    path("<int:pk>/", views.recommendation_detail, name="recommendation-detail"),
    path(
        "<int:pk>/national/", national_views.recommendation_national, name="recommendation-national"
    ),
    path("<int:pk>/related/", national_views.recommendation_related, name="recommendation-related"),
    path("new/", national_views.recommendation_create, name="recommendation-create"),
    path("assign/", national_views.recommendation_assign, name="recommendation-assign"),
    path("clusters/", national_views.cluster_list, name="cluster-list"),
    path("clusters/<int:pk>/", national_views.cluster_edit, name="cluster-edit"),
    path("clusters/suggestions/", national_views.cluster_suggestions, name="cluster-suggestions"),
    path("taxonomy/", national_views.taxonomy_review, name="taxonomy-review"),
    path("taxonomy/<int:pk>/", national_views.taxonomy_term, name="taxonomy-term"),
    path("imports/", import_views.import_run_list, name="import-list"),
    path("imports/<int:pk>/", import_views.import_run_detail, name="import-detail"),
    path("imports/<int:pk>/apply/", import_views.import_run_apply, name="import-apply"),
]
