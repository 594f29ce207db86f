"""Small template helpers for the index and SIPAS pages."""

from django import template
from django.utils.html import format_html

from cchc.core.numbers import format_vn

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
    """Number with 2 decimals, comma and grouped thousands (cchc.core.numbers.format_vn), '—' when missing."""
    try:
        return format_vn(value, int(digits))
    except (TypeError, ValueError):
        return format_vn(value, 2)


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


# The marker of "same rank as last year". It was "＝" (U+FF1D, a CJK full-width sign no installed font has, so
# pages and PDFs showed an empty box); "=" is in Noto Sans and every fallback font, and the words go to screen
# readers and tooltips.
SAME_RANK_MARK = "="
SAME_RANK_TEXT = "không đổi"


@register.filter
def rank_move(value):
    """Change of rank since last year: ▲3 (up 3 places), ▼2 (down 2), "=" with the text "không đổi"; "" when unknown."""
    try:
        move = int(value)
    except (TypeError, ValueError):
        return ""
    if move > 0:
        return format_html('<span class="up" role="img" aria-label="tăng {0} bậc" title="Tăng {0} bậc">▲{0}</span>', move)
    if move < 0:
        return format_html('<span class="down" role="img" aria-label="giảm {0} bậc" title="Giảm {0} bậc">▼{0}</span>', -move)
    return format_html('<span class="same" role="img" aria-label="{0}" title="Không đổi thứ hạng">{1}</span>',
                       SAME_RANK_TEXT, SAME_RANK_MARK)
