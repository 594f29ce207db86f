from datetime import date

import pytest

from cchc.serviceindex.periods import PeriodError, parse_period


@pytest.mark.parametrize("text, label, first, last", [
    ("2026-10", "2026-10", date(2026, 10, 1), date(2026, 10, 31)),
    ("2026-2", "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ("2024-02", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2026-Q4", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ("2026-q1", "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
    ("2026", "2026", date(2026, 1, 1), date(2026, 12, 31)),
])
def test_month_quarter_and_year_periods(text, label, first, last):
    p = parse_period(text)
    assert (p.label, p.date_from, p.date_to) == (label, first, last)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-Q5", "26-10", "2026/10", "", "tháng 10"])
def test_bad_periods_are_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_a_running_period_is_partial_and_a_finished_one_is_not():
    p = parse_period("2026-10")
    assert p.is_partial(date(2026, 10, 31)) and not p.is_partial(date(2026, 11, 1)) and p.is_partial(date(2026, 10, 1))
