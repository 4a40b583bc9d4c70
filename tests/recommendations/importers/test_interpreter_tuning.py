"""Imports overlapping in one process share the interpreter settings an import runs with."""

from __future__ import annotations

import gc
import sys

from recommendations.importers.readahead import GC_THRESHOLDS, SWITCH_INTERVAL, InterpreterTuning


def _settings() -> tuple[float, tuple[int, ...]]:
    return round(sys.getswitchinterval(), 6), gc.get_threshold()  # kept in microseconds


def test_the_last_of_overlapping_imports_puts_the_settings_back() -> None:
    tuning = InterpreterTuning()
    before = _settings()
    tuned = (round(min(before[0], SWITCH_INTERVAL), 6), GC_THRESHOLDS)

    first, second = tuning(), tuning()
    first.__enter__()
    assert _settings() == tuned
    second.__enter__()  # starts while the first runs: it must not take the tuned settings as its own
    first.__exit__(None, None, None)  # ends first: the second still runs tuned
    assert _settings() == tuned
    assert gc.get_freeze_count() > 0
    second.__exit__(None, None, None)

    assert _settings() == before
    assert gc.get_freeze_count() == 0
