"""Every processing-time unit the catalogue can publish is computed by the calendar, or refused (no fallback)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cchc.calendar.workdays import UNITS, WorkCalendar, add_months
from cchc.catalog import timeparse
from cchc.catalog.models import TimeUnit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def cal():
    return WorkCalendar.vietnam()


def at(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def test_every_catalogue_unit_except_unknown_is_computed_by_the_calendar():
    parser_units = {getattr(timeparse, n) for n in ("WORKING_DAYS", "CALENDAR_DAYS", "WORKING_HOURS", "SAME_DAY", "MONTHS", "UNKNOWN")}
    assert parser_units == set(TimeUnit.values)
    assert set(TimeUnit.values) - {TimeUnit.UNKNOWN} == set(UNITS)


@pytest.mark.parametrize("unit", ["unknown", "months_or_so", "", "hours"])
def test_a_unit_the_calendar_cannot_compute_raises(cal, unit):
    with pytest.raises(ValueError, match="Đơn vị thời hạn không hợp lệ"):
        cal.due(at(2026, 3, 2), 2, unit)


@pytest.mark.parametrize(("d", "n", "expected"), [
    (date(2024, 1, 31), 1, date(2024, 2, 29)),   # leap February: its last day
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),  # 29/2 + 12 months: no 29/2 in 2025
    (date(2024, 2, 29), 48, date(2028, 2, 29)),
    (date(2026, 3, 2), 2, date(2026, 5, 2)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)),  # across the year end
    (date(2026, 12, 15), 1, date(2027, 1, 15)),
    (date(2026, 3, 2), 0, date(2026, 3, 2)),
])
def test_add_months_takes_the_corresponding_day_or_the_last_day_of_the_month(d, n, expected):
    assert add_months(d, n) == expected


@pytest.mark.parametrize(("received", "months", "expected"), [
    # the case: 2 months from Mon 02/03/2026 → Sat 02/05 → next working day Mon 04/05 (1/5 is a holiday)
    (at(2026, 3, 2), 2, at(2026, 5, 4, 17, 0)),
    (at(2024, 1, 31), 1, at(2024, 2, 29, 17, 0)),    # 31/1 + 1 month = 29/2 (Thursday, a working day)
    (at(2028, 1, 31), 1, at(2028, 2, 29, 17, 0)),
    (at(2024, 2, 29), 12, at(2025, 2, 28, 17, 0)),   # 29/2 + 12 months = 28/2 (Friday)
    (at(2026, 3, 31), 1, at(2026, 5, 4, 17, 0)),     # 30/4 and 1/5 holidays, 2–3/5 weekend
    (at(2026, 3, 2, 17, 0), 1, at(2026, 4, 3, 17, 0)),  # received at closing: counted from Tue 03/03
    (at(2026, 2, 14, 10, 0), 1, at(2026, 3, 23, 17, 0)),  # received in Tết: counted from Mon 23/02 → 23/03
])
def test_months_end_at_closing_of_the_corresponding_day_or_the_next_working_day(cal, received, months, expected):
    assert cal.due(received, months, "months") == expected


def test_a_fraction_of_a_month_is_refused(cal):
    with pytest.raises(ValueError, match="số tháng nguyên"):
        cal.due(at(2026, 3, 2), "1.5", "months")


@pytest.mark.parametrize(("now", "due", "text", "overdue"), [
    # due 07:30 Monday seen on Saturday: no working time left, it is not "2 days" away
    (at(2026, 12, 5, 10, 0), at(2026, 12, 7, 7, 30), "đến hạn 07:30 thứ Hai 07/12", False),
    (at(2026, 12, 4, 15, 0), at(2026, 12, 7, 7, 30), "còn 2 giờ làm việc", False),
    (at(2026, 12, 3, 9, 0), at(2026, 12, 7, 7, 30), "còn 1,5 ngày làm việc", False),  # 6 h + 7,5 h = 1,8 days, floored
    (at(2026, 12, 7, 9, 0), at(2026, 12, 7, 13, 0), "còn 2 giờ làm việc", False),     # 09:00–11:30 only
    (at(2026, 12, 7, 9, 0), at(2026, 12, 7, 12, 45), "còn 2 giờ làm việc", False),
    (at(2026, 12, 7, 9, 0), at(2026, 12, 7, 15, 0), "còn 0,5 ngày làm việc", False),  # 4 h ≥ 3 h 45
    (at(2026, 12, 7, 9, 0), at(2026, 12, 7, 9, 40), "còn 40 phút làm việc", False),
    (at(2026, 12, 7, 9, 0), at(2026, 12, 7, 9, 0), "đến hạn 09:00 thứ Hai 07/12", False),
    (at(2026, 12, 9, 9, 0), at(2026, 12, 7, 9, 0), "quá hạn 2 ngày làm việc", True),
    (at(2026, 12, 12, 9, 0), at(2026, 12, 4, 17, 0), "quá hạn 5 ngày làm việc", True),
    (at(2026, 12, 5, 9, 0), at(2026, 12, 4, 17, 0), "quá hạn từ 17:00 thứ Sáu 04/12", True),
    (at(2026, 12, 7, 12, 0), at(2026, 12, 7, 8, 0), "quá hạn 3 giờ làm việc", True),
])
def test_time_left_is_working_time_as_an_officer_reads_it(cal, now, due, text, overdue):
    left = cal.time_left(now, due)
    assert (left.text, left.overdue) == (text, overdue)
