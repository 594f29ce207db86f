"""Cách nói về hạn trong thư nhắc: one wording of "how far from its deadline" for every reminder."""

from __future__ import annotations

from datetime import date


def deadline_phrase(deadline: date, today: date) -> str:
    """"còn N ngày đến hạn (dd/mm/yyyy)", "đến hạn hôm nay" or "đã quá hạn N ngày (hạn dd/mm/yyyy)"."""
    left = (deadline - today).days
    if left < 0:
        return f"đã quá hạn {-left} ngày (hạn {deadline:%d/%m/%Y})"
    if left == 0:
        return "đến hạn hôm nay"
    return f"còn {left} ngày đến hạn ({deadline:%d/%m/%Y})"
