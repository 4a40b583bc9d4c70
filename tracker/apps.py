from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    default = True
    name = "tracker"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import checks, dbroles, security  # noqa: F401 (checks registers itself)

        security.connect_signals()
        dbroles.connect_signals()


class TrackerAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site of ``tracker.admin``: operators only, nothing tracked is
    deleted, and tracked rows change only through the services."""

    default = False
    default_site = "tracker.admin_site.TrackerAdminSite"
