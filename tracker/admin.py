"""The Django admin, for operators only, and unable to destroy.

- Only active superusers enter it (``TrackerAdminSite.has_permission``); the secretariat manages
  users, institutions and roles on its own pages (``tracker/views.py``), through audited services.
- Nothing of the project's apps is deleted here: no delete page, no "delete selected" action, no
  delete box in an inline. The system promises never to delete a recommendation, a plan, a report,
  an event or an import run; a record is archived, withdrawn or ended through its services.
- Rows that audit tracks (django-pghistory) are read-only here: their changes go through the
  services, with the acting user, the action and, where a row has a ``version``, the stale-save
  check. The exceptions are the labels the NMRF curates without a page of its own yet
  (``AUDITED_EDITS``): their edits run inside an audit context that names the operator and the
  admin action.
- A user's operator rights (``is_superuser``, ``is_staff``, ``is_active``, groups) are changed
  only here, by a superuser, through ``tracker.services.user_set_operator_rights``.

The site wraps every ``ModelAdmin`` registered for the project's apps, so a model an app adds
later gets the same rules without asking (``tests/tracker/test_admin.py`` checks every one).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import services
from .admin_site import AUDITED_EDITS, PROJECT_APPS, GuardedAdminMixin, TrackerAdminSite, is_tracked
from .models import Country, Institution, Membership, User

__all__ = ["AUDITED_EDITS", "PROJECT_APPS", "GuardedAdminMixin", "TrackerAdminSite", "is_tracked"]


OPERATOR_FIELDS = ("is_active", "is_staff", "is_superuser", "groups")


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    """People are managed by the secretariat on its pages; here an operator changes only the
    operator rights of an account, through ``user_set_operator_rights`` (audited)."""

    read_only_model = False
    fieldsets = (
        (None, {"fields": ("username", "name", "email", "roles_held")}),
        (_("Operator rights"), {"fields": OPERATOR_FIELDS}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("username", "name", "email", "roles_held", "last_login", "date_joined")
    list_display = ["username", "name", "email", "is_active", "is_superuser"]
    list_filter = ["is_superuser", "is_active", "groups"]
    search_fields = ["username", "name", "email"]
    ordering = ["username"]
    filter_horizontal = ["groups"]

    @admin.display(description=_("roles"))
    def roles_held(self, obj: User) -> str:
        return "; ".join(str(m) for m in obj.memberships.select_related("institution")) or "—"

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # Accounts are made on the secretariat's pages; operators with `createsuperuser`.
        return False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """Nothing is saved here: ``save_related`` calls the service with the form's values."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        data = form.cleaned_data
        services.user_set_operator_rights(
            actor=request.user,  # type: ignore[arg-type]
            user=User.objects.get(pk=form.instance.pk),
            is_active=data["is_active"],
            is_staff=data["is_staff"],
            is_superuser=data["is_superuser"],
            groups=list(data["groups"]),
        )


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin[Institution]):
    list_display = ["name", "acronym", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "acronym"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "institution", "role"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "institution"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin[Country]):
    list_display = ["iso3", "iso2", "name", "regional_group", "is_un_member"]
    list_filter = ["regional_group", "is_un_member"]
    search_fields = ["iso3", "iso2", "names"]


# Single sign-on is configured from the environment (TRACKER_OIDC_*), and its tokens are not
# stored (SOCIALACCOUNT_STORE_TOKENS): their admin pages would only mislead.
def _unregister_sso_configuration() -> None:
    from allauth.socialaccount.models import SocialApp, SocialToken

    for model in (SocialApp, SocialToken):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_sso_configuration()
