"""Forms of the secretariat's pages: accounts, memberships, institutions (shape only; the rules
are the services')."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .models import ApiKeyScope, Institution, InstitutionKind, User
from .roles import Role


class QuickSelectMultiple(forms.SelectMultiple):
    """``SelectMultiple`` whose options are written in Python, not one template each: the same
    HTML as Django's templates, for lists of hundreds of options (the filters of a list page:
    States, SDG targets, themes) that would otherwise take most of the page's time."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [
            format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    str(option["value"]),
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part is escaped by format_html)


class UserCreateForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only. The person signs in with it."),
    )
    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("Where the person receives the link to set their password."),
    )


class UserUpdateForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    is_active = forms.BooleanField(
        label=_("The account may sign in"),
        required=False,
    )


class MembershipForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.filter(is_active=True)
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class InstitutionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    acronym = forms.CharField(label=_("Acronym"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=InstitutionKind.choices)
    parent = forms.ModelChoiceField(
        label=_("Parent institution"),
        queryset=Institution.objects.all(),
        required=False,
        empty_label=_("None"),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    @classmethod
    def for_institution(cls, institution: Institution) -> InstitutionForm:
        return cls(
            initial={
                "name": institution.name,
                "acronym": institution.acronym,
                "kind": institution.kind,
                "parent": institution.parent,
                "website": institution.website,
                "is_active": institution.is_active,
            }
        )


def user_initial(user: User) -> dict[str, object]:
    return {"name": user.name, "email": user.email, "is_active": user.is_active}


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Who or what uses the key, e.g. “Statistics office, nightly sync”."),
    )
    user = forms.ModelChoiceField(
        label=_("Account"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        help_text=_("The key acts as this account and sees exactly what it sees."),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiKeyScope.choices)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=3650, initial=365)
