"""Recommendations that no feed carries (a regional mechanism, a voluntary pledge, a national
body), entered by hand by the secretariat with their source document. They have no UHRI
annotation id, so no import ever matches, changes or withdraws them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from recommendations import policies
from recommendations.models import (
    SEARCH_CONFIGS,
    AffectedGroup,
    AnnotationType,
    Document,
    Mechanism,
    MechanismFamily,
    Position,
    PublicationState,
    Recommendation,
    RecommendationText,
    TextSource,
    Theme,
    taxonomy_key,
)
from tracker.audit import audited
from tracker.exceptions import ApplicationError
from tracker.models import User

from .follow_up import _text_html


@dataclass(frozen=True)
class SourceDocument:
    """The document a recommendation entered by hand comes from."""

    symbol: str
    title: str = ""
    url: str = ""
    publication_date: date | None = None


@dataclass(frozen=True)
class ManualRecommendation:
    """What the secretariat enters: the mechanism (by code; a new code is created with the
    family given), the source document, the paragraph and the text in one language."""

    mechanism_code: str
    document: SourceDocument
    text: str
    family: str = MechanismFamily.NATIONAL
    language: str = "en"
    paragraph: str = ""
    annotation_type: str = AnnotationType.RECOMMENDATION
    position: str = ""
    publication_state: str = PublicationState.PUBLISHED
    theme_ids: Iterable[int] = field(default_factory=tuple)
    affected_group_ids: Iterable[int] = field(default_factory=tuple)


def _fail(field_name: str, message: str) -> ApplicationError:
    return ApplicationError(message, {"fields": {field_name: [message]}})


def _mechanism(entry: ManualRecommendation) -> Mechanism:
    code = " ".join(entry.mechanism_code.split())
    if not code:
        raise _fail("mechanism", "Give the mechanism's code.")
    key = taxonomy_key(code)
    found = Mechanism.objects.filter(code__iexact=code).first() or (
        Mechanism.objects.filter(key=key).first()
    )
    if found is not None:
        return found
    if entry.family not in MechanismFamily.values:
        raise _fail("family", "Unknown family.")
    mechanism = Mechanism(code=code, family=entry.family, names={}, key=key)
    try:
        mechanism.full_clean(exclude=["parent", "names", "merged_keys"])
    except ValidationError as exc:
        raise ApplicationError("Invalid mechanism.", {"fields": exc.message_dict}) from exc
    mechanism.save()
    return mechanism


def _document(entry: ManualRecommendation, mechanism: Mechanism) -> Document:
    source = entry.document
    symbol = " ".join(source.symbol.split())
    if not symbol:
        raise _fail("symbol", "Give the document's symbol or reference.")
    found = Document.objects.filter(symbol=symbol).first()
    if found is not None:
        if found.mechanism_id != mechanism.pk:
            raise _fail("symbol", "This document belongs to another mechanism.")
        return found
    document = Document(
        symbol=symbol,
        mechanism=mechanism,
        title=source.title.strip(),
        url=source.url.strip(),
        publication_date=source.publication_date,
    )
    try:
        document.full_clean(exclude=["cycle", "country", "uhri_document_id"])
    except ValidationError as exc:
        raise ApplicationError("Invalid document.", {"fields": exc.message_dict}) from exc
    document.save()
    return document


@audited
@transaction.atomic
def recommendation_create_manual(
    *, actor: User | None, entry: ManualRecommendation
) -> Recommendation:
    """Create a recommendation entered by hand, marked ``is_manual``, with its text (source:
    official, as the document writes it) and its source document (found by symbol or created).

    Raises ``PermissionDenied`` for anyone but the secretariat and ``ApplicationError`` with the
    fields for an empty text or symbol, an unknown language, type, position, state, theme or
    group, or a document of another mechanism (nothing is written then)."""
    policies.ensure_can_enter_recommendations(actor)
    text = entry.text.strip()
    if not text:
        raise _fail("text", "The text is empty.")
    if entry.language not in SEARCH_CONFIGS:
        raise _fail("language", "Unknown language.")
    for name, value, choices in (
        ("annotation_type", entry.annotation_type, AnnotationType.values),
        ("position", entry.position, ["", *Position.values]),
        ("publication_state", entry.publication_state, PublicationState.values),
    ):
        if value not in choices:
            raise _fail(name, "Not a valid choice.")
    themes = list(Theme.objects.filter(pk__in=set(entry.theme_ids)))
    if len(themes) != len(set(entry.theme_ids)):
        raise _fail("themes", "Unknown theme.")
    groups = list(AffectedGroup.objects.filter(pk__in=set(entry.affected_group_ids)))
    if len(groups) != len(set(entry.affected_group_ids)):
        raise _fail("affected_groups", "Unknown affected group.")
    if len(entry.paragraph) > 40:
        raise _fail("paragraph", "At most 40 characters.")
    mechanism = _mechanism(entry)
    document = _document(entry, mechanism)
    recommendation = Recommendation.objects.create(
        document=document,
        paragraph=entry.paragraph.strip(),
        annotation_type=entry.annotation_type,
        position=entry.position,
        publication_state=entry.publication_state,
        is_manual=True,
    )
    RecommendationText.objects.create(
        recommendation=recommendation,
        language=entry.language,
        text=text,
        html=_text_html(text),
        source=TextSource.OFFICIAL,
    )
    recommendation.themes.set(themes)
    recommendation.affected_groups.set(groups)
    return recommendation
