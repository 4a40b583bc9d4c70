"""The Content Security Policy: every page, as every persona, carries the header and has no inline
script, inline style, style attribute or event-handler attribute that the policy would block.

The pages are those of ``tests/pages.py``; a new URL pattern must be listed there (or excused with
a reason), which ``test_every_url_pattern_is_a_page_or_excused`` checks.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.conftest import PERSONAS
from tests.pages import (
    ADMIN_NOT_PAGES,
    FORBIDDEN,
    NOT_FOUND,
    NOT_PAGE_NAMESPACES,
    NOT_PAGES,
    PAGES,
    PageData,
    admin_pages,
    make_page_data,
    url_patterns,
)
from tracker.models import Institution, User

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"
# Directives every response must carry, exactly as given here (order of sources aside).
REQUIRED = {
    "default-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}
NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")
# Script types that browsers do not run (data blocks such as Django's json_script).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


class _Markup(HTMLParser):
    """What the policy governs in a page: script and style elements, and attributes that run code
    or style an element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.script_nonces: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        where = f"<{tag}{' id=' + attributes['id'] if attributes.get('id') else ''}>"
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{where} has an event-handler attribute {name}=")
            if name == "style":
                self.problems.append(f"{where} has a style attribute: {value!r}")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"{where} has a javascript: URL")
        if tag == "style":
            self.problems.append("a <style> element")
        rel = (attributes.get("rel") or "").split()
        if tag == "link" and "stylesheet" in rel and not _same_origin(attributes.get("href")):
            self.problems.append(f"a stylesheet from elsewhere: {attributes.get('href')}")
        if tag == "script":
            if (attributes.get("type") or "").lower() in DATA_SCRIPT_TYPES:
                return
            if not attributes.get("src"):
                self.problems.append(f"{where}: an inline script")
                return
            if not _same_origin(attributes["src"]):
                self.problems.append(f"a script from elsewhere: {attributes['src']}")
            self.script_nonces.append(attributes.get("nonce"))


def _same_origin(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return not parts.scheme and not parts.netloc and bool(parts.path)


def fetch(client: Client, path: str) -> list:
    """The responses to a GET of ``path``, following redirects within the site."""
    responses = []
    for _ in range(5):
        response = client.get(path)
        responses.append(response)
        location = response.get("Location", "")
        if response.status_code not in (301, 302, 303, 307, 308) or urlsplit(location).netloc:
            break
        path = location
    return responses


def problems_of(response, *, our_page: bool) -> list[str]:
    """What is wrong with one response under the policy; ``our_page`` asks for nonces on scripts
    (our templates put the request's nonce on every script tag; Django's admin does not)."""
    header = response.get(HEADER)
    if not header:
        return [f"no {HEADER} header"]
    directives = policy(header)
    found = [
        f"{name} is {' '.join(directives.get(name, [])) or 'missing'}, not {' '.join(sorted(sources))}"
        for name, sources in REQUIRED.items()
        if set(directives.get(name, [])) != sources
    ]
    script_src = directives.get("script-src", [])
    if "'self'" not in script_src or any(
        s not in ("'self'",) and not NONCE.fullmatch(s) for s in script_src
    ):
        found.append(f"script-src is {' '.join(script_src)}, not 'self' and a nonce")
    if not response.get("Content-Type", "").startswith("text/html"):
        return found
    markup = _Markup()
    markup.feed(response.content.decode())
    found += markup.problems
    nonces = {m.group(1) for s in script_src if (m := NONCE.fullmatch(s))}
    for nonce in markup.script_nonces:
        if nonce is None:
            if our_page:
                found.append("a script tag without the request's nonce")
        elif nonce not in nonces:
            found.append(f"a script nonce {nonce!r} that the header does not name")
    return found


@pytest.fixture
def page_data(secretariat: User, ministry_a: Institution, focal_point, validator) -> PageData:
    return make_page_data(secretariat=secretariat, lead=ministry_a)


@pytest.fixture
def operator() -> Client:
    client = Client()
    client.force_login(
        User.objects.create_superuser("operator", "operator@example.org", "correct-horse-battery")
    )
    return client


@pytest.mark.parametrize("who", PERSONAS)
def test_every_page_has_the_policy_and_nothing_inline_for_each_persona(client_as, page_data, who):
    client = client_as(who)
    failures = []
    for page in PAGES:
        path = page.path(page_data)
        for response in fetch(client, path):
            failures += [
                f"{page.id} {path} ({response.status_code}): {problem}"
                for problem in problems_of(response, our_page=True)
            ]
    assert not failures, "\n".join(failures)


def test_every_admin_page_has_the_policy_and_nothing_inline(operator, page_data):
    public = Client()
    failures = []
    checked = 0
    for name, path, who in admin_pages(page_data):
        for response in fetch(operator if who == "operator" else public, path):
            checked += 1
            failures += [
                f"{name} {path} ({response.status_code}): {problem}"
                for problem in problems_of(response, our_page=False)
            ]
    assert checked > 50
    assert not failures, "\n".join(failures)


def test_the_error_pages_and_a_forbidden_page_are_among_the_pages(client_as, page_data):
    statuses = {
        page.name: fetch(client_as(page.browser[0]), page.path(page_data))[-1].status_code
        for page in PAGES
        if page.name in (NOT_FOUND, FORBIDDEN)
    }
    assert statuses == {NOT_FOUND: 404, FORBIDDEN: 403}


def test_every_url_pattern_is_a_page_or_excused(page_data):
    patterns = dict(url_patterns())
    listed = {page.name for page in PAGES} - {NOT_FOUND, FORBIDDEN}
    admin_listed = {name for name, _path, _who in admin_pages(page_data)}
    missing = []
    for name, route in patterns.items():
        namespace = name.split(":", 1)[0] if ":" in name else ""
        if name in listed or name in NOT_PAGES:
            continue
        if namespace == "admin" and (name in admin_listed or name in ADMIN_NOT_PAGES):
            continue
        if namespace in NOT_PAGE_NAMESPACES and namespace != "admin":
            continue
        missing.append(f"{name or '(unnamed)'} ({route})")
    assert not missing, (
        "URL patterns neither in PAGES nor excused in NOT_PAGES (tests/pages.py): add each, so "
        "that the CSP test and the accessibility scan open it:\n" + "\n".join(missing)
    )
    stale = (listed | set(NOT_PAGES)) - set(patterns)
    assert stale == set(), "tests/pages.py names URL patterns that no longer exist"


def test_every_page_opens_in_the_browser_scan_for_someone():
    assert [page.id for page in PAGES if not page.browser] == []
    assert {p for page in PAGES for p in page.browser} <= set(PERSONAS)


def test_a_page_with_an_inline_script_or_style_fails_the_check(rf):
    from django.http import HttpResponse

    response = HttpResponse(
        '<p style="color: red" onclick="go()">x</p><script>alert(1)</script>'
        '<style>p {}</style><script src="/static/a.js"></script>'
        '<script type="application/json">{"ok": true}</script>'
    )
    response[HEADER] = (
        "default-src 'self'; script-src 'self' 'nonce-abc'; style-src 'self'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    )
    found = problems_of(response, our_page=True)
    assert any("style attribute" in p for p in found)
    assert any("event-handler attribute onclick" in p for p in found)
    assert any("inline script" in p for p in found)
    assert any("<style>" in p for p in found)
    assert any("without the request's nonce" in p for p in found)
    assert len(found) == 5  # the JSON data block is not a script: nothing to say about it


def test_the_policy_allows_no_unsafe_source(client):
    header = client.get("/")[HEADER]
    assert "unsafe" not in header
    assert "*" not in header
