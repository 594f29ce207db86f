"""Lịch làm việc (working-day calendar) of public administration: a pure module, no Django import.

Rules encoded here (sources and open questions in docs/calendar.md):

* Ngày làm việc (working day): Monday–Friday, unless it is a day off (ngày nghỉ lễ, Tết, nghỉ bù,
  nghỉ do hoán đổi); a Saturday or Sunday is a working day only when a notice makes it one
  (ngày làm bù).
* Giờ làm việc (working hours): a morning and an afternoon period per province; default
  07:30–11:30 and 13:30–17:00 (7.5 working hours a day).
* Thời điểm bắt đầu tính (counted from): a dossier received inside working hours counts from the
  moment it was received. Received before the morning opening of a working day → that day's
  opening; during the lunch break → that day's afternoon opening; after closing, or on a day that
  is not a working day → the opening of the next working day.
* Thời hạn theo ngày làm việc (N working days): due at the same clock time as `counted_from` on the
  N-th working day after the day of `counted_from` (N = 0: due at `counted_from`).
  A fractional part (e.g. 0.5 day) is that fraction of the daily working time, added in working
  time after the whole days.
* Thời hạn theo giờ làm việc (N working hours): N hours counted inside working hours only.
* Trong ngày (same day): due at the closing time of the day of `counted_from`.
* Ngày (calendar days): due = counted_from + N calendar days at the same clock time; if that date is
  not a working day, the due moves to the same clock time of the next working day.
* Tháng (months), Bộ luật Dân sự 2015 Điều 147 khoản 2 and Điều 148 khoản 1 điểm c, khoản 2: the day of
  `counted_from` is not counted; the period ends at the end (closing time) of the corresponding day of the
  N-th month after it — the last day of that month when it has no such day — and, when that day is not a
  working day, at the closing time of the next working day. N must be a whole number of months.
* Any other unit raises ValueError: there is no silent fallback.
* Tạm dừng (pause): the due time moves by the working time the pause consumed:
  `add_working_seconds(old_due, working_seconds_between(pause_start, pause_end))`.

All datetimes returned are aware, in the calendar's time zone; naive inputs are read as local time.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from zoneinfo import ZoneInfo

from cchc.core.numbers import format_vn

UNITS = ("working_days", "working_hours", "same_day", "calendar_days", "months")
UNIT_WORKING_DAYS, UNIT_WORKING_HOURS, UNIT_SAME_DAY, UNIT_CALENDAR_DAYS, UNIT_MONTHS = UNITS
UNIT_LABELS_VI = {
    UNIT_WORKING_DAYS: "ngày làm việc",
    UNIT_WORKING_HOURS: "giờ làm việc",
    UNIT_SAME_DAY: "trong ngày",
    UNIT_CALENDAR_DAYS: "ngày (theo lịch)",
    UNIT_MONTHS: "tháng",
}


def add_months(d: date, months: int) -> date:
    """Ngày tương ứng của tháng thứ `months` sau d (Bộ luật Dân sự 2015, Điều 148 khoản 1 điểm c): the same
    day of the month; when that month has no such day (31/1 + 1 tháng, 29/2 + 12 tháng) its last day."""
    if months < 0:
        raise ValueError("Số tháng không được âm.")
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = (nxt - timedelta(days=1)).day
    return date(year, month, min(d.day, last))

_ONE_SECOND = timedelta(seconds=1)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _weekdays_before(ordinal: int) -> int:
    """Number of Mondays–Fridays with proleptic ordinal in [1, ordinal). Ordinal 1 (0001-01-01) is a Monday."""
    n = ordinal - 1
    weeks, rest = divmod(n, 7)
    return weeks * 5 + min(rest, 5)


@dataclass(frozen=True)
class WorkingHours:
    """Giờ làm việc: the morning and afternoon periods of a working day (local clock times)."""

    morning: tuple[time, time] = (time(7, 30), time(11, 30))
    afternoon: tuple[time, time] = (time(13, 30), time(17, 0))

    def __post_init__(self):
        (s1, e1), (s2, e2) = self.morning, self.afternoon
        if not (s1 < e1 <= s2 < e2):
            raise ValueError("Giờ làm việc không hợp lệ: cần bắt đầu sáng < kết thúc sáng ≤ bắt đầu chiều < kết thúc chiều.")
        for t in (s1, e1, s2, e2):
            if t.microsecond or t.tzinfo is not None:
                raise ValueError("Giờ làm việc phải là giờ địa phương, tính đến giây.")

    @property
    def opening(self) -> time:
        return self.morning[0]

    @property
    def closing(self) -> time:
        return self.afternoon[1]

    @property
    def morning_seconds(self) -> int:
        return _seconds(self.morning[1]) - _seconds(self.morning[0])

    @property
    def daily_seconds(self) -> int:
        """Working seconds in one working day (27,000 = 7.5 h with the default hours)."""
        return self.morning_seconds + _seconds(self.afternoon[1]) - _seconds(self.afternoon[0])

    def as_strings(self) -> dict:
        f = "%H:%M"
        return {
            "morning_start": self.morning[0].strftime(f), "morning_end": self.morning[1].strftime(f),
            "afternoon_start": self.afternoon[0].strftime(f), "afternoon_end": self.afternoon[1].strftime(f),
        }


@dataclass(frozen=True)
class Override:
    """Điều chỉnh lịch: one day made a day off or a working day by a notice (văn bản)."""

    date: date
    is_working_day: bool
    name: str = ""
    legal_document: str = ""
    source_url: str = ""
    meta: dict = field(default_factory=dict, compare=False, hash=False)


_WEEKDAYS_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def _vn_number(x: Fraction) -> str:
    """1.5 → '1,5'; 2 → '2' (decimal comma)."""
    if x.denominator == 1:
        return str(x.numerator)
    return format_vn(float(x), 1)


@dataclass(frozen=True)
class TimeLeft:
    """Thời gian làm việc còn lại (or quá hạn) of a due time, and its wording for badges.

    Wording (floored, never promising more time than there is): ≥ half a working day → days in steps of
    0.5 ("còn 2 ngày làm việc", "còn 0,5 ngày làm việc"); ≥ 1 hour → whole hours ("còn 3 giờ làm việc");
    less → minutes ("còn 40 phút làm việc"). No working time left before a due still ahead (Saturday, due
    07:30 Monday) → "đến hạn 07:30 thứ Hai 07/12". Past the due: the same scale with "quá hạn …"; past
    it by no working time yet (due 17:00 Friday, now Saturday) → "quá hạn từ 17:00 thứ Sáu 04/12".
    """

    overdue: bool
    working_seconds: int
    due: datetime
    daily_seconds: int

    @property
    def days(self) -> Fraction:
        """Whole half-days of working time (floored)."""
        return Fraction(int(self.working_seconds * 2 // self.daily_seconds), 2)

    def amount_text(self) -> str:
        ws = self.working_seconds
        if ws * 2 >= self.daily_seconds:
            return f"{_vn_number(self.days)} ngày làm việc"
        if ws >= 3600:
            return f"{ws // 3600} giờ làm việc"
        if ws >= 60:
            return f"{ws // 60} phút làm việc"
        return ""

    @property
    def text(self) -> str:
        amount = self.amount_text()
        when = f"{self.due:%H:%M} {_WEEKDAYS_VI[self.due.weekday()]} {self.due:%d/%m}"
        if self.overdue:
            return f"quá hạn {amount}" if amount else f"quá hạn từ {when}"
        return f"còn {amount}" if amount else f"đến hạn {when}"


class WorkCalendar:
    """Lịch làm việc: working days and working hours in one time zone.

    `days_off` are dates that are not working days (holidays, compensatory and swapped days off);
    `extra_workdays` are dates that are working days even on a weekend (ngày làm bù). A date in both is
    a working day. Either may be a mapping date → name, used for listings.
    """

    def __init__(
        self,
        *,
        days_off: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        hours: WorkingHours = WorkingHours(),
        tz: str = "Asia/Ho_Chi_Minh",
        names: Mapping[date, str] | None = None,
    ):
        self.hours = hours
        self.tz_name = tz
        self.tz = ZoneInfo(tz)
        self._names: dict[date, str] = {}
        for source in (days_off, extra_workdays):
            if isinstance(source, Mapping):
                self._names.update({d: n for d, n in source.items() if n})
        if names:
            self._names.update(names)
        self.days_off = frozenset(days_off)
        self.extra_workdays = frozenset(extra_workdays)
        # Only the exceptions change the weekday arithmetic: weekdays that are off, weekends that work.
        self._off_weekday_ordinals = sorted(
            d.toordinal() for d in self.days_off if d.weekday() < 5 and d not in self.extra_workdays
        )
        self._weekend_work_ordinals = sorted(d.toordinal() for d in self.extra_workdays if d.weekday() >= 5)
        self._off_set = frozenset(self._off_weekday_ordinals)
        self._work_set = frozenset(self._weekend_work_ordinals)
        s1, e1 = (_seconds(t) for t in hours.morning)
        s2, e2 = (_seconds(t) for t in hours.afternoon)
        self._s1, self._e1, self._s2, self._e2 = s1, e1, s2, e2
        self._morning = e1 - s1
        self._daily = hours.daily_seconds
        self._bulk_cache: dict = {}

    # ------------------------------------------------------------------ construction
    @classmethod
    def vietnam(
        cls,
        *,
        overrides: Iterable[tuple[date, bool, str]] | Iterable[Override] = (),
        hours: WorkingHours = WorkingHours(),
        years: Iterable[int] = range(2015, 2036),
        tz: str = "Asia/Ho_Chi_Minh",
    ) -> WorkCalendar:
        """Public holidays of Viet Nam from the `holidays` package (Bộ luật Lao động 2019, Điều 112, and the
        swaps it knows), overlaid by `overrides` = (date, is_working_day, name); later overrides win."""
        base_off, base_extra = _library_days(tuple(sorted(set(years))))
        days_off: dict[date, str] = dict(base_off)
        extra: dict[date, str] = dict(base_extra)
        for item in overrides:
            if isinstance(item, Override):
                d, working, name = item.date, item.is_working_day, item.name
            else:
                d, working, name = item[0], bool(item[1]), item[2] if len(item) > 2 else ""
            if working:
                days_off.pop(d, None)
                extra[d] = name or "Ngày làm việc (điều chỉnh)"
            else:
                extra.pop(d, None)
                days_off[d] = name or "Ngày nghỉ (điều chỉnh)"
        return cls(days_off=days_off, extra_workdays=extra, hours=hours, tz=tz)

    # ------------------------------------------------------------------ identity
    @property
    def fingerprint(self) -> str:
        """Phiên bản lịch: a short hash of the exceptions and hours; store it next to a computed due time."""
        h = hashlib.sha256()
        h.update(repr((self.tz_name, self._s1, self._e1, self._s2, self._e2)).encode())
        h.update(repr(self._off_weekday_ordinals).encode())
        h.update(repr(self._weekend_work_ordinals).encode())
        return h.hexdigest()[:16]

    def __repr__(self) -> str:
        return f"<WorkCalendar {self.tz_name} {self.hours.as_strings()} v={self.fingerprint}>"

    # ------------------------------------------------------------------ days
    def is_working_day(self, d: date) -> bool:
        if isinstance(d, datetime):
            d = self._local(d).date()
        o = d.toordinal()
        if d.weekday() >= 5:
            return o in self._work_set
        return o not in self._off_set

    def day_name(self, d: date) -> str:
        """Tên ngày nghỉ / ngày làm bù, or '' for an ordinary day."""
        if d in self._names:
            return self._names[d]
        return ""

    def _working_days_before(self, ordinal: int) -> int:
        """Working days with ordinal < `ordinal` (counted from 0001-01-01; only differences are meaningful)."""
        return (
            _weekdays_before(ordinal)
            - bisect_left(self._off_weekday_ordinals, ordinal)
            + bisect_left(self._weekend_work_ordinals, ordinal)
        )

    def working_days_between(self, a: date, b: date) -> int:
        """Số ngày làm việc from a to b, both ends included (0 if b < a)."""
        if b < a:
            return 0
        return self._working_days_before(b.toordinal() + 1) - self._working_days_before(a.toordinal())

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after d."""
        return self.nth_working_day_after(d, 1)

    def nth_working_day_after(self, d: date, n: int) -> date:
        """The n-th working day strictly after d (n ≥ 1); n = 0 returns d itself."""
        if n < 0:
            raise ValueError("n phải ≥ 0")
        if n == 0:
            return d
        target = self._working_days_before(d.toordinal() + 1) + n  # working days counted through the answer
        lo = d.toordinal()  # W(lo + 1) < target
        hi = lo + n + n // 2 + 7
        while self._working_days_before(hi + 1) < target:
            lo, hi = hi, hi + (hi - lo) * 2
        # smallest x in (lo, hi] with W(x + 1) >= target; that x is a working day
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self._working_days_before(mid + 1) >= target:
                hi = mid
            else:
                lo = mid
        return date.fromordinal(hi)

    def non_working_weekdays(self, a: date, b: date) -> list[tuple[date, str]]:
        """Ngày thường được nghỉ: Mondays–Fridays in [a, b] that are not working days, with their names."""
        lo, hi = bisect_left(self._off_weekday_ordinals, a.toordinal()), bisect_right(self._off_weekday_ordinals, b.toordinal())
        return [(date.fromordinal(o), self.day_name(date.fromordinal(o))) for o in self._off_weekday_ordinals[lo:hi]]

    def working_weekend_days(self, a: date, b: date) -> list[tuple[date, str]]:
        """Ngày làm bù: Saturdays/Sundays in [a, b] that are working days, with their names."""
        lo, hi = bisect_left(self._weekend_work_ordinals, a.toordinal()), bisect_right(self._weekend_work_ordinals, b.toordinal())
        return [(date.fromordinal(o), self.day_name(date.fromordinal(o))) for o in self._weekend_work_ordinals[lo:hi]]

    # ------------------------------------------------------------------ clock helpers
    def _local(self, t: datetime) -> datetime:
        if not isinstance(t, datetime):
            raise TypeError("cần một datetime")
        if t.tzinfo is None or t.tzinfo.utcoffset(t) is None:
            return t.replace(tzinfo=self.tz)
        return t.astimezone(self.tz)

    def _at(self, d: date, seconds_of_day: int, microsecond: int = 0) -> datetime:
        h, rest = divmod(seconds_of_day, 3600)
        m, s = divmod(rest, 60)
        return datetime(d.year, d.month, d.day, h, m, s, microsecond, tzinfo=self.tz)

    def opening(self, d: date) -> datetime:
        return self._at(d, self._s1)

    def closing(self, d: date) -> datetime:
        return self._at(d, self._e2)

    def _elapsed_in_day(self, t: datetime) -> timedelta:
        """Working time from the day's opening to t (t local, day assumed working)."""
        sod = timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)
        s1, e1, s2, e2 = (timedelta(seconds=x) for x in (self._s1, self._e1, self._s2, self._e2))
        if sod <= s1:
            return timedelta(0)
        if sod <= e1:
            return sod - s1
        if sod <= s2:
            return e1 - s1
        if sod <= e2:
            return (e1 - s1) + (sod - s2)
        return timedelta(seconds=self._daily)

    def _clock_at_offset(self, d: date, offset: timedelta) -> datetime:
        """Earliest instant of day d at which `offset` (0 < offset ≤ daily) working time has elapsed."""
        morning = timedelta(seconds=self._morning)
        base = timedelta(seconds=self._s1) + offset if offset <= morning else timedelta(seconds=self._s2) + (offset - morning)
        midnight = datetime(d.year, d.month, d.day, tzinfo=self.tz)
        return (midnight.replace(tzinfo=None) + base).replace(tzinfo=self.tz)

    # ------------------------------------------------------------------ the due-time rule
    def counted_from(self, t: datetime) -> datetime:
        """Thời điểm bắt đầu tính thời hạn for a dossier received at t (see the module docstring)."""
        t = self._local(t)
        d = t.date()
        if self.is_working_day(d):
            sod = t.hour * 3600 + t.minute * 60 + t.second
            if sod < self._s1:
                return self._at(d, self._s1)
            if sod < self._e1:
                return t
            if sod < self._s2:
                return self._at(d, self._s2)
            if sod < self._e2:
                return t
        return self.opening(self.next_working_day(d))

    def due(self, received: datetime, amount, unit: str = UNIT_WORKING_DAYS, *, same_day_cutoff: time | None = None) -> datetime:
        """Hạn giải quyết for a dossier received at `received` with a processing time `amount` in `unit`.

        `same_day_cutoff` (only for "same_day"): procedures that say "trong ngày; tiếp nhận sau 15 giờ thì trả trong
        ngày làm việc tiếp theo" (e.g. chứng thực, Nghị định 23/2015/NĐ-CP, Điều 21) pass time(15, 0): a dossier
        counted from a moment strictly after the cutoff is due at closing of the next working day.
        """
        if unit not in UNITS:
            raise ValueError(f"Đơn vị thời hạn không hợp lệ: {unit!r}; dùng một trong {', '.join(UNITS)}.")
        start = self.counted_from(received)
        if unit == UNIT_SAME_DAY:
            day = start.date()
            if same_day_cutoff is not None and start.replace(tzinfo=None).time() > same_day_cutoff:
                day = self.next_working_day(day)
            return self.closing(day)
        value = _as_fraction(amount)
        if value < 0:
            raise ValueError("Thời hạn không được âm.")
        if unit == UNIT_WORKING_HOURS:
            return self.add_working_seconds(start, value * 3600)
        if unit == UNIT_MONTHS:
            if value.denominator != 1:
                raise ValueError("Thời hạn tính bằng tháng phải là số tháng nguyên (nửa tháng: nhập 15 ngày).")
            day = add_months(start.date(), int(value))
            if not self.is_working_day(day):
                day = self.next_working_day(day)
            return self.closing(day)
        if unit == UNIT_CALENDAR_DAYS:
            whole = int(value)
            rest = value - whole
            d = start.date() + timedelta(days=whole)
            t = start.replace(tzinfo=None).time()
            moved = datetime.combine(d, t).replace(tzinfo=self.tz)
            if rest:
                moved = moved + timedelta(seconds=float(rest * 86400))
            if not self.is_working_day(moved.date()):
                moved = datetime.combine(self.next_working_day(moved.date()), moved.replace(tzinfo=None).time()).replace(tzinfo=self.tz)
            return moved
        whole = int(value)
        rest = value - whole
        day = self.nth_working_day_after(start.date(), whole)
        due = start.replace(year=day.year, month=day.month, day=day.day)
        if rest:
            due = self.add_working_seconds(due, rest * self._daily)
        return due

    # ------------------------------------------------------------------ working time
    def _working_position(self, t: datetime) -> timedelta:
        """Working time from a fixed origin to t: the difference of two positions is working time between them."""
        t = self._local(t)
        d = t.date()
        pos = timedelta(seconds=self._working_days_before(d.toordinal()) * self._daily)
        if self.is_working_day(d):
            pos += self._elapsed_in_day(t)
        return pos

    def working_seconds_between(self, a: datetime, b: datetime) -> int:
        """Working seconds (inside working hours of working days) between a and b; negative if b < a."""
        return (self._working_position(b) - self._working_position(a)) // _ONE_SECOND

    def add_working_seconds(self, t: datetime, seconds) -> datetime:
        """The earliest instant at which `seconds` of working time have elapsed since t.

        `seconds = 0` returns t itself (in local time). Landing exactly at the end of a period gives that
        end (11:30, 17:00), not the next opening.
        """
        t = self._local(t)
        amount = _as_fraction(seconds)
        if amount < 0:
            raise ValueError("Số giây làm việc không được âm.")
        if amount == 0:
            return t
        need = timedelta(seconds=float(amount)) if amount.denominator != 1 else timedelta(seconds=int(amount))
        daily = timedelta(seconds=self._daily)
        d = t.date()
        if self.is_working_day(d):
            elapsed = self._elapsed_in_day(t)
            available = daily - elapsed
            if need <= available:
                return self._clock_at_offset(d, elapsed + need)
            need -= available
        # `need` > 0 remains: whole days to skip, then the rest (0 < rest ≤ daily) on the last day.
        full_days = (need - timedelta(microseconds=1)) // daily
        rest = need - full_days * daily
        return self._clock_at_offset(self.nth_working_day_after(d, full_days + 1), rest)

    def time_left(self, now: datetime, due: datetime) -> TimeLeft:
        """Thời gian còn lại / quá hạn, in working time, as an officer reads it on a badge.

        Working time between `now` and `due` (working_seconds_between): a dossier due 07:30 Monday has no
        working time left on Saturday, it is not "2 days" away. See `TimeLeft.text` for the wording.
        """
        now, due = self._local(now), self._local(due)
        if due >= now:
            return TimeLeft(overdue=False, working_seconds=self.working_seconds_between(now, due), due=due,
                            daily_seconds=self._daily)
        return TimeLeft(overdue=True, working_seconds=self.working_seconds_between(due, now), due=due,
                        daily_seconds=self._daily)

    def due_after_pause(self, due: datetime, pause_start: datetime, pause_end: datetime) -> datetime:
        """Hạn mới sau một lần tạm dừng: the due moves by the working time the pause consumed."""
        return self.add_working_seconds(due, max(0, self.working_seconds_between(pause_start, pause_end)))

    # ------------------------------------------------------------------ bulk path
    def _bulk_tables(self, first_day: int, last_day: int):
        """Sorted working days (days since 1970-01-01) covering [first_day, last_day] plus a margin."""
        import numpy as np

        key = "tables"
        cached = self._bulk_cache.get(key)
        if cached is not None and cached[0] <= first_day and cached[1] >= last_day:
            return cached
        lo = min(first_day, cached[0] if cached else first_day) - 7
        hi = max(last_day, cached[1] if cached else last_day) + 7
        days = np.arange(lo, hi + 1, dtype=np.int64)
        weekday = (days + 3) % 7  # 1970-01-01 was a Thursday (weekday 3)
        working = weekday < 5
        ords = days + _EPOCH_ORDINAL
        if self._off_weekday_ordinals:
            working &= ~np.isin(ords, np.asarray(self._off_weekday_ordinals, dtype=np.int64))
        if self._weekend_work_ordinals:
            working |= np.isin(ords, np.asarray(self._weekend_work_ordinals, dtype=np.int64))
        workdays = days[working]
        tables = (lo, hi, working, workdays)
        self._bulk_cache[key] = tables
        return tables

    def _fixed_offset_seconds(self, lo_day: int, hi_day: int) -> int | None:
        """The zone's UTC offset if it is constant over the range (true for Asia/Ho_Chi_Minh since 1975)."""
        offsets = set()
        for day in range(lo_day, hi_day + 1, 30):
            dt = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=day)
            offsets.add(dt.astimezone(self.tz).utcoffset())
        dt = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=hi_day)
        offsets.add(dt.astimezone(self.tz).utcoffset())
        if len(offsets) != 1:
            return None
        return int(offsets.pop().total_seconds())

    def due_bulk(self, received, days):
        """Hạn giải quyết for many dossiers at once (unit: whole working days).

        `received`: numpy datetime64 array (UTC instants, any resolution ≥ second is truncated to seconds);
        `days`: integer array (≥ 0), same length. Returns datetime64[s] UTC instants, identical to `due`.
        Precomputes the sorted array of working days once and uses `searchsorted`; no Python loop.
        """
        import numpy as np

        rec64 = np.asarray(received).astype("datetime64[s]")
        if np.isnat(rec64).any():
            raise ValueError("received có giá trị rỗng (NaT)")
        rec = rec64.astype(np.int64)
        n = np.asarray(days)
        if n.shape != rec.shape:
            raise ValueError("received và days phải cùng kích thước")
        if n.size == 0:
            return rec.astype("datetime64[s]")
        if not np.issubdtype(n.dtype, np.integer):
            if not np.all(np.mod(n, 1) == 0):
                raise ValueError("due_bulk chỉ nhận số ngày làm việc nguyên")
            n = n.astype(np.int64)
        n = n.astype(np.int64)
        if (n < 0).any():
            raise ValueError("Thời hạn không được âm.")
        # Range of local days involved, with a margin for the working days ahead.
        lo_day = int(rec.min() // 86400) - 1
        hi_day = int(rec.max() // 86400) + 1 + int(n.max()) * 7 // 5 + 60
        offset = self._fixed_offset_seconds(lo_day, hi_day)
        if offset is None:  # a zone with DST inside the range: fall back to the exact per-item path
            out = [self.due(datetime.fromtimestamp(int(r), tz=UTC), int(k), UNIT_WORKING_DAYS) for r, k in zip(rec, n, strict=True)]
            return np.array([int(x.timestamp()) for x in out], dtype=np.int64).astype("datetime64[s]")
        lo, hi, working, workdays = self._bulk_tables(lo_day, hi_day)
        local = rec + offset
        day = local // 86400
        sod = local - day * 86400
        is_work = working[day - lo]
        s1, e1, s2, e2 = self._s1, self._e1, self._s2, self._e2
        # counted_from: the day itself while it is open, else the next working day at opening
        in_day = is_work & (sod < e2)
        sod_c = np.where(sod < s1, s1, np.where((sod >= e1) & (sod < s2), s2, sod))
        sod_c = np.where(in_day, sod_c, s1)
        # index of the first working day ≥ day; one further when the day is a working day already closed
        start_idx = np.searchsorted(workdays, day, side="left") + (is_work & ~in_day)
        due_idx = start_idx + n
        if (due_idx >= workdays.size).any():  # pragma: no cover - the margin above makes this unreachable
            raise ValueError("due_bulk: vượt phạm vi lịch đã tính trước")
        due_local = workdays[due_idx] * 86400 + sod_c
        return (due_local - offset).astype("datetime64[s]")


@lru_cache(maxsize=8)
def _library_days(years: tuple[int, ...]) -> tuple[dict[date, str], dict[date, str]]:
    """Days off and weekend working days of Viet Nam per the `holidays` package, with Vietnamese names."""
    import holidays  # local import: the package is only needed to build the national calendar

    lib = holidays.country_holidays("VN", years=list(years), language="vi")
    days_off: dict[date, str] = dict(lib.items())
    extra: dict[date, str] = {}
    for d in getattr(lib, "weekend_workdays", ()):
        if d.year not in years:
            continue
        swapped = [o for o, n in days_off.items() if d.strftime("%d/%m/%Y") in n]
        extra[d] = f"Làm bù cho ngày {swapped[0]:%d/%m/%Y}" if swapped else "Ngày làm bù"
    return days_off, extra


def _as_fraction(value) -> Fraction:
    """Exact number from int, Decimal, Fraction, float or numeric string."""
    if isinstance(value, bool):
        raise ValueError("Thời hạn phải là số.")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("Thời hạn phải là số hữu hạn.")
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("Thời hạn phải là số hữu hạn.")
        return Fraction(Decimal(str(value)))
    if isinstance(value, str):
        try:
            return _as_fraction(Decimal(value.strip().replace(",", ".")))
        except ArithmeticError as exc:
            raise ValueError(f"Thời hạn không phải là số: {value!r}") from exc
    try:  # numpy scalars
        return _as_fraction(value.item())
    except AttributeError as exc:
        raise ValueError(f"Thời hạn không phải là số: {value!r}") from exc
