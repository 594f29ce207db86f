"""Input parsing shared by the CLI, the API and the page: one message per rule, naming nothing.

Each function raises `DomainError(message, code=..., field=...)`; the CLI prefixes the message with the
flag (`--received: ...`), the API returns it as a 400 with `field`.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import Decimal, InvalidOperation

from cchc.core.errors import DomainError

MAX_AMOUNT = Decimal(36500)


def parse_moment(text: str | None, *, field: str, tz: tzinfo) -> datetime:
    """ISO 8601 date-time; naive = local time of `tz`; aware keeps its instant (returned in `tz`)."""
    raw = (text or "").strip()
    if not raw:
        raise DomainError("cần nhập thời điểm tiếp nhận.", code="required", field=field)
    if "T" not in raw and " " in raw:
        raw = raw.replace(" ", "T", 1)
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise DomainError(
            f"không đọc được thời điểm {text!r}; dùng dạng 2026-02-13T09:00 (ISO 8601).", code="invalid_datetime", field=field
        ) from None
    if value.tzinfo is None:
        return value.replace(tzinfo=tz)
    return value.astimezone(tz)


def parse_day(text: str | None, *, field: str) -> date:
    raw = (text or "").strip()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise DomainError(f"không đọc được ngày {text!r}; dùng dạng YYYY-MM-DD.", code="invalid_date", field=field) from None


def parse_amount(text, *, field: str) -> Decimal:
    """A processing time: a finite number ≥ 0 (decimals allowed, comma or dot)."""
    raw = str(text if text is not None else "").strip().replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise DomainError(f"{text!r} không phải là số.", code="invalid_number", field=field) from None
    if not value.is_finite():
        raise DomainError(f"{text!r} không phải là số hữu hạn.", code="invalid_number", field=field)
    if value < 0:
        raise DomainError(f"thời hạn không được âm ({text}).", code="negative", field=field)
    if value > MAX_AMOUNT:
        raise DomainError(f"thời hạn quá lớn ({text}); tối đa {MAX_AMOUNT}.", code="too_large", field=field)
    return value


def number(value: Decimal):
    """3 → 3, 1.5 → 1.5 (JSON numbers as people wrote them)."""
    return int(value) if value == value.to_integral_value() else float(value)
