"""The home pages: a dashboard for each role, with a heading that names its purpose."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.html import h1 as _h1

pytestmark = pytest.mark.django_db

APOSTROPHE = "\u2019"  # French typography uses the typographic apostrophe

LANDINGS = {
    "public": ("reporting/home_public.html", "Human rights recommendations to the State"),
    "secretariat": ("reporting/home_secretariat.html", "Coordination overview"),
    "focal_point": ("reporting/home_institution.html", "Your institution's recommendations"),
    "validator": ("reporting/home_institution.html", "Your institution's recommendations"),
    "nhri": ("reporting/home_independent.html", "Independent monitoring"),
    "cso": ("reporting/home_independent.html", "Independent monitoring"),
    "partner": ("reporting/home_partner.html", "Recommendations by Sustainable Development Goal"),
}


@pytest.mark.parametrize("role", list(LANDINGS))
def test_each_role_gets_its_landing_with_a_heading_that_names_its_purpose(
    client_as, sample_recommendations, role
):
    template, heading = LANDINGS[role]
    response = client_as(role).get(reverse("home"))
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    assert _h1(response) == heading


@pytest.mark.parametrize("role", list(LANDINGS))
def test_landing_without_any_data_renders_for_every_role(client_as, role):
    template, _heading = LANDINGS[role]
    response = client_as(role).get(reverse("home"))
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]


def test_institution_landing_links_to_the_clusters_it_leads_and_to_its_drafts(
    client, focal_point, sample_recommendations
):
    client.force_login(focal_point)
    body = client.get(reverse("home")).content.decode()
    list_url = reverse("recommendations:recommendation-list")
    assert f'href="{list_url}?cluster={sample_recommendations["cluster"].pk}"' in body
    assert f'href="{list_url}?publication_state=draft"' in body


def test_secretariat_landing_links_to_drafts_and_statuses(
    client, secretariat, sample_recommendations
):
    client.force_login(secretariat)
    body = client.get(reverse("home")).content.decode()
    list_url = reverse("recommendations:recommendation-list")
    assert f'href="{list_url}?publication_state=draft"' in body
    assert f'href="{list_url}?status=not_started"' in body
    assert f'href="{list_url}?family=upr"' in body


def test_public_landing_links_each_goal_with_recommendations_to_the_filtered_list(
    client, sample_recommendations
):
    body = client.get(reverse("home")).content.decode()
    list_url = reverse("recommendations:recommendation-list")
    assert f'href="{list_url}?sdg_goal=16"' in body
    assert 'name="q"' in body


@pytest.mark.parametrize(
    ("role", "french"),
    [
        (
            "public",
            f"Recommandations des droits de l{APOSTROPHE}homme adressées à l{APOSTROPHE}État",
        ),
        ("secretariat", f"Vue d{APOSTROPHE}ensemble de la coordination"),
        ("focal_point", "Les recommandations de votre institution"),
        ("nhri", "Suivi indépendant"),
        ("partner", "Recommandations par objectif de développement durable"),
    ],
)
def test_pages_are_translated_into_french(client_as, sample_recommendations, role, french):
    response = client_as(role).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr")
    body = response.content.decode()
    assert _h1(response) == french
    assert "Passer au contenu principal" in body
    assert "Accueil" in body
