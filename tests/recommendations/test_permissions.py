"""Who sees which recommendation: every role, positive and negative, in pages and the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recommendations import policies
from tests.factories.recommendations import ClusterFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "public",
    "secretariat",
    "focal_point",
    "validator",
    "other_focal_point",
    "nhri",
    "cso",
    "partner",
]

# (persona, sees published, sees archived, sees draft in a cluster led by Ministry A, sees other draft)
MATRIX = {
    "public": (True, False, False, False),
    "secretariat": (True, True, True, True),
    "focal_point": (True, True, True, False),
    "validator": (True, True, True, False),
    "other_focal_point": (True, True, False, False),
    "nhri": (True, True, False, False),
    "cso": (True, True, False, False),
    "partner": (True, True, False, False),
}


@pytest.fixture
def recommendations(ministry_a):
    led_by_a = ClusterFactory(lead_institution=ministry_a)
    return {
        "published": RecommendationFactory(),
        "archived": RecommendationFactory(archived=True),
        "own_draft": RecommendationFactory(draft=True, cluster=led_by_a),
        "other_draft": RecommendationFactory(draft=True, cluster=ClusterFactory()),
    }


KINDS = ["published", "archived", "own_draft", "other_draft"]
# One cell per persona and kind of recommendation: each passes or fails on its own.
VISIBILITY_CELLS = [
    pytest.param(persona_name, kind, allowed, id=f"{persona_name}-{kind}")
    for persona_name, row in MATRIX.items()
    for kind, allowed in zip(KINDS, row, strict=True)
]


@pytest.mark.parametrize(("persona_name", "kind", "allowed"), VISIBILITY_CELLS)
def test_visibility_matrix_in_policy_page_and_api(
    client, persona, recommendations, persona_name, kind, allowed
):
    user = persona(persona_name)
    if user is not None:
        client.force_login(user)
    rec = recommendations[kind]

    assert (rec in set(policies.visible_recommendations(user))) is allowed
    assert policies.can_view_recommendation(user, rec) is allowed
    page = client.get(reverse("recommendations:recommendation-detail", args=[rec.pk]))
    assert page.status_code == (200 if allowed else 404)
    api = client.get(reverse("api:recommendation-detail", args=[rec.pk]))
    assert api.status_code == (200 if allowed else 404)


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_the_api_list_shows_each_persona_what_the_matrix_says(
    client, persona, recommendations, persona_name
):
    user = persona(persona_name)
    if user is not None:
        client.force_login(user)
    listed = {row["id"] for row in client.get(reverse("api:recommendation-list")).json()["results"]}
    expected = dict(zip(KINDS, MATRIX[persona_name], strict=True))
    assert listed == {recommendations[k].pk for k, allowed in expected.items() if allowed}


@pytest.mark.parametrize(
    ("persona_name", "allowed"),
    [("secretariat", True)] + [(p, False) for p in PERSONAS if p != "secretariat"],
)
def test_only_the_secretariat_may_edit_and_read_the_change_log(persona, persona_name, allowed):
    user = persona(persona_name)
    rec = RecommendationFactory()
    assert policies.can_edit_recommendation(user, rec) is allowed
    assert policies.can_view_history(user, rec) is allowed


@pytest.mark.parametrize(
    ("persona_name", "allowed"),
    [("secretariat", True), ("focal_point", True), ("validator", True)]
    + [(p, False) for p in ("public", "nhri", "cso", "partner")],
)
def test_national_notes_are_for_state_institutions(persona, persona_name, allowed):
    assert policies.can_view_national_notes(persona(persona_name)) is allowed


def test_inactive_user_sees_only_what_the_public_sees(secretariat, recommendations):
    secretariat.is_active = False
    secretariat.save()
    secretariat = type(secretariat).objects.get(pk=secretariat.pk)
    assert set(policies.visible_recommendations(secretariat)) == {recommendations["published"]}


def test_write_methods_are_refused_by_the_read_only_api(api_client, secretariat):
    rec = RecommendationFactory()
    api_client.force_authenticate(secretariat)
    url = reverse("api:recommendation-detail", args=[rec.pk])
    assert api_client.delete(url).status_code == 405
    assert api_client.put(url, {"status": "implemented"}, format="json").status_code == 405
    # Only the national fields are patched: a feed's field (or the status) is a 400 naming it.
    patched = api_client.patch(url, {"status": "implemented"}, format="json")
    assert patched.status_code == 400
    assert list(patched.json()["extra"]["fields"]) == ["status"]
    rec.refresh_from_db()
    assert rec.status != "implemented"
