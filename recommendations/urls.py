from django.urls import path

from . import import_views, views

app_name = "recommendations"

urlpatterns = [
    path("", views.recommendation_list, name="recommendation-list"),
    path("<int:pk>/", views.recommendation_detail, name="recommendation-detail"),
    path("imports/", import_views.import_run_list, name="import-list"),
    path("imports/<int:pk>/", import_views.import_run_detail, name="import-detail"),
    path("imports/<int:pk>/apply/", import_views.import_run_apply, name="import-apply"),
]
