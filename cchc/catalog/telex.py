"""Gõ không bộ gõ: decode a word typed in Telex or VNI without an input method into Vietnamese (pure module).

People who type Vietnamese on a keyboard without Unikey/EVKey (a shared computer at the desk, a phone with an
English keyboard) leave the keys of the input method in the word: Telex "ddaang kys khai sinh" for "đăng ký
khai sinh", "sor ddor" for "sổ đỏ"; VNI "d9a8ng ky1" for "đăng ký".

    decode("ddaang") -> ["đâng"]     decode("kys") -> ["ký"]     decode("d9a8ng") -> ["đăng"]

Telex (the de-facto standard, as implemented by Unikey): dd → đ; aa → â, aw → ă, ee → ê, oo → ô, ow → ơ,
uw → ư, a lone w → ư, uow/uwow → ươ; tone keys s (sắc), f (huyền), r (hỏi), x (ngã), j (nặng), typed after the
vowel, usually last; z removes a tone. VNI: digits after the letter: 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng,
6 circumflex (â ê ô), 7 horn (ơ ư), 8 breve (ă), 9 đ.
A Vietnamese syllable never ends in s, f, r, x, j, z or a digit (its finals are c, ch, m, n, ng, nh, p, t or a
vowel), so such a word was typed with an input method's keys; a word is decoded only when the result is a
well-formed Vietnamese syllable (initial consonant, vowel nucleus, final), else it is left alone. The search
(cchc.catalog.search) then uses a decoded word only when it is a word of the catalogue or of an everyday name.
"""

from __future__ import annotations

import re
import unicodedata

TONE_KEYS = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323", "z": ""}
VNI_TONES = {"1": "\u0301", "2": "\u0300", "3": "\u0309", "4": "\u0303", "5": "\u0323", "0": ""}
VNI_MARKS = {("a", "6"): "â", ("e", "6"): "ê", ("o", "6"): "ô", ("o", "7"): "ơ", ("u", "7"): "ư",
             ("a", "8"): "ă", ("d", "9"): "đ"}
INITIALS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)
FINALS = ("ng", "nh", "ch", "c", "m", "n", "p", "t", "", "i", "y", "o", "u")  # a vowel-only nucleus before a glide
VOWELS = set("aăâeêioôơuưy")
# Vowel nuclei of Vietnamese syllables (without tone), after the initial and before the final consonant.
NUCLEI = {
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "oo", "ôi", "ơi",
    "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê",
    "iêu", "oai", "oay", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu",
}
_WORD = re.compile(r"^[a-z0-9]+$")


def _telex_marks(word: str) -> str | None:
    """Apply Telex vowel/consonant marks (not tones); None when nothing was marked."""
    out: list[str] = []
    i = 0
    changed = False
    while i < len(word):
        c = word[i]
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if c == "d" and nxt == "d":
            out.append("đ")
            i += 2
            changed = True
            continue
        if c in "aeo" and nxt == c:
            out.append({"a": "â", "e": "ê", "o": "ô"}[c])
            i += 2
            changed = True
            continue
        if c == "w":
            # w after a, o, u marks it (aw ă, ow ơ, uw ư; "uow" → ươ); a lone w is ư
            if out and out[-1] in ("a", "o", "u"):
                prev = out.pop()
                if prev == "o" and out and out[-1] == "u":
                    out[-1] = "ư"
                out.append({"a": "ă", "o": "ơ", "u": "ư"}[prev])
            else:
                out.append("ư")
            i += 1
            changed = True
            continue
        out.append(c)
        i += 1
    if not changed:
        return None
    text = "".join(out)
    return text.replace("ưo", "ươ") if "ưo" in text and "ươ" not in text else text


def _split(syllable: str) -> tuple[str, str, str] | None:
    """(initial, nucleus, final) of a toneless syllable, or None when it is not well-formed."""
    for initial in INITIALS:
        if not syllable.startswith(initial):
            continue
        rest = syllable[len(initial):]
        if initial in ("gi", "qu") and (not rest or rest[0] not in VOWELS):
            continue
        for final in FINALS:
            if final and not rest.endswith(final):
                continue
            nucleus = rest[: len(rest) - len(final)] if final else rest
            if nucleus in NUCLEI:
                return initial, nucleus, final
        if initial == "gi" and rest and rest[0] in "ê":  # "giê..." is g + iê
            continue
    return None


def _tone_position(nucleus: str, final: str) -> int:
    """Index in the nucleus of the vowel that carries the tone (the "new" style of the 1980s orthography rules,
    as Unikey's default: a marked vowel wins; ươ on ơ; with a final consonant the last vowel; oa/oe/uy the second)."""
    marked = [i for i, c in enumerate(nucleus) if c in "ăâêôơư"]
    if marked:
        return marked[-1] if nucleus.startswith("ươ") or len(marked) > 1 else marked[0]
    if len(nucleus) == 1:
        return 0
    if final:
        return len(nucleus) - 1
    if nucleus in ("oa", "oe", "uy"):
        return 1
    if len(nucleus) == 3:
        return 1
    return 0


def _compose(syllable: str, tone: str) -> str | None:
    parts = _split(syllable)
    if parts is None:
        return None
    initial, nucleus, final = parts
    if not tone:
        return syllable
    if final in ("c", "ch", "p", "t") and tone not in ("\u0301", "\u0323"):
        return None  # a stopped syllable takes only sắc or nặng
    pos = _tone_position(nucleus, final)
    marked = nucleus[:pos] + unicodedata.normalize("NFC", nucleus[pos] + tone) + nucleus[pos + 1:]
    return initial + marked + final


def decode_telex(word: str) -> str | None:
    """The Vietnamese syllable a Telex-typed word stands for, or None (not Telex, or not a syllable)."""
    word = word.lower()
    if not _WORD.match(word) or any(ch.isdigit() for ch in word):
        return None
    tone = ""
    base = word
    # tone keys typed after the vowel: usually last ("kys"), sometimes before the final ("tieesng")
    keys = [i for i, ch in enumerate(word) if ch in TONE_KEYS and i > 0 and any(v in VOWELS for v in word[:i])]
    for i in reversed(keys):
        candidate = word[:i] + word[i + 1:]
        if _split(_telex_marks(candidate) or candidate) is not None:
            tone = TONE_KEYS[word[i]]
            base = candidate
            break
    marked = _telex_marks(base)
    if marked is None and not tone:
        return None
    result = _compose(marked or base, tone)
    return unicodedata.normalize("NFC", result) if result else None


def decode_vni(word: str) -> str | None:
    """The Vietnamese syllable a VNI-typed word stands for ("d9a8ng" → "đăng"), or None."""
    word = word.lower()
    if not _WORD.match(word) or not any(ch.isdigit() for ch in word) or word.isdigit() or word[0].isdigit():
        return None
    out: list[str] = []
    tone = ""
    for ch in word:
        if ch.isdigit():
            if ch in VNI_TONES and not tone and any(c in VOWELS or c in "ăâêôơư" for c in out):
                tone = VNI_TONES[ch]
                continue
            prev = out[-1] if out else ""
            mark = VNI_MARKS.get((prev, ch))
            if mark is None and ch == "7" and prev == "o" and len(out) > 1 and out[-2] == "u":
                mark = "ơ"
            if mark is None:
                return None
            out[-1] = mark
            if ch == "7" and mark == "ơ" and len(out) > 1 and out[-2] == "u":
                out[-2] = "ư"
        else:
            out.append(ch)
    result = _compose("".join(out), tone)
    return unicodedata.normalize("NFC", result) if result else None


def decode(word: str) -> list[str]:
    """Candidate Vietnamese syllables for a word typed without an input method (Telex first, then VNI)."""
    found = []
    for decoder in (decode_telex, decode_vni):
        value = decoder(word)
        if value and value != word.lower() and value not in found:
            found.append(value)
    return found


def decode_text(text: str) -> str:
    """Each word replaced by its first decoding when it has one ("ddaang kys khai sinh" → "đâng ký khai sinh")."""
    return " ".join((decode(w) or [w])[0] for w in text.split())
