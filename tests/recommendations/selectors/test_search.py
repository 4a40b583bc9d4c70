from __future__ import annotations

import pytest

from recommendations import selectors
from recommendations.models import RecommendationText
from tests.factories.recommendations import RecommendationFactory

pytestmark = pytest.mark.django_db


def _search(q: str, actor=None):
    return list(selectors.recommendation_list(actor=actor, filters={"q": q}).queryset)


def test_search_finds_the_recommendations_with_the_word_and_ranks_the_best_first():
    once = RecommendationFactory(text="Ensure that victims of torture obtain redress.")
    twice = RecommendationFactory(
        text="Criminalize torture in line with the Convention and investigate all torture allegations."
    )
    RecommendationFactory(text="Increase the budget allocated to primary education.")

    found = _search("torture")

    assert found == [twice, once]


def test_search_uses_stemming_so_a_plural_finds_the_singular():
    rec = RecommendationFactory(text="Adopt a law on the protection of human rights defenders.")
    assert _search("laws") == [rec]


def test_search_matches_french_text_with_the_french_configuration():
    rec = RecommendationFactory(text="Ratify the Convention.")
    RecommendationText.objects.create(
        recommendation=rec,
        language="fr",
        text="Ratifier la Convention relative aux droits des enfants.",
    )
    RecommendationFactory(text="Something else entirely.")
    assert _search("enfant") == [rec]


def test_search_matches_chinese_text_by_substring():
    rec = RecommendationFactory(text="Abolish the death penalty.")
    RecommendationText.objects.create(
        recommendation=rec, language="zh-hans", text="废除死刑并批准第二项任择议定书"
    )
    assert _search("死刑") == [rec]


def test_search_by_document_symbol():
    rec = RecommendationFactory(document__symbol="CEDAW/C/XYZ/CO/8", text="Adopt a plan.")
    RecommendationFactory(text="Adopt another plan.")
    assert _search("CEDAW/C/XYZ/CO/8") == [rec]


def test_search_with_operators_and_quotes_never_errors():
    RecommendationFactory(text="Ensure freedom of expression.")
    for q in ['"freedom of', "freedom -expression", "OR OR", "&|!():*", "'", "\\"]:
        _search(q)


def test_search_hides_drafts_from_the_public():
    RecommendationFactory(text="Torture prevention mechanism.", draft=True)
    assert _search("torture") == []
