"""Pages show a recommendation's text in the page's language when there is one, say when they fall
back to another language, and offer the other languages on the detail page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from recommendations.models import RecommendationText, TextSource
from tests.pages import PageData, make_page_data

pytestmark = pytest.mark.django_db

NOTICE = "No text in this page's language: shown in %(language)s."


def notice(language: str) -> str:
    """The notice's words in ``language``, before the name of the language shown."""
    with translation.override(language):
        return translation.gettext(NOTICE).split("%(language)s")[0].strip()


@pytest.fixture
def data(secretariat, ministry_a) -> PageData:
    data = make_page_data(secretariat=secretariat, lead=ministry_a)
    RecommendationText.objects.filter(recommendation=data.recommendation).exclude(
        language="en"
    ).delete()
    RecommendationText.objects.create(
        recommendation=data.recommendation,
        language="es",
        text="Texto oficial en español",
        source=TextSource.OFFICIAL,
    )
    return data


def _get(client, url: str, language: str) -> str:
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_detail_page_shows_the_page_language_s_text_first_without_a_notice(client, data):
    body = _get(
        client,
        reverse("recommendations:recommendation-detail", args=[data.recommendation.pk]),
        "es",
    )
    english = RecommendationText.objects.get(recommendation=data.recommendation, language="en")
    assert notice("es") not in body
    assert body.index("Texto oficial en español") < body.index(english.text[:40])
    assert body.count('href="#text-') == 1


def test_the_detail_page_says_when_it_falls_back_and_offers_the_other_languages(client, data):
    body = _get(
        client,
        reverse("recommendations:recommendation-detail", args=[data.recommendation.pk]),
        "ru",
    )
    spanish = RecommendationText.objects.get(recommendation=data.recommendation, language="es")
    assert notice("ru") in body
    # English is shown first; Spanish is offered.
    assert f'href="#text-{spanish.pk}"' in body


def test_the_list_says_when_a_text_is_shown_in_another_language(client, data):
    url = reverse("recommendations:recommendation-list") + "?document=A/HRC/58/14"
    russian, spanish = _get(client, url, "ru"), _get(client, url, "es")
    # The recommendation with a Spanish text is shown without the notice on the Spanish page.
    assert notice("ru") != notice("es")
    assert russian.count(notice("ru")) >= 1
    assert spanish.count(notice("es")) == russian.count(notice("ru")) - 1
