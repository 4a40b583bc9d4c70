"""The secretariat's pages for accounts, roles and institutions, under /manage/."""

from django.urls import path

from . import views

app_name = "tracker"

urlpatterns = [
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/roles/", views.membership_add, name="membership-add"),
    path("roles/<int:pk>/remove/", views.membership_remove, name="membership-remove"),
    path("api-keys/", views.api_key_list, name="api-key-list"),
    path("api-keys/<str:token_key>/revoke/", views.api_key_revoke, name="api-key-revoke"),
    path("institutions/", views.institution_list, name="institution-list"),
    path("institutions/new/", views.institution_create, name="institution-create"),
    path("institutions/<int:pk>/", views.institution_edit, name="institution-edit"),
]
