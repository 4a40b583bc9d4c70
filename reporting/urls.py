from django.urls import path

from . import calendar_views, open_data_views, report_views

app_name = "reporting"

urlpatterns = [
    path("reports/", report_views.report_list, name="report-list"),
    path("reports/<int:pk>/", report_views.report_detail, name="report-detail"),
    path("reports/<int:pk>/download/", report_views.report_download, name="report-download"),
    path("calendar/", calendar_views.calendar, name="calendar"),
    path(
        "calendar/<int:pk>/submitted/",
        calendar_views.obligation_submitted,
        name="obligation-submitted",
    ),
    path("calendar/follow-up/", calendar_views.follow_up_choose, name="follow-up-choose"),
    path(
        "calendar/follow-up/<int:document_pk>/",
        calendar_views.follow_up_edit,
        name="follow-up-edit",
    ),
    path("open-data/", open_data_views.open_data_index, name="open-data"),
    path(
        "open-data/recommendations.csv",
        open_data_views.recommendations_csv,
        name="open-data-recommendations-csv",
    ),
    path(
        "open-data/recommendations.json",
        open_data_views.recommendations_json,
        name="open-data-recommendations-json",
    ),
    path("open-data/uhri.json", open_data_views.uhri_json, name="open-data-uhri"),
    path("open-data/plan-measures.csv", open_data_views.measures_csv, name="open-data-measures"),
]
