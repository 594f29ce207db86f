"""Mã hồ sơ và mã tra cứu as people type them: one normalisation used by the lookup page and the public API.

Citizens copy the code from an SMS or a photo of the receipt: lower case ("h80…"), spaces, line breaks,
typographic dashes (– —) or no dashes at all. A dossier code is `{mã định danh cơ quan}-{yymmdd}-{NNNN}`
(docs/dossiers.md §2), so a code typed without dashes can be rebuilt from its tail: six date digits and a
sequence of four digits (five to seven when a desk received more than 9 999 dossiers that day).

Pure module (no Django import): `lookup_candidates` returns the exact spellings to look up with an index;
the caller still checks the token, so normalising never answers anything about a code without its token.
"""

from __future__ import annotations

import re
import unicodedata

# Hyphen-like characters people paste instead of "-" (hyphen, non-breaking hyphen, figure/en/em dash, minus).
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_SPACE = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")


def normalise_code(raw) -> str:
    """'  h80.00.01 – 260305 - 0001 ' → 'H80.00.01-260305-0001' (NFKC, no spaces, ASCII dashes, upper case)."""
    text = unicodedata.normalize("NFKC", str(raw or "")).translate(_DASHES)
    text = _SPACE.sub("", text).upper()
    return re.sub(r"-{2,}", "-", text).strip("-")


def normalise_token(raw) -> str:
    """'k7qw 9mzd-2a' → 'K7QW9MZD2A' (the token is printed in groups; spaces and dashes are not part of it)."""
    text = unicodedata.normalize("NFKC", str(raw or "")).translate(_DASHES)
    return _SPACE.sub("", text).replace("-", "").upper()


def _plausible_day(yymmdd: str) -> bool:
    month, day = int(yymmdd[2:4]), int(yymmdd[4:6])
    return 1 <= month <= 12 and 1 <= day <= 31


def lookup_candidates(raw) -> list[str]:
    """The spellings of a typed code worth looking up exactly (with the unique index), most likely first.

    The normalised code itself; then, rebuilt from its trailing digits, `{agency}-{yymmdd}-{seq}` for each
    sequence length 4..7 whose date part is a plausible day ("H80.00.012603050001" → "H80.00.01-260305-0001").
    """
    code = normalise_code(raw)
    if not code:
        return []
    out = [code]
    match = re.fullmatch(r"(?P<head>.*?[^\d-])?(?P<tail>[\d-]+)", code)
    if match is None:
        return out
    head, digits = match["head"] or "", match["tail"].replace("-", "")
    for seq_len in range(4, 8):
        cut = len(digits) - 6 - seq_len
        if cut < 0:
            break
        agency, day, seq = head + digits[:cut], digits[cut:cut + 6], digits[cut + 6:]
        if not agency or not _plausible_day(day):
            continue
        candidate = f"{agency}-{day}-{seq}"
        if candidate not in out:
            out.append(candidate)
    return out
