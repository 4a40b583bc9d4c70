from rest_framework.routers import DefaultRouter

from . import imports, views

router = DefaultRouter()
router.register("recommendations", views.RecommendationViewSet, basename="recommendation")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("mechanisms", views.MechanismViewSet, basename="mechanism")
router.register("cycles", views.ReviewCycleViewSet, basename="cycle")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("affected-groups", views.AffectedGroupViewSet, basename="affected-group")
router.register("sdg-goals", views.SdgGoalViewSet, basename="sdg-goal")
router.register("sdg-targets", views.SdgTargetViewSet, basename="sdg-target")
router.register("sdg-indicators", views.SdgIndicatorViewSet, basename="sdg-indicator")
router.register("clusters", views.ClusterViewSet, basename="cluster")
router.register("countries", views.CountryViewSet, basename="country")
router.register("import-runs", imports.ImportRunViewSet, basename="import-run")
