"""Ghi chú chất lượng dữ liệu (internal data-quality notes) are for staff, never for the public.

Reference data carries notes for the people who keep it — "cần xác minh" on a procedure time the catalogue
publishes without a unit, "số hiệu CHƯA XÁC NHẬN" on a holiday source, "Chưa xác nhận: …" flags on a
published index figure, `confirmed=False` criteria maxima. Staff (and the system admin) see them, so they can
check and correct the data; anonymous visitors and citizens read the figure without the note, because to
them the note reads as "this page may be wrong" without telling them anything they can act on.

One rule, used by every page: `sees_data_notes(user)` (the `SHOW_DATA_NOTES` template variable) decides, and
`public_text` removes the note from a text that embeds one (the `reader_text` filter). Pure module.
"""

from __future__ import annotations

import re

# the words that mark a note as internal (folded case); kept short so they never hit ordinary text
INTERNAL_MARKERS = ("cần xác minh", "chưa xác nhận", "chưa kiểm chứng", "chưa đối chiếu", "unconfirmed")
_MARKER = re.compile("|".join(re.escape(m) for m in INTERNAL_MARKERS), re.IGNORECASE)
_PAREN = re.compile(r"\s*\([^()]*\)")
_CLAUSE = re.compile(r".*?(?:;|\.(?=\s|$)|$)", re.S)  # a clause ends at ";" or at ". " (not "docs/x.md")


def sees_data_notes(user) -> bool:
    """Staff of a unit and the system admin see data-quality notes; anonymous visitors and citizens do not."""
    return bool(getattr(user, "is_authenticated", False)
                and (getattr(user, "is_staff_member", False) or getattr(user, "is_system_admin", False)))


def has_internal_note(text) -> bool:
    return bool(text) and _MARKER.search(str(text)) is not None


def public_text(text) -> str:
    """The text without its internal notes: a parenthesis holding one goes, then any clause (up to ";" or ".")
    still holding one. "Văn bản VPCP (số hiệu CHƯA XÁC NHẬN)" → "Văn bản VPCP"."""
    if text is None:
        return ""
    text = str(text)
    if not has_internal_note(text):
        return text
    text = _PAREN.sub(lambda m: "" if has_internal_note(m.group(0)) else m.group(0), text)
    if has_internal_note(text):
        text = "".join(c for c in _CLAUSE.findall(text) if not has_internal_note(c))
    return re.sub(r"\s{2,}", " ", text).strip(" ;")
