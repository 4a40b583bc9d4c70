from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Country, Institution, Membership, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    autocomplete_fields = ["institution"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("name", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "name", "email", "password1", "password2"),
            },
        ),
    )
    list_display = ["username", "name", "email", "is_active", "is_staff"]
    search_fields = ["username", "name", "email"]
    ordering = ["username"]
    inlines = [MembershipInline]


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
