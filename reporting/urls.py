from django.urls import path

from . import calendar_views, open_data_views, portal_views, report_views

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
    # The public portal (portal_views.py).
    path("portal/institutions/", portal_views.institution_list, name="portal-institutions"),
    path(
        "portal/institutions/<int:pk>/",
        portal_views.institution_detail,
        name="portal-institution",
    ),
    path("portal/clusters/", portal_views.cluster_list, name="portal-clusters"),
    path("portal/clusters/<int:pk>/", portal_views.cluster_detail, name="portal-cluster"),
    path("portal/sdg/", portal_views.goal_list, name="portal-goals"),
    path("portal/sdg/<int:number>/", portal_views.goal_detail, name="portal-goal"),
    path("portal/plan/", portal_views.adopted_plan, name="portal-plan"),
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
