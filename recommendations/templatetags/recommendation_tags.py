"""Template helpers of the recommendation pages: which text to show, document references and
labels that keep their direction in Arabic pages, history entries in words."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from recommendations import selectors
from recommendations.models import Recommendation, RecommendationText, TaxonomyTerm
from tracker.languages import best_language

register = template.Library()


@register.simple_tag
def document_reference(symbol: str, paragraph: str = "") -> SafeString:
    """ "A/HRC/62/9, ¶ 127.1": the symbol and the paragraph as one left-to-right run, isolated from
    the text around it. In a right-to-left page, without it the parts trade places
    ("127.1 ¶ ,A/HRC/62/9")."""
    if paragraph:
        return format_html('<bdi dir="ltr">{}, ¶ {}</bdi>', symbol, paragraph)
    return format_html('<bdi dir="ltr">{}</bdi>', symbol)


@register.simple_tag
def term_labels(terms: Iterable[TaxonomyTerm]) -> SafeString:
    """Theme or affected-group labels, comma-separated: each in the page's language where the term
    has that translation, else as it is named (UHRI names are English, marked ``lang="en"``), each
    isolated so that a Latin label keeps its punctuation in place in a right-to-left page."""
    page_language = translation.get_language()

    def lang(term: TaxonomyTerm) -> str:
        language = term.label_language
        return format_html(' lang="{}"', language) if language and language != page_language else ""

    return format_html_join(", ", "<bdi{}>{}</bdi>", ((lang(t), t.label) for t in terms))


@register.filter
def shown_text(recommendation: Recommendation) -> RecommendationText | None:
    """The text a list shows: in the page's language, else English, else any."""
    return selectors.shown_text(recommendation)


@register.filter
def is_fallback(text: RecommendationText | None) -> bool:
    """Whether a text shown on a page is in another language than the page's (nor its base)."""
    if text is None:
        return False
    active = (translation.get_language() or "en").lower()
    return text.language not in (active, active.split("-")[0])


@register.simple_tag
def texts_in_order(texts: list[RecommendationText]) -> list[RecommendationText]:
    """The texts with the one shown first (the page's language, else English), the others as given."""
    first = best_language(t.language for t in texts)
    return sorted(texts, key=lambda t: t.language != first)


_HISTORY_ACTIONS = {
    "insert": pgettext_lazy("history event", "created"),
    "update": pgettext_lazy("history event", "changed"),
    "delete": pgettext_lazy("history event", "deleted"),
    "link.add": pgettext_lazy("history event", "added"),
    "link.remove": pgettext_lazy("history event", "removed"),
}
_HISTORY_SUBJECTS = {
    "Recommendation": _("Recommendation"),
    "RecommendationText": _("Text"),
    "RecommendationTheme": _("Theme"),
    "RecommendationAffectedGroup": _("Affected group"),
    "RecommendationSdgTarget": _("SDG target"),
    "RecommendationState": _("Recommending State"),
}


@register.simple_tag
def history_event(entry: Any) -> str:
    """A history entry's subject and action in words: "Text changed", "Theme added"."""
    subject = _HISTORY_SUBJECTS.get(entry.model, entry.model)
    action = _HISTORY_ACTIONS.get(entry.label, entry.label)
    return f"{subject} — {action}"
