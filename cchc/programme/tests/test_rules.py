"""Timeliness rules at their boundaries (pure, table-driven)."""

from datetime import date

import pytest

from cchc.programme import rules

D = date(2026, 6, 30)


@pytest.mark.parametrize("status,completed_on,today,expected", [
    ("done", date(2026, 6, 30), date(2026, 7, 5), rules.ON_TIME),     # done exactly on the deadline day: on time
    ("done", date(2026, 6, 29), date(2026, 7, 5), rules.ON_TIME),
    ("done", date(2026, 7, 1), date(2026, 7, 5), rules.LATE),         # one day after: late
    ("in_progress", None, date(2026, 6, 30), rules.OPEN),             # deadline day, not done: still in time
    ("in_progress", None, date(2026, 7, 1), rules.OVERDUE),           # the day after: overdue
    ("not_started", None, date(2026, 1, 1), rules.OPEN),
    ("cancelled", None, date(2026, 12, 31), rules.CANCELLED),
])
def test_task_timeliness(status, completed_on, today, expected):
    assert rules.task_timeliness(deadline=D, status=status, completed_on=completed_on, today=today) == expected


@pytest.mark.parametrize("issued_on,today,expected", [
    (date(2025, 12, 31), None, True), (date(2026, 1, 1), None, False),
    (None, date(2025, 12, 31), None), (None, date(2026, 1, 1), False), (None, None, None),
])
def test_plan_on_time(issued_on, today, expected):
    assert rules.plan_on_time(issued_on, date(2025, 12, 31), today=today) is expected


def test_default_deadline_is_the_previous_year():
    assert rules.default_issue_deadline(2026) == date(2025, 12, 31)
    assert rules.default_issue_deadline(2026, (11, 30)) == date(2025, 11, 30)
