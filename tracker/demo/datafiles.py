"""Reading the demo's content files (YAML), with errors that name the file and the entry."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

# The C parser when PyYAML was built with libyaml (its wheels are): ten times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentError(Exception):
    """A content file does not have the expected shape."""


def read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_Loader)  # noqa: S506 (a safe loader)


def mapping(
    value: Any, where: str, *, required: Iterable[str], optional: Iterable[str] = ()
) -> dict[str, Any]:
    """``value`` as a mapping with the ``required`` keys and no keys but those and ``optional``."""
    if not isinstance(value, dict):
        raise ContentError(f"{where}: expected a mapping, found {type(value).__name__}.")
    required = list(required)
    missing = [key for key in required if key not in value]
    unknown = sorted(set(value) - set(required) - set(optional))
    if missing or unknown:
        raise ContentError(f"{where}: missing {missing or 'nothing'}, unknown {unknown or 'none'}.")
    return value


def text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: expected a text, found {value!r}.")
    return value


def texts(value: Any, where: str) -> tuple[str, ...]:
    """A list of texts (an empty list is allowed)."""
    if not isinstance(value, list):
        raise ContentError(f"{where}: expected a list, found {type(value).__name__}.")
    return tuple(text(item, f"{where}[{n}]") for n, item in enumerate(value))


def codes(value: Any, where: str) -> tuple[str, ...]:
    """Codes written in one space-separated text (compact to read and to edit)."""
    return tuple(text(value, where).split())
