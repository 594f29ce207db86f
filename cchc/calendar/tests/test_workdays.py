"""The working-day calendar (pure module): table-driven rules and hypothesis properties. No database."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.calendar.shipped import DATA_DIR, national_calendar
from cchc.calendar.workdays import WorkCalendar, WorkingHours

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = national_calendar()
PLAIN = WorkCalendar()  # weekends only


def vn(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


# ---------------------------------------------------------------------------- days
@pytest.mark.parametrize(
    "day, working",
    [
        ("2026-01-01", False),  # Tết Dương lịch
        ("2026-01-02", False),  # swapped off, Công văn 12729/VPCP-KGVX (the library misses it)
        ("2026-01-05", True),
        ("2026-01-10", True),  # Saturday made a working day by the same swap
        ("2026-01-17", False),  # an ordinary Saturday
        ("2026-02-13", True),  # Friday before Tết Bính Ngọ
        ("2026-02-14", False),
        ("2026-02-16", False),
        ("2026-02-20", False),
        ("2026-02-22", False),
        ("2026-02-23", True),  # back to work
        ("2026-04-27", False),  # Giỗ Tổ on Sunday 26/4 → compensatory Monday
        ("2026-04-30", False),
        ("2026-05-01", False),
        ("2026-08-22", True),  # Saturday worked for Monday 31/8
        ("2026-08-31", False),
        ("2026-09-01", False),
        ("2026-09-02", False),
        ("2026-09-03", True),
        ("2026-11-24", True),  # Ngày Văn hóa Việt Nam: not yet a legal day off in 2026 (see docs)
        ("2024-05-04", True),
        ("2025-04-26", True),
        ("2025-05-02", False),
    ],
)
def test_official_days_off_and_make_up_days(day, working):
    assert CAL.is_working_day(date.fromisoformat(day)) is working


def _reference_rows():
    with (DATA_DIR / "vn_holidays_2023_2025.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_row_of_the_2023_2025_reference_list_matches_the_calendar():
    rows = _reference_rows()
    assert len(rows) == 62
    wrong = [
        (r["ngay"], r["la_ngay_lam_viec"])
        for r in rows
        if CAL.is_working_day(date.fromisoformat(r["ngay"])) != (r["la_ngay_lam_viec"] == "có")
    ]
    assert wrong == []


def test_no_weekday_is_off_in_2023_2025_unless_the_reference_list_says_so():
    listed = {date.fromisoformat(r["ngay"]) for r in _reference_rows()}
    extra_off = [d for d, _ in CAL.non_working_weekdays(date(2023, 1, 1), date(2025, 12, 31)) if d not in listed]
    extra_work = [d for d, _ in CAL.working_weekend_days(date(2023, 1, 1), date(2025, 12, 31)) if d not in listed]
    assert extra_off == [] and extra_work == []


def test_working_days_between_counts_both_ends():
    assert CAL.working_days_between(date(2026, 2, 1), date(2026, 2, 28)) == 15
    assert CAL.working_days_between(date(2026, 1, 1), date(2026, 1, 31)) == 21
    assert CAL.working_days_between(date(2026, 1, 5), date(2026, 1, 5)) == 1
    assert CAL.working_days_between(date(2026, 1, 4), date(2026, 1, 4)) == 0
    assert CAL.working_days_between(date(2026, 1, 6), date(2026, 1, 5)) == 0


def test_listings_carry_vietnamese_names():
    off = dict(CAL.non_working_weekdays(date(2026, 1, 1), date(2026, 1, 31)))
    assert off[date(2026, 1, 1)] == "Tết Dương lịch"
    assert "10/01/2026" in off[date(2026, 1, 2)]
    work = dict(CAL.working_weekend_days(date(2026, 1, 1), date(2026, 12, 31)))
    assert set(work) == {date(2026, 1, 10), date(2026, 8, 22)}


# ---------------------------------------------------------------------------- counted_from
@pytest.mark.parametrize(
    "received, counted",
    [
        ("2026-03-02T09:00", "2026-03-02T09:00"),  # inside the morning
        ("2026-03-02T07:29:59", "2026-03-02T07:30"),  # before opening → opening of that day
        ("2026-03-02T07:30", "2026-03-02T07:30"),
        ("2026-03-02T11:30", "2026-03-02T13:30"),  # lunch break → afternoon opening
        ("2026-03-02T12:15", "2026-03-02T13:30"),
        ("2026-03-02T13:30", "2026-03-02T13:30"),
        ("2026-03-02T16:59:59", "2026-03-02T16:59:59"),
        ("2026-03-02T17:00", "2026-03-03T07:30"),  # at closing → next working day
        ("2026-03-02T22:00", "2026-03-03T07:30"),
        ("2026-03-07T10:00", "2026-03-09T07:30"),  # Saturday
        ("2026-02-13T17:30", "2026-02-23T07:30"),  # after closing on the day before Tết
        ("2026-01-01T09:00", "2026-01-05T07:30"),  # holiday, swap day, weekend
        ("2026-01-09T18:00", "2026-01-10T07:30"),  # Friday evening → the make-up Saturday
    ],
)
def test_counted_from_moves_times_outside_working_hours_to_the_next_opening(received, counted):
    assert CAL.counted_from(vn(received)) == vn(counted)


def test_counted_from_keeps_the_instant_of_an_aware_time_and_answers_in_vietnam_time():
    t = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
    result = CAL.counted_from(t)
    assert result == t and result.utcoffset() == timedelta(hours=7)


# ---------------------------------------------------------------------------- due: working days
@pytest.mark.parametrize(
    "received, n, due",
    [
        ("2026-02-13T09:00", 3, "2026-02-25T09:00"),  # Tết Bính Ngọ: 14/2–22/2 off
        ("2026-02-13T15:30", 1, "2026-02-23T15:30"),  # received after 15:00, still inside hours
        ("2026-02-13T17:01", 1, "2026-02-24T07:30"),  # after closing on the day before a holiday
        ("2026-02-13T17:01", 0, "2026-02-23T07:30"),
        ("2025-12-31T10:00", 1, "2026-01-05T10:00"),  # 1/1 and the swapped 2/1 are off
        ("2026-01-09T10:00", 1, "2026-01-10T10:00"),  # the make-up Saturday counts
        ("2026-03-06T10:00", 1, "2026-03-09T10:00"),  # weekend skipped
        ("2026-03-02T12:00", 2, "2026-03-04T13:30"),  # lunch → afternoon opening
        ("2026-03-02T06:00", 5, "2026-03-09T07:30"),
        ("2026-04-24T08:00", 3, "2026-05-04T08:00"),  # 28/4, 29/4, (30/4, 1/5 off), 4/5
        ("2026-08-28T16:00", 1, "2026-09-03T16:00"),  # Quốc khánh 29/8–2/9
        ("2026-03-02T09:00", 0, "2026-03-02T09:00"),
    ],
)
def test_due_on_the_nth_working_day_at_the_same_clock_time(received, n, due):
    assert CAL.due(vn(received), n, "working_days") == vn(due)


def test_half_a_working_day_is_half_the_daily_working_time():
    # 7.5 h a day → 0.5 day = 3 h 45 min of working time
    assert CAL.due(vn("2026-03-02T07:30"), Decimal("0.5"), "working_days") == vn("2026-03-02T11:15")
    assert CAL.due(vn("2026-03-02T10:00"), Decimal("1.5"), "working_days") == vn("2026-03-03T15:45")


# ---------------------------------------------------------------------------- due: other units
@pytest.mark.parametrize(
    "received, hours, due",
    [
        ("2026-03-02T08:00", 2, "2026-03-02T10:00"),
        ("2026-03-02T10:30", 2, "2026-03-02T14:30"),  # lunch not counted
        ("2026-03-02T13:30", Decimal("3.5"), "2026-03-02T17:00"),  # lands on closing
        ("2026-03-02T16:00", 2, "2026-03-03T08:30"),
        ("2026-03-06T16:00", 8, "2026-03-09T16:30"),  # 1 h on Friday + 7 h on Monday
        ("2026-02-13T16:00", 4, "2026-02-23T10:30"),
    ],
)
def test_due_in_working_hours_counts_only_time_inside_working_hours(received, hours, due):
    assert CAL.due(vn(received), hours, "working_hours") == vn(due)


@pytest.mark.parametrize(
    "received, due",
    [
        ("2026-03-02T09:00", "2026-03-02T17:00"),
        ("2026-03-02T18:00", "2026-03-03T17:00"),
        ("2026-02-13T16:59", "2026-02-13T17:00"),
        ("2026-02-14T09:00", "2026-02-23T17:00"),
    ],
)
def test_same_day_is_due_at_closing_of_the_counted_from_day(received, due):
    assert CAL.due(vn(received), 0, "same_day") == vn(due)


@pytest.mark.parametrize(
    "received, due",
    [
        ("2026-02-13T15:00", "2026-02-13T17:00"),
        ("2026-02-13T15:00:01", "2026-02-23T17:00"),  # after 15:00 on the day before Tết → next working day
        ("2026-03-02T06:00", "2026-03-02T17:00"),
    ],
)
def test_same_day_with_a_15_00_cutoff_moves_late_dossiers_to_the_next_working_day(received, due):
    assert CAL.due(vn(received), 0, "same_day", same_day_cutoff=time(15, 0)) == vn(due)


@pytest.mark.parametrize(
    "received, n, due",
    [
        ("2026-03-02T09:00", 5, "2026-03-09T09:00"),  # lands on Saturday 7/3 → Monday 9/3
        ("2026-03-02T09:00", 3, "2026-03-05T09:00"),
        ("2026-02-10T10:00", 7, "2026-02-23T10:00"),  # 17/2 is Tết → next working day
        ("2026-03-07T09:00", 1, "2026-03-10T07:30"),  # counted from Monday opening, +1 day
    ],
)
def test_calendar_days_move_to_the_next_working_day_when_they_land_on_a_day_off(received, n, due):
    assert CAL.due(vn(received), n, "calendar_days") == vn(due)


def test_unknown_unit_and_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        CAL.due(vn("2026-03-02T09:00"), 1, "weeks")
    with pytest.raises(ValueError):
        CAL.due(vn("2026-03-02T09:00"), -1, "working_days")
    with pytest.raises(ValueError):
        CAL.add_working_seconds(vn("2026-03-02T09:00"), -5)


# ---------------------------------------------------------------------------- working time and pauses
@pytest.mark.parametrize(
    "a, b, seconds",
    [
        ("2026-03-02T07:30", "2026-03-02T17:00", 27000),
        ("2026-03-02T11:00", "2026-03-02T14:00", 3600),
        ("2026-03-02T06:00", "2026-03-02T07:00", 0),
        ("2026-03-06T16:00", "2026-03-09T08:00", 5400),
        ("2026-02-13T16:00", "2026-02-23T08:30", 7200),  # across Tết
        ("2026-03-02T12:00", "2026-03-02T12:30", 0),
        ("2026-03-03T09:00", "2026-03-02T09:00", -27000),
    ],
)
def test_working_seconds_between_counts_only_working_hours_of_working_days(a, b, seconds):
    assert CAL.working_seconds_between(vn(a), vn(b)) == seconds


def test_a_pause_across_a_holiday_moves_the_due_by_the_working_time_it_consumed():
    due = CAL.due(vn("2026-02-10T09:00"), 5, "working_days")  # 11, 12, 13, (Tết 14–22), 23, 24
    assert due == vn("2026-02-24T09:00")
    # paused Thursday 12/2 15:00 → Tuesday 24/2 09:00: 2 h Thu + 7.5 h Fri + 7.5 h Mon 23/2 + 1.5 h Tue = 18.5 h
    paused = CAL.working_seconds_between(vn("2026-02-12T15:00"), vn("2026-02-24T09:00"))
    assert paused == int(18.5 * 3600)
    # 6 h left on Tue 24/2, 7.5 h on Wed 25/2, then 5 h on Thu 26/2: 07:30–11:30 and 13:30–14:30
    assert CAL.add_working_seconds(due, paused) == vn("2026-02-26T14:30")


def test_due_after_pause_is_the_same_rule_in_one_call():
    due = vn("2026-02-24T09:00")
    assert CAL.due_after_pause(due, vn("2026-02-12T15:00"), vn("2026-02-24T09:00")) == vn("2026-02-26T14:30")
    assert CAL.due_after_pause(due, vn("2026-02-24T09:00"), vn("2026-02-12T15:00")) == due  # reversed: no move


def test_a_pause_entirely_on_days_off_does_not_move_the_due():
    due = vn("2026-02-25T09:00")
    paused = CAL.working_seconds_between(vn("2026-02-14T08:00"), vn("2026-02-22T18:00"))
    assert paused == 0
    assert CAL.add_working_seconds(due, paused) == due


def test_add_working_seconds_lands_on_the_end_of_a_period_rather_than_the_next_opening():
    assert CAL.add_working_seconds(vn("2026-03-02T11:00"), 1800) == vn("2026-03-02T11:30")
    assert CAL.add_working_seconds(vn("2026-03-02T11:00"), 1801) == vn("2026-03-02T13:30:01")
    assert CAL.add_working_seconds(vn("2026-03-02T18:00"), 60) == vn("2026-03-03T07:31")


# ---------------------------------------------------------------------------- working hours setting
def test_province_working_hours_change_opening_lunch_and_closing():
    cal = WorkCalendar.vietnam(hours=WorkingHours(morning=(time(8, 0), time(12, 0)), afternoon=(time(13, 0), time(17, 0))))
    assert cal.counted_from(vn("2026-03-02T07:45")) == vn("2026-03-02T08:00")
    assert cal.counted_from(vn("2026-03-02T12:30")) == vn("2026-03-02T13:00")
    assert cal.due(vn("2026-03-02T09:00"), 0, "same_day") == vn("2026-03-02T17:00")
    assert cal.due(vn("2026-03-02T11:00"), 2, "working_hours") == vn("2026-03-02T14:00")
    assert cal.hours.daily_seconds == 8 * 3600


def test_working_hours_must_be_in_order():
    with pytest.raises(ValueError):
        WorkingHours(morning=(time(11, 0), time(8, 0)))
    with pytest.raises(ValueError):
        WorkingHours(morning=(time(7, 0), time(12, 0)), afternoon=(time(11, 0), time(17, 0)))


def test_overrides_win_over_the_library_and_later_overrides_win():
    cal = WorkCalendar.vietnam(
        overrides=[(date(2026, 3, 2), False, "Nghỉ riêng"), (date(2026, 3, 7), True, "Làm bù"), (date(2026, 3, 2), True, "Hủy")]
    )
    assert cal.is_working_day(date(2026, 3, 2)) and cal.is_working_day(date(2026, 3, 7))
    assert WorkCalendar.vietnam().is_working_day(date(2026, 1, 2))  # the library alone misses the 2026 swap


def test_fingerprint_changes_with_the_exceptions_and_the_hours():
    a = WorkCalendar.vietnam()
    assert a.fingerprint == WorkCalendar.vietnam().fingerprint
    assert a.fingerprint != CAL.fingerprint
    assert a.fingerprint != WorkCalendar.vietnam(hours=WorkingHours(morning=(time(8, 0), time(11, 30)))).fingerprint


# ---------------------------------------------------------------------------- bulk path
def _epoch(t: datetime) -> int:
    return int(t.timestamp())


def test_due_bulk_matches_the_single_path_on_the_examples():
    received = [vn("2026-02-13T09:00"), vn("2026-02-13T17:01"), vn("2026-03-02T12:00"), vn("2026-01-01T09:00")]
    days = [3, 1, 2, 0]
    out = CAL.due_bulk(np.array([_epoch(t) for t in received], dtype="datetime64[s]"), np.array(days))
    assert [int(x) for x in out.astype(np.int64)] == [_epoch(CAL.due(t, n, "working_days")) for t, n in zip(received, days, strict=True)]


def test_due_bulk_refuses_negative_days_and_mismatched_shapes():
    with pytest.raises(ValueError):
        CAL.due_bulk(np.array([0], dtype="datetime64[s]"), np.array([-1]))
    with pytest.raises(ValueError):
        CAL.due_bulk(np.array([0, 1], dtype="datetime64[s]"), np.array([1]))
    assert CAL.due_bulk(np.array([], dtype="datetime64[s]"), np.array([], dtype=int)).size == 0
    with pytest.raises(ValueError):
        CAL.due_bulk(np.array(["NaT"], dtype="datetime64[s]"), np.array([1]))


def test_due_bulk_accepts_epoch_seconds_and_finer_resolutions():
    t = vn("2026-02-13T09:00")
    expected = _epoch(CAL.due(t, 3, "working_days"))
    assert int(CAL.due_bulk(np.array([_epoch(t)]), np.array([3]))[0].astype(np.int64)) == expected
    micro = np.array([_epoch(t) * 1_000_000], dtype="datetime64[us]")
    assert int(CAL.due_bulk(micro, np.array([3]))[0].astype(np.int64)) == expected


# ---------------------------------------------------------------------------- properties
instants = st.datetimes(min_value=datetime(2023, 1, 1), max_value=datetime(2027, 12, 31, 23, 59, 59)).map(
    lambda t: t.replace(microsecond=0, tzinfo=VN)
)
PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(t=instants, n=st.integers(0, 60))
def test_due_is_never_before_counted_from_and_falls_on_a_working_day(t, n):
    start = CAL.counted_from(t)
    due = CAL.due(t, n, "working_days")
    assert start >= t
    assert due >= start
    assert CAL.is_working_day(due.date())
    assert CAL.working_days_between(start.date(), due.date()) == n + 1


@PROPS
@given(pairs=st.lists(st.tuples(instants, st.integers(0, 60)), min_size=1, max_size=40))
def test_due_bulk_gives_exactly_the_single_path_result(pairs):
    received = np.array([_epoch(t) for t, _ in pairs], dtype="datetime64[s]")
    days = np.array([n for _, n in pairs])
    bulk = [int(x) for x in CAL.due_bulk(received, days).astype(np.int64)]
    assert bulk == [_epoch(CAL.due(t, n, "working_days")) for t, n in pairs]


@PROPS
@given(t=instants, n=st.integers(0, 60), a=instants, length=st.integers(0, 40 * 86400))
def test_a_pause_moves_the_due_by_exactly_the_paused_working_time(t, n, a, length):
    old_due = CAL.due(t, n, "working_days")
    paused = CAL.working_seconds_between(a, a + timedelta(seconds=length))
    new_due = CAL.add_working_seconds(old_due, paused)
    assert new_due >= old_due
    assert CAL.working_seconds_between(old_due, new_due) == paused


@PROPS
@given(t=instants, s=st.integers(0, 90 * 27000))
def test_adding_working_seconds_then_measuring_them_gives_them_back(t, s):
    a = CAL.counted_from(t)  # a moment in working time
    assert CAL.working_seconds_between(a, CAL.add_working_seconds(a, s)) == s


@PROPS
@given(a=st.dates(date(2023, 1, 1), date(2027, 12, 31)), span=st.integers(0, 400))
def test_working_days_between_agrees_with_counting_day_by_day(a, span):
    b = a + timedelta(days=span)
    expected = sum(1 for i in range(span + 1) if CAL.is_working_day(a + timedelta(days=i)))
    assert CAL.working_days_between(a, b) == expected


@PROPS
@given(d=st.dates(date(2023, 1, 1), date(2027, 12, 31)), n=st.integers(0, 60))
def test_nth_working_day_agrees_with_walking_day_by_day(d, n):
    x, k = d, n
    while k:
        x += timedelta(days=1)
        if CAL.is_working_day(x):
            k -= 1
    assert CAL.nth_working_day_after(d, n) == x


# ---------------------------------------------------------------------------- shipped data
def test_every_shipped_override_names_its_document_and_source_once_per_date():
    from urllib.parse import urlparse

    from cchc.calendar.shipped import shipped_overrides

    rows = shipped_overrides()
    assert len({o.date for o in rows}) == len(rows)
    for o in rows:
        assert o.name and o.legal_document, o
        assert urlparse(o.source_url).scheme in {"http", "https"} and " " not in o.source_url, o


def test_the_shipped_overrides_change_the_library_only_on_the_documented_2026_days():
    library_only = WorkCalendar.vietnam()
    changed = [
        d for d in (date(2023, 1, 1) + timedelta(days=i) for i in range(4 * 366))
        if library_only.is_working_day(d) != CAL.is_working_day(d)
    ]
    assert changed == [date(2026, 1, 2), date(2026, 1, 10), date(2026, 11, 24)]
