"""Kỳ báo cáo từ địa chỉ trang: a date range read from `?from=YYYY-MM-DD&to=YYYY-MM-DD`, the same way on every page.

A page that lists or counts over a period calls `date_range(request.GET)`: missing dates default to the last
`default_days` days up to today; a malformed date or `to` before `from` falls back to that default with a message
naming both parameters and the rule (the page still answers 200, showing what it fell back to); `max_days`
bounds the length (the start moves up, with a message).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone


def date_range(params, *, what: str = "Kỳ", default_days: int = 30, max_days: int | None = None,
               today: date | None = None) -> tuple[date, date, str | None]:
    """(start, end, error message or None) from `params` (a QueryDict or dict with "from" and "to")."""
    today = today or timezone.localdate()
    default_start = today - timedelta(days=default_days)
    error = None
    try:
        start = date.fromisoformat(params.get("from") or default_start.isoformat())
        end = date.fromisoformat(params.get("to") or today.isoformat())
        if end < start:
            raise ValueError
    except ValueError:
        error = f"{what} không hợp lệ: from, to là ngày YYYY-MM-DD và to ≥ from."
        start, end = default_start, today
    if max_days is not None and (end - start).days > max_days:
        error, start = f"{what} tối đa {max_days} ngày.", end - timedelta(days=max_days)
    return start, end, error
