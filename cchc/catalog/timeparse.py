"""Parse a processing time (thời hạn giải quyết) into a number and a unit (pure; no Django import).

Rules (docs/catalog.md, "Thời hạn giải quyết"):
- "5 Ngày làm việc" → 5 working days; "4 Giờ" / "24 giờ làm việc" → working hours;
- "30 Ngày" → 30 calendar days, FLAGGED ambiguous: the portal's "Ngày" does not say whether
  working or calendar days are meant (Luật Ban hành VBQPPL / Civil Code read bare "ngày" as calendar
  days; many procedure texts mean working days);
- "Ngày" alone (unit, no number) → no value, FLAGGED;
- a bare number ("1", "120") → the value, unit unknown, FLAGGED (365 rows of the national crawl);
  a decimal point is a decimal point ("1.5" = 1.5; "120.000" = 120, an export artefact);
- "Trong ngày" / "trong ngày làm việc" → value 1, unit same_day (returned by the end of the working day);
- "6 Tháng" → 6 months (not flagged: a month is unambiguous, but the calendar cannot count it);
- a range "03 đến 05 ngày làm việc" / "3-5 ngày" → the UPPER bound (the latest lawful date), FLAGGED;
- "Không có thông tin", "(không có thông tin)", "" → no value, unit unknown, not flagged (missing, not
  ambiguous);
- a negative number ("-5") or a number in exponent notation ("1e308") → no value, INVALID (the import
  rejects the row naming the column): the first digits must not be read as "5" or "1";
- anything else → unknown, FLAGGED, raw text kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"
WORKING_HOURS = "working_hours"
SAME_DAY = "same_day"
MONTHS = "months"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class ParsedTime:
    """Thời hạn đã phân tích: value (None if absent), unit, whether it needs checking, and why."""

    value: Decimal | None
    unit: str
    ambiguous: bool
    reason: str = ""
    invalid: bool = False


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return re.sub(r"\s+", " ", text).strip()


_NUMBER = r"(\d+(?:[.,]\d+)?)"
_RANGE = re.compile(_NUMBER + r"\s*(?:den|-|–|toi|~)\s*" + _NUMBER)
_FIRST_NUMBER = re.compile(_NUMBER)
_MISSING = {"", "khong co thong tin", "(khong co thong tin)", "khong quy dinh", "-"}
_UNITS = [  # (folded pattern, unit, ambiguous, reason) checked in order; the first match wins
    (re.compile(r"ngay lam viec"), WORKING_DAYS, False, ""),
    (re.compile(r"gio"), WORKING_HOURS, False, ""),
    (re.compile(r"thang"), MONTHS, False, ""),
    (re.compile(r"\bngay\b"), CALENDAR_DAYS, True, "'Ngày' không rõ là ngày làm việc hay ngày theo lịch"),
]
_NEGATIVE = re.compile(r"(?<![\d\s])\s*[-−]\s*\d|^\s*[-−]\s*\d")
_EXPONENT = re.compile(r"\d\s*[eE]\s*[+\-]?\s*\d")
_SAME_DAY = re.compile(r"^(trong (ngay|ngay lam viec|buoi)|ngay trong ngay|trong ngay lam viec)\b")


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the regex only passes digits
        return None


MAX_PLAUSIBLE_VALUE = Decimal(99999)


def _normalise(value: Decimal) -> Decimal:
    """120.000 → 120, 1.50 → 1.5 (no exponent)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


def parse_processing_time(text: str | None) -> ParsedTime:
    """Parse one processing-time text; see the module docstring for every rule."""
    raw = (text or "").strip()
    folded = _fold(raw)
    if folded in _MISSING:
        return ParsedTime(None, UNKNOWN, False, "không có thông tin")
    if _SAME_DAY.match(folded):
        return ParsedTime(Decimal(1), SAME_DAY, False)

    if _EXPONENT.search(raw):
        return ParsedTime(None, UNKNOWN, True, f"số dạng lũy thừa {raw!r} không phải thời hạn", invalid=True)
    if _NEGATIVE.search(raw) and not _RANGE.search(folded):
        return ParsedTime(None, UNKNOWN, True, f"thời hạn âm {raw!r} không hợp lệ", invalid=True)

    unit, ambiguous, reason = None, False, ""
    for pattern, candidate, is_ambiguous, why in _UNITS:
        if pattern.search(folded):
            unit, ambiguous, reason = candidate, is_ambiguous, why
            break

    value = None
    range_match = _RANGE.search(folded)
    if range_match:
        low, high = _number(range_match.group(1)), _number(range_match.group(2))
        value = max(low, high)
        ambiguous = True
        reason = (reason + "; " if reason else "") + "khoảng thời gian: lấy cận trên"
    else:
        number_match = _FIRST_NUMBER.search(folded)
        if number_match:
            value = _number(number_match.group(1))

    if value is not None and value > MAX_PLAUSIBLE_VALUE:
        # No processing time runs to a hundred thousand units; such a number is a data error (and
        # would not fit the stored DecimalField(max_digits=8, decimal_places=2)).
        return ParsedTime(None, unit or UNKNOWN, True, "số quá lớn, không hợp lý")
    if value is not None:
        value = _normalise(value)
    if unit is None:
        if value is None:
            return ParsedTime(None, UNKNOWN, True, "không đọc được thời hạn")
        if re.fullmatch(_NUMBER, folded):
            return ParsedTime(value, UNKNOWN, True, "chỉ có số, không có đơn vị")
        return ParsedTime(value, UNKNOWN, True, "không rõ đơn vị")
    if value is None:
        return ParsedTime(None, unit, True, (reason + "; " if reason else "") + "không có số")
    return ParsedTime(value, unit, ambiguous, reason)


def compose_time_text(number: str | None, unit: str | None) -> str:
    """The crawl splits the first channel's time into a number and a unit column; join them back."""
    number, unit = (number or "").strip(), (unit or "").strip()
    return " ".join(part for part in (number, unit) if part)
