"""Browser tests: headless Debian Chromium driven by Playwright against pytest-django's live server.

Playwright never downloads a browser here: it drives the system Chromium (``make chromium`` or
``apt-get install chromium``). Playwright's sync API runs an event loop in the test thread, which
makes Django refuse database access from it unless told that this is on purpose.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

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
