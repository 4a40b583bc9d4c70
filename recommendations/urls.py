from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("", views.recommendation_list, name="recommendation-list"),
    path("<int:pk>/", views.recommendation_detail, name="recommendation-detail"),
]
