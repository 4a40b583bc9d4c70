"""National clusters: the secretariat creates, renames and retires them, assigns recommendations
to them one by one or in bulk, and accepts the clusters suggested by the UHRI themes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from recommendations import policies
from recommendations.models import Cluster, Recommendation, Theme
from tracker.audit import audited
from tracker.exceptions import ApplicationError
from tracker.models import Institution, User

from .follow_up import recommendation_set_national_fields_bulk

_UNSET: Any = object()


def _save_cluster(cluster: Cluster, fields: list[str] | None = None) -> None:
    """Check and save; a broken rule (a name or code taken) is a 400 with its field."""
    if cluster.code is not None:
        cluster.code = cluster.code.strip() or None
    cluster.name = cluster.name.strip()
    try:
        cluster.full_clean()
    except ValidationError as exc:
        raise ApplicationError("Invalid cluster.", {"fields": exc.message_dict}) from exc
    cluster.save(update_fields=fields)


@audited
@transaction.atomic
def cluster_create(
    *,
    actor: User | None,
    name: str,
    code: str | None = None,
    description: str = "",
    lead_institution: Institution | None = None,
) -> Cluster:
    """Create a national cluster. Raises ``PermissionDenied`` for anyone but the secretariat and
    ``ApplicationError`` (with the fields) for a name or code already taken or too long."""
    policies.ensure_can_manage_clusters(actor)
    cluster = Cluster(
        name=name, code=code, description=description, lead_institution=lead_institution
    )
    _save_cluster(cluster)
    return cluster


@audited
@transaction.atomic
def cluster_update(
    *,
    actor: User | None,
    cluster: Cluster,
    name: str | None = None,
    code: str | None = _UNSET,
    description: str | None = None,
    lead_institution: Institution | None = _UNSET,
    is_active: bool | None = None,
) -> Cluster:
    """Rename a cluster, change its code, description or lead institution, retire it
    (``is_active=False``: it keeps its recommendations but is no longer offered) or bring it back.
    Arguments left out are kept; nothing is written when nothing differs.

    Raises ``PermissionDenied`` for anyone but the secretariat and ``ApplicationError`` for a
    name or code already taken."""
    policies.ensure_can_manage_clusters(actor)
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    wanted: dict[str, Any] = {}
    if name is not None:
        wanted["name"] = name.strip()
    if code is not _UNSET:
        wanted["code"] = (code or "").strip() or None
    if description is not None:
        wanted["description"] = description
    if lead_institution is not _UNSET:
        wanted["lead_institution_id"] = lead_institution.pk if lead_institution else None
    if is_active is not None:
        wanted["is_active"] = is_active
    changed = [field for field, value in wanted.items() if getattr(cluster, field) != value]
    if not changed:
        return cluster
    for field in changed:
        setattr(cluster, field, wanted[field])
    _save_cluster(cluster, [*changed, "updated_at"])
    return cluster


def _existing_ids(ids: Iterable[int]) -> set[int]:
    wanted = set(ids)
    found = set(Recommendation.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = sorted(wanted - found)
    if missing:
        raise ApplicationError(
            f"Unknown recommendations: {', '.join(map(str, missing))}.",
            {"fields": {"recommendations": [f"Unknown ids: {missing}"]}},
        )
    return found


@audited
@transaction.atomic
def recommendation_cluster_assign(
    *, actor: User | None, cluster: Cluster | None, recommendation_ids: Iterable[int]
) -> int:
    """Put recommendations (by id) in ``cluster``, or take them out of any (``None``): one
    statement for all of them. Returns how many changed.

    Raises ``PermissionDenied`` for anyone but the secretariat, ``ApplicationError`` for an
    unknown id or a retired cluster (nothing is written then)."""
    policies.ensure_can_manage_clusters(actor)
    if cluster is not None and not cluster.is_active:
        raise ApplicationError(
            "This cluster is retired: bring it back before assigning to it.",
            {"fields": {"cluster": ["Retired."]}},
        )
    ids = _existing_ids(recommendation_ids)
    return recommendation_set_national_fields_bulk(
        actor=actor, changes={pk: {"cluster": cluster} for pk in ids}
    )


@audited
@transaction.atomic
def cluster_recommendations_change(
    *, actor: User | None, cluster: Cluster, add: Iterable[int] = (), remove: Iterable[int] = ()
) -> tuple[int, int]:
    """Add recommendations to a cluster and remove others from it (those of ``remove`` that are in
    another cluster are left there). Returns ``(added, removed)``.

    Raises as ``recommendation_cluster_assign``, and ``ApplicationError`` for an id both added and
    removed."""
    policies.ensure_can_manage_clusters(actor)
    add, remove = set(add), set(remove)
    both = sorted(add & remove)
    if both:
        raise ApplicationError(
            f"Both added and removed: {', '.join(map(str, both))}.",
            {"fields": {"remove": [f"Also in add: {both}"]}},
        )
    _existing_ids(add | remove)
    added = recommendation_cluster_assign(actor=actor, cluster=cluster, recommendation_ids=add)
    in_cluster = Recommendation.objects.filter(pk__in=remove, cluster=cluster).values_list(
        "pk", flat=True
    )
    removed = recommendation_cluster_assign(
        actor=actor, cluster=None, recommendation_ids=list(in_cluster)
    )
    return added, removed


@audited
@transaction.atomic
def cluster_suggestion_accept(
    *,
    actor: User | None,
    theme: Theme,
    name: str | None = None,
    code: str | None = None,
    lead_institution: Institution | None = None,
) -> tuple[Cluster, int]:
    """Accept a suggested cluster in one action: create the cluster (named after the theme unless
    ``name`` is given) and assign to it the recommendations of the theme that are in no cluster.
    Returns ``(cluster, how many were assigned)``.

    Raises ``PermissionDenied`` for anyone but the secretariat, ``ApplicationError`` for a name or
    code already taken (nothing is written then)."""
    cluster = cluster_create(
        actor=actor,
        name=name or theme.label,
        code=code,
        lead_institution=lead_institution,
    )
    ids = list(
        Recommendation.objects.filter(themes=theme, cluster__isnull=True).values_list(
            "pk", flat=True
        )
    )
    assigned = recommendation_cluster_assign(actor=actor, cluster=cluster, recommendation_ids=ids)
    return cluster, assigned
