"""The search of recommendations, shared by the pages and the API (``filters.RecommendationFilter``).

A query is read as a web search (words, ``"quoted phrases"``, ``or``, ``-word``) in each UN
language's text-search configuration, which stems the words and folds accents (migration 0009:
"Turkiye" finds "Türkiye"). On top of PostgreSQL:

- **Irregular plurals** the stemmers do not join (woman / women, child / children, дети /
  ребёнок, نساء / امرأة) are searched together: each word of ``IRREGULAR_FORMS`` in a parsed query
  becomes an "or" of its forms, inside phrases too.
- **Taxonomy labels**: a recommendation tagged with a theme or an affected group, or issued by a
  mechanism, whose label (in any language) or code holds the query is found too ("LGBTI").
- **Symbols**: a query that looks like a UN symbol finds the documents it begins
  ("CEDAW/C/PRY").

Recommendations whose own text matches come first, by rank; those found only by a label or a
symbol follow. ``understand`` says what was searched, for the page to tell ("also searching:
women").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Exists, OuterRef, Q, TextField, Value
from django.db.models.functions import Cast

from .models import SEARCH_CONFIGS, AffectedGroup, Document, Mechanism, Recommendation, Theme

MAX_QUERY_LENGTH = 200
# Forms of a word that a language's stemmer leaves apart, by language: each group is searched as
# one word. Only what the stemmers miss: regular plurals need nothing here.
IRREGULAR_FORMS: dict[str, list[tuple[str, ...]]] = {
    "en": [
        ("woman", "women"),
        ("man", "men"),
        ("child", "children"),
        ("person", "persons", "people"),
        ("mouse", "mice"),
    ],
    "fr": [("travail", "travaux"), ("œil", "yeux")],
    "es": [("régimen", "regímenes"), ("carácter", "caracteres")],
    "ru": [("ребёнок", "дети"), ("человек", "люди")],
    "ar": [
        ("امرأة", "نساء", "المرأة", "النساء"),
        ("طفل", "أطفال", "الطفل", "الأطفال"),
        ("رجل", "رجال"),
        ("شخص", "أشخاص"),
    ],
}
# Chinese texts are matched by substring: no parsing.
PARSED_LANGUAGES = [language for language in SEARCH_CONFIGS if language != "zh-hans"]
LEXEME = re.compile(r"'((?:[^']|'')*)'")
SYMBOL = re.compile(r"^[A-Za-z][A-Za-z0-9.\-]*(/[A-Za-z0-9.\-()]+)+/?$")
# Labels are searched for queries of this length or more ("LGBTI", not "of").
MIN_LABEL_QUERY = 3
MAX_LABELS = 5


class ParsedQuery(SearchQuery):
    """A tsquery already parsed (``understand``), sent as a ``tsquery`` literal."""

    def __init__(self, tsquery: str) -> None:
        super().__init__(tsquery, search_type="raw")
        self.tsquery = tsquery

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **kwargs: Any) -> Any:
        return "%s::tsquery", [self.tsquery]


@dataclass(frozen=True)
class Understanding:
    """What a query searches: the parsed query of each language (absent: nothing to search in
    that language, e.g. only stop words), the words searched besides those typed, the phrase
    matched against labels, and the symbol prefix."""

    query: str
    tsqueries: dict[str, str] = field(default_factory=dict)
    also: tuple[str, ...] = ()
    label: str = ""
    symbol: str = ""
    themes: tuple[int, ...] = ()
    affected_groups: tuple[int, ...] = ()
    mechanisms: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()  # the names of the entries above, for the page

    @property
    def explained(self) -> bool:
        return bool(self.also or self.labels or self.symbol)


# The irregular forms, as three parallel arrays for unnest(): language, word, configuration.
FORM_ROWS = [
    (language, word, SEARCH_CONFIGS[language])
    for language, groups in IRREGULAR_FORMS.items()
    for group in groups
    for word in group
]
Forms = dict[str, dict[str, tuple[str, tuple[str, ...]]]]


def _forms(lexemes: list[list[str]] | None) -> Forms:
    """For each language: a form's lexeme → (the lexemes of its group, as a tsquery "or"; the
    group's words), from the (language, word, tsvector) rows PostgreSQL's stemmers made."""
    lexeme_of = {
        (language, word): LEXEME.findall(vector) for language, word, vector in lexemes or []
    }
    found: Forms = {}
    for language, groups in IRREGULAR_FORMS.items():
        for group in groups:
            each = sorted({lx for word in group for lx in lexeme_of.get((language, word), [])})
            if len(each) < 2:
                continue
            either = "( " + " | ".join(f"'{lx}'" for lx in each) + " )"
            for lexeme in each:
                found.setdefault(language, {})[lexeme] = (either, group)
    return found


def _expand(forms: Forms, language: str, tsquery: str, typed: str) -> tuple[str, list[str]]:
    """The tsquery with each irregular form replaced by the "or" of its group; the words added."""
    in_language = forms.get(language, {})
    added: list[str] = []

    def replace(match: re.Match[str]) -> str:
        lexeme = match.group(1)
        if lexeme not in in_language:
            return match.group(0)
        either, group = in_language[lexeme]
        added.extend(word for word in group if word.casefold() not in typed)
        return either

    return LEXEME.sub(replace, tsquery), added


def _label_phrase(query: str) -> str:
    """The query as a phrase to look for in labels: without quotes and operators."""
    words = [w for w in re.split(r"\s+", query.replace('"', " ")) if w and not w.startswith("-")]
    phrase = " ".join(w for w in words if w.lower() != "or")
    return phrase if len(phrase) >= MIN_LABEL_QUERY else ""


def understand(query: str) -> Understanding:
    """Parse ``query`` in every language, with the irregular forms added, and find the taxonomy
    entries whose label holds it: one statement, whatever the query."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not query:
        return Understanding(query="")
    label = _label_phrase(query)
    parsed_columns = ", ".join(
        "websearch_to_tsquery(%s::regconfig, %s)::text" for _ in PARSED_LANGUAGES
    )
    params: list[Any] = []
    for language in PARSED_LANGUAGES:
        params += [SEARCH_CONFIGS[language], query]
    forms_column = (
        "(SELECT json_agg(json_build_array(w.language, w.word,"
        " strip(to_tsvector(w.config::regconfig, w.word))::text))"
        " FROM unnest(%s::text[], %s::text[], %s::text[]) AS w(language, word, config))"
    )
    params += [[row[i] for row in FORM_ROWS] for i in range(3)]
    labels_sql, labels_params = _labelled(label or "").query.sql_with_params()
    labels_column = (
        f"(SELECT json_agg(json_build_array(l.kind, l.id, l.name)) FROM ({labels_sql}) l)"  # noqa: S608
    )
    params += list(labels_params)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {parsed_columns}, {forms_column}, {labels_column}",
            params,
        )
        *parsed, lexemes, labelled = cursor.fetchone()
    forms = _forms(lexemes)
    typed = query.casefold()
    tsqueries: dict[str, str] = {}
    also: list[str] = []
    for language, tsquery in zip(PARSED_LANGUAGES, parsed, strict=True):
        if not tsquery:
            continue
        tsqueries[language], added = _expand(forms, language, tsquery, typed)
        also += [word for word in added if word not in also]
    rows = [(kind, pk, name) for kind, pk, name in (labelled or [])] if label else []
    return Understanding(
        query=query,
        tsqueries=tsqueries,
        also=tuple(also),
        label=label,
        symbol=query if SYMBOL.match(query) else "",
        themes=tuple(pk for kind, pk, _ in rows if kind == "theme"),
        affected_groups=tuple(pk for kind, pk, _ in rows if kind == "group"),
        mechanisms=tuple(pk for kind, pk, _ in rows if kind == "mechanism"),
        labels=tuple(name for _, _, name in rows),
    )


def _labelled(phrase: str) -> Any:
    """The themes, affected groups and mechanisms whose name (any language) or code holds
    ``phrase``, accents and case aside, at most ``MAX_LABELS`` of each: (kind, id, name) rows."""
    # Translations are a JSON object, searched as its text: the language codes in it are too
    # short to be matched by a phrase of MIN_LABEL_QUERY letters or more.
    translations = Cast("names", TextField())
    labelled = Q(name__unaccent__icontains=phrase) | Q(translations__unaccent__icontains=phrase)
    themes = (
        Theme.objects.alias(translations=translations)
        .filter(labelled)
        .annotate(kind=Value("theme"))
        .values_list("kind", "id", "name")
        .order_by()[:MAX_LABELS]
    )
    groups = (
        AffectedGroup.objects.alias(translations=translations)
        .filter(labelled)
        .annotate(kind=Value("group"))
        .values_list("kind", "id", "name")
        .order_by()[:MAX_LABELS]
    )
    mechanisms = (
        Mechanism.objects.alias(translations=translations)
        .filter(Q(code__iexact=phrase) | Q(translations__unaccent__icontains=phrase))
        .annotate(kind=Value("mechanism"))
        .values_list("kind", "id", "code")
        .order_by()[:MAX_LABELS]
    )
    return themes.union(groups, mechanisms, all=True)


def text_match(understanding: Understanding) -> Q:
    """A text row matches when the query matches in the row's own language configuration;
    Chinese rows by substring (trigram index)."""
    match = Q(language="zh-hans", text__contains=understanding.query)
    for language, tsquery in understanding.tsqueries.items():
        match |= Q(language=language, search_vector=ParsedQuery(tsquery))
    return match


def parsed_queries(understanding: Understanding) -> dict[str, ParsedQuery]:
    return {lang: ParsedQuery(tsq) for lang, tsq in understanding.tsqueries.items()}


def other_match(understanding: Understanding) -> Any:
    """Recommendations found by a label or a symbol, not by their text (a condition for
    ``filter``)."""
    found: Any = Q(pk__in=[])
    if understanding.themes:
        through = Recommendation.themes.through
        found |= Exists(
            through.objects.filter(recommendation=OuterRef("pk"), theme__in=understanding.themes)
        )
    if understanding.affected_groups:
        found |= Exists(
            Recommendation.affected_groups.through.objects.filter(
                recommendation=OuterRef("pk"), affectedgroup__in=understanding.affected_groups
            )
        )
    if understanding.mechanisms:
        found |= Q(document__mechanism__in=understanding.mechanisms)
    if understanding.symbol:
        documents = Document.objects.filter(symbol__istartswith=understanding.symbol.rstrip("/"))
        found |= Q(document__in=documents)
    return found
