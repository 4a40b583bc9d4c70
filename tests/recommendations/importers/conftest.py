"""Fixtures of the import tests: reference data loaded once per module, and the fixture feeds."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.fixtures.uhri.make_xlsx import write_xlsx

from .helpers import FEED_CSV, FEED_JSON


@pytest.fixture(scope="module")
def reference_data(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Countries, SDG targets, mechanisms and themes, loaded once for the module and rolled back after.

    The load runs inside an outer transaction; each test's own transaction is a savepoint within it,
    so the tests still start from the same state and nothing stays in the test database.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_reference_data", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def committed_reference_data(transactional_db: None) -> None:
    """The reference data, committed: for tests whose imports run on other connections."""
    call_command("load_reference_data", stdout=io.StringIO())


@pytest.fixture
def feed_json() -> Path:
    return FEED_JSON


@pytest.fixture
def feed_csv() -> Path:
    return FEED_CSV


@pytest.fixture
def feed_xlsx(tmp_path: Path) -> Path:
    """The records of feed.json as an XLSX export, built for the test (no binary is committed)."""
    return write_xlsx(tmp_path / "feed.xlsx")


@pytest.fixture
def feed(request: pytest.FixtureRequest) -> Path:
    """``feed_json``, ``feed_xlsx`` or ``feed_csv``, for tests parametrized indirectly by format."""
    return request.getfixturevalue(f"feed_{request.param}")
