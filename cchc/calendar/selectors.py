"""Reads of cchc.calendar: the answers the CLI, the API and the page give (one definition for all three)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from cchc.core.errors import DomainError

from .parsing import number
from .services import calendar_for
from .workdays import UNIT_SAME_DAY, UNITS

UNIT_KEYS = {u: u for u in UNITS}


def province_by_code(code: str | None, *, field: str = "province"):
    """The province (tỉnh/thành phố) with this unit code, or None for an empty code; unknown → DomainError."""
    if not code or not str(code).strip():
        return None
    from cchc.units.models import Unit

    unit = Unit.objects.filter(code=str(code).strip()).select_related("province").first()
    if unit is None:  # a name ("Hà Nội") or a pre-2025 code ("30", Hải Dương): the province that stands for it now
        from cchc.units.models import UnitKind
        from cchc.units.selectors import current_successor, province_by_name_or_code

        unit = province_by_name_or_code(str(code))
        if unit is not None and unit.kind == UnitKind.OLD_PROVINCE:
            unit = current_successor(unit)
    if unit is None:
        raise DomainError(f"không có tỉnh/thành phố mã {code!r}.", code="unknown_province", field=field)
    return unit.province_unit


def iso(t: datetime) -> str:
    return t.isoformat(timespec="seconds")


def due_summary(*, received: datetime, amount: Decimal, unit: str, province=None) -> dict:
    """{"received", "counted_from", "due", <unit key>: amount | true} in the calendar's time zone."""
    if unit not in UNITS:
        raise DomainError(f"đơn vị thời hạn không hợp lệ: {unit!r}.", code="invalid_unit", field="unit")
    cal = calendar_for(province)
    received = received.astimezone(cal.tz)
    try:
        counted_from = cal.counted_from(received)
        due = cal.due(received, amount, unit)
    except (OverflowError, ValueError) as exc:
        raise DomainError(f"không tính được hạn ({exc}).", code="out_of_range", field=unit) from None
    out = {"received": iso(received), "counted_from": iso(counted_from), "due": iso(due)}
    out[UNIT_KEYS[unit]] = True if unit == UNIT_SAME_DAY else number(amount)
    return out


def workdays_summary(*, start: date, end: date, province=None) -> dict:
    """Working days in [start, end] (both included) and the exceptions to the Monday–Friday rule."""
    if start > end:
        raise DomainError(
            f"ngày đầu ({start:%Y-%m-%d}) phải không sau ngày cuối ({end:%Y-%m-%d}).", code="bad_range", field="to"
        )
    cal = calendar_for(province)
    count = cal.working_days_between(start, end)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "working_days": count,
        "count": count,  # the word ("prints the count"); same value as working_days
        "non_working_weekdays": [{"date": d.isoformat(), "name": n} for d, n in cal.non_working_weekdays(start, end)],
        "working_weekend_days": [{"date": d.isoformat(), "name": n} for d, n in cal.working_weekend_days(start, end)],
    }


def overrides_for_year(year: int, province=None) -> list:
    """Điều chỉnh lịch of a year (national, then the province's), from the database or the shipped file."""
    from django.db import DatabaseError
    from django.db.models import Q

    from .models import HolidayOverride
    from .shipped import shipped_overrides

    pid = None if province is None else (province.province_id or province.pk)
    try:
        q = Q(province__isnull=True) | (Q(province_id=pid) if pid else Q(pk__in=[]))
        rows = list(HolidayOverride.objects.filter(q, date__year=year).order_by("date"))
        has_national = HolidayOverride.objects.filter(province__isnull=True).exists()
    except DatabaseError:
        rows, has_national = [], False
    if not has_national:
        rows = [o for o in shipped_overrides() if o.date.year == year] + [r for r in rows if r.province_id]
        rows.sort(key=lambda o: o.date)
    return rows
