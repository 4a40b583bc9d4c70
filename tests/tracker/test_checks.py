"""The system check of the trimmed Bootstrap stylesheets (tracker/checks.py)."""

from __future__ import annotations

import os
from pathlib import Path

from django.core import checks

from tracker.checks import TRIMMED, check_trimmed_stylesheets, trimmed_stylesheets


def _site(root: Path) -> Path:
    (root / "templates").mkdir()
    (root / "templates" / "page.html").write_text('<p class="text-muted">x</p>')
    (root / "build" / "css").mkdir(parents=True)
    for name in TRIMMED:
        (root / "build" / "css" / name).write_text(".text-muted{}")
    os.utime(root / "templates" / "page.html", (1_000_000, 1_000_000))
    return root


def test_missing_stylesheets_are_an_error(tmp_path):
    root = _site(tmp_path)
    (root / "build" / "css" / TRIMMED[1]).unlink()
    [message] = trimmed_stylesheets(root, debug=False)
    assert message.level == checks.ERROR
    assert message.id == "tracker.E001"
    assert TRIMMED[1] in message.msg


def test_a_template_changed_after_the_trim_is_a_warning_while_developing(tmp_path):
    root = _site(tmp_path)
    assert trimmed_stylesheets(root, debug=True) == []
    (root / "templates" / "page.html").write_text('<p class="text-danger">x</p>')
    os.utime(root / "templates" / "page.html", (4_000_000_000, 4_000_000_000))
    [message] = trimmed_stylesheets(root, debug=True)
    assert message.level == checks.WARNING
    assert "templates/page.html" in message.msg
    # In production the files are what the image built: no warning.
    assert trimmed_stylesheets(root, debug=False) == []


def test_the_project_has_its_trimmed_stylesheets():
    """`make test` runs `make assets` first; the check is registered with Django's."""
    assert check_trimmed_stylesheets() == []
    assert check_trimmed_stylesheets in checks.registry.registry.get_checks()
