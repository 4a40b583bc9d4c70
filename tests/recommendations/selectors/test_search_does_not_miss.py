"""The search finds what a reader means: irregular plurals, accents folded, taxonomy labels and
symbol prefixes; the text's own matches first. Pages and API share it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recommendations import search, selectors
from recommendations.models import AffectedGroup, RecommendationText
from tests.factories.recommendations import (
    DocumentFactory,
    MechanismFactory,
    RecommendationFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def _search(q: str) -> list:
    return list(selectors.recommendation_list(actor=None, filters={"q": q}).queryset)


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("woman", "Protect women from violence."),
        ("women", "Every woman shall have access to justice."),
        ("child", "Prohibit corporal punishment of children."),
        ("children", "Register every child at birth."),
        ("man", "Ensure equal pay for women and men."),
        ("people", "Ensure that every person is registered."),
    ],
)
def test_an_irregular_plural_finds_the_other_form(typed, written):
    rec = RecommendationFactory(text=written)
    RecommendationFactory(text="Ratify the Convention against Torture.")
    assert _search(typed) == [rec]


def test_irregular_forms_hold_inside_phrases_and_with_other_words():
    rec = RecommendationFactory(text="Combat violence against women in rural areas.")
    RecommendationFactory(text="Combat violence in prisons.")
    assert _search('"violence against woman"') == [rec]
    assert _search("rural woman") == [rec]
    assert _search("violence -woman") == _search("violence -women")
    assert rec not in _search("violence -woman")


def test_russian_and_arabic_irregular_forms():
    ru = RecommendationFactory(text="Register births.")
    RecommendationText.objects.create(
        recommendation=ru, language="ru", text="Обеспечить регистрацию всех детей."
    )
    ar = RecommendationFactory(text="Protect women.")
    RecommendationText.objects.create(
        recommendation=ar, language="ar", text="حماية النساء من العنف"
    )
    assert _search("ребёнок") == [ru]
    assert _search("امرأة") == [ar]


def test_accents_are_folded_both_ways():
    rec = RecommendationFactory(text="Cooperate with Türkiye on the return of refugees.")
    fr = RecommendationFactory(text="Ratify.")
    RecommendationText.objects.create(
        recommendation=fr, language="fr", text="Garantir l'égalité des élèves."
    )
    assert _search("Turkiye") == [rec]
    assert _search("Türkiye") == [rec]
    assert _search("egalite") == [fr]
    assert _search("éleve") == [fr]


def test_a_taxonomy_label_finds_what_it_tags_after_the_text_matches():
    group = AffectedGroup.objects.create(
        name="Lesbian, gay, bisexual and transgender and intersex persons (LGBTI)"
    )
    tagged = RecommendationFactory(text="Decriminalise consensual same-sex relations.")
    tagged.affected_groups.add(group)
    said = RecommendationFactory(text="Protect LGBTI human rights defenders.")
    RecommendationFactory(text="Abolish the death penalty.")
    assert _search("LGBTI") == [said, tagged]
    theme = ThemeFactory(name="Enforced disappearances")
    other = RecommendationFactory(text="Investigate every case.")
    other.themes.add(theme)
    assert _search("disappearances") == [other]


def test_a_label_in_another_language_finds_too():
    group = AffectedGroup.objects.create(
        name="Persons with disabilities", names={"es": "Personas con discapacidad"}
    )
    rec = RecommendationFactory(text="Adopt an inclusive education law.")
    rec.affected_groups.add(group)
    assert _search("discapacidad") == [rec]


def test_a_mechanism_code_finds_its_recommendations():
    cedaw = MechanismFactory(code="CEDAW", names={"en": "Committee on the Elimination of …"})
    rec = RecommendationFactory(document=DocumentFactory(mechanism=cedaw), text="Adopt a law.")
    RecommendationFactory(text="Adopt a plan.")
    assert _search("CEDAW") == [rec]


def test_a_symbol_prefix_finds_the_documents_it_begins():
    first = RecommendationFactory(document__symbol="CEDAW/C/PRY/CO/7", text="Adopt a law.")
    second = RecommendationFactory(document__symbol="CEDAW/C/PRY/CO/8", text="Adopt a plan.")
    RecommendationFactory(document__symbol="CEDAW/C/PER/CO/9", text="Adopt a policy.")
    assert set(_search("CEDAW/C/PRY")) == {first, second}
    assert _search("cedaw/c/pry/co/8") == [second]


def test_the_query_is_explained():
    AffectedGroup.objects.create(name="Children")
    understood = search.understand("violence against women")
    assert understood.also == ("woman",)
    assert understood.explained
    assert search.understand("children").labels == ("Children",)
    plain = search.understand("torture")
    assert not plain.explained
    assert search.understand("CEDAW/C/PRY").symbol == "CEDAW/C/PRY"


def test_the_list_page_says_how_the_query_was_understood(client):
    RecommendationFactory(text="Protect women from violence.")
    body = client.get(reverse("recommendations:recommendation-list"), {"q": "woman"}).content
    page = body.decode()
    assert "Also searching:" in page
    assert "<bdi>women</bdi>" in page
    plain = client.get(reverse("recommendations:recommendation-list"), {"q": "torture"})
    assert "search-understood" not in plain.content.decode()


def test_the_api_shares_the_search(client):
    rec = RecommendationFactory(text="Protect women from violence.")
    body = client.get(reverse("api:recommendation-list"), {"q": "woman"}).json()
    assert [row["id"] for row in body["results"]] == [rec.pk]


def test_odd_queries_never_error():
    RecommendationFactory(text="Ensure freedom of expression.")
    for q in ["the", "-", "or", "'women'", "(child)", "women:*", "a/b", "/", "ü", "%", "_"]:
        _search(q)
