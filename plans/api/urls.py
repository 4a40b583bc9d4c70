"""The plans API's routes, merged into the project's router (``tracker/urls.py``)."""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("plans", views.PlanViewSet, basename="plan")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("budget-lines", views.BudgetLineViewSet, basename="budget-line")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("indicator-values", views.IndicatorValueViewSet, basename="indicator-value")
router.register("consultations", views.ConsultationViewSet, basename="consultation")
router.register(
    "national-frameworks", views.NationalFrameworkViewSet, basename="national-framework"
)
router.register("national-goals", views.NationalGoalViewSet, basename="national-goal")
