"""Taxonomy review: the themes, affected groups and mechanisms that an import created as
unreviewed are accepted, renamed or merged into an existing entry by the secretariat. Each entry
keeps the stable ``key`` of the feed's label: the importer finds a renamed entry by it, and an
entry merged into another leaves its keys to that one, so that no import creates it again."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction

from recommendations import policies
from recommendations.models import (
    AffectedGroup,
    Document,
    Mechanism,
    Recommendation,
    ReviewCycle,
    Theme,
    taxonomy_key,
)
from tracker.audit import audited
from tracker.exceptions import ApplicationError
from tracker.models import User

TermKind = Literal["theme", "affected_group", "mechanism"]
Term = Theme | AffectedGroup | Mechanism
TERM_MODELS: dict[str, type[Term]] = {
    "theme": Theme,
    "affected_group": AffectedGroup,
    "mechanism": Mechanism,
}


def _label_field(term: Term) -> str:
    """The field that holds what the feed calls the entry: a mechanism's code, a term's name."""
    return "code" if isinstance(term, Mechanism) else "name"


def _locked(term: Term) -> Term:
    return type(term)._default_manager.select_for_update().get(pk=term.pk)


@audited
@transaction.atomic
def taxonomy_term_accept(*, actor: User | None, term: Term) -> Term:
    """Mark an entry an import created as reviewed. Nothing is written when it already is.
    Raises ``PermissionDenied`` for anyone but the secretariat."""
    policies.ensure_can_review_taxonomy(actor)
    term = _locked(term)
    if not term.is_reviewed:
        term.is_reviewed = True
        term.save(update_fields=["is_reviewed"])
    return term


@audited
@transaction.atomic
def taxonomy_term_rename(*, actor: User | None, term: Term, name: str) -> Term:
    """Rename an entry (a mechanism's code) and mark it reviewed. Its ``key`` is kept, so the next
    import that carries the old label finds this entry instead of creating it again.

    Raises ``PermissionDenied`` for anyone but the secretariat and ``ApplicationError`` for an
    empty or taken name (nothing is written then)."""
    policies.ensure_can_review_taxonomy(actor)
    term = _locked(term)
    field = _label_field(term)
    name = " ".join(name.split())
    if not name:
        raise ApplicationError("The name is empty.", {"fields": {"name": ["Required."]}})
    if term.key is None:  # an entry from before keys: its present label is its key
        term.key = taxonomy_key(getattr(term, field))
    setattr(term, field, name)
    term.is_reviewed = True
    try:
        term.full_clean(exclude=["parent", "names", "merged_keys"])
    except ValidationError as exc:
        fields = {("name" if k == field else k): v for k, v in exc.message_dict.items()}
        raise ApplicationError("Invalid name.", {"fields": fields}) from exc
    term.save(update_fields=[field, "is_reviewed", "key"])
    return term


def _move_links(term: Theme | AffectedGroup, into: Theme | AffectedGroup) -> int:
    """Move the recommendations' links from ``term`` to ``into``; returns how many moved."""
    field = Recommendation.themes if isinstance(term, Theme) else Recommendation.affected_groups
    through: Any = field.through
    column = "theme_id" if isinstance(term, Theme) else "affectedgroup_id"
    ids = list(
        through.objects.filter(**{column: term.pk}).values_list("recommendation_id", flat=True)
    )
    through.objects.bulk_create(
        (through(recommendation_id=pk, **{column: into.pk}) for pk in ids), ignore_conflicts=True
    )
    through.objects.filter(**{column: term.pk}).delete()
    return len(ids)


def _move_mechanism(term: Mechanism, into: Mechanism) -> int:
    """Move the documents, cycles and child mechanisms of ``term`` to ``into``; a cycle whose
    number ``into`` already has gives its documents to that one. Returns how many documents."""
    theirs = {c.number: c for c in ReviewCycle.objects.filter(mechanism=into)}
    for cycle in ReviewCycle.objects.filter(mechanism=term):
        same = theirs.get(cycle.number)
        if same is None:
            cycle.mechanism = into
            cycle.save(update_fields=["mechanism"])
        else:
            for document in Document.objects.filter(cycle=cycle):
                document.cycle = same
                document.save(update_fields=["cycle"])
            cycle.delete()
    moved = 0
    for document in Document.objects.filter(mechanism=term):
        document.mechanism = into
        document.save(update_fields=["mechanism"])
        moved += 1
    for child in Mechanism.objects.filter(parent=term):
        child.parent = into if child.pk != into.pk else None
        child.save(update_fields=["parent"])
    return moved


@audited
@transaction.atomic
def taxonomy_term_merge(*, actor: User | None, term: Term, into: Term) -> Term:
    """Merge an entry into another of the same kind: its recommendations (a mechanism's documents
    and cycles) move to ``into``, which takes its feed keys, and the merged entry is removed.
    ``into`` is returned, reviewed. Every move is a recorded event.

    Raises ``PermissionDenied`` for anyone but the secretariat and ``ApplicationError`` for an
    entry merged into itself or into one of another kind (nothing is written then)."""
    policies.ensure_can_review_taxonomy(actor)
    if type(term) is not type(into):
        raise ApplicationError(
            "Merge into an entry of the same kind.", {"fields": {"into": ["Another kind."]}}
        )
    if term.pk == into.pk:
        raise ApplicationError(
            "An entry cannot be merged into itself.", {"fields": {"into": ["The same entry."]}}
        )
    term, into = _locked(term), _locked(into)
    if isinstance(term, Mechanism) and isinstance(into, Mechanism):
        _move_mechanism(term, into)
    elif isinstance(term, Theme | AffectedGroup) and isinstance(into, Theme | AffectedGroup):
        _move_links(term, into)
    keys = [term.key or taxonomy_key(getattr(term, _label_field(term))), *term.merged_keys]
    term.delete()
    into.merged_keys = sorted({*into.merged_keys, *(k for k in keys if k and k != into.key)})
    into.is_reviewed = True
    into.save(update_fields=["merged_keys", "is_reviewed"])
    return into
