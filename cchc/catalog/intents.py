"""Nhu cầu thường ngày (intents): what a citizen says they need, mapped to the procedures they will file.

Citizens describe a need or a life event ("sinh con", "mở quán ăn", "mua xe cũ", "mất ví"), not a procedure's
official name. `data/intents.csv` ships one row per need:

    phrases   everyday wordings, ";"-separated (matched folded: no case, no diacritics, đ = d)
    codes     the procedures a one-stop official would offer, in that order, ";"-separated
    expand    optional catalogue wording added as query variants (like the synonym table), ";"-separated
    reason    why these procedures: the legal basis or the everyday meaning (the row's source)

The search (cchc.catalog.search) uses a row two ways:
- when the query's content words (filler words such as "làm", "xin", "tôi muốn" aside) are exactly one of its
  phrases, its procedures come first, in the row's order (INTENT_SCORE - i·INTENT_STEP, above every ranked
  name, below a typed code);
- when a phrase appears inside a longer query, its `expand` wording is added as a query variant (as an
  everyday name is), so the extra words the user typed still rank the names.
Pure module: no Django import.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cchc.core.textfold import fold

INTENTS_FILE = Path(__file__).resolve().parent / "data" / "intents.csv"
_WORD = re.compile(r"[0-9a-z]+")


def folded_words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text)))


@dataclass(frozen=True)
class Intent:
    phrases: tuple[tuple[str, ...], ...]
    codes: tuple[str, ...]
    expansions: tuple[tuple[str, ...], ...]
    reason: str


def parse_intents(rows) -> list[Intent]:
    """Intents from CSV rows (dicts with phrases, codes, expand, reason); rows without a phrase are skipped."""
    intents = []
    for row in rows:
        phrases = tuple(p for p in (folded_words(x) for x in (row.get("phrases") or "").split(";")) if p)
        codes = tuple(c.strip() for c in (row.get("codes") or "").split(";") if c.strip())
        expansions = tuple(e for e in (folded_words(x) for x in (row.get("expand") or "").split(";")) if e)
        if phrases and (codes or expansions):
            intents.append(Intent(phrases, codes, expansions, (row.get("reason") or "").strip()))
    return intents


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> tuple[Intent, ...]:
    with open(path, encoding="utf-8") as handle:
        return tuple(parse_intents(csv.DictReader(handle)))


def load_intents(path: Path = INTENTS_FILE) -> tuple[Intent, ...]:
    """The shipped intents (re-read when the file changes)."""
    if not path.exists():
        return ()
    return _load(str(path), path.stat().st_mtime)
