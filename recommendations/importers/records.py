"""One UHRI record, normalised, validated and sanitised: the single typed shape the pipeline upserts.

Normalisation is pure (no database): the label look-ups it needs come in a ``Vocabulary``.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import nh3

from recommendations.models import (
    AffectedGroup,
    AnnotationType,
    Document,
    Mechanism,
    MechanismFamily,
    Position,
    ReviewCycle,
    Theme,
)

from .columns import max_length

MAX_TEXT_LENGTH = 20_000
# Labels (themes, affected groups) are cut to what their names can hold; symbols and bodies longer
# than theirs are rejected.
MAX_LABEL_LENGTH = min(max_length(Theme, "name"), max_length(AffectedGroup, "name"))
MAX_SYMBOL_LENGTH = max_length(Document, "symbol")
MAX_BODY_LENGTH = max_length(Mechanism, "code")
TREATY_BODIES = {"CCPR", "CESCR", "CAT", "SPT", "CEDAW", "CERD", "CRC", "CMW", "CRPD", "CED"}
ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "i",
    "b",
    "u",
    "ul",
    "ol",
    "li",
    "sup",
    "sub",
    "blockquote",
}
EARLIEST_DATE = date(1946, 1, 1)

# Paragraph number at the start of the text, possibly after a short section heading:
# "136.1 Ratify ...", "49. The Committee ...", "Education 12 (a) Ensure ...".
PARAGRAPH = re.compile(
    r"(?:^|\s)(?P<number>\d{1,3}(?:\.\d{1,3}){0,2})(?:\s?\((?P<letter>[a-z]{1,4})\))?\.?\s+(?=[^\W\d_]|[(\"“])"
)
RECOMMENDING_WORDS = re.compile(
    r"\b(recommend\w*|urges?|calls? (?:up)?on|encourages?|requests?|invites?"
    # the same in the other UN languages' exports (Spanish, French, Russian)
    r"|recomienda\w*|insta|exhorta|alienta|recommande\w*|engage|exhorte|рекомендует|призывает)\b"
    r"|توصي|يحث|建议|敦促",
    re.I,
)
# The labels of the exports in the other UN languages, by their beginnings (lower case).
RECOMMENDATION_TYPES = (
    "recommendation",
    "recomendaci",
    "recommandation",
    "рекоменда",
    "توصي",
    "建议",
)
CONCERN_TYPES = (
    "concern",
    "observation",
    "preocupaci",
    "observaci",
    "préoccupation",
    "обеспокоен",
    "замечани",
    "قلق",
    "ملاحظ",
    "关切",
    "意见",
)
SUPPORTED_WORDS = (
    "support",
    "accept",
    "apoyad",
    "aceptad",
    "soutenu",
    "accepté",
    "поддерж",
    "تأييد",
    "مؤيد",
    "支持",
)
NOTED_WORDS = (
    "note",
    "reject",
    "anotad",
    "señalad",
    "tomad",
    "notée",
    "noté",
    "pris",
    "принят",
    "приня",
    "أحيط",
    "علم",
    "注意",
)
PART_WORDS = ("part", "parcial", "partiel", "частично", "جزئي", "部分")
SDG_LABEL = re.compile(r"^\s*(\d{1,2})(?:\.(\d{1,2}|[a-z]))?\s*(?:[-\u2013:]|$)")
ORDINAL = re.compile(r"(\d{1,3})")


# Built once: ``json.dumps`` with options builds a new encoder on every call.
DIGEST_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


class Rejected(Exception):  # noqa: N818 (reads as a verdict: raise Rejected(...))
    """The record cannot be imported. ``field`` and ``value`` say where and what."""

    def __init__(self, field: str, reason: str, value: Any = "") -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason
        self.value = value


@dataclass
class Vocabulary:
    """What the database knows, for normalisation to check labels against."""

    sdg_targets: set[str]
    countries: Mapping[str, str]  # normalised name or code -> ISO alpha-3
    # Labels already looked up: a feed repeats a few hundred country labels.
    _known: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)

    def country(self, label: str) -> str | None:
        try:
            return self._known[label]
        except KeyError:
            found = self._known[label] = self.countries.get(country_key(label))
            return found


@dataclass
class FeedRecord:
    annotation_id: uuid.UUID
    document_uuid: uuid.UUID | None
    symbol: str
    body: str
    family: str
    annotation_type: str
    paragraph: str
    text: str
    html: str
    publication_date: date | None
    countries: list[str]
    unknown_countries: list[str]
    themes: list[str]
    affected_groups: list[str]
    sdg_targets: list[str]
    recommending_states: list[str]
    upr_session: int | None
    upr_cycle: int | None
    position: str
    warnings: list[tuple[str, str, str]] = field(default_factory=list)
    # Set by the import pipeline (not part of the record): the content digest, the raw record,
    # and the fields above rendered for COPY: the recommendation's own, and the text.
    digest: str = field(default="", repr=False, compare=False)
    text_digest: str = field(default="", repr=False, compare=False)  # of the text alone
    raw: Any = field(default=None, repr=False, compare=False)
    copy_fields: str = field(default="", repr=False, compare=False)
    copy_text: str = field(default="", repr=False, compare=False)

    def content_hash(self) -> str:
        """Digest of everything the import writes: equal digests mean nothing to update.

        Left out: the warnings, and the document's UHRI id, which only the JSON export carries (the
        same record from an XLSX export must compare equal). Built field by field rather than with
        ``dataclasses.asdict``, which deep-copies and was a third of a re-import's time.
        """
        data = [
            str(self.annotation_id),
            self.symbol,
            self.body,
            self.family,
            self.annotation_type,
            self.paragraph,
            self.text,
            self.html,
            self.publication_date.isoformat() if self.publication_date else None,
            self.countries,
            self.unknown_countries,
            self.themes,
            self.affected_groups,
            self.sdg_targets,
            self.recommending_states,
            self.upr_session,
            self.upr_cycle,
            self.position,
        ]
        encoded = DIGEST_ENCODER.encode(data)
        return hashlib.md5(encoded.encode(), usedforsecurity=False).hexdigest()

    def text_hash(self) -> str:
        """Digest of the text alone (its HTML, from which the plain text follows), as PostgreSQL's
        ``md5(html)`` computes it: a feed in another language than the reference compares it."""
        return hashlib.md5(self.html.encode(), usedforsecurity=False).hexdigest()


def country_key(label: str) -> str:
    return re.sub(r"[^\w]+", " ", label.casefold()).strip()


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        items: Iterable[Any] = re.split(r"\n|;", value)
    elif isinstance(value, list):
        items = value
    else:
        items = [value]
    out = []
    for item in items:
        text = str(item).strip()
        if text.startswith("- "):
            text = text[2:].strip()
        if text and text not in out:
            out.append(text[:MAX_LABEL_LENGTH])
    return out


def _first(record: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        if record.get(key) not in (None, "", []):
            return record[key]
    return None


def _single(value: Any) -> str:
    if isinstance(value, str) and "\n" not in value and ";" not in value:  # most values
        text = value.strip()
        if text.startswith("- "):
            text = text[2:].strip()
        return text[:MAX_LABEL_LENGTH]
    items = _as_list(value)
    return items[0] if items else ""


# Built once: nh3 converts its options to the sanitiser's own structures on every call otherwise.
CLEANER = nh3.Cleaner(tags=ALLOWED_TAGS, attributes={}, strip_comments=True)
BREAKS = re.compile(r"</p>|<br\s*/?>")
# In the cleaner's output every "<" opens a tag: the text's own are escaped as &lt;.
TAG = re.compile(r"<[^>]*>")
SPACES = re.compile(r"[ \t]+")
LINE_ENDS = re.compile(r"\s*\n\s*")


def sanitise(text_html: str) -> tuple[str, str]:
    """Safe HTML (paragraphs and emphasis only) and the plain text of an annotation."""
    raw = text_html.replace("&nbsp;", " ").replace("\xa0", " ").replace("\x00", "")
    if "<" not in raw and "&" not in raw:
        plain = SPACES.sub(" ", raw).strip()
        return (f"<p>{html.escape(plain)}</p>" if plain else ""), plain
    safe = CLEANER.clean(raw).strip()
    plain = html.unescape(TAG.sub("", BREAKS.sub("\n", safe)))
    plain = LINE_ENDS.sub("\n", SPACES.sub(" ", plain)).strip()
    return safe, plain


def paragraph_of(text: str) -> str:
    match = PARAGRAPH.search(text[:300])
    if not match:
        return ""
    number = match.group("number")
    return f"{number}({match.group('letter')})" if match.group("letter") else number


def family_of(body: str) -> str:
    code = body.split("-")[0].strip().upper()
    if body.upper() == "UPR":
        return MechanismFamily.UPR
    if code in TREATY_BODIES:
        return MechanismFamily.TREATY_BODY
    return MechanismFamily.SPECIAL_PROCEDURE


def annotation_type_of(value: str, text: str, family: str) -> str:
    lowered = value.lower()
    if lowered.startswith(RECOMMENDATION_TYPES):
        return AnnotationType.RECOMMENDATION
    if lowered.startswith(CONCERN_TYPES):
        return AnnotationType.CONCERN
    # Recent records carry a UUID instead of a label: decide from the text.
    if family == MechanismFamily.UPR or RECOMMENDING_WORDS.search(text):
        return AnnotationType.RECOMMENDATION
    return AnnotationType.CONCERN


def position_of(value: str) -> str:
    lowered = value.strip().lower()
    if not lowered:
        return ""
    if any(word in lowered for word in PART_WORDS) or ("support" in lowered and "note" in lowered):
        return Position.SUPPORTED_IN_PART
    if any(word in lowered for word in SUPPORTED_WORDS):
        return Position.SUPPORTED
    if any(word in lowered for word in NOTED_WORDS):
        return Position.NOTED
    raise Rejected("UprPosition", "unknown UPR position (expected Supported or Noted)", value)


def date_of(value: Any) -> date | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise Rejected("PublicationDate", "not a valid date", text) from None
    today = datetime.now(UTC).date()
    if not EARLIEST_DATE <= parsed <= today.replace(year=today.year + 1):
        raise Rejected("PublicationDate", "date out of range", text)
    return parsed


def upr_cycle_of(session_value: str, key: str) -> tuple[int | None, int | None]:
    """(session, cycle) from "48th Session" or, under the other spelling, "4th cycle"."""
    if not session_value:
        return None, None
    match = ORDINAL.search(session_value)
    if not match:
        raise Rejected(key, "no session number", session_value)
    number = int(match.group(1))
    if any(word in session_value.lower() for word in ("cycle", "ciclo", "цикл", "جولة", "周期")):
        if not 1 <= number <= 10:
            raise Rejected(key, "impossible UPR cycle", session_value)
        return None, number
    cycle = ReviewCycle.upr_cycle_for_session(number)
    if cycle is None and number > 200:
        raise Rejected(key, "impossible UPR session", session_value)
    return number, cycle or (number - 55) // 14 + 5


def sdg_targets_of(labels: list[str], vocabulary: Vocabulary) -> list[str]:
    targets = []
    for label in labels:
        match = SDG_LABEL.match(label)
        if not match:
            raise Rejected("Sdgs", "not an SDG goal or target label", label)
        goal, target = match.groups()
        if target is None:
            if not 1 <= int(goal) <= 17:
                raise Rejected("Sdgs", "SDG goal does not exist", label)
            continue  # a goal label: the goal is implied by the targets, nothing to link
        code = f"{int(goal)}.{target}"
        if code not in vocabulary.sdg_targets:
            raise Rejected("Sdgs", f"SDG target {code} does not exist", label)
        if code not in targets:
            targets.append(code)
    return targets


def normalise(record: Any, vocabulary: Vocabulary) -> FeedRecord:
    """Turn one raw record into a ``FeedRecord``, or raise ``Rejected`` with the reason."""
    if not isinstance(record, Mapping):
        raise Rejected("record", "the record is not an object", str(record)[:200])

    raw_id = _single(record.get("AnnotationId"))
    if not raw_id:
        raise Rejected("AnnotationId", "missing AnnotationId")
    try:
        annotation_id = uuid.UUID(raw_id)
    except ValueError:
        raise Rejected("AnnotationId", "AnnotationId is not a UUID", raw_id) from None

    raw_text = record.get("Text")
    if not isinstance(raw_text, str) or not raw_text.strip():
        raise Rejected("Text", "empty text", raw_text or "")
    if len(raw_text) > MAX_TEXT_LENGTH * 5:
        raise Rejected("Text", f"text is {len(raw_text):,} characters long", raw_text[:200])
    safe_html, text = sanitise(raw_text)
    if not text:
        raise Rejected("Text", "no text left once the markup is removed", raw_text[:200])
    if len(text) > MAX_TEXT_LENGTH:
        raise Rejected(
            "Text",
            f"text is {len(text):,} characters long; the limit is {MAX_TEXT_LENGTH:,}",
            text[:200],
        )

    symbol = _single(record.get("Symbol"))
    if not symbol:
        raise Rejected("Symbol", "missing document symbol")
    if len(symbol) > MAX_SYMBOL_LENGTH:
        raise Rejected("Symbol", "document symbol too long", symbol[:200])
    body = _single(record.get("Body"))
    if not body:
        raise Rejected("Body", "missing recommending body")
    if len(body) > MAX_BODY_LENGTH:
        raise Rejected("Body", "recommending body too long", body[:200])
    family = family_of(body)

    warnings: list[tuple[str, str, str]] = []
    document_uuid = None
    if raw_doc := _single(record.get("DocumentId")):
        try:
            document_uuid = uuid.UUID(raw_doc)
        except ValueError:
            warnings.append(("DocumentId", "DocumentId is not a UUID: ignored", raw_doc))

    countries, unknown = [], []
    for label in _as_list(record.get("Countries")):
        iso3 = vocabulary.country(label)
        if iso3 and iso3 not in countries:
            countries.append(iso3)
        elif not iso3:
            unknown.append(label)
    warnings.extend(("Countries", "unknown country", label) for label in unknown)

    states = []
    for label in _as_list(_first(record, "UprRecommendingStates", "UprRecommendingCountry")):
        iso3 = vocabulary.country(label)
        if iso3 is None:
            warnings.append(("UprRecommendingStates", "unknown recommending State", label))
        elif iso3 not in states:
            states.append(iso3)

    session_key = "UprSession" if record.get("UprSession") else "UprCycle"
    session, cycle = upr_cycle_of(_single(record.get(session_key)), session_key)

    return FeedRecord(
        annotation_id=annotation_id,
        document_uuid=document_uuid,
        symbol=symbol,
        body=body,
        family=family,
        annotation_type=annotation_type_of(_single(record.get("AnnotationType")), text, family),
        paragraph=paragraph_of(text),
        text=text,
        html=safe_html,
        publication_date=date_of(_single(record.get("PublicationDate"))),
        countries=countries,
        unknown_countries=unknown,
        themes=_as_list(record.get("Themes")),
        affected_groups=_as_list(record.get("AffectedPersons")),
        sdg_targets=sdg_targets_of(_as_list(record.get("Sdgs")), vocabulary),
        recommending_states=states,
        upr_session=session,
        upr_cycle=cycle if family == MechanismFamily.UPR else None,
        position=position_of(_single(record.get("UprPosition"))),
        warnings=warnings,
    )
