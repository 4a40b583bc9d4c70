from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register(
    "follow-up-selections", views.FollowUpSelectionViewSet, basename="follow-up-selection"
)
