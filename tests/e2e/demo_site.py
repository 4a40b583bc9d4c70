"""The demo site the page-by-page browser tests open (the accessibility scan, the trimmed
stylesheet's comparison): the demo data set, a browser signed in as a persona's demo user, the
language chosen. The ``site`` fixture is in conftest.py."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import BrowserContext

from tests.conftest import sign_in as conftest_sign_in
from tests.pages import PageData, make_page_data
from tracker.demo import people
from tracker.models import Membership, User

# The demo user of each persona, by role.
DEMO_USERNAMES = {str(user.role): user.username for user in people().users}


def load_site() -> PageData:
    """The demo data set (long lists, every kind of tag), and the objects the pages show."""
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    focal = User.objects.get(username=DEMO_USERNAMES["focal_point"])
    return make_page_data(
        secretariat=User.objects.get(username=DEMO_USERNAMES["secretariat"]),
        lead=Membership.objects.filter(user=focal).first().institution,
    )


def sign_in(context: BrowserContext, base_url: str, who: str) -> None:
    """The browser gets a session of the persona's demo user (no login form: faster)."""
    if who == "public":
        return
    client = Client()
    conftest_sign_in(client, User.objects.get(username=DEMO_USERNAMES[who]))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def choose_language(context: BrowserContext, base_url: str, language: str) -> None:
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    )
