"""The plans API's routes, merged into the project's router (``tracker/urls.py``)."""

from rest_framework.routers import DefaultRouter

from . import consultations, frameworks, indicators, network, plans, progress

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
router.register("assessments", network.AssessmentViewSet, basename="assessment")
router.register("comments", network.CommentViewSet, basename="comment")
router.register("support-projects", network.SupportProjectViewSet, basename="support-project")
router.register("notifications", network.NotificationViewSet, basename="notification")
# Activity feeds, beside the recommendations' and measures' own routes: only their
# ``{id}/activity/`` action.
router.register(
    "recommendations", network.RecommendationActivityViewSet, basename="recommendation-activity"
)
router.register("measures", network.MeasureActivityViewSet, basename="measure-activity")
