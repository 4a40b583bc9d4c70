"""Long lists stay bounded: counts and facets exact up to TRACKER_FACET_EXACT_LIMIT, estimated from
a sample past it (and the page says "about"); searches ranked only up to TRACKER_SEARCH_RANK_LIMIT
matches; the API's page count says whether it is exact. The limits are lowered here so that a few
dozen rows are "long"."""

from __future__ import annotations

import pytest
from django.core.paginator import EmptyPage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from recommendations import selectors
from recommendations.models import Recommendation
from tests.db import analyze
from tests.recommendations.helpers import bulk_recommendations
from tracker.counting import BoundedPaginator, bounded_count, round_estimate

pytestmark = pytest.mark.django_db


def test_count_is_exact_up_to_the_limit_and_estimated_past_it():
    bulk_recommendations(30)
    qs = Recommendation.objects.all()
    exact = bounded_count(qs, limit=30)
    assert (exact.value, exact.exact, len(exact.ids), exact.scale) == (30, True, 30, 1)
    # A sample as large as the table counts every row: the estimate is the count.
    whole = bounded_count(qs, limit=10, sample_size=1000)
    assert (whole.value, whole.exact, whole.scale) == (30, False, 1)
    # Every third id: about a third of the rows, each standing for three.
    sampled = bounded_count(qs, limit=10, sample_size=10)
    assert sampled.exact is False
    assert sampled.scale == 3
    assert len(sampled.ids) == 10
    assert sampled.value == 30
    assert set(sampled.ids) < set(qs.values_list("pk", flat=True))


def test_an_estimate_is_never_below_the_limit_and_is_rounded_for_display():
    recs = bulk_recommendations(30)
    # Filtered to rows the sample (every 30th id) misses: estimated at the limit plus one.
    qs = Recommendation.objects.filter(pk__in=[r.pk for r in recs[1:25]])
    count = bounded_count(qs, limit=10, sample_size=1)
    assert count.exact is False
    assert count.value == 11
    assert round_estimate(268_413) == 268_000
    assert round_estimate(12_345) == 12_300
    assert round_estimate(987) == 987


def test_paginator_past_the_limit_finds_the_next_page_from_the_rows():
    bulk_recommendations(30)
    paginator = BoundedPaginator(Recommendation.objects.all(), 5, limit=10)
    assert paginator.count_is_exact is False
    last = paginator.page(6)
    assert len(last.object_list) == 5
    assert last.has_next() is False
    assert paginator.page(5).has_next() is True
    assert last.end_index() == 30
    with pytest.raises(EmptyPage):
        paginator.page(7)
    assert paginator.get_page(99).number == 1
    small = BoundedPaginator(Recommendation.objects.all(), 5, limit=100)
    assert (small.count, small.count_is_exact, small.num_pages) == (30, True, 6)


def test_facets_past_the_limit_are_counted_in_the_sample_and_scaled(settings):
    bulk_recommendations(40)
    qs = Recommendation.objects.all()
    settings.TRACKER_FACET_EXACT_LIMIT = 1000
    exact = selectors.recommendation_facets(qs)
    assert [f.count for f in exact["position"]] == [40]
    assert [f.count for f in exact["theme"]] == [40]
    count = bounded_count(qs, limit=10, sample_size=20)
    estimated = selectors.recommendation_facets(qs, count)
    assert count.scale == 2
    assert [f.count for f in estimated["position"]] == [count.scale * len(count.ids)]
    assert [f.count for f in estimated["theme"]] == [count.scale * len(count.ids)]


def test_estimated_facets_are_kept_a_while_by_sample_and_language(settings):
    from django.core.cache import cache

    from recommendations.models import Position

    cache.clear()
    settings.TRACKER_FACET_CACHE_SECONDS = 300
    bulk_recommendations(40)
    qs = Recommendation.objects.all()
    count = bounded_count(qs, limit=10, sample_size=20)
    assert not count.exact
    first = selectors.recommendation_facets(qs, count)
    assert [f.value for f in first["position"]] == [Position.SUPPORTED]
    Recommendation.objects.update(position=Position.NOTED)

    with CaptureQueriesContext(connection) as ctx:
        again = selectors.recommendation_facets(qs, count)
    assert len(ctx.captured_queries) == 0  # from the cache, as the page says "about"
    assert again == first
    with translation.override("fr"):  # labels in another language: counted again
        in_french = selectors.recommendation_facets(qs, count)
    assert [f.value for f in in_french["position"]] == [Position.NOTED]
    settings.TRACKER_FACET_CACHE_SECONDS = 0
    fresh = selectors.recommendation_facets(qs, count)
    assert [f.count for f in fresh["position"]] == [count.scale * len(count.ids)]
    # Exact counts are never cached.
    Recommendation.objects.update(position="")
    settings.TRACKER_FACET_CACHE_SECONDS = 300
    assert selectors.recommendation_facets(qs, bounded_count(qs, limit=1000))["position"] == []
    cache.clear()


def test_list_page_says_the_counts_are_estimated_past_the_limit(client, settings):
    bulk_recommendations(40)
    url = reverse("recommendations:recommendation-list")
    settings.TRACKER_FACET_EXACT_LIMIT = 1000
    with translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "40 recommendations found" in page
    assert "Counts estimated from a sample" not in page
    settings.TRACKER_FACET_EXACT_LIMIT = 10
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "About 40 recommendations found" in page
    assert "Counts estimated from a sample" in page
    assert ">about 40<" in page  # the facet counts
    assert "Assign all matching this filter" not in page  # the public has no assignment form


def test_list_page_queries_stay_constant_past_the_limit(client, settings):
    settings.TRACKER_FACET_EXACT_LIMIT = 20
    first = bulk_recommendations(30)
    url = reverse("recommendations:recommendation-list")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    bulk_recommendations(470, document=first[0].document, start=31)
    analyze()
    assert queries() == small


def test_search_with_more_matches_than_the_limit_keeps_the_list_order(client, settings):
    bulk_recommendations(5, text="Protect the rights of women human rights defenders.")
    url = reverse("recommendations:recommendation-list") + "?q=defenders"
    settings.TRACKER_SEARCH_RANK_LIMIT = 100
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="search-unranked"' not in page
    settings.TRACKER_SEARCH_RANK_LIMIT = 3
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="search-unranked"' in page
    assert "More than 3 recommendations match" in page
    api = client.get(reverse("api:recommendation-list") + "?q=defenders").json()
    listed = [r["id"] for r in api["results"]]
    expected = list(
        Recommendation.objects.order_by(*Recommendation._meta.ordering).values_list("pk", flat=True)
    )
    assert listed == expected


def test_api_count_says_whether_it_is_exact(client, settings):
    bulk_recommendations(30)
    url = reverse("api:recommendation-list") + "?page_size=10"
    settings.TRACKER_FACET_EXACT_LIMIT = 100
    body = client.get(url).json()
    assert (body["count"], body["count_is_exact"]) == (30, True)
    settings.TRACKER_FACET_EXACT_LIMIT = 10
    body = client.get(url).json()
    assert body["count_is_exact"] is False
    assert body["count"] >= 11
    assert body["next"] is not None
    # Paging by number reaches every row though the count is an estimate.
    seen = []
    page_url: str | None = url
    while page_url:
        body = client.get(page_url).json()
        seen += [r["id"] for r in body["results"]]
        page_url = body["next"]
    assert len(seen) == len(set(seen)) == 30


def test_facets_of_an_empty_list_are_empty():
    bulk_recommendations(3)
    qs = Recommendation.objects.filter(pk__lt=0)
    count = bounded_count(qs, limit=10)
    assert (count.value, count.exact, count.ids) == (0, True, ())
    assert all(values == [] for values in selectors.recommendation_facets(qs, count).values())


def test_document_filter_takes_typed_symbols_from_a_query_string_or_a_dict():
    from django.http import QueryDict

    from recommendations.filters import SymbolsInput

    widget = SymbolsInput()
    query = QueryDict("document=A/HRC/1/2+B/C/3&document=D/4")
    assert widget.value_from_datadict(query, {}, "document") == ["A/HRC/1/2", "B/C/3", "D/4"]
    assert widget.value_from_datadict({"document": ["A/1", "B/2"]}, {}, "document") == [
        "A/1",
        "B/2",
    ]
    assert widget.value_from_datadict({"document": "A/1, B/2"}, {}, "document") == ["A/1", "B/2"]
    assert widget.value_from_datadict({}, {}, "document") == []
    assert widget.format_value(["A/1", "B/2"]) == "A/1 B/2"
