"""Template filters of the dossier pages: money as Vietnamese write it, service messages for people."""

import re

from django import template

register = template.Library()

_FIELD_PREFIX = re.compile(r"^[a-z_]+(?:\.[a-z_]+)*: ")


@register.filter
def vnd(value) -> str:
    """200000 → '200.000' (dot groups thousands; the vi locale in Django does not group)."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    return f"{amount:,}".replace(",", ".")


@register.filter
def human(message) -> str:
    """Drop the machine field prefix of a service message ("applicant.phone: số điện thoại…" → "Số điện thoại…");
    the field itself is highlighted on the form."""
    text = str(getattr(message, "message", message) or "")
    stripped = _FIELD_PREFIX.sub("", text, count=1)
    return stripped[:1].upper() + stripped[1:] if stripped != text else text
