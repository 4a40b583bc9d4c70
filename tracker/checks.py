"""System checks of the site's own files (``manage.py check``, and before ``runserver``)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

TRIMMED = ("bootstrap.min.css", "bootstrap.rtl.min.css")
# What scripts/trim-css.mjs reads to decide which of Bootstrap's selectors stay.
TRIM_SOURCES = ("templates", "tracker", "recommendations", "plans", "reporting", "static/js")


def trimmed_stylesheets(root: Path, *, debug: bool) -> list[checks.CheckMessage]:
    """The trimmed Bootstrap stylesheets (``make assets``) exist; while developing (``debug``),
    they are newer than every template, Python file and script they were trimmed from, so that a
    class just added to a template is styled."""
    built = [root / "build" / "css" / name for name in TRIMMED]
    missing = [path for path in built if not path.is_file()]
    if missing:
        return [
            checks.Error(
                f"{missing[0].relative_to(root)} is missing: the pages would have no styles.",
                hint="Run `make assets` (or `node scripts/trim-css.mjs` after `npm ci`).",
                id="tracker.E001",
            )
        ]
    if not debug:
        return []
    made = min(path.stat().st_mtime for path in built)
    newer = next((path for path in _sources(root) if path.stat().st_mtime > made), None)
    if newer is None:
        return []
    return [
        checks.Warning(
            f"{newer.relative_to(root)} changed after Bootstrap's stylesheets were trimmed: "
            "a class it adds may have no style.",
            hint="Run `make assets`.",
            id="tracker.W001",
        )
    ]


def _sources(root: Path) -> Iterable[Path]:
    for folder in TRIM_SOURCES:
        for pattern in ("*.html", "*.py", "*.js"):
            yield from (p for p in (root / folder).rglob(pattern) if "migrations" not in p.parts)


@checks.register()
def check_trimmed_stylesheets(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return trimmed_stylesheets(Path(settings.BASE_DIR), debug=settings.DEBUG)
