"""Numbers as Vietnamese readers write them: dot between thousands, comma before decimals (1.250.000; 92,31).

Django's "vi" locale has no digit grouping (NUMBER_GROUPING = 0), and turning USE_THOUSAND_SEPARATOR on
globally would also group years and ids ("2.026"), so pages that show money or counts use these filters.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def format_vn(value, decimals: int = 0, *, strip_zeros: bool = False) -> str:
    """1250000 → "1.250.000"; 92.3149 (2) → "92,31"; -1234.5 (1) → "-1.234,5"; None/"" → "—"."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return "—"
    text = f"{number:,.{max(0, int(decimals))}f}"  # "1,250,000.00"
    if strip_zeros and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@register.filter
def vn_number(value, decimals=0):
    """{{ fee|vn_number }} → 1.250.000 ; {{ rate|vn_number:2 }} → 92,31."""
    try:
        digits = int(decimals)
    except (TypeError, ValueError):
        digits = 0
    return format_vn(value, digits)


@register.filter
def vn_points(value):
    """Points without trailing zeros: 10.00 → "10", 2.50 → "2,5", 1234.25 → "1.234,25"."""
    return format_vn(value, 2, strip_zeros=True)
