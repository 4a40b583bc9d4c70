"""Template helpers of the recommendation pages: which text to show, history entries in words."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from recommendations import selectors
from recommendations.models import Recommendation, RecommendationText
from tracker.languages import best_language

register = template.Library()


@register.filter
def shown_text(recommendation: Recommendation) -> RecommendationText | None:
    """The text a list shows: in the page's language, else English, else any."""
    return selectors.shown_text(recommendation)


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
