"""Small template helpers for the index and SIPAS pages."""

from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """{{ mapping|get:key }} for dicts (None when missing)."""
    if mapping is None:
        return None
    try:
        return mapping.get(key) if hasattr(mapping, "get") else mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter
def pct(value, digits=2):
    """Number with 2 decimals and a comma (Vietnamese style), '—' when missing."""
    if value is None or value == "":
        return "—"
    try:
        return f"{float(value):.{int(digits)}f}".replace(".", ",")
    except (TypeError, ValueError):
        return value


@register.filter
def heat(value, maximum):
    """CSS background for a heat-map cell by % of the maximum: ≤ 50 % red → 75 % amber → 100 % green.

    Most units score above half the maximum, so the colour scale spends its range on 50–100 %.
    """
    try:
        ratio = max(0.0, min(1.0, float(value) / float(maximum))) if float(maximum) else 0.0
    except (TypeError, ValueError):
        return "background:#f1f3f6"
    ratio = max(0.0, (ratio - 0.5) / 0.5)
    hue = int(ratio * 120)  # 0 red … 120 green
    return f"background:hsl({hue},65%,{88 - int(ratio * 10)}%)"


@register.filter
def str_(value):
    return str(value)
