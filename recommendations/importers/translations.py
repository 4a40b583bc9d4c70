"""Labels of a feed in another language than English, resolved through the translations the system
knows: the ``names`` of themes and affected groups (a merge of an unreviewed entry into an existing
one records its label there, for the next import). SDG targets are named by their code and countries
by any of their six names already (``Lookups.vocabulary``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from recommendations.models import AffectedGroup, Theme

if TYPE_CHECKING:
    from .lookups import Lookups


def translated_labels(model: type[Theme | AffectedGroup], language: str) -> dict[str, int]:
    """The entries' labels in ``language`` (case-folded) -> their ids."""
    labels: dict[str, int] = {}
    for pk, names in model.objects.values_list("pk", "names"):
        label = (names or {}).get(language) if isinstance(names, dict) else None
        if isinstance(label, str) and label.strip():
            labels.setdefault(label.strip().casefold(), pk)
    return labels


def add_translations(lookups: Lookups, language: str) -> None:
    """Let ``lookups`` resolve labels written in ``language`` (an entry's own name still wins);
    the entries it creates for the labels it does not know carry that language."""
    if language == "en":
        return
    lookups.label_language = language
    for cache, model in ((lookups.themes, Theme), (lookups.groups, AffectedGroup)):
        for label, pk in translated_labels(model, language).items():
            cache.setdefault(label, pk)
