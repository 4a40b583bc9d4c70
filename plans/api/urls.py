"""The plans API's routes, merged into the project's router (``tracker/urls.py``)."""

from rest_framework.routers import DefaultRouter

from . import consultations, frameworks, indicators, plans, progress

router = DefaultRouter()
router.register("plans", plans.PlanViewSet, basename="plan")
router.register("measures", plans.MeasureViewSet, basename="measure")
router.register("milestones", plans.MilestoneViewSet, basename="milestone")
router.register("budget-lines", plans.BudgetLineViewSet, basename="budget-line")
router.register("indicators", indicators.IndicatorViewSet, basename="indicator")
router.register("indicator-values", indicators.IndicatorValueViewSet, basename="indicator-value")
router.register("consultations", consultations.ConsultationViewSet, basename="consultation")
router.register(
    "national-frameworks", frameworks.NationalFrameworkViewSet, basename="national-framework"
)
router.register("national-goals", frameworks.NationalGoalViewSet, basename="national-goal")
router.register("progress-reports", progress.ProgressReportViewSet, basename="progress-report")
