"""Vietnamese text folding for search (pure; no Django import).

fold("Đăng ký khai sinh") == "dang ky khai sinh": NFC-normalise, map đ/Đ to d, strip combining
marks (tones and vowel hats), lower-case, collapse white space. unidecode is GPL and not used.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z.]+")


def nfc(text: str) -> str:
    """Return text in Unicode NFC, the form every stored Vietnamese string uses."""
    return unicodedata.normalize("NFC", text or "")


def fold(text: str) -> str:
    """Fold text for matching: no case, no diacritics, đ = d, single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACE.sub(" ", text.lower()).strip()


def fold_words(text: str) -> list[str]:
    """Folded text split into words (letters, digits and dots, so codes like 1.001193 stay whole)."""
    return [w.strip(".") for w in _NON_WORD.split(fold(text)) if w.strip(".")]
