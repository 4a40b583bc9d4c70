"""The XSS corpus in Chromium: every payload, through every text sink (tests/security/xss.py),
rendered in the pages and htmx partials that show it, in one browser session. No dialog opens, no
Content-Security-Policy violation is reported (the ``page`` fixture fails the test on any), and no
element or handler a payload names exists in the page. ``make test-xss`` opens every view of
every sink; ``make test`` the views that show many payloads at once."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Page

from tests.conftest import sign_in
from tests.factories.tracker import InstitutionFactory, MembershipFactory, UserFactory
from tests.security.xss import payloads, put_everything
from tracker.models import InstitutionKind
from tracker.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FULL = os.environ.get("TRACKER_XSS_FULL") == "1"
# What a payload would have made, had it been taken for markup.
INJECTED = r"""() => {
  // Our markup has no event-handler attribute (the CSP test), no script without src, and no URL
  // to another site or of a script scheme: any of these in the page came from a payload.
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'srcdoc',
                         'background', 'poster', 'hx-get', 'hx-post', 'hx-vals', 'hx-headers'];
  const hostile = /^\s*(javascript|vbscript|data|js):|evil\.example/i;
  const hostileHtmx = /^\s*(javascript|js):|evil\.example|admin|logout/i;
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    const tag = element.tagName.toLowerCase();
    if (['xss', 'custom-element', 'portal', 'iframe', 'object', 'embed', 'frameset',
         'marquee', 'math', 'dialog', 'style', 'base', 'isindex', 'keygen'].includes(tag)) {
      found.push(element.outerHTML.slice(0, 120));
      continue;
    }
    if (tag === 'script' && !element.src && element.type !== 'application/json') {
      found.push(element.outerHTML.slice(0, 120));
      continue;
    }
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on') || name.startsWith('hx-on') || name === 'hx-swap-oob'
          || (name.startsWith('hx-') && hostileHtmx.test(attribute.value))
          || (urlAttributes.includes(name) && hostile.test(attribute.value))) {
        found.push(element.outerHTML.slice(0, 120));
        break;
      }
    }
  }
  return found;
}"""


def _session_cookie(user) -> str:
    client = Client()
    sign_in(client, user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_no_payload_runs_in_the_browser(page: Page, live_server):
    call_command("load_reference_data", verbosity=0)
    office = InstitutionFactory(name="NMRF", kind=InstitutionKind.SECRETARIAT)
    secretariat = UserFactory(username="xss-secretariat")
    MembershipFactory(user=secretariat, institution=office, role=Role.SECRETARIAT)
    views = put_everything(secretariat, full=FULL)
    base = live_server.url
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    cookies = {"secretariat": _session_cookie(secretariat)}
    opened = 0
    failures = []
    for sink, sink_views in views.items():
        for view in sink_views:
            if not (FULL or view.browser):
                continue
            page.context.clear_cookies()
            jar = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": view.language, "url": base}]
            if view.persona in cookies:
                jar.append(
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": cookies[view.persona],
                        "url": base,
                    }
                )
            page.context.add_cookies(jar)
            if view.htmx:
                page.goto(base + view.path)
                page.evaluate(
                    "(path) => htmx.ajax('GET', path, {target: '#results', swap: 'outerHTML'})",
                    view.path + "&page=2",
                )
                page.wait_for_load_state("networkidle")
            else:
                page.goto(base + view.path)
            opened += 1
            found = page.evaluate(INJECTED)
            if found:
                failures.append(f"{sink} {view.path}: {found[:3]}")
    assert opened >= 10
    assert not dialogs, f"dialogs opened: {dialogs[:5]}"
    assert not failures, "\n".join(failures[:20])
    assert len(payloads()) >= 200
