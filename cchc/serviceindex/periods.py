"""Kỳ đánh giá: a period written `YYYY-MM` (month), `YYYY-Qn` (quarter) or `YYYY` (year) → local dates (pure)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})-[Qq]([1-4])")
_YEAR = re.compile(r"(\d{4})")


class PeriodError(ValueError):
    """The text is not a period; the message names the accepted forms (Vietnamese)."""


@dataclass(frozen=True)
class Period:
    label: str  # canonical: 2026-10, 2026-Q4, 2026
    kind: str  # month | quarter | year
    date_from: date
    date_to: date

    @property
    def label_vi(self) -> str:
        if self.kind == "month":
            return f"Tháng {self.date_from.month:02d}/{self.date_from.year}"
        if self.kind == "quarter":
            return f"Quý {(self.date_from.month - 1) // 3 + 1}/{self.date_from.year}"
        return f"Năm {self.date_from.year}"

    def is_partial(self, today: date) -> bool:
        """Kỳ chưa kết thúc: today falls inside the period (its figures are to date)."""
        return self.date_from <= today <= self.date_to

    def clipped_to(self, today: date) -> date:
        return min(self.date_to, today)


def parse_period(text: str) -> Period:
    text = (text or "").strip()
    m = _QUARTER.fullmatch(text)
    if m:
        y, q = int(m[1]), int(m[2])
        first = date(y, 3 * q - 2, 1)
        last_month = 3 * q
        return Period(f"{y}-Q{q}", "quarter", first, date(y, last_month, calendar.monthrange(y, last_month)[1]))
    m = _MONTH.fullmatch(text)
    if m:
        y, mo = int(m[1]), int(m[2])
        if not 1 <= mo <= 12:
            raise PeriodError(f"tháng {mo} không hợp lệ (1–12) trong {text!r}")
        return Period(f"{y}-{mo:02d}", "month", date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1]))
    m = _YEAR.fullmatch(text)
    if m:
        y = int(m[1])
        return Period(str(y), "year", date(y, 1, 1), date(y, 12, 31))
    raise PeriodError(f"kỳ {text!r} không hợp lệ (dùng YYYY-MM, YYYY-Qn hoặc YYYY)")


def check_year(p: Period, *, lo: int = 2000, hi: int = 2100) -> Period:
    if not lo <= p.date_from.year <= hi:
        raise PeriodError(f"năm {p.date_from.year} ngoài khoảng {lo}–{hi}")
    return p
