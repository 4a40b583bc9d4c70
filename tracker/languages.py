"""Which language to show: the one rule for every multilingual field and text.

A page in a language shows the text in that language, else in its base language (``zh`` for
``zh-hans``), else in English; lists of texts may also fall back to any language they have.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils import translation


def preferred_languages(language: str | None = None) -> tuple[str, ...]:
    """The languages to try, in order: ``language`` (default: the active one), its base, English."""
    active = (language or translation.get_language() or "en").lower()
    return tuple(dict.fromkeys((active, active.split("-")[0], "en")))


def best_language(
    available: Iterable[str], language: str | None = None, *, any_language: bool = True
) -> str | None:
    """The language of ``available`` to show, by ``preferred_languages``; when none of those is
    there, the first available one (or ``None`` if ``any_language`` is false)."""
    candidates = list(available)
    for preferred in preferred_languages(language):
        if preferred in candidates:
            return preferred
    return candidates[0] if any_language and candidates else None


def localized(values: Mapping[str, str] | None, language: str | None = None) -> str:
    """The text of a ``{language: text}`` field for the active language, else English, else ``""``."""
    return localized_language(values, language)[0]


def localized_language(
    values: Mapping[str, str] | None, language: str | None = None
) -> tuple[str, str | None]:
    """``localized`` and the language of the text it chose: ``("", None)`` when there is none.

    Pages mark a text shown in another language than theirs (``lang="en"`` on an English label in
    an Arabic page), so that screen readers pronounce it in its own language."""
    if not values:
        return "", None
    chosen = best_language((k for k, v in values.items() if v), language, any_language=False)
    return (values[chosen], chosen) if chosen else ("", None)
