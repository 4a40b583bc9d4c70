"""The NMRF's own follow-up of recommendations: national fields, translations, related links,
document details and review cycles. Imports never write these (see the README): the secretariat
does, from the pages, the API and the demo data. Each service has a bulk form for lists; the
single forms call it with one row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from recommendations import policies
from recommendations.models import (
    SEARCH_CONFIGS,
    Cluster,
    Document,
    Mechanism,
    Recommendation,
    RecommendationText,
    ReviewCycle,
    TextSource,
)
from tracker.audit import audited
from tracker.exceptions import ApplicationError, ConflictError
from tracker.models import User

# The recommendation fields that are the NMRF's, not the UN's: an import never overwrites them.
NATIONAL_FIELDS = (
    "cluster",
    "priority",
    "priority_reason",
    "status",
    "status_override_reason",
    "national_notes",
    "publication_state",
    "is_current",
    "position_source",
)


def _clean_national_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields by attribute name (``cluster_id``), checked against the model's rules."""
    unknown = sorted(set(fields) - set(NATIONAL_FIELDS))
    if unknown:
        raise ApplicationError(f"Not a national field: {', '.join(unknown)}.")
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        if name == "cluster":
            if isinstance(value, Cluster) and value.pk and not value.is_active:
                errors[name] = ["This cluster is retired."]
            elif value is None or (isinstance(value, Cluster) and value.pk):
                cleaned["cluster_id"] = value.pk if value is not None else None
            else:
                errors[name] = ["A saved cluster, or None."]
            continue
        try:
            cleaned[name] = Recommendation._meta.get_field(name).clean(value, None)  # type: ignore[union-attr]
        except ValidationError as exc:
            errors[name] = list(exc.messages)
    if errors:
        raise ApplicationError("Invalid national fields.", {"fields": errors})
    return cleaned


@audited
@transaction.atomic
def recommendation_set_national_fields_bulk(
    *,
    actor: User | None,
    changes: Mapping[int, Mapping[str, Any]],
    versions: Mapping[int, int] | None = None,
) -> int:
    """Set the national fields (``NATIONAL_FIELDS``) of many recommendations, by id: one update
    statement for all of them. Only values that differ are written; each changed row's
    ``national_version`` (and its ``version``, which counts every change) goes up. Returns how
    many rows changed (0: nothing written, no history event).

    ``actor`` is ``None`` only for the system itself (the demo data). Raises ``PermissionDenied``
    for an actor who may not edit recommendations, ``ApplicationError`` for an unknown field or a
    value the field refuses, ``ConflictError`` when ``versions`` gives a row's
    ``national_version`` as read by the caller and its national fields have changed since
    (nothing is written then). An import changes the feed's fields only: no conflict.
    """
    if actor is not None:
        policies.ensure_can_edit_recommendation(actor)
    cleaned = {pk: _clean_national_fields(fields) for pk, fields in changes.items()}
    touched = sorted({name for fields in cleaned.values() for name in fields})
    if not touched:
        return 0
    rows = (
        Recommendation.objects.select_for_update()
        .filter(pk__in=cleaned)
        .only("pk", "national_version", *touched)
        .order_by("pk")
    )
    changed = []
    for row in rows:
        expected = (versions or {}).get(row.pk)
        if expected is not None and expected != row.national_version:
            raise ConflictError(
                _(
                    "Recommendation %(pk)s was changed by someone else since you opened it "
                    "(version %(expected)s, now %(current)s). Reload it and make your change "
                    "again."
                )
                % {"pk": row.pk, "expected": expected, "current": row.national_version},
                {"version": row.national_version},
            )
        differs = False
        for name, value in cleaned[row.pk].items():
            if getattr(row, name) != value:
                setattr(row, name, value)
                differs = True
        if differs:
            changed.append(row)
    if not changed:
        return 0
    _update_recommendations(changed, touched)
    return len(changed)


def _update_recommendations(rows: Sequence[Recommendation], fields: Sequence[str]) -> None:
    """Write ``fields`` of ``rows`` in one ``UPDATE ... FROM (VALUES ...)``, with both versions
    up and the time of the change. (``bulk_update`` builds a CASE per field and row: seconds of
    Python for a few hundred rows.)"""
    columns = [
        column
        for name in fields
        if isinstance(column := Recommendation._meta.get_field(name), models.Field)
    ]
    quote = connection.ops.quote_name
    row_values = ", ".join(f"%s::{column.db_type(connection)}" for column in columns)
    values = ", ".join(f"(%s::bigint, {row_values})" for _row in rows)
    params: list[Any] = [timezone.now()]
    for row in rows:
        params.append(row.pk)
        params.extend(
            column.get_db_prep_save(getattr(row, column.attname), connection) for column in columns
        )
    names = [quote(column.column) for column in columns]
    sql = (
        f"UPDATE {quote(Recommendation._meta.db_table)} AS r SET "  # noqa: S608 (names from the model)
        + ", ".join(f"{name} = v.{name}" for name in names)
        + ", version = r.version + 1, national_version = r.national_version + 1, updated_at = %s"
        + f" FROM (VALUES {values}) AS v (id, {', '.join(names)}) WHERE r.id = v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@audited
def recommendation_set_national_fields(
    *,
    actor: User | None,
    recommendation: Recommendation,
    expected_version: int | None = None,
    **fields: Any,
) -> Recommendation:
    """Set national fields of one recommendation (see ``recommendation_set_national_fields_bulk``);
    returns it as stored. ``expected_version``: the ``national_version`` the caller read; a
    stale one raises ``ConflictError`` and nothing is written."""
    recommendation_set_national_fields_bulk(
        actor=actor,
        changes={recommendation.pk: fields},
        versions=None if expected_version is None else {recommendation.pk: expected_version},
    )
    recommendation.refresh_from_db()
    return recommendation


@dataclass(frozen=True)
class TextInput:
    """A translation of a recommendation's text, as plain text (the HTML is made from it)."""

    recommendation_id: int
    language: str
    text: str
    source: str = TextSource.UNOFFICIAL


def _text_html(text: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())


@audited
@transaction.atomic
def recommendation_text_set_bulk(*, actor: User | None, texts: Iterable[TextInput]) -> int:
    """Add or change translations of recommendations' texts (unofficial or machine): one insert
    for the new ones, one update for the changed ones; a text that is already as given is not
    written. Returns how many texts were written; the recommendations of those move their
    ``updated_at``.

    The official text of a language comes from the UN feed only: it is never overwritten here.
    Raises ``PermissionDenied`` for an actor who may not edit recommendations, and
    ``ApplicationError`` for a language the tracker does not search, an empty text, an official
    source, or a language whose text is the official one (nothing is written then).
    """
    if actor is not None:
        policies.ensure_can_edit_recommendation(actor)
    wanted: dict[tuple[int, str], TextInput] = {}
    for item in texts:
        text = item.text.strip()
        if item.language not in SEARCH_CONFIGS:
            raise ApplicationError(
                f"Unknown language {item.language!r}.", {"fields": {"language": ["Unknown."]}}
            )
        if not text:
            raise ApplicationError("The text is empty.", {"fields": {"text": ["Required."]}})
        if item.source not in (TextSource.UNOFFICIAL, TextSource.MACHINE):
            raise ApplicationError(
                "Official texts come from the UN feed only.", {"fields": {"source": ["Invalid."]}}
            )
        wanted[(item.recommendation_id, item.language)] = TextInput(
            item.recommendation_id, item.language, text, item.source
        )
    if not wanted:
        return 0
    stored = {
        (row.recommendation_id, row.language): row
        for row in RecommendationText.objects.select_for_update()
        .filter(recommendation_id__in={key[0] for key in wanted})
        .defer("search_vector")
    }
    new, changed = [], []
    for key, item in wanted.items():
        html = _text_html(item.text)
        row = stored.get(key)
        if row is None:
            new.append(
                RecommendationText(
                    recommendation_id=item.recommendation_id,
                    language=item.language,
                    text=item.text,
                    html=html,
                    source=item.source,
                )
            )
        elif row.source == TextSource.OFFICIAL:
            raise ApplicationError(
                f"The {item.language} text of recommendation {key[0]} is the official one.",
                {"fields": {"language": ["Official text."]}},
            )
        elif (row.text, row.html, row.source) != (item.text, html, item.source):
            row.text, row.html, row.source = item.text, html, item.source
            changed.append(row)
    RecommendationText.objects.bulk_create(new)
    RecommendationText.objects.bulk_update(changed, ["text", "html", "source"])
    touched = {row.recommendation_id for row in (*new, *changed)}
    if touched:
        # A new or changed translation is a change of the recommendation for sync clients
        # (``updated_since``); its versions stay (no feed field, no national field changed).
        Recommendation.objects.filter(pk__in=touched).update(updated_at=timezone.now())
    return len(new) + len(changed)


@audited
def recommendation_text_set(
    *,
    actor: User | None,
    recommendation: Recommendation,
    language: str,
    text: str,
    source: str = TextSource.UNOFFICIAL,
) -> RecommendationText:
    """Add or change one translation (see ``recommendation_text_set_bulk``); returns it."""
    recommendation_text_set_bulk(
        actor=actor, texts=[TextInput(recommendation.pk, language, text, source)]
    )
    return recommendation.texts.get(language=language)


@audited
@transaction.atomic
def recommendation_link_related_bulk(
    *, actor: User | None, pairs: Iterable[tuple[int, int]]
) -> int:
    """Link recommendations, by id, as related (the same recommendation repeated across cycles
    or mechanisms). Links go both ways; a pair already linked is left as it is. Returns how many
    pairs were linked.

    Raises ``PermissionDenied`` for an actor who may not edit recommendations, and
    ``ApplicationError`` for a recommendation linked to itself.
    """
    if actor is not None:
        policies.ensure_can_edit_recommendation(actor)
    wanted = set()
    for a, b in pairs:
        if a == b:
            raise ApplicationError("A recommendation cannot be related to itself.")
        wanted.add((min(a, b), max(a, b)))
    if not wanted:
        return 0
    through = Recommendation.related.through
    ids = {pk for pair in wanted for pk in pair}
    stored = set(
        through.objects.filter(
            from_recommendation_id__in=ids, to_recommendation_id__in=ids
        ).values_list("from_recommendation_id", "to_recommendation_id")
    )
    new = sorted(pair for pair in wanted if pair not in stored)
    # The relation is symmetrical: Django stores both directions.
    through.objects.bulk_create(
        (
            through(from_recommendation_id=a, to_recommendation_id=b)
            for pair in new
            for a, b in (pair, pair[::-1])
        ),
        ignore_conflicts=True,
    )
    return len(new)


@audited
def recommendation_link_related(
    *, actor: User | None, recommendation: Recommendation, others: Iterable[Recommendation]
) -> int:
    """Link one recommendation to others (see ``recommendation_link_related_bulk``)."""
    return recommendation_link_related_bulk(
        actor=actor, pairs=[(recommendation.pk, other.pk) for other in others]
    )


_UNSET: Any = object()


@audited
@transaction.atomic
def document_update(
    *,
    actor: User | None,
    document: Document,
    title: str | None = None,
    languages: Sequence[str] | None = None,
    cycle: ReviewCycle | None = _UNSET,
) -> Document:
    """Set what a UN feed does not say about a document: its title, its languages, and (for a
    treaty body or special procedure) its review cycle. Arguments left out are not changed;
    nothing is written when nothing differs.

    Raises ``PermissionDenied`` for an actor who may not edit recommendations, and
    ``ApplicationError`` for a cycle of another mechanism or an unknown language.
    """
    if actor is not None:
        policies.ensure_can_edit_recommendation(actor)
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = title.strip()
    if languages is not None:
        unknown = sorted(set(languages) - set(SEARCH_CONFIGS))
        if unknown:
            raise ApplicationError(f"Unknown languages: {', '.join(unknown)}.")
        changes["languages"] = list(languages)
    if cycle is not _UNSET:
        if cycle is not None and cycle.mechanism_id != document.mechanism_id:
            raise ApplicationError("The cycle belongs to another mechanism.")
        changes["cycle_id"] = cycle.pk if cycle is not None else None
    document = Document.objects.select_for_update().get(pk=document.pk)
    changed = [name for name, value in changes.items() if getattr(document, name) != value]
    if not changed:
        return document
    for name in changed:
        setattr(document, name, changes[name])
    # Only the changed fields: checking the others would look each foreign key up again.
    unchanged = [f.name for f in Document._meta.fields if f.attname not in changed]
    document.full_clean(exclude=unchanged, validate_unique=False, validate_constraints=False)
    document.save(update_fields=changed)
    return document


@audited
@transaction.atomic
def review_cycle_get_or_create(
    *,
    actor: User | None,
    mechanism: Mechanism,
    number: int,
    label: str = "",
    session: int | None = None,
    review_date: date | None = None,
    mid_term_due: date | None = None,
    next_review: date | None = None,
) -> tuple[ReviewCycle, bool]:
    """The cycle ``number`` of ``mechanism``, created when missing; ``(cycle, created)``. A field
    the stored cycle has no value for is filled in from the arguments, a value already there is
    kept (it may have been edited nationally). Nothing is written when nothing is missing.

    Raises ``PermissionDenied`` for an actor who may not edit recommendations.
    """
    if actor is not None:
        policies.ensure_can_edit_recommendation(actor)
    wanted: dict[str, Any] = {
        "label": label,
        "session": session,
        "review_date": review_date,
        "mid_term_due": mid_term_due,
        "next_review": next_review,
    }
    cycle, created = ReviewCycle.objects.select_for_update().get_or_create(
        mechanism=mechanism, number=number, defaults=wanted
    )
    if created:
        return cycle, True
    missing = [
        name for name, value in wanted.items() if value and getattr(cycle, name) in (None, "")
    ]
    if missing:
        for name in missing:
            setattr(cycle, name, wanted[name])
        cycle.save(update_fields=missing)
    return cycle, False
