"""List and detail pages and the API make as many queries for 1,000 recommendations as for 10,
and no more than their budget: a change that adds a query to one of them says so here."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.db import analyze
from tests.recommendations.helpers import bulk_recommendations

pytestmark = pytest.mark.django_db

# Queries of a first page, by page and persona: the facets (one or two queries each), the page,
# its count and the prefetches; a signed-in persona adds the session, the user and the roles.
# The document filter is typed (no query for its choices).
LIST_QUERIES = {
    ("recommendations:recommendation-list", "public"): 25,
    # The secretariat's list has one more: the active clusters of its bulk assignment form.
    ("recommendations:recommendation-list", "secretariat"): 29,
    ("recommendations:recommendation-list", "focal_point"): 29,
    ("api:recommendation-list", "public"): 7,
    ("api:recommendation-list", "secretariat"): 10,
    ("api:recommendation-list", "focal_point"): 11,
}
DETAIL_QUERIES = {
    # As the secretariat (the only ones who edit): 11, and 3 for its tools: the clusters of the
    # cluster and priority form, the recommendation's English text and the similar ones of
    # its State (one query whatever their number, see selectors.related_suggestions).
    "recommendations:recommendation-detail": 14,
    "api:recommendation-detail": 9,
}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url_name",
    [
        "recommendations:recommendation-list",
        "api:recommendation-list",
    ],
)
@pytest.mark.parametrize("persona_name", ["public", "secretariat", "focal_point"])
def test_list_queries_do_not_grow_with_the_number_of_recommendations(
    client, persona, url_name, persona_name
):
    user = persona(persona_name)
    if user is not None:
        client.force_login(user)
    first = bulk_recommendations(10)
    url = reverse(url_name)
    small = _queries(client, url)
    assert small == LIST_QUERIES[(url_name, persona_name)]
    bulk_recommendations(990, document=first[0].document, start=11)
    analyze()
    assert _queries(client, url) == small
    # A search and a filter add three: how the query is understood, whether its matches are few
    # enough to rank (TRACKER_SEARCH_RANK_LIMIT), and the theme named.
    assert (
        _queries(client, url + "?q=judiciary&theme=" + str(first[0].themes.get().pk)) <= small + 3
    )


@pytest.mark.parametrize(
    "url_name", ["recommendations:recommendation-detail", "api:recommendation-detail"]
)
def test_detail_queries_do_not_grow_with_the_number_of_recommendations(
    client, secretariat, url_name
):
    client.force_login(secretariat)
    first = bulk_recommendations(10)
    url = reverse(url_name, args=[first[0].pk])
    small = _queries(client, url)
    assert small == DETAIL_QUERIES[url_name]
    bulk_recommendations(990, document=first[0].document, start=11)
    analyze()
    assert _queries(client, url) == small
