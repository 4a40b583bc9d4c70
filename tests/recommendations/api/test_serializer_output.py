"""The recommendation API's fast representation gives exactly what DRF's generic path gives."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse
from rest_framework import serializers as drf_serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from recommendations.api.serializers import RecommendationSerializer
from recommendations.models import (
    AffectedGroup,
    Position,
    Priority,
    Recommendation,
    RecommendationText,
    ReviewCycle,
    Theme,
)
from tests.factories.recommendations import (
    ClusterFactory,
    DocumentFactory,
    MechanismFactory,
    RecommendationFactory,
)
from tests.recommendations.helpers import sdg_target
from tracker.models import Country

pytestmark = pytest.mark.django_db


def _generic(rec: Recommendation) -> dict[str, object]:
    """What ModelSerializer's own to_representation makes of the row, through the JSON renderer."""
    request = Request(APIRequestFactory().get(reverse("api:recommendation-list")))
    serializer = RecommendationSerializer(context={"request": request})
    data = drf_serializers.ModelSerializer.to_representation(serializer, rec)
    return json.loads(JSONRenderer().render(data))


@pytest.fixture
def varied_recommendations() -> list[Recommendation]:
    upr = MechanismFactory(code="UPR")
    cycle = ReviewCycle.objects.create(mechanism=upr, number=4, label="Fourth cycle")
    with_cycle = DocumentFactory(mechanism=upr, cycle=cycle)
    treaty = DocumentFactory(mechanism=MechanismFactory(code="CEDAW", family="treaty_body"))

    plain = RecommendationFactory(document=treaty, paragraph="12 (a)")
    tagged = RecommendationFactory(
        document=with_cycle,
        annotation_id=uuid.uuid4(),
        position=Position.SUPPORTED,
        position_source="A/HRC/49/9/Add.1",
        priority=Priority.HIGH,
        priority_reason="Due at the mid-term report <b>soon</b>",
        cluster=ClusterFactory(name="Justice « et » droits"),
        text="Ensure the equality of women and men.",
    )
    tagged.themes.add(Theme.objects.create(name="Women's rights"), Theme.objects.create(name="B"))
    tagged.affected_groups.add(AffectedGroup.objects.create(name="Women & girls"))
    tagged.sdg_targets.add(sdg_target("5.1"), sdg_target("16.1"))
    tagged.recommending_states.add(
        Country.objects.create(iso3="FRA", iso2="FR"), Country.objects.create(iso3="URY")
    )
    RecommendationText.objects.create(
        recommendation=tagged, language="fr", text="Garantir l'égalité.", html="<p>x</p>"
    )
    manual = RecommendationFactory(
        document=with_cycle, is_manual=True, is_current=False, draft=True
    )
    return [plain, tagged, manual]


def test_each_row_of_the_list_is_what_the_generic_serializer_makes(
    varied_recommendations, api_client_as
):
    data = api_client_as("secretariat").get(reverse("api:recommendation-list")).json()

    rows = {row["id"]: row for row in data["results"]}
    assert set(rows) == {rec.pk for rec in varied_recommendations}
    for rec in Recommendation.objects.filter(pk__in=rows):
        expected = _generic(rec)
        assert list(rows[rec.pk]) == list(expected)  # the same keys in the same order
        assert rows[rec.pk] == expected


def test_the_detail_is_what_the_generic_serializer_makes(varied_recommendations, api_client):
    tagged = varied_recommendations[1]

    row = api_client.get(reverse("api:recommendation-detail", args=[tagged.pk])).json()

    assert row == _generic(tagged)
    assert row["url"].endswith(reverse("api:recommendation-detail", args=[tagged.pk]))
    assert row["cluster_name"] == "Justice « et » droits"
    assert row["recommending_states"] == ["FRA", "URY"]
