"""Development partners' support projects."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from plans import policies, progress_policies
from plans.models import SupportProject
from recommendations.policies import visible_recommendations
from tracker.audit import audited
from tracker.locking import ensure_current
from tracker.models import Institution, User
from tracker.policies import has_role
from tracker.roles import Role

from ._common import (
    _assign,
    _check_dates,
    _ids,
    _invalid,
    _plain,
    _save,
    _set_links,
    _split,
    _validate,
)

PROJECT_FIELDS = ("title", "description", "amount", "currency", "starts_on", "ends_on")
PROJECT_LINKS = ("recommendations", "measures", "sdg_targets")
# The partner's own words, shown on the measures and the coverage page: stored as plain text
# (every tag removed), as comments are.
PROJECT_TEXTS = ("title", "description")


def _check(actor: User | None, project: SupportProject, links: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    _check_dates(vars(project), errors, "starts_on", "ends_on")
    if project.currency:
        project.currency = project.currency.upper()
    if "recommendations" in links and actor is not None:
        wanted = _ids(links["recommendations"])
        if visible_recommendations(actor).filter(pk__in=wanted).count() != len(wanted):
            errors["recommendations"] = [_("Unknown recommendations.")]
    if "measures" in links and actor is not None:
        wanted = _ids(links["measures"])
        if policies.visible_measures(actor).filter(pk__in=wanted).count() != len(wanted):
            errors["measures"] = [_("Unknown measures.")]
    if errors:
        raise _invalid(errors)
    _validate(project)


@audited
@transaction.atomic
def support_project_create(
    *,
    actor: User | None,
    title: str,
    amount: Decimal,
    currency: str,
    starts_on: date,
    ends_on: date,
    partner: Institution | None = None,
    description: str = "",
    recommendations: Iterable[Any] = (),
    measures: Iterable[Any] = (),
    sdg_targets: Iterable[Any] = (),
) -> SupportProject:
    """Record a support project of a development partner (by default the actor's own
    institution as a partner) with the recommendations, measures and SDG targets it supports.
    The title and description are stored as plain text: every tag removed (nh3).

    Raises ``PermissionDenied`` unless the partner itself or the secretariat asks,
    ``ApplicationError`` with the fields."""
    if partner is None and actor is not None and has_role(actor, Role.PARTNER):
        own = sorted(actor.institution_ids([Role.PARTNER]))
        partner = Institution.objects.get(pk=own[0])
    if partner is None:
        raise _invalid({"partner": [_("Name the development partner.")]})
    if actor is not None:
        progress_policies.ensure_can_record_support(actor, partner)
    project = SupportProject(
        partner=partner,
        created_by=actor,
        title=_plain(title),
        description=_plain(description),
        amount=amount,
        currency=currency,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    links = {
        "recommendations": list(recommendations),
        "measures": list(measures),
        "sdg_targets": list(sdg_targets),
    }
    _check(actor, project, links)
    project.save()
    _set_links(project, links)
    return project


@audited
@transaction.atomic
def support_project_update(
    *, actor: User | None, project: SupportProject, version: int | None = None, **changes: Any
) -> SupportProject:
    """Change a support project (``PROJECT_FIELDS``, ``PROJECT_LINKS``); only what differs is
    written, the title and description as plain text (every tag removed). Raises
    ``PermissionDenied``, ``StaleVersionError``, ``ApplicationError``."""
    project = SupportProject.objects.select_for_update().get(pk=project.pk)
    if actor is not None:
        progress_policies.ensure_can_edit_support_project(actor, project)
    ensure_current(project, version)
    fields, links = _split(changes, PROJECT_FIELDS, PROJECT_LINKS)
    for name in PROJECT_TEXTS:
        if name in fields:
            fields[name] = _plain(fields[name])
    changed = _assign(project, fields)
    _check(actor, project, links)
    _save(project, changed)
    if _set_links(project, links) and not changed:
        _save(project, ["updated_at"])
    return project


@audited
@transaction.atomic
def support_project_delete(*, actor: User | None, project: SupportProject) -> None:
    """Delete a support project. Raises ``PermissionDenied`` for anyone but its partner and the
    secretariat."""
    project = SupportProject.objects.select_for_update().get(pk=project.pk)
    if actor is not None:
        progress_policies.ensure_can_edit_support_project(actor, project)
    project.delete()
