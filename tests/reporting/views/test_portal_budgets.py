"""The portal's budgets: every page makes as many queries for 1,000 recommendations as for 10,
and weighs at most 200 kB, HTML, stylesheets and scripts together (fonts aside), uncompressed,
as the browser parses them. What a phone downloads is far less: each response and each asset
compressed with gzip as they are served (Caddy compresses the pages, ``encode gzip`` in
deploy/caddy/Caddyfile; WhiteNoise serves the static files precompressed); the test prints both.
The assets are read from the static files finders, as ``collectstatic`` would collect them
(Bootstrap's stylesheet as ``make assets`` trims it)."""

from __future__ import annotations

import gzip
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.reporting.portal_data import add_recommendations, build_portal

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 200 * 1000
# The queries of the portal's own views for the public: two say how fresh the data are (the last
# import, the last published report), the rest are the view's reads (a page of rows and its count,
# and one prefetch per kind of thing a row shows). A change that adds one says so here.
PORTAL_VIEW_QUERIES = {
    "institutions": 3,
    "institution": 9,
    "clusters": 4,
    "cluster": 12,
    "goals": 5,
    "goal": 13,
    "plan": 13,
}
# The stylesheets and scripts a page references (not fonts, images or icons).
ASSET = re.compile(
    r'<(?:link[^>]*\brel="stylesheet"[^>]*\bhref|script[^>]*\bsrc)="'
    + re.escape(
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    )
    + r'([^"?#]+)'
)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def page_weight(client, url: str) -> tuple[int, int, list[str]]:
    """(bytes over the wire, bytes uncompressed, assets) of a page and what it references."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content
    assets = sorted(set(ASSET.findall(html.decode())))
    assert any(a.endswith(".css") for a in assets), f"{url}: no stylesheet found"
    wire, raw = _gzipped(html), len(html)
    for asset in assets:
        path = finders.find(asset)
        assert path, f"{url}: {asset} is not a static file"
        with open(path, "rb") as handle:
            data = handle.read()
        wire += _gzipped(data)
        raw += len(data)
    return wire, raw, assets


@pytest.fixture
def portal(ministry_a):
    # 25 measures: more than a page of the plan's measures (20).
    return build_portal(10, measures=25, lead=ministry_a)


@pytest.mark.parametrize("persona_name", ["public", "secretariat"])
def test_portal_pages_make_as_many_queries_for_1000_recommendations_as_for_10(
    client_as, portal, persona_name
):
    client = client_as(persona_name)
    urls = portal.urls()
    few = {name: _queries(client, url) for name, url in urls.items()}
    if persona_name == "public":
        assert {name: few[name] for name in PORTAL_VIEW_QUERIES} == PORTAL_VIEW_QUERIES
    add_recommendations(portal, 990)
    assert len(portal.recommendations) == 1000
    many = {name: _queries(client, url) for name, url in urls.items()}
    assert many == few


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_portal_page_weighs_at_most_200_kb_uncompressed_with_1000_recommendations(
    anon_client, portal, capsys, language
):
    add_recommendations(portal, 990)
    anon_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    lines, over = [], []
    for name, url in portal.urls().items():
        wire, raw, assets = page_weight(anon_client, url)
        assert any(a.startswith("css/bootstrap/") for a in assets), f"{url}: {assets}"
        lines.append(f"{name:<16} {wire / 1000:7.1f} kB gzip {raw / 1000:7.1f} kB raw  {url}")
        if raw > BUDGET_BYTES:
            over.append(f"{name}: {raw} bytes")
    with capsys.disabled():
        print(f"\nportal page weights (HTML + CSS + JS), {language}:\n" + "\n".join(lines))  # noqa: T201 (the figures are the test's report)
    assert not over, over
