"""Reporting periods and their due dates."""

from __future__ import annotations

from datetime import date

import pytest

from plans.periods import DUE_AFTER, period_bounds, period_frequency, period_of, reporting_periods


@pytest.mark.parametrize(
    ("period", "first", "last", "frequency"),
    [
        ("2027", date(2027, 1, 1), date(2027, 12, 31), "yearly"),
        ("2027-Q1", date(2027, 1, 1), date(2027, 3, 31), "quarterly"),
        ("2027-Q4", date(2027, 10, 1), date(2027, 12, 31), "quarterly"),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29), "monthly"),
        ("2027-12", date(2027, 12, 1), date(2027, 12, 31), "monthly"),
    ],
)
def test_period_bounds(period, first, last, frequency):
    assert period_bounds(period) == (first, last)
    assert period_frequency(period) == frequency
    assert period_of(first, frequency) == period == period_of(last, frequency)


@pytest.mark.parametrize("period", ["27", "2027-Q5", "2027-00", "2027-13", "2027Q1", ""])
def test_not_periods(period):
    assert period_frequency(period) is None
    with pytest.raises(ValueError, match="Not a period"):
        period_bounds(period)


def test_the_periods_that_overlap_a_span_are_due_after_they_end():
    periods = reporting_periods("quarterly", date(2025, 6, 1), date(2026, 1, 15))
    assert [p.period for p in periods] == ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]
    assert periods[0].due_on == date(2025, 6, 30) + DUE_AFTER
    assert [p.period for p in reporting_periods("yearly", date(2025, 6, 1), date(2027, 1, 1))] == [
        "2025",
        "2026",
        "2027",
    ]
    assert len(reporting_periods("monthly", date(2025, 1, 31), date(2025, 12, 1))) == 12
