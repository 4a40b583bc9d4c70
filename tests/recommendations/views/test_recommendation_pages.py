"""The recommendation list and detail pages, for every role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.recommendations import RecommendationFactory

pytestmark = pytest.mark.django_db

ROLES = ["public", "secretariat", "focal_point", "validator", "nhri", "cso", "partner"]


def test_recommendation_list_renders_rows_facets_and_search(client, sample_recommendations):
    url = reverse("recommendations:recommendation-list")
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    published = sample_recommendations["published"]
    assert reverse("recommendations:recommendation-detail", args=[published.pk]) in body
    assert "Strengthen the independence of the judiciary." in body
    assert "national action plan on business" not in body  # a draft, hidden from the public
    assert 'name="q"' in body
    assert 'name="publication_state"' not in body
    assert f'href="?mechanism={published.document.mechanism.code}"' in body
    assert 'hx-get="' in body
    assert 'id="results"' in body


def test_recommendation_list_shows_drafts_with_a_badge_to_the_secretariat(
    client, secretariat, sample_recommendations
):
    client.force_login(secretariat)
    url = reverse("recommendations:recommendation-list") + "?publication_state=draft"
    body = client.get(url).content.decode()
    assert "national action plan on business" in body
    assert ">Draft</span>" in body
    assert 'name="publication_state"' in body


def test_selected_facet_links_remove_the_filter_and_active_filters_are_named(
    client, sample_recommendations
):
    mechanism = sample_recommendations["published"].document.mechanism.code
    url = reverse("recommendations:recommendation-list") + f"?mechanism={mechanism}&page=1"
    body = client.get(url).content.decode()
    assert 'aria-current="true"' in body
    assert 'href="?"' in body  # removing the only filter leads back to the whole list
    assert f"Mechanism: <bdi>{mechanism}</bdi>" in body


def test_recommendation_list_pagination_is_labelled_and_marks_the_current_page(client):
    from tests.recommendations.helpers import bulk_recommendations

    bulk_recommendations(30)
    url = reverse("recommendations:recommendation-list") + "?q=judiciary&page=2"
    body = client.get(url).content.decode()
    assert '<nav aria-label="Pagination">' in body
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2</a>' in body
    assert 'href="?q=judiciary&amp;page=1"' in body


def test_htmx_search_returns_only_the_results_and_the_facets(client, sample_recommendations):
    url = reverse("recommendations:recommendation-list") + "?q=judiciary"
    response = client.get(url, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith('<div id="results">')
    assert 'id="facets"' in body
    assert 'hx-swap-oob="true"' in body
    assert "Strengthen the independence" in body


def test_invalid_filter_shows_the_error_with_status_400(client, sample_recommendations):
    url = reverse("recommendations:recommendation-list") + "?mechanism=NOPE"
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Some filters are not valid" in body


@pytest.mark.parametrize("role", ROLES)
def test_detail_page_shows_every_text_with_its_language_and_direction(
    client_as, sample_recommendations, role
):
    client = client_as(role)
    published = sample_recommendations["published"]
    response = client.get(reverse("recommendations:recommendation-detail", args=[published.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="ar" dir="rtl">تعزيز استقلال القضاء.</div>' in body
    assert 'lang="en" dir="ltr">Strengthen the independence of the judiciary.</div>' in body
    assert "Arabic" in body
    assert "Official UN text" in body
    assert published.document.symbol in body
    assert ("History" in body) == (role == "secretariat")


def test_detail_page_shows_national_notes_only_to_the_state_institutions(
    client_as, sample_recommendations
):
    published = sample_recommendations["published"]
    published.national_notes = "Bill before parliament in March."
    published.save()
    url = reverse("recommendations:recommendation-detail", args=[published.pk])
    for role, sees in [
        ("public", False),
        ("nhri", False),
        ("focal_point", True),
        ("secretariat", True),
    ]:
        body = client_as(role).get(url).content.decode()
        assert ("Bill before parliament in March." in body) == sees, role


def test_detail_page_escapes_the_text(client):
    rec = RecommendationFactory.create(text="<script>alert(1)</script> Protect defenders.")
    body = client.get(reverse("recommendations:recommendation-detail", args=[rec.pk])).content
    assert b"<script>alert(1)</script>" not in body
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; Protect defenders." in body


def test_history_table_for_the_secretariat(client, secretariat, sample_recommendations):
    client.force_login(secretariat)
    published = sample_recommendations["published"]
    published.priority = "high"
    published.save()
    url = reverse("recommendations:recommendation-detail", args=[published.pk])
    body = client.get(url).content.decode()
    assert '<th scope="col">What changed</th>' in body
    assert "priority" in body
