"""Numbers as Vietnamese readers write them: dot between thousands, comma before decimals (1.250.000; 92,31).

Template filters over the one formatter, `cchc.core.numbers.format_vn` (see there why the Django locale is
not used).
"""

from __future__ import annotations

from django import template

from cchc.core.datanotes import public_text, sees_data_notes
from cchc.core.numbers import format_points, format_signed_text, format_vn

__all__ = ["format_vn", "reader_text", "vn_number", "vn_points", "vn_signed"]

register = template.Library()


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
    return format_points(value)


@register.filter
def vn_signed(value):
    """A stated change: "+4.05" → "+4,05", -1.5 → "-1,5"; text that is not a number is shown as it is."""
    return format_signed_text(value)


@register.filter
def reader_text(text, user):
    """{{ source|reader_text:request.user }}: the text as this reader may see it — internal data-quality notes
    ("cần xác minh", "CHƯA XÁC NHẬN") only for staff (cchc.core.datanotes)."""
    return ("" if text is None else text) if sees_data_notes(user) else public_text(text)
