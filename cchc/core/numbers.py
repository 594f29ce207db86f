"""Số viết theo kiểu Việt Nam: dot between thousands, comma before decimals (1.250.000; 92,31; −1.234,5).

The one formatter of numbers people read — pages (through the `vn_format` template filters), PDFs, XLSX
text cells, flags and messages. Pure Python (no Django import) so the pure domain modules (calendar,
scoring) can use it too. Django's "vi" locale has no digit grouping (NUMBER_GROUPING = 0), and turning
USE_THOUSAND_SEPARATOR on globally would also group years and ids ("2.026"), so nothing relies on the locale.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

MISSING = "—"


def _decimal(value) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def format_vn(value, decimals: int = 0, *, strip_zeros: bool = False, signed: bool = False) -> str:
    """1250000 → "1.250.000"; 92.3149 (2) → "92,31"; -1234.5 (1) → "-1.234,5"; None/"" → "—".

    `strip_zeros` drops trailing decimal zeros (10.00 → "10", 2.50 → "2,5"); `signed` writes "+" before
    positive numbers (a change: "+4,05"). Text that is not a number is returned unchanged.
    """
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return str(value)
    number = _decimal(value)
    if number is None:
        return str(value)
    if not number.is_finite():
        return MISSING
    text = f"{number:,.{max(0, int(decimals))}f}"  # "1,250,000.00"
    if strip_zeros and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        text = text[1:]  # -0.001 to 2 places is "0,00", not "-0,00"
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if signed and not text.startswith("-") and any(ch in "123456789" for ch in text):
        text = "+" + text
    return text


def format_points(value) -> str:
    """Points (điểm) and short decimals without trailing zeros: 10.00 → "10", 2.50 → "2,5", 1234.25 → "1.234,25"."""
    return format_vn(value, 2, strip_zeros=True)


def format_signed_text(value, decimals: int = 2) -> str:
    """A change as a source states it ("+4.05", "-1.5", "4,05") → "+4,05"; text that is not a number is kept."""
    if value is None or value == "":
        return ""
    text = str(value).strip()
    number = _decimal(text.replace(",", ".").replace("−", "-")) if text.count(",") + text.count(".") <= 1 else None
    if number is None or not number.is_finite():
        return text
    shown = max(decimals, -number.as_tuple().exponent)  # never round away a digit the source printed
    return format_vn(number, shown, strip_zeros=True, signed=True)
