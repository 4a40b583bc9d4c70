from django.urls import path

from . import report_views

app_name = "reporting"

urlpatterns = [
    path("reports/", report_views.report_list, name="report-list"),
    path("reports/<int:pk>/", report_views.report_detail, name="report-detail"),
    path("reports/<int:pk>/download/", report_views.report_download, name="report-download"),
]
