from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from plans.api.urls import router as plans_router
from recommendations.api.urls import router as recommendations_router
from reporting import views as reporting_views
from reporting.api.urls import router as reporting_router
from tracker.api.views import InstitutionViewSet

from . import views

api_router = DefaultRouter()
api_router.registry.extend(recommendations_router.registry)
api_router.registry.extend(plans_router.registry)
api_router.registry.extend(reporting_router.registry)
api_router.register("institutions", InstitutionViewSet, basename="institution")

urlpatterns = [
    path("", reporting_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Sign-in, password, two-factor sign-in and single sign-on: django-allauth (tracker/auth.py).
    # E-mail addresses are the secretariat's to set: single sign-on matches accounts on them.
    path("accounts/email/", views.not_offered, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("manage/", include("tracker.manage_urls")),
    path("recommendations/", include("recommendations.urls")),
    path("plans/", include("plans.urls")),
    path("progress/", include("plans.progress_urls")),
    path("", include("reporting.urls")),
    path("api/v1/", include((api_router.urls, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI started by a script file, not an inline one (the Content Security Policy). Redoc is
    # not offered: it needs inline styles, a blob: worker and fonts from a CDN.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]

# A refused page is logged as a security event (tracker/security.py).
handler403 = "tracker.security.forbidden"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
