"""The secretariat's pages of the national follow-up: the role matrix of each (the secretariat
opens and uses them; every other persona is refused, and anonymous visitors are sent to sign in,
with nothing written), and what each does."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recommendations.models import Cluster, Recommendation, RelatedDismissal, Theme
from tests.factories.recommendations import ClusterFactory, RecommendationFactory, ThemeFactory

pytestmark = pytest.mark.django_db

REFUSED = ["focal_point", "validator", "other_focal_point", "nhri", "cso", "partner"]


@pytest.fixture
def objects():
    cluster = ClusterFactory(name="Justice")
    rec = RecommendationFactory(text="Ratify the Optional Protocol against Torture.")
    other = RecommendationFactory(text="Ratify the Optional Protocol against Torture soon.")
    theme = Theme.objects.create(name="Unreviewed", is_reviewed=False)
    rec.themes.add(theme)
    return {"cluster": cluster, "rec": rec, "other": other, "theme": theme}


def _gets(o):
    return [
        reverse("recommendations:cluster-list"),
        reverse("recommendations:cluster-edit", args=[o["cluster"].pk]),
        reverse("recommendations:cluster-suggestions"),
        reverse("recommendations:taxonomy-review"),
        reverse("recommendations:recommendation-create"),
    ]


def _posts(o):
    rec, cluster = o["rec"], o["cluster"]
    return [
        (
            reverse("recommendations:recommendation-national", args=[rec.pk]),
            {"priority": "high", "version": 1},
        ),
        (reverse("recommendations:cluster-list"), {"name": "New cluster"}),
        (reverse("recommendations:cluster-edit", args=[cluster.pk]), {"name": "Renamed"}),
        (
            reverse("recommendations:cluster-suggestions"),
            {"theme": o["theme"].pk, "name": "From theme"},
        ),
        (
            reverse("recommendations:recommendation-assign"),
            {"cluster": cluster.pk, "scope": "all", "query": ""},
        ),
        (
            reverse("recommendations:recommendation-related", args=[rec.pk]),
            {"other": o["other"].pk, "action": "dismiss"},
        ),
        (
            reverse("recommendations:taxonomy-term", args=[o["theme"].pk]),
            {"kind": "theme", "action": "rename", "name": "Renamed theme"},
        ),
        (
            reverse("recommendations:recommendation-create"),
            {
                "mechanism": "X",
                "family": "national",
                "symbol": "X/1",
                "text": "T",
                "language": "en",
                "annotation_type": "recommendation",
                "publication_state": "draft",
            },
        ),
    ]


def _snapshot():
    return (
        sorted(Cluster.objects.values_list("name", "is_active")),
        sorted(Recommendation.objects.values_list("pk", "cluster_id", "priority", "version")),
        RelatedDismissal.objects.count(),
        sorted(Theme.objects.values_list("name", "is_reviewed")),
    )


def test_the_secretariat_opens_every_page(client_as, objects):
    client = client_as("secretariat")
    for url in _gets(objects):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("persona_name", REFUSED)
def test_other_personas_are_refused_every_page_and_action(client_as, objects, persona_name):
    client = client_as(persona_name)
    before = _snapshot()
    for url in _gets(objects):
        assert client.get(url).status_code == 403, url
    for url, data in _posts(objects):
        assert client.post(url, data).status_code == 403, url
    assert _snapshot() == before


def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_is_written(client_as, objects):
    client = client_as("public")
    before = _snapshot()
    for url in _gets(objects):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("account_login") in response["Location"]
    for url, data in _posts(objects):
        assert client.post(url, data).status_code == 302, url
    assert _snapshot() == before


def test_each_action_of_the_secretariat_writes(client_as, objects):
    client = client_as("secretariat")
    for url, data in _posts(objects):
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.content[:2000])
    assert Cluster.objects.filter(name="New cluster").exists()
    assert Cluster.objects.filter(name="Renamed").exists()
    assert Cluster.objects.filter(name="From theme").exists()
    assert Theme.objects.filter(name="Renamed theme", is_reviewed=True).exists()
    assert RelatedDismissal.objects.count() == 1
    assert Recommendation.objects.filter(is_manual=True).count() == 1


def test_the_list_offers_bulk_assignment_to_the_secretariat_only(client_as, objects):
    url = reverse("recommendations:recommendation-list")
    page = client_as("secretariat").get(url).content.decode()
    assert 'id="assign-form"' in page
    assert 'name="ids"' in page
    for name in ["public", "focal_point", "nhri"]:
        other = client_as(name).get(url).content.decode()
        assert 'id="assign-form"' not in other
        assert 'name="ids"' not in other


def test_bulk_assignment_of_the_selected(client_as, objects):
    rec, other, cluster = objects["rec"], objects["other"], objects["cluster"]
    response = client_as("secretariat").post(
        reverse("recommendations:recommendation-assign"),
        {"cluster": cluster.pk, "scope": "selected", "ids": [rec.pk], "query": "?q=torture"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("recommendations:recommendation-list") + "?q=torture"
    assert list(cluster.recommendations.all()) == [rec]
    other.refresh_from_db()
    assert other.cluster_id is None


def test_bulk_assignment_of_all_matching_the_filter(client_as, objects):
    cluster = objects["cluster"]
    theme = ThemeFactory(name="Water")
    matching = [RecommendationFactory() for _ in range(30)]  # more than a page
    for rec in matching:
        rec.themes.add(theme)
    client_as("secretariat").post(
        reverse("recommendations:recommendation-assign"),
        {"cluster": cluster.pk, "scope": "all", "query": f"theme={theme.pk}"},
    )
    assert set(cluster.recommendations.all()) == set(matching)


def test_bulk_assignment_with_an_invalid_filter_writes_nothing(client_as, objects):
    client_as("secretariat").post(
        reverse("recommendations:recommendation-assign"),
        {"cluster": objects["cluster"].pk, "scope": "all", "query": "theme=999999"},
    )
    assert not objects["cluster"].recommendations.exists()


def test_a_stale_form_save_is_refused_with_a_message_and_writes_nothing(client_as, objects):
    rec = objects["rec"]
    client = client_as("secretariat")
    url = reverse("recommendations:recommendation-national", args=[rec.pk])
    assert client.post(url, {"priority": "low", "version": 1}).status_code == 302

    response = client.post(url, {"priority": "high", "priority_reason": "x", "version": 1})

    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    rec.refresh_from_db()
    assert (rec.priority, rec.priority_reason, rec.version) == ("low", "", 2)


def test_a_bad_priority_is_a_400_with_the_field(client_as, objects):
    rec = objects["rec"]
    response = client_as("secretariat").post(
        reverse("recommendations:recommendation-national", args=[rec.pk]),
        {"priority": "urgent", "version": 1},
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_detail_page_shows_related_and_suggestions_to_the_secretariat(client_as, objects):
    rec, other = objects["rec"], objects["other"]
    page = client_as("secretariat").get(
        reverse("recommendations:recommendation-detail", args=[rec.pk])
    )
    html = page.content.decode()
    assert "Suggested by text similarity" in html
    assert reverse("recommendations:recommendation-detail", args=[other.pk]) in html
    public = client_as("public").get(
        reverse("recommendations:recommendation-detail", args=[rec.pk])
    )
    assert "Suggested by text similarity" not in public.content.decode()
