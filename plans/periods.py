"""Reporting periods of indicators: "2027" (a year), "2027-Q3" (a quarter), "2027-03" (a month).

An indicator reports once per period of its frequency, over the time its measure runs (or the
plan's period, where the measure has no dates), or, for an indicator of a recommendation, from
the year after its baseline to its target year. Each period's value is due ``DUE_AFTER`` days
after the period ends: the time to gather the figures. Pure functions: the selectors, the pages,
the reminders and the services share them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .models import Frequency

# How long after a period ends its value is due.
DUE_AFTER = timedelta(days=30)

PATTERNS: dict[str, re.Pattern[str]] = {
    Frequency.YEARLY: re.compile(r"^(?P<year>[0-9]{4})$"),
    Frequency.QUARTERLY: re.compile(r"^(?P<year>[0-9]{4})-Q(?P<quarter>[1-4])$"),
    Frequency.MONTHLY: re.compile(r"^(?P<year>[0-9]{4})-(?P<month>0[1-9]|1[0-2])$"),
}
EARLIEST_YEAR, LATEST_YEAR = 1950, 2100


@dataclass(frozen=True)
class ReportingPeriod:
    period: str  # "2027", "2027-Q3", "2027-03"
    starts_on: date
    ends_on: date
    due_on: date


def period_frequency(period: str) -> str | None:
    """The frequency whose periods are written like ``period``; ``None`` if it is not a period."""
    for frequency, pattern in PATTERNS.items():
        if pattern.match(period):
            return frequency
    return None


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def period_bounds(period: str) -> tuple[date, date]:
    """The first and last day of a period. Raises ``ValueError`` if it is not a period."""
    for frequency, pattern in PATTERNS.items():
        match = pattern.match(period)
        if not match:
            continue
        year = int(match["year"])
        if frequency == Frequency.YEARLY:
            return date(year, 1, 1), date(year, 12, 31)
        if frequency == Frequency.QUARTERLY:
            first = (int(match["quarter"]) - 1) * 3 + 1
            return date(year, first, 1), _month_end(year, first + 2)
        month = int(match["month"])
        return date(year, month, 1), _month_end(year, month)
    raise ValueError(f"Not a period: {period!r}")


def period_of(day: date, frequency: str) -> str:
    """The period of ``frequency`` that contains ``day``."""
    if frequency == Frequency.YEARLY:
        return f"{day.year}"
    if frequency == Frequency.QUARTERLY:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def reporting_periods(frequency: str, starts_on: date, ends_on: date) -> list[ReportingPeriod]:
    """The periods of ``frequency`` that overlap ``starts_on`` … ``ends_on``, in order, with the
    day each one's value is due."""
    periods = []
    day = starts_on
    while day <= ends_on:
        period = period_of(day, frequency)
        first, last = period_bounds(period)
        periods.append(ReportingPeriod(period, first, last, last + DUE_AFTER))
        day = last + timedelta(days=1)
    return periods
