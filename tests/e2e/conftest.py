"""Browser tests: headless Debian Chromium driven by Playwright against pytest-django's live server.

Playwright never downloads a browser here: it drives the system Chromium (``make chromium`` or
``apt-get install chromium``). Playwright's sync API runs an event loop in the test thread, which
makes Django refuse database access from it unless told that this is on purpose.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.e2e.browser_checks import PageWatch
from tests.e2e.demo_site import load_site
from tests.pages import PAGES, PageData

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("TRACKER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def site(live_server) -> PageData:
    """The demo data set, and the objects the pages of tests/pages.py show."""
    return load_site()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not shutil.which(CHROMIUM):
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: run `make chromium` (we never download one)"
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # English unless a test switches: the pages follow Accept-Language.
    return {**browser_context_args, "locale": "en-GB", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def page(page: Page, request: pytest.FixtureRequest) -> Iterator[Page]:
    """Playwright's page, watched: a Content-Security-Policy violation on any page fails the test,
    and so does opening a page of the site that the accessibility scan does not open (add it to
    ``tests/pages.py``: then it is scanned in English and Arabic)."""
    watch = PageWatch(page)
    watch.start()
    yield page
    problems = [f"Content-Security-Policy violation: {line}" for line in watch.csp_report()]
    if "live_server" in request.fixturenames:
        base_url = request.getfixturevalue("live_server").url
        scanned = {p.name for p in PAGES if p.browser}
        problems += [
            f"this test opens {name}, which the accessibility scan does not open:"
            " add it to PAGES in tests/pages.py"
            for name in sorted(watch.url_names(base_url) - scanned)
        ]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the test (``rep_call``): fixtures that keep a screenshot of a
    failure read it."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def screenshot_on_failure(
    page: Page, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[None]:
    """Keep a full-page screenshot of a failed test's page, in TRACKER_SCREENSHOT_DIR (default:
    the test's own temporary folder), named after the test."""
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        folder = Path(os.environ.get("TRACKER_SCREENSHOT_DIR") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{request.node.name}.png"), full_page=True)
