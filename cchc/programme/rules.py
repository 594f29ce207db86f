"""Pure rules of plan timeliness (no Django import; table-driven tests in tests/test_rules.py)."""

from __future__ import annotations

from datetime import date

ON_TIME, LATE, OVERDUE, OPEN, CANCELLED = "on_time", "late", "overdue", "open", "cancelled"
LABELS = {ON_TIME: "Hoàn thành đúng hạn", LATE: "Hoàn thành quá hạn", OVERDUE: "Quá hạn, chưa hoàn thành",
          OPEN: "Trong hạn", CANCELLED: "Hủy bỏ"}


def task_timeliness(*, deadline: date, status: str, completed_on: date | None, today: date) -> str:
    """Done on or before the deadline day → on time; done after → late; cancelled → cancelled; not done and
    today strictly after the deadline → overdue; otherwise open (the deadline day itself is still in time)."""
    if status == "cancelled":
        return CANCELLED
    if status == "done":
        return ON_TIME if completed_on is not None and completed_on <= deadline else LATE
    return OVERDUE if today > deadline else OPEN


def plan_on_time(issued_on: date | None, deadline: date, *, today: date | None) -> bool | None:
    """Issued on or before the deadline → True; issued after, or not issued and the deadline passed → False;
    not issued yet, deadline not passed (or today unknown) → None."""
    if issued_on is not None:
        return issued_on <= deadline
    if today is not None and today > deadline:
        return False
    return None


def default_issue_deadline(year: int, month_day: tuple[int, int] = (12, 31)) -> date:
    """Hạn ban hành kế hoạch năm `year`: month/day of the previous year (default 31/12)."""
    return date(year - 1, month_day[0], month_day[1])
