from __future__ import annotations

import pytest
from django.urls import reverse

from recommendations.models import Theme
from tests.factories.recommendations import (
    ClusterFactory,
    DocumentFactory,
    MechanismFactory,
    RecommendationFactory,
)
from tests.recommendations.helpers import sdg_target

pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_recommendation_list_is_open_and_shows_texts_and_tags(api_client):
    rec = RecommendationFactory(text="Abolish the death penalty.")
    rec.themes.add(Theme.objects.create(name="Death penalty"))
    rec.sdg_targets.add(sdg_target("16.1"))

    data = api_client.get(reverse("api:recommendation-list")).json()

    assert data["count"] == 1
    row = data["results"][0]
    assert row["texts"] == [
        {"language": "en", "text": "Abolish the death penalty.", "html": "", "source": "official"}
    ]
    assert row["themes"] == ["Death penalty"]
    assert row["sdg_targets"] == ["16.1"]
    assert row["mechanism"] == "UPR"
    assert row["document"] == rec.document.symbol


@pytest.mark.parametrize(
    ("param", "make_value"),
    [
        ("mechanism", lambda r: r.document.mechanism.code),
        ("document", lambda r: r.document.symbol),
        ("theme", lambda r: r.themes.get().pk),
        ("sdg_target", lambda r: r.sdg_targets.get().code),
        ("sdg_goal", lambda r: r.sdg_targets.get().goal.number),
        ("cluster", lambda r: r.cluster_id),
        ("position", lambda r: r.position),
        ("status", lambda r: r.status),
        ("family", lambda r: r.document.mechanism.family),
    ],
)
def test_each_filter_selects_only_matching_recommendations(api_client, param, make_value):
    crc = MechanismFactory(code="CRC", family="treaty_body")
    wanted = RecommendationFactory(
        document=DocumentFactory(mechanism=crc),
        position="noted",
        status="in_progress",
        cluster=ClusterFactory(),
    )
    wanted.themes.add(Theme.objects.create(name="Rights of the child"))
    wanted.sdg_targets.add(sdg_target("4.1"))
    other = RecommendationFactory(position="supported")
    other.themes.add(Theme.objects.create(name="Other"))
    other.sdg_targets.add(sdg_target("16.3"))

    response = api_client.get(reverse("api:recommendation-list"), {param: make_value(wanted)})

    assert _ids(response) == {wanted.pk}


def test_invalid_filter_value_is_a_400_with_the_field(api_client):
    response = api_client.get(
        reverse("api:recommendation-list"), {"theme": "999999", "status": "bogus"}
    )
    assert response.status_code == 400
    fields = response.json()["extra"]["fields"]
    assert set(fields) == {"theme", "status"}


def test_sdg_targets_endpoint_orders_numerically_and_looks_up_by_code(api_client):
    for code in ["1.a", "1.10", "1.2"]:
        sdg_target(code)
    data = api_client.get(reverse("api:sdg-target-list")).json()
    assert [row["code"] for row in data["results"]] == ["1.2", "1.10", "1.a"]
    detail = api_client.get(reverse("api:sdg-target-detail", args=["1.a"]))
    assert detail.status_code == 200
    assert detail.json()["goal"] == 1


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/recommendations/" in schema.content
    assert b"/api/v1/sdg-targets/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_unknown_recommendation_is_a_404_in_the_error_shape(api_client):
    response = api_client.get(reverse("api:recommendation-detail", args=[424242]))
    assert response.status_code == 404
    assert set(response.json()) == {"message", "extra"}
