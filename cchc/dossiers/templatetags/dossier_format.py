"""Template filters of the dossier pages: money as Vietnamese write it, service messages for people."""

import re

from django import template

from cchc.core.numbers import format_vn

register = template.Library()

_FIELD_PREFIX = re.compile(r"^[a-z_]+(?:\.[a-z_]+)*: ")


@register.filter
def vnd(value) -> str:
    """200000 → '200.000' (dot groups thousands; the vi locale in Django does not group)."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    return format_vn(amount)


@register.filter
def human(message) -> str:
    """Drop the machine field prefix of a service message ("applicant.phone: số điện thoại…" → "Số điện thoại…");
    the field itself is highlighted on the form."""
    text = str(getattr(message, "message", message) or "")
    stripped = _FIELD_PREFIX.sub("", text, count=1)
    return stripped[:1].upper() + stripped[1:] if stripped != text else text


@register.filter
def fee_text(obj) -> str:
    """"Phí, lệ phí" of a publication (ProvinceProcedure) or a dossier through the one fee rule
    (catalog.feeparse.fee_label), so every page says what the receipt prints: exempt, a real amount, or
    "Theo quy định (xem thông tin thủ tục)" — never "không thu phí" for a fee that is merely unknown."""
    from cchc.catalog.feeparse import fee_label

    if obj is None:
        return ""
    procedure = getattr(obj, "procedure", None)
    return fee_label(
        amount=getattr(obj, "fee_amount", None),
        catalogue_text=getattr(procedure, "fee_text", None),
        exempt=getattr(obj, "payment_status", "") == "exempt",
    )
