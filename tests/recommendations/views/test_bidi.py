"""Arabic pages: Latin runs (document symbols with their paragraph, codes, names) are isolated so that
they keep their order; theme and affected-group labels are shown in the page's language where the
term has a translation, and marked as English where the UHRI name is shown instead.

The rendered order itself is checked in Chromium (tests/e2e/test_accessibility.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from recommendations.models import TaxonomySource, Theme
from tests.pages import PageData, make_page_data

pytestmark = pytest.mark.django_db

REFERENCE = '<bdi dir="ltr">A/HRC/58/14, ¶ 127.1</bdi>'
UNTRANSLATED = (
    "Prohibition of torture &amp; ill-treatment (including cruel, inhuman or degrading treatment)"
)


@pytest.fixture
def data(secretariat, ministry_a) -> PageData:
    return make_page_data(secretariat=secretariat, lead=ministry_a)


def _get(client, url: str, language: str) -> str:
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_symbol_and_paragraph_are_one_left_to_right_run_in_list_and_detail(
    client, data, language
):
    listed = _get(
        client, reverse("recommendations:recommendation-list") + "?document=A/HRC/58/14", language
    )
    assert REFERENCE in listed
    detail = _get(
        client,
        reverse("recommendations:recommendation-detail", args=[data.recommendation.pk]),
        language,
    )
    assert f"<span>{REFERENCE}</span>" in detail  # the heading
    assert f'aria-current="page">{REFERENCE}</li>' in detail  # the breadcrumb


def test_arabic_detail_shows_translated_labels_and_marks_english_ones(client, data):
    body = _get(
        client,
        reverse("recommendations:recommendation-detail", args=[data.recommendation.pk]),
        "ar",
    )
    assert "<bdi>حقوق الطفل</bdi>" in body
    assert f'<bdi lang="en">{UNTRANSLATED}</bdi>' in body
    assert '<bdi lang="en">Persons deprived of their liberty</bdi>' in body
    assert '<bdi dir="ltr" class="fw-semibold">16.3</bdi>' in body


def test_labels_follow_the_page_language(client, data):
    url = reverse("recommendations:recommendation-detail", args=[data.recommendation.pk])
    french = _get(client, url, "fr")
    assert "<bdi>Droits de l&#x27;enfant</bdi>" in french
    assert f'<bdi lang="en">{UNTRANSLATED}</bdi>' in french
    english = _get(client, url, "en")
    # No English translation: the UHRI name, in the page's own language (no lang attribute).
    assert "<bdi>Children&#x27;s rights (test)</bdi>" in english
    assert f"<bdi>{UNTRANSLATED}</bdi>" in english


def test_the_list_isolates_theme_labels_too(client, data):
    body = _get(
        client, reverse("recommendations:recommendation-list") + "?document=A/HRC/58/14", "ar"
    )
    assert f'<bdi lang="en">{UNTRANSLATED}</bdi>' in body
    assert "<bdi>حقوق الطفل</bdi>" in body


def test_label_language_is_the_translation_s_or_english_for_uhri_names_or_unknown():
    uhri = Theme(name="Right to education", names={"ar": "الحق في التعليم"})
    national = Theme(name="Droits des peuples autochtones", source=TaxonomySource.NATIONAL)
    with translation.override("ar"):
        assert (uhri.label, uhri.label_language) == ("الحق في التعليم", "ar")
        assert (national.label, national.label_language) == ("Droits des peuples autochtones", None)
    with translation.override("ru"):
        assert (uhri.label, uhri.label_language) == ("Right to education", "en")


def test_the_import_pages_keep_sources_and_references_left_to_right(client, secretariat, data):
    client.force_login(secretariat)
    listed = _get(client, reverse("recommendations:import-list"), "ar")
    assert '<bdi dir="ltr">https://example.org/uhri/export-full-en.json</bdi>' in listed
    detail = _get(client, reverse("recommendations:import-detail", args=[data.import_run.pk]), "ar")
    assert '<bdi dir="ltr">A/HRC/58/14, ¶ 127.9</bdi>' in detail
    assert '<bdi dir="ltr">AnnotationId</bdi>' in detail
