"""The API against its own schema (Schemathesis, every check): each operation is called with
generated parameters and bodies, as four callers (anonymous, a read key, a write key and the
secretariat's browser session), and every answer must be one the schema documents, in the shape it
documents; no server error; a schema-valid request is not refused as invalid and an invalid one is
not accepted.

``make test`` runs the anonymous and read-key callers with 5 examples per operation (the suite's
time budget); ``make test-api`` runs all four callers with 100 examples, and
``TRACKER_SCHEMATHESIS_EXAMPLES=1000 make test-api`` is the long run. The examples are
derandomised: a run is repeatable.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.conf import settings as settings_
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig

from tests.conftest import sign_in
from tests.factories.plans import MeasureFactory, PlanFactory
from tracker import services

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("TRACKER_SCHEMATHESIS_EXAMPLES", "5"))
# The callers of `make test`; `make test-api` sets TRACKER_SCHEMATHESIS_CALLERS=all.
ALL_CALLERS = ["anonymous", "read key", "write key", "secretariat session"]
CALLERS = (
    ALL_CALLERS
    if os.environ.get("TRACKER_SCHEMATHESIS_CALLERS") == "all"
    else ["anonymous", "read key"]
)
# A body may name a row that does not exist (a measure, an indicator, a plan by id), or break a
# rule across fields (an import gives a file or a URL, not both, not neither): the schema cannot
# say so, and the answer is a 400 with the fields. So a write's schema-valid body may get a 400.
CONFIG: dict[str, Any] = {
    "operations": [
        {
            "include-method": ["POST", "PUT", "PATCH"],
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": [
                        "2xx",
                        "3xx",
                        "400",
                        "401",
                        "403",
                        "404",
                        "409",
                        "429",
                    ]
                }
            },
        }
    ]
}
SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
OPERATIONS = [
    f"{method.upper()} {path}"
    for path, item in SCHEMA["paths"].items()
    for method in item
    if method in {"get", "post", "put", "patch", "delete"}
]


@contextmanager
def connection_kept() -> Iterator[None]:
    """The real WSGI application runs in the test's transaction: the request signals must not
    close the test's database connection (Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def some_data(sample_recommendations: dict[str, Any]) -> None:
    """Rows for the generated ids to find now and then."""
    MeasureFactory(plan=PlanFactory(adopted=True))


def _credentials(caller: str, secretariat: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The caller's credentials: for Schemathesis (which sends them, and tries invalid ones in
    their place), and for each call (the CSRF cookie and header of a session)."""
    if caller == "anonymous":
        return {}, {}
    if caller.endswith("key"):
        _key, secret = services.api_key_create(
            actor=None,
            user=secretariat,
            scope="read" if caller == "read key" else "write",
            name=caller,
            as_system=True,
        )
        return {"apiKey": {"api_key": f"Token {secret}"}}, {}
    browser = Client()
    sign_in(browser, secretariat)
    browser.get("/")  # sets the CSRF cookie
    session = browser.cookies[settings_.SESSION_COOKIE_NAME].value
    csrf = browser.cookies[settings_.CSRF_COOKIE_NAME].value
    # The schema documents API keys only: the session is sent as the browser sends it.
    return {}, {
        "headers": {"X-CSRFToken": csrf},
        "cookies": {settings_.SESSION_COOKIE_NAME: session, settings_.CSRF_COOKIE_NAME: csrf},
    }


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_api_keeps_to_its_schema(
    operation: str, caller: str, some_data: None, secretariat: Any
) -> None:
    auth, credentials = _credentials(caller, secretariat)
    config = SchemathesisConfig.from_dict({**CONFIG, "auth": {"openapi": auth}} if auth else CONFIG)
    schema = schemathesis.openapi.from_dict(SCHEMA, config=config)
    wsgi_app = get_wsgi_application()
    schema.app = wsgi_app  # the checks' own extra calls go to the app too
    found = schema.find_operation_by_label(operation)
    assert found is not None

    @given(case=found.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: Any) -> None:
        case.call_and_validate(app=wsgi_app, **credentials)

    with connection_kept():
        call()
