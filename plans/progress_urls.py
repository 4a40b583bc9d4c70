"""The progress pages, included at ``progress/`` by the project's URLs."""

from django.urls import path

from .views import network
from .views import progress as views

app_name = "progress"

urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("new/<int:measure_pk>/", views.report_create, name="report-create"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("<int:pk>/step/", views.report_step, name="report-step"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence-add"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence-delete"),
    path(
        "recommendations/<int:pk>/",
        network.recommendation_follow_up,
        name="recommendation-follow-up",
    ),
    path("measures/<int:pk>/", network.measure_follow_up, name="measure-follow-up"),
    path("comments/", network.comment_moderation, name="comment-moderation"),
    path("support/", network.support_coverage, name="support-coverage"),
    path("support/new/", network.support_project_create, name="support-project-create"),
    path("notifications/", network.notification_list, name="notification-list"),
    path("handover/", network.portfolio_handover, name="portfolio-handover"),
]
