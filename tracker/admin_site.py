"""The admin site of the project (``TrackerAdminConfig.default_site``): see ``tracker.admin``.

Its own module, so that Django's ``auth.admin`` can register on it while ``tracker.admin`` imports
``auth.admin``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pghistory.models
from django.apps import apps
from django.contrib import admin
from django.db import models, transaction
from django.db.models.base import ModelBase
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from .audit import audit_context

# The apps whose rows the admin never deletes.
PROJECT_APPS = frozenset({"tracker", "recommendations", "plans", "reporting"})
# Tracked models that operators may still edit here (inside an audit context): labels and their
# translations, until the taxonomy review has pages of its own.
AUDITED_EDITS = frozenset(
    {
        "recommendations.theme",
        "recommendations.affectedgroup",
        "recommendations.mechanism",
        "reporting.followupselection",
    }
)


def is_tracked(model: type[models.Model]) -> bool:
    """Whether django-pghistory records this model's changes (or it is an event table)."""
    if issubclass(model, pghistory.models.Event):
        return True
    return any(
        getattr(event, "pgh_tracked_model", None) is model
        for event in apps.get_models()
        if issubclass(event, pghistory.models.Event)
    )


def _never(*args: Any, **kwargs: Any) -> bool:
    return False


class GuardedAdminMixin:
    """What the site adds to every ModelAdmin of the project's apps (see the module docstring)."""

    read_only_model = False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        if self.read_only_model:
            return False
        return bool(super().has_add_permission(request, *args))  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self.read_only_model:
            return False
        return bool(super().has_change_permission(request, obj))  # type: ignore[misc]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions: dict[str, Any] = super().get_actions(request)  # type: ignore[misc]
        actions.pop("delete_selected", None)
        return actions

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        inlines: list[Any] = super().get_inline_instances(request, obj)  # type: ignore[misc]
        for inline in inlines:
            inline.has_delete_permission = _never
            inline.can_delete = False
            if self.read_only_model:
                inline.has_add_permission = _never
                inline.has_change_permission = _never
        return inlines

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Every save of the form (the row and its inlines) inside one audit context."""
        opts = self.model._meta  # type: ignore[attr-defined]
        action = f"admin_{opts.model_name}_{'add' if object_id is None else 'change'}"
        with transaction.atomic(), audit_context(actor=request.user, action=action):  # type: ignore[arg-type]
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc,no-any-return]


class TrackerAdminSite(admin.AdminSite):
    site_header = _("Recommendations Tracker: operators")
    site_title = _("Operators")

    def has_permission(self, request: HttpRequest) -> bool:
        """Operators (active superusers) only: staff status alone opens nothing."""
        user = request.user
        return bool(user.is_active and user.is_superuser)

    def register(
        self,
        model_or_iterable: type[models.Model] | Iterable[type[models.Model]],
        admin_class: type[admin.ModelAdmin[Any]] | None = None,
        **options: Any,
    ) -> None:
        models_ = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        for model in models_:
            cls = admin_class or admin.ModelAdmin
            if model._meta.app_label in PROJECT_APPS:
                read_only = is_tracked(model) and model._meta.label_lower not in AUDITED_EDITS
                cls = type(
                    cls.__name__,
                    (GuardedAdminMixin, cls),
                    {
                        "__module__": cls.__module__,
                        "read_only_model": getattr(cls, "read_only_model", read_only),
                    },
                )
            super().register(model, cls, **options)
