"""Lists fit for sync: cursor pages in the order of the last change, ``updated_since``, and
conditional GETs (ETag, 304)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Recommendation
from tests.factories.plans import PlanFactory
from tests.factories.recommendations import RecommendationFactory

pytestmark = pytest.mark.django_db

RECOMMENDATIONS = reverse("api:recommendation-list")


@pytest.fixture
def published():
    rows = [RecommendationFactory() for _ in range(7)]
    # Spread their last change over a week, oldest first.
    start = timezone.now() - timedelta(days=7)
    for n, row in enumerate(rows):
        Recommendation.objects.filter(pk=row.pk).update(updated_at=start + timedelta(days=n))
    return rows


def ids(body):
    return [row["id"] for row in body["results"]]


def test_cursor_pages_walk_every_row_once_in_the_order_of_change(api_client, published):
    seen, url = [], RECOMMENDATIONS + "?cursor=&page_size=3"
    while url:
        body = api_client.get(url).json()
        assert "count" not in body
        seen += ids(body)
        url = body["next"]
    assert seen == [row.pk for row in published]


def test_a_cursor_stays_right_when_rows_change_between_pages(api_client, published):
    first = api_client.get(RECOMMENDATIONS, {"cursor": "", "page_size": 3}).json()
    # A row of the first page changes: it moves to the end, and is seen again there.
    Recommendation.objects.filter(pk=published[0].pk).update(updated_at=timezone.now())
    rest, url = [], first["next"]
    while url:
        body = api_client.get(url).json()
        rest += ids(body)
        url = body["next"]
    assert rest == [row.pk for row in published[3:]] + [published[0].pk]


def test_updated_since_gives_the_rows_changed_since(api_client, published):
    since = (timezone.now() - timedelta(days=3, hours=12)).isoformat()
    body = api_client.get(RECOMMENDATIONS, {"updated_since": since}).json()
    assert ids(body) == [row.pk for row in published[-3:]]
    day = (timezone.now() - timedelta(days=1)).date().isoformat()
    assert api_client.get(RECOMMENDATIONS, {"updated_since": day}).status_code == 200


@pytest.mark.parametrize("value", ["yesterday", "2027-13-01", "2027-02-30T10:00"])
def test_a_bad_updated_since_is_a_400_naming_it(api_client, value):
    response = api_client.get(RECOMMENDATIONS, {"updated_since": value})
    assert response.status_code == 400
    assert "updated_since" in response.json()["extra"]["fields"]


def test_page_numbers_still_count(api_client, published):
    body = api_client.get(RECOMMENDATIONS, {"page_size": 5, "page": 2}).json()
    assert body["count"] == 7
    assert len(body["results"]) == 2


def test_updated_since_works_on_other_lists_too(api_client_as):
    old, new = PlanFactory(adopted=True), PlanFactory(adopted=True)
    PlanFactory._meta.model.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - timedelta(days=30)
    )
    since = (timezone.now() - timedelta(days=1)).isoformat()
    body = api_client_as("secretariat").get(reverse("api:plan-list"), {"updated_since": since})
    assert ids(body.json()) == [new.pk]


def test_an_unchanged_answer_is_a_304(api_client, published):
    first = api_client.get(RECOMMENDATIONS)
    etag = first["ETag"]
    again = api_client.get(RECOMMENDATIONS, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    detail = reverse("api:recommendation-detail", args=[published[0].pk])
    tag = api_client.get(detail)["ETag"]
    assert api_client.get(detail, HTTP_IF_NONE_MATCH=tag).status_code == 304
    # A change gives another answer, with its own tag.
    Recommendation.objects.filter(pk=published[0].pk).update(paragraph="999.1")
    changed = api_client.get(RECOMMENDATIONS, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_pages_carry_no_etag(client):
    assert not client.get(reverse("home")).has_header("ETag")


def test_a_filter_naming_no_row_gives_an_empty_list_and_a_bad_value_a_400(api_client, published):
    body = api_client.get(RECOMMENDATIONS, {"theme": "999999"})
    assert body.status_code == 200
    assert body.json()["results"] == []
    assert api_client.get(RECOMMENDATIONS, {"theme": "abc"}).status_code == 400
    assert api_client.get(RECOMMENDATIONS, {"status": "bogus"}).status_code == 400
