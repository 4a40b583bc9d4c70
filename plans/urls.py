from __future__ import annotations

from django.urls import path

from .views import consultations, indicators, matrix, measures, plans, spreadsheet, unplanned

app_name = "plans"

urlpatterns = [
    path("", plans.plan_list, name="plan-list"),
    path("new/", plans.plan_create, name="plan-create"),
    path("<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("<int:pk>/adopt/", plans.plan_adopt, name="plan-adopt"),
    path("<int:pk>/close/", plans.plan_close, name="plan-close"),
    path("<int:pk>/new-version/", plans.plan_new_version, name="plan-new-version"),
    path("<int:pk>/matrix/", matrix.plan_matrix, name="plan-matrix"),
    path("<int:pk>/matrix/bulk/", matrix.matrix_bulk, name="matrix-bulk"),
    path("<int:pk>/matrix/rows/<int:measure_pk>/", matrix.matrix_row, name="matrix-row"),
    path(
        "<int:pk>/matrix/rows/<int:measure_pk>/edit/",
        matrix.matrix_row_edit,
        name="matrix-row-edit",
    ),
    path("<int:pk>/unplanned/<slug:kind>/", unplanned.plan_unplanned, name="plan-unplanned"),
    path("<int:pk>/proposals/", measures.plan_proposals, name="plan-proposals"),
    path("<int:pk>/measures/new/", measures.measure_create, name="measure-create"),
    path("<int:pk>/measures/propose/", measures.measure_propose, name="measure-propose"),
    path("measures/<int:pk>/", measures.measure_detail, name="measure-detail"),
    path("measures/<int:pk>/edit/", measures.measure_edit, name="measure-edit"),
    path("measures/<int:pk>/smart/", measures.measure_smart, name="measure-smart"),
    path("measures/<int:pk>/accept/", measures.measure_accept, name="measure-accept"),
    path("measures/<int:pk>/decline/", measures.measure_decline, name="measure-decline"),
    path("measures/<int:pk>/milestones/", measures.milestone_add, name="milestone-add"),
    path("measures/<int:pk>/budget-lines/", measures.budget_line_add, name="budget-line-add"),
    path("measures/<int:pk>/indicators/", measures.indicator_add, name="indicator-add"),
    path("indicators/<int:pk>/", indicators.indicator_detail, name="indicator-detail"),
    path("indicators/<int:pk>/values/", indicators.indicator_value_add, name="indicator-value-add"),
    path("consultations/", consultations.consultation_list, name="consultation-list"),
    path("consultations/<int:pk>/", consultations.consultation_detail, name="consultation-detail"),
    path("<int:pk>/export.xlsx", spreadsheet.plan_export, name="plan_export"),
    path("<int:pk>/import/", spreadsheet.plan_import, name="plan_import"),
]
