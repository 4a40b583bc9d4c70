from __future__ import annotations

from django.urls import path

from .views import spreadsheet

app_name = "plans"

urlpatterns = [
    path("<int:pk>/export.xlsx", spreadsheet.plan_export, name="plan_export"),
    path("<int:pk>/import/", spreadsheet.plan_import, name="plan_import"),
]
