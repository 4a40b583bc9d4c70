"""The language of a UHRI feed: told (``--language``), or detected from the export's name or texts.

UHRI publishes its exports in the six UN languages. The texts are stored under the interface's
language codes (``zh-hans`` for Chinese); the command and the API also take UHRI's ``zh``. One
language, the reference (``TRACKER_REFERENCE_LANGUAGE``, English by default), gives the records'
fields; the feeds in the others add their texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from recommendations.models import FeedLanguage

# What people and UHRI write for each language -> the stored code.
ALIASES = {
    **{code: code for code in FeedLanguage.values},
    "zh": FeedLanguage.ZH.value,
    "zh-cn": FeedLanguage.ZH.value,
    "zh_hans": FeedLanguage.ZH.value,
    "english": "en",
    "french": "fr",
    "spanish": "es",
    "arabic": "ar",
    "russian": "ru",
    "chinese": FeedLanguage.ZH.value,
}
# The choices of the command line, as UHRI names them.
COMMAND_CHOICES = ("en", "fr", "es", "ar", "ru", "zh")

# A language code standing alone in a file name or URL: "uhri-es.json", "export_ES.xlsx",
# "export.fr.csv", "?lang=ar", "/zh/".
_NAME_CODE = re.compile(
    r"(?:^|[^a-z0-9])(?:lang(?:uage)?=)?(en|fr|es|ar|ru|zh)(?:[-_]hans)?(?=$|[^a-z0-9])", re.I
)
_WORD = re.compile(r"[^\W\d_]+")
# Frequent short words of the languages written in Latin script, as they appear in UN texts.
_STOPWORDS = {
    "en": {"the", "of", "and", "to", "in", "on", "for", "that", "with", "its", "by", "ensure"},
    "fr": {"le", "la", "les", "de", "des", "du", "et", "à", "en", "pour", "que", "sur", "veiller"},
    "es": {"el", "la", "los", "las", "de", "del", "y", "en", "para", "que", "por", "con", "velar"},
}


class UnknownLanguageError(ValueError):
    """A language code that is none of the six UN languages."""


def normalise(code: str) -> str:
    """The stored code of a language name or code; raises ``UnknownLanguageError``."""
    try:
        return ALIASES[code.strip().lower().replace("_", "-")]
    except KeyError:
        raise UnknownLanguageError(
            f"Unknown language {code!r}: one of {', '.join(COMMAND_CHOICES)}."
        ) from None


def reference_language() -> str:
    """The language whose feed gives the records' fields (``TRACKER_REFERENCE_LANGUAGE``)."""
    return normalise(getattr(settings, "TRACKER_REFERENCE_LANGUAGE", "en") or "en")


def from_name(name: str) -> str | None:
    """The language a file name or URL names, if it names exactly one."""
    found = {normalise(match.group(1)) for match in _NAME_CODE.finditer(name or "")}
    return found.pop() if len(found) == 1 else None


def from_texts(texts: Iterable[str]) -> str | None:
    """The language of some texts, by their script (Arabic, Cyrillic, Chinese) or, in Latin script,
    by their most frequent short words; ``None`` when they say too little."""
    scripts = {"ar": 0, "ru": 0, "zh-hans": 0, "latin": 0}
    words = dict.fromkeys(_STOPWORDS, 0)
    for text in texts:
        for char in text[:2000]:
            if "\u0600" <= char <= "\u06ff":
                scripts["ar"] += 1
            elif "\u0400" <= char <= "\u04ff":
                scripts["ru"] += 1
            elif "\u4e00" <= char <= "\u9fff":
                scripts["zh-hans"] += 1
            elif char.isascii() and char.isalpha():
                scripts["latin"] += 1
        for word in _WORD.findall(text[:2000].lower()):
            for language, stopwords in _STOPWORDS.items():
                if word in stopwords:
                    words[language] += 1
    script = max(scripts, key=lambda key: scripts[key])
    if scripts[script] == 0:
        return None
    if script != "latin":
        return script
    ranked = sorted(words.items(), key=lambda item: item[1], reverse=True)
    (best, count), (_second, runner_up) = ranked[0], ranked[1]
    # Words such as "la", "de", "en" are shared: ask for a clear lead.
    if count >= 3 and count > runner_up * 1.2:
        return best
    return None


def _uhri_code(language: str) -> str:
    """The code UHRI writes for a language (``zh`` for the stored ``zh-hans``)."""
    return "zh" if language == FeedLanguage.ZH else language


def scheduled_feeds() -> list[tuple[str, str]]:
    """``(language, url)`` of each feed the schedule imports, in order: the languages of
    ``TRACKER_UHRI_FEED_LANGUAGES``, each with its URL in ``TRACKER_UHRI_FEED_URLS`` or else
    ``TRACKER_UHRI_FEED_URL`` (its ``{language}`` filled in); without languages, the one URL with
    its language left to detection (``""``). Raises ``ImproperlyConfigured`` for an unknown
    language, one without a URL, or two languages sharing one URL."""
    pattern = settings.TRACKER_UHRI_FEED_URL
    try:
        urls = {normalise(code): url for code, url in settings.TRACKER_UHRI_FEED_URLS.items()}
        wanted = [normalise(code) for code in settings.TRACKER_UHRI_FEED_LANGUAGES]
    except UnknownLanguageError as exc:
        raise ImproperlyConfigured(f"TRACKER_UHRI_FEED_LANGUAGES / _URLS: {exc}") from None
    if not wanted:
        if pattern:
            return [("", pattern)]
        return list(urls.items())
    feeds: list[tuple[str, str]] = []
    for language in dict.fromkeys(wanted):
        url = urls.get(language) or pattern.replace("{language}", _uhri_code(language))
        if not url:
            raise ImproperlyConfigured(f"No UHRI feed URL for the language {language}.")
        feeds.append((language, url))
    if len({url for _language, url in feeds}) < len(feeds):
        raise ImproperlyConfigured(
            "Two languages of TRACKER_UHRI_FEED_LANGUAGES share one URL: put {language} in "
            "TRACKER_UHRI_FEED_URL or give each its URL in TRACKER_UHRI_FEED_URLS."
        )
    return feeds
