"""Tra cứu thủ tục: Vietnamese procedure search behind one interface on SQLite (FTS5) and PostgreSQL (full text).

    search_procedures("dang ky khai sinh", limit=5) -> [Hit(code, name, score), ...]   best first

How a query is answered (docs/search.md):
1. Codes: a token like 1.001193 finds that procedure first (score 2.0); a code prefix (1.0011) lists the
   codes that start with it (score 1.5), in code order.
2. Folding (cchc.core.textfold): no case, no diacritics, đ = d; so a wrong or missing tone mark is ignored.
3. Synonyms (admin table SearchSynonym): an everyday name in the query ("bằng lái", "sổ đỏ", "CCCD") adds a
   variant of the query with the catalogue wording ("giấy phép lái xe", ...). Telex/VNI typed without an input
   method ("kys", "ddor", "d9a8ng") is decoded first (cchc.catalog.telex) when the word as typed is unknown.
   Intents (data/intents.csv, cchc.catalog.intents): a query that is an everyday need ("sinh con", "mở quán ăn",
   "sang tên sổ đỏ") lists that need's procedures first (INTENT_SCORE); inside a longer query, an intent's
   wording is added as a variant like an everyday name.
4. Typos: a word that is neither a word of any procedure name nor a prefix of one is replaced by the name
   words at edit distance 1 (insert, delete, substitute, swap two neighbours), found with a deletion index.
5. Candidates come from the database: every query word must match a name word, as a word prefix or a whole
   word (SQLite FTS5 `"w"*` / `"w"`; PostgreSQL full-text `to_tsquery('simple', 'w:*')` on a GIN index). The
   same rule gives the same id set on both; it is ordered (shortest name first, then code) and capped in
   Python. With fewer than `limit` candidates the rule is relaxed step by step (one word missing, two
   neighbouring words, any word) using the in-process word index.
6. The score is computed in Python, identically on both databases (ranking rule, docs/search.md):
   0.55·coverage + 0.15·phrase + 0.20·brevity + 0.05·start + 0.03·level + 0.02·base_act − 0.04·markers
   coverage: per query word 1 for a whole word, 0.85 for a word prefix, ×0.8 for a typo correction (filler
   words such as "làm", "xin", "cho" weigh 0.25 and need not match); phrase: share of neighbouring query words
   found next to each other in order; brevity: matched words ÷ content words of the name (without a leading
   "Thủ tục" and without parentheses), so the base procedure beats its long variants; start: the match begins
   the name; level: filed at commune (1) or provincial (0.6) level, where citizens go; base_act: the name
   starts with "Cấp"/"Đăng ký"; markers: variant qualifiers the query did not ask for ("Cấp lại", "Trình báo
   mất", "có yếu tố nước ngoài", "lưu động", "kết hợp", ...), found on the accented name, at most 3.
   With 3+ words typed, the names matching all of them but one are always candidates too.
   Ties are broken by code. Scores are rounded to 4 decimals.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain

from django.db import connection
from django.utils import timezone

from cchc.core.textfold import fold, nfc

from .intents import INTENTS_FILE, load_intents
from .models import Procedure, ProvinceProcedure, SearchSynonym, words_of
from .telex import decode as decode_keys

CODE_TOKEN = re.compile(r"(?<![\w.])\d+(?:\.\d+)+")
EXACT_CODE_SCORE = 2.0
CODE_PREFIX_SCORE = 1.5
PREFIX_QUALITY = 0.85
TYPO_QUALITY = 0.8
CANDIDATE_CAP = 150
RELAXED_CANDIDATE_CAP = 100
MAX_VARIANTS = 12
MAX_QUERY_WORDS = 12
SHORT_WORD = 2  # finished query words this short match whole words only
LEADING_WORDS = ("thu", "tuc")  # "Thủ tục ..." does not make a name longer for ranking
# Words citizens add around the procedure they mean ("làm CCCD", "xin phiếu lý lịch tư pháp", "khai sinh cho
# con"): they need not match (not part of the database AND) and weigh WEAK_WEIGHT of a word in the coverage.
WEAK_WORDS = frozenset({"lam", "xin", "cho", "muon", "giup", "toi"})
WEAK_WEIGHT = 0.25
# Intents (data/intents.csv, cchc.catalog.intents): a query that IS an everyday need lists its procedures first,
# in the row's order, above every ranked name (≤ 1.0) and below a typed code prefix (1.5).
INTENT_SCORE = 1.2
INTENT_STEP = 0.01
# Words around a need that do not change it ("tôi muốn mở quán ăn thì phải làm thủ tục gì"): left out when
# comparing the query with an intent phrase (and only there). Folded words that are also content words ("cần" =
# "căn", "để" = "đẻ", "thẻ" = "the", "ở" = "ô", "làm nhà", "cho nhà") are left out only inside fixed phrases.
INTENT_FILLER = frozenset({"xin", "muon", "giup", "toi", "gi", "sao", "minh", "duoc", "khong", "nhe", "hoi", "thi", "nao"})
INTENT_FILLER_PHRASES = (("thu", "tuc"), ("nhu", "the"), ("o", "dau"), ("can", "lam"), ("phai", "lam"), ("the", "nao"),
                         ("lam", "gi"), ("lam", "sao"))
# Qualifiers that mark a variant of a base procedure (Cấp lại, Trình báo mất, Đổi, ... có yếu tố nước ngoài,
# lưu động, kết hợp). Matched on the ACCENTED name, because folding merges "lại" with "lái" (lái xe). A name
# loses MARKER_PENALTY per marker the query did not ask for (at most MAX_MARKERS of them).
VARIANT_MARKERS = tuple(tuple(m.split()) for m in (
    "lại", "mất", "hỏng", "đổi", "thu hồi", "trình báo", "khôi phục", "gia hạn", "lưu động",
    "tạm thời", "kết hợp", "yếu tố nước ngoài", "cho người nước ngoài", "việt nam ở nước ngoài", "biên giới", "điều chỉnh", "bổ sung", "xóa", "xoá", "hủy", "huỷ",
    "chấm dứt", "tạm ngừng", "đính chính", "hiệu đính", "liên thông", "ghi vào sổ", "miễn", "chuyển đổi",
    "theo yêu cầu của cơ quan", "theo đề nghị của cơ quan",  # requested by an authority, not by the citizen
))
MARKER_PENALTY = 0.04
MAX_MARKERS = 3
# A parenthesis qualifies a name ("(thực hiện tại cấp tỉnh)", "(Công trình không theo tuyến/...)"); its words
# do not make the name longer for the brevity part of the score.
PARENTHESIS = re.compile(r"\([^()]*\)")
LEVEL_TAIL = re.compile(r"\((?:thực hiện\s+)?(?:tại\s+|ở\s+)?cấp\s+[^()]*\)\s*\.?\s*$", re.IGNORECASE)
CENTRAL_TAIL = re.compile(r"trung\s+ương|cấp\s+bộ", re.IGNORECASE)
# Where citizens file: commune level first, then province; a variant only done centrally gets nothing.
LEVEL_BONUS = {"commune": 1.0, "province": 0.6, "central": 0.0}
# The base act of a procedure: a name that starts with "Cấp ..." or "Đăng ký ..." (after "Thủ tục").
BASE_ACTS = (("cấp",), ("đăng", "ký"))


@dataclass(frozen=True)
class Hit:
    """Kết quả tra cứu: code, name and score (higher = better)."""

    code: str
    name: str
    score: float
    partial: bool = False  # some word the user typed (not a filler word) matched nothing in the name

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "score": self.score}


@dataclass
class _Entry:
    code: str
    name: str
    words: tuple[str, ...]
    positions: dict[str, int]
    content_start: int
    content_len: int
    text_len: int  # len(search_text): the candidate order (shortest names first), as in SQL
    all_positions: dict[str, tuple[int, ...]] = field(default_factory=dict)
    markers: tuple[tuple[int, ...], ...] = ()  # word positions of each variant marker in the name
    local: float = 0.0  # LEVEL_BONUS of the level it is filed at
    base_act: bool = False  # the name starts with "Cấp"/"Đăng ký" (not "Cấp lại", "Trình báo", ...)


@dataclass
class _Index:
    signature: tuple
    entries: dict[int, _Entry] = field(default_factory=dict)
    code_to_id: dict[str, int] = field(default_factory=dict)
    sorted_codes: list[str] = field(default_factory=list)
    vocab: set[str] = field(default_factory=set)
    sorted_vocab: list[str] = field(default_factory=list)
    deletes: dict[str, set[str]] = field(default_factory=dict)
    postings: dict[str, set[int]] = field(default_factory=dict)
    word_cache: dict = field(default_factory=dict)  # per query word: alternatives and match map (bounded)
    synonyms: list[tuple[tuple[str, ...], list[tuple[str, ...]]]] = field(default_factory=list)
    term_words: set[str] = field(default_factory=set)  # words of everyday names and intent phrases
    intents: list[tuple[tuple[str, ...], tuple[int, ...]]] = field(default_factory=list)  # phrase → procedure ids


_lock = threading.Lock()
_cache: dict[str, _Index] = {}


# --- pure helpers -------------------------------------------------------------------------------------

def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def osa_distance_at_most_one(a: str, b: str) -> bool:
    """True when a and b differ by at most one insert, delete, substitution or swap of neighbours."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if la > lb:
        a, b = b, a
    return any(b[:i] + b[i + 1:] == a for i in range(len(b)))


def accented_words(name: str, words: tuple[str, ...] | None = None) -> list[str] | None:
    """Lower-case accented words of a name aligned one to one with its folded words, or None if they differ."""
    tokens = re.findall(r"[^\W_]+", nfc(name).lower())
    folded = fold(" ".join(tokens)).split(" ")
    expected = list(words) if words is not None else words_of(name)
    return tokens if folded == expected else None


_MARKERS_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _marker in VARIANT_MARKERS:
    _MARKERS_BY_FIRST.setdefault(_marker[0], []).append(_marker)


def _marker_positions(tokens: list[str] | None) -> tuple[tuple[int, ...], ...]:
    """Word positions of each variant marker found in the accented words of a name (first occurrence each)."""
    if not tokens:
        return ()
    found: dict[tuple[str, ...], tuple[int, ...]] = {}
    for i, token in enumerate(tokens):
        for marker in _MARKERS_BY_FIRST.get(token, ()):
            if marker not in found and tuple(tokens[i:i + len(marker)]) == marker:
                found[marker] = tuple(range(i, i + len(marker)))
    return tuple(found.values())


def _filing_level(name: str, levels: str) -> str:
    """commune | province | central: where a citizen files it ("(thực hiện tại cấp tỉnh)" wins over levels)."""
    tail = LEVEL_TAIL.search(name or "")
    text = (tail.group(0) if tail else levels or "").lower()
    if tail and CENTRAL_TAIL.search(text):
        return "central"
    if "xã" in text or "huyện" in text:
        return "commune"
    if "tỉnh" in text:
        return "province"
    return "central"


def _starts_with_base_act(tokens: list[str] | None, start: int) -> bool:
    tokens = tokens or []
    return any(tuple(tokens[start:start + len(act)]) == act for act in BASE_ACTS)


def _build_index(signature: tuple) -> _Index:
    index = _Index(signature=signature)
    rows = Procedure.objects.filter(is_active=True).values_list("id", "code", "name", "search_text", "levels")
    for pk, code, name, search_text, levels in rows:
        words = tuple(search_text.split())
        positions: dict[str, int] = {}
        all_positions: dict[str, list[int]] = {}
        for i, w in enumerate(words):
            positions.setdefault(w, i)
            all_positions.setdefault(w, []).append(i)
        start = 2 if words[:2] == LEADING_WORDS and len(words) > 2 else 0
        qualified = sum(len(words_of(m)) for m in PARENTHESIS.findall(name or ""))
        content_len = max(len(words) - start - qualified, 1)
        tokens = accented_words(name, words)
        markers = _marker_positions(tokens)
        index.entries[pk] = _Entry(
            code, name, words, positions, start, content_len, len(search_text),
            {w: tuple(p) for w, p in all_positions.items() if len(p) > 1},
            markers, LEVEL_BONUS[_filing_level(name, levels)],
            _starts_with_base_act(tokens, start) and not any(span[0] == start + 1 for span in markers),
        )
        index.code_to_id[code] = pk
        index.vocab.update(words)
        for w in positions:
            index.postings.setdefault(w, set()).add(pk)
    index.sorted_codes = sorted(index.code_to_id)
    index.sorted_vocab = sorted(index.vocab)
    for word in index.vocab:
        if len(word) < 3 or word.isdigit():
            continue
        for d in _deletions(word):
            index.deletes.setdefault(d, set()).add(word)
    merged: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for term, expansion in SearchSynonym.objects.filter(is_active=True).values_list("term", "expansion"):
        term_words = tuple(words_of(term))
        alternatives = [tuple(words_of(part)) for part in expansion.split(";") if words_of(part)]
        if term_words and alternatives:
            merged.setdefault(term_words, []).extend(a for a in alternatives if a not in merged.get(term_words, []))
    for intent in load_intents():
        ids = tuple(index.code_to_id[c] for c in intent.codes if c in index.code_to_id)
        for phrase in intent.phrases:
            if ids:
                index.intents.append((phrase, ids))
            if intent.expansions:
                merged.setdefault(phrase, []).extend(a for a in intent.expansions if a not in merged.get(phrase, []))
    index.synonyms = sorted(merged.items(), key=lambda item: (-len(item[0]), item[0]))
    index.term_words = {w for term, _ in index.synonyms for w in term} | {w for p, _ in index.intents for w in p}
    index.intents.sort(key=lambda item: (-len(item[0]), item[0]))
    return index


_SIGNATURE_SQL = (  # every part is answered from an index (is_active, updated_at, the primary key)
    "SELECT (SELECT COUNT(*) FROM catalog_procedure WHERE is_active), "
    "(SELECT MAX(updated_at) FROM catalog_procedure), (SELECT MAX(id) FROM catalog_procedure), "
    "(SELECT COUNT(*) FROM catalog_searchsynonym WHERE is_active), "
    "(SELECT MAX(updated_at) FROM catalog_searchsynonym), (SELECT MAX(id) FROM catalog_searchsynonym)"
)


def _signature() -> tuple:
    """Changes whenever a procedure or synonym is added, renamed (updated_at), (de)activated or removed."""
    with connection.cursor() as cursor:
        cursor.execute(_SIGNATURE_SQL)
        return tuple(cursor.fetchone())


def _index() -> _Index:
    key = f"{connection.alias}:{connection.vendor}:{connection.settings_dict.get('NAME')}"
    signature = _signature() + (INTENTS_FILE.stat().st_mtime if INTENTS_FILE.exists() else None,)
    current = _cache.get(key)
    if current is not None and current.signature == signature:
        return current
    with _lock:
        current = _cache.get(key)
        if current is None or current.signature != signature:
            current = _build_index(signature)
            _cache[key] = current
    return current


def _decode_keys(index: _Index, words: list[str]) -> list[str]:
    """Words typed in Telex/VNI without an input method ("ddaang", "kys", "d9a8ng") replaced by their decoding
    (cchc.catalog.telex), folded — only when the word as typed is unknown (not a catalogue word, a prefix of one,
    or a word of an everyday name or intent) and its decoding is known."""
    out = []
    for word in words:
        if word.isdigit() or word in index.vocab or word in index.term_words or _is_prefix_of_vocab(index, word):
            out.append(word)
            continue
        for candidate in decode_keys(word):
            folded = fold(candidate)
            if folded in index.vocab or folded in index.term_words:
                out.append(folded)
                break
        else:
            out.append(word)
    return out


def _intent_ids(index: _Index, words: list[str]) -> tuple[int, ...]:
    """The procedures of the intent whose phrase is the whole query (intent fillers aside), or ()."""
    content = _intent_content(words)
    if not content:
        return ()
    for phrase, ids in index.intents:
        if content == _intent_content(phrase):
            return ids
    return ()


def _intent_content(words) -> tuple[str, ...]:
    words = list(words)
    kept: list[str] = []
    i = 0
    while i < len(words):
        pair = tuple(words[i:i + 2])
        if pair in INTENT_FILLER_PHRASES:
            i += 2
            continue
        if words[i] not in INTENT_FILLER:
            kept.append(words[i])
        i += 1
    return tuple(kept)


def _is_prefix_of_vocab(index: _Index, token: str) -> bool:
    i = bisect.bisect_left(index.sorted_vocab, token)
    return i < len(index.sorted_vocab) and index.sorted_vocab[i].startswith(token)


def _corrections(index: _Index, token: str) -> list[str]:
    if len(token) < 3 or token.isdigit():
        return []
    found: set[str] = set(index.deletes.get(token, ()))
    for d in _deletions(token):
        if d in index.vocab:
            found.add(d)
        found.update(index.deletes.get(d, ()))
    return sorted(w for w in found if w != token and osa_distance_at_most_one(token, w))


def _variants(index: _Index, words: list[str]) -> tuple[list[tuple[str, ...]], set[str]]:
    """The query words, plus variants with everyday names replaced by the catalogue wording.

    Also returns the query words outside every everyday name found (the user's own extra words)."""
    variants: list[tuple[str, ...]] = [tuple(words)]
    spans = []  # (start, end, alternatives), non-overlapping, longest terms first
    taken = [False] * len(words)
    for term, alternatives in index.synonyms:
        n = len(term)
        for start in range(len(words) - n + 1):
            if tuple(words[start:start + n]) == term and not any(taken[start:start + n]):
                spans.append((start, start + n, alternatives))
                for i in range(start, start + n):
                    taken[i] = True
                break
    free = {w for w, t in zip(words, taken, strict=True) if not t}
    if not spans:
        return variants, free
    spans.sort()
    partials: list[list[str]] = [[]]
    cursor = 0
    for start, end, alternatives in spans:
        partials = [p + words[cursor:start] for p in partials]
        query_words = set(words)
        useful = [alt for alt in alternatives if not set(alt) <= query_words]  # adds nothing new otherwise
        partials = [p + list(alt) for p in partials for alt in [tuple(words[start:end]), *useful]]
        partials = partials[: MAX_VARIANTS * 4]
        cursor = end
    partials = [p + words[cursor:] for p in partials]
    for p in partials:
        variant = tuple(dict.fromkeys(p))  # "thay đổi" + "thay đổi cải chính ..." → each word once
        if variant not in variants:
            variants.append(variant)
    return variants[:MAX_VARIANTS], free


@dataclass
class _Token:
    alternatives: list[tuple[str, float, bool]]  # (word, quality, prefix allowed)
    weak: bool = False  # a filler word ("làm", "xin", "cho"): optional, low weight

    @property
    def matchable(self) -> bool:
        return bool(self.alternatives)


def _tokens(index: _Index, variant: tuple[str, ...], typing: str | None) -> list[_Token]:
    """`typing` is the last word of the query as typed: the one word that may be unfinished."""
    tokens = [
        _Token(
            _cached(index, ("alt", word, word == typing), lambda w=word: _alternatives(index, w, w == typing)),
            word in WEAK_WORDS,
        )
        for word in variant
    ]
    if all(t.weak for t in tokens):  # "cho" alone is what the user is looking for
        for t in tokens:
            t.weak = False
    return tokens


def _alternatives(index: _Index, word: str, typing: bool) -> list[tuple[str, float, bool]]:
    if word in index.vocab:
        # A finished word of one or two letters ("so", "ky", "ho") is a whole syllable: matching it as a
        # prefix too would pull in every word that starts with it. Longer words and the word being typed
        # also match as a word prefix.
        return [(word, 1.0, typing or len(word) > SHORT_WORD)]
    if _is_prefix_of_vocab(index, word):
        return [(word, 1.0, True)]
    return [(c, TYPO_QUALITY, False) for c in _corrections(index, word)]


# --- candidate retrieval (the only database-specific part) ---------------------------------------------

def _sqlite_group(token: _Token) -> str:
    parts = [f'"{w}"*' if prefix else f'"{w}"' for w, _, prefix in token.alternatives]
    return "(" + " OR ".join(parts) + ")"


def _pg_group(token: _Token) -> str:
    parts = [f"{w}:*" if prefix else w for w, _, prefix in token.alternatives]
    return "(" + " | ".join(parts) + ")"


def _candidate_ids(conjunctions: list[list[_Token]]) -> set[int]:
    """Ids of procedures matching any of the conjunctions (each: every token matches a name word).

    Only this function differs between databases; both return the same set for the same tokens.
    """
    params: list = []
    if connection.vendor == "sqlite":
        expr = " OR ".join("(" + " AND ".join(_sqlite_group(t) for t in conj) + ")" for conj in conjunctions)
        sql = "SELECT rowid FROM catalog_procedure_fts WHERE catalog_procedure_fts MATCH %s"
        params.append(expr)
    else:
        # GIN full-text index on to_tsvector('simple', search_text) (migration 0005): `w:*` = word prefix.
        # Inactive rows are dropped by _shortest_first (the word index holds active procedures only).
        expr = " | ".join("(" + " & ".join(_pg_group(t) for t in conj) + ")" for conj in conjunctions)
        sql = (
            "SELECT p.id FROM catalog_procedure p WHERE "
            "to_tsvector('simple'::regconfig, p.search_text) @@ to_tsquery('simple'::regconfig, %s)"
        )
        params.append(expr)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _shortest_first(index: _Index, ids, allowed: set[int] | None, cap: int) -> list[int]:
    """Active (in the index), allowed ids, shortest names first then code, at most `cap`: deterministic."""
    entries = index.entries
    kept = [pk for pk in ids if pk in entries and (allowed is None or pk in allowed)]
    kept.sort(key=lambda pk: (entries[pk].text_len, entries[pk].code))
    return kept[:cap]


def _postings(index: _Index, token: _Token) -> set[int]:
    """Ids of the procedures whose name has a word this token matches (whole word or word prefix)."""
    found: set[int] = set()
    for word, _, prefix in token.alternatives:
        if not prefix:
            found |= index.postings.get(word, set())
            continue
        vocab = index.sorted_vocab
        i = bisect.bisect_left(vocab, word)
        while i < len(vocab) and vocab[i].startswith(word):
            found |= index.postings[vocab[i]]
            i += 1
    return found


def _relaxed_ids(conjunctions: list[list[_Token]], level: str, token_ids) -> set[int]:
    """Candidates for a relaxation level, computed from each word's matching ids (same sets on both DBs).

    drop_one: all words but one match; pairs: two neighbouring words match (4+ words);
    singles: any word of 3+ letters matches (3+ words).
    """
    found: set[int] = set()
    for required in conjunctions:
        n = len(required)
        if level == "drop_one" and n >= 2:
            counts = Counter(chain.from_iterable(token_ids(token) for token in required))
            found.update(pk for pk, c in counts.items() if c >= n - 1)
        elif level == "pairs" and n >= 4:
            for a, b in zip(required, required[1:], strict=False):
                found.update(token_ids(a) & token_ids(b))
        elif level == "singles" and n >= 3:
            for token in required:
                if max(len(w) for w, _, _ in token.alternatives) >= 3:
                    found.update(token_ids(token))
    return found


def _published_ids(province) -> set[int]:
    today = timezone.localdate()
    return set(
        ProvinceProcedure.objects.filter(province=province, effective_from__lte=today)
        .exclude(effective_to__lt=today)
        .values_list("procedure_id", flat=True)
    )


# --- scoring (pure Python, identical on every database) -------------------------------------------------

WORD_CACHE_SIZE = 20000


def _cached(index: _Index, key, compute):
    value = index.word_cache.get(key)
    if value is None:
        value = compute()
        if len(index.word_cache) >= WORD_CACHE_SIZE:
            index.word_cache.clear()
        index.word_cache[key] = value
    return value


def _token_map(index: _Index, token: _Token) -> dict[str, float]:
    """Every name word this query word can match, with its quality (whole word, word prefix, typo)."""
    return _cached(index, ("map", tuple(token.alternatives)), lambda: _compute_token_map(index, token))


def _compute_token_map(index: _Index, token: _Token) -> dict[str, float]:
    result: dict[str, float] = {}
    for word, quality, prefix in token.alternatives:
        if prefix:
            vocab = index.sorted_vocab
            i = bisect.bisect_left(vocab, word)
            while i < len(vocab) and vocab[i].startswith(word):
                value = quality if vocab[i] == word else quality * PREFIX_QUALITY
                if value > result.get(vocab[i], 0.0):
                    result[vocab[i]] = value
                i += 1
        elif quality > result.get(word, 0.0):
            result[word] = quality
    return result


def _inverse(maps: list[dict[str, float]]) -> dict[str, tuple[tuple[int, float], ...]]:
    """name word → (query token index, quality) for every token of a variant that the word satisfies."""
    inverse: dict[str, list[tuple[int, float]]] = {}
    for ti, m in enumerate(maps):
        for word, value in m.items():
            inverse.setdefault(word, []).append((ti, value))
    return {word: tuple(hits) for word, hits in inverse.items()}


def _score(entry: _Entry, maps: list[dict[str, float]], weights: list[float], weight_sum: float,
           inverse: dict[str, tuple[tuple[int, float], ...]]) -> tuple[float, bool]:
    """See the module doc: coverage, phrase, brevity, start, level, base act, minus unasked variant markers.

    `inverse` maps a name word to the (query token index, quality) pairs it satisfies (built once per variant),
    so each name word is looked up once instead of intersecting every token's map with the name.
    Also returns whether every query word of full weight (not a filler word) matched a name word."""
    entry_positions = entry.positions
    all_positions = entry.all_positions
    content_start = entry.content_start
    per_token: list[list[str]] = [[] for _ in maps]
    for word in entry_positions:
        hits = inverse.get(word)
        if hits:
            for ti, _ in hits:
                per_token[ti].append(word)
    covered = 0.0
    positions: list[int | None] = []
    previous = None
    for m, weight, candidates in zip(maps, weights, per_token, strict=True):
        best, best_pos = 0.0, None
        if candidates:
            want = None if previous is None else previous + 1
            for word in candidates:
                value = m[word]
                for pos in all_positions.get(word) or (entry_positions[word],):
                    if pos < content_start and value < 1.0:
                        continue  # "tu" (typing "tử") must not match the "tục" of a leading "Thủ tục"
                    if value > best or (value == best and pos != best_pos and (
                        pos == want or (best_pos != want and pos < best_pos)
                    )):
                        best, best_pos = value, pos
        positions.append(best_pos)
        if best_pos is not None:
            covered += weight * best
            previous = best_pos
    matched_positions = {p for p in positions if p is not None}
    if not matched_positions:
        return 0.0, False
    complete = all(p is not None for p, w in zip(positions, weights, strict=True) if w == 1.0)
    coverage = covered / weight_sum
    # phrase: neighbouring query words found next to each other; a weak word that matched nothing is skipped
    seq = [p for p, w in zip(positions, weights, strict=True) if p is not None or w == 1.0]
    if len(seq) > 1:
        pairs = 0
        for a, b in zip(seq, seq[1:], strict=False):
            if a is not None and b is not None and b == a + 1:
                pairs += 1
        phrase = pairs / (len(seq) - 1)
    else:
        phrase = 1.0
    in_content = len(matched_positions) if content_start == 0 else sum(p >= content_start for p in matched_positions)
    brevity = min(in_content / entry.content_len, 1.0)
    first = next(p for p in positions if p is not None)
    start = 1.0 if first == content_start else 0.0
    unasked = 0
    for span in entry.markers:
        if matched_positions.isdisjoint(span):
            unasked += 1
    score = (
        0.55 * coverage + 0.15 * phrase + 0.20 * brevity + 0.05 * start + 0.03 * entry.local
        + 0.02 * entry.base_act - MARKER_PENALTY * min(unasked, MAX_MARKERS)
    )
    return max(score, 0.0001), complete  # a name that matches stays listed, however weakly


def search_procedures(query: str, *, limit: int = 10, province=None, unit=None, within=None) -> list[Hit]:
    """Tra cứu thủ tục: the best `limit` procedures for a free-text query, best first (see module doc).

    `province` keeps the procedures the province publishes today; `unit` keeps those a desk receives today
    (catalog.selectors.received_procedure_ids: the one-stop desk's scope); `within` keeps the given procedure
    ids (e.g. those offered online). The ranking is the same."""
    limit = max(1, min(int(limit or 10), 100))
    text = nfc(query or "").strip()[:300]
    if not text:
        return []
    index = _index()
    allowed = _published_ids(province) if province is not None else None
    if unit is not None:
        from .selectors import received_procedure_ids

        received = received_procedure_ids(unit=unit)
        allowed = received if allowed is None else allowed & received
    if within is not None:
        allowed = set(within) if allowed is None else allowed & set(within)
    scores: dict[int, float] = {}
    complete: dict[int, bool] = {}

    for code in CODE_TOKEN.findall(text):
        # "1.001193" exactly, or the national portal's long form "1.001193.000.00.00.H12" by its first two parts
        pk = index.code_to_id.get(code) or index.code_to_id.get(".".join(code.split(".")[:2]))
        if pk is not None:
            scores[pk] = EXACT_CODE_SCORE
            continue
        i = bisect.bisect_left(index.sorted_codes, code)
        while i < len(index.sorted_codes) and index.sorted_codes[i].startswith(code):
            scores.setdefault(index.code_to_id[index.sorted_codes[i]], CODE_PREFIX_SCORE)
            i += 1
    if allowed is not None:
        scores = {pk: s for pk, s in scores.items() if pk in allowed}

    words = _decode_keys(index, re.findall(r"[0-9a-z]+", fold(CODE_TOKEN.sub(" ", text)))[:MAX_QUERY_WORDS])
    for i, pk in enumerate(_intent_ids(index, words)):
        if allowed is None or pk in allowed:
            scores[pk] = max(scores.get(pk, 0.0), round(INTENT_SCORE - INTENT_STEP * i, 4))
    if words:
        found_variants, free_words = _variants(index, words)
        variants = [(v, _tokens(index, v, words[-1])) for v in found_variants]
        conjunctions = []
        conjunctions_by_variant: list[list[_Token] | None] = []
        for _, tokens in variants:
            required = [t for t in tokens if t.matchable and not t.weak]
            conjunctions_by_variant.append(required or None)
            if required:
                conjunctions.append(required)
        ids = _shortest_first(index, _candidate_ids(conjunctions), allowed, CANDIDATE_CAP) if conjunctions else []
        # Relax step by step while too few candidates: one word missing, then two neighbouring words, then any
        # single word. Each word's ids come from the in-process word index (built from the same rows on
        # either database); the cap keeps the shortest names first, then code, as the SQL does.
        per_token: dict[tuple, set[int]] = {}

        def token_ids(token: _Token) -> set[int]:
            key = tuple(token.alternatives)
            if key not in per_token:
                found = _postings(index, token)
                per_token[key] = found if allowed is None else found & allowed
            return per_token[key]

        # Variants holding a word the user typed besides an everyday name (all of them when no everyday name was
        # found): with 3+ words, the names matching all of them but one always compete, because a base procedure
        # often lacks one word of a longer query ("đăng ký khai sinh cho con"). A variant made only of catalogue
        # wording ("sổ đỏ" → "đăng ký đất đai ... lần đầu") is relaxed only when there are too few candidates.
        own = [
            conj for (v, tokens), conj in zip(variants, conjunctions_by_variant, strict=True)
            if conj is not None and len(conj) >= 3 and not free_words.isdisjoint(v)
        ]
        for level in ("drop_one", "pairs", "singles"):
            source = conjunctions
            if len(ids) >= limit:
                if level != "drop_one" or not own:
                    break
                source = own
            seen = set(ids)
            extra = [pk for pk in _relaxed_ids(source, level, token_ids) if pk not in seen]
            ids = ids + _shortest_first(index, extra, allowed, RELAXED_CANDIDATE_CAP)
        variant_maps = []
        for _, tokens in variants:
            maps = [_token_map(index, t) for t in tokens]
            weights = [WEAK_WEIGHT if t.weak else 1.0 for t in tokens]
            inverse = _cached(index, ("inv", tuple(tuple(t.alternatives) for t in tokens)), lambda m=maps: _inverse(m))
            variant_maps.append((maps, weights, sum(weights), inverse))
        for pk in ids:
            entry = index.entries.get(pk)
            if entry is None:
                continue
            best, whole = max(
                (
                    _score(entry, maps, weights, weight_sum, inverse)
                    for maps, weights, weight_sum, inverse in variant_maps
                    if not inverse.keys().isdisjoint(entry.positions)
                ),
                default=(0.0, False),
            )
            if best > 0 and best > scores.get(pk, 0.0):
                scores[pk] = best
                complete[pk] = whole

    ranked = sorted(
        ((round(score, 4), index.entries[pk].code, pk) for pk, score in scores.items() if pk in index.entries),
        key=lambda item: (-item[0], item[1]),
    )
    return [Hit(code, index.entries[pk].name, score, not complete.get(pk, True)) for score, code, pk in ranked[:limit]]


def _name_words(name: str) -> tuple[str, ...]:
    words = tuple(words_of(name))
    return words[2:] if words[:2] == LEADING_WORDS and len(words) > 2 else words


def exact_match(query: str, hits: list[Hit]) -> Hit | None:
    """The one hit the query names exactly, or None: the query is that procedure's code (short or the national
    portal's long form), or its whole name (folded, with or without a leading "Thủ tục"), and no other hit is
    named the same. The desk opens a procedure on Enter only then (docs/search.md, "Desk search")."""
    text = nfc(query or "").strip()
    if not text or not hits:
        return None
    codes = CODE_TOKEN.findall(text)
    rest = re.sub(r"\.[A-Za-z]\w*", " ", CODE_TOKEN.sub(" ", text))  # the long form's ".H12" tail
    if len(codes) == 1 and not words_of(rest):
        code = codes[0]
        wanted = {code, ".".join(code.split(".")[:2])}
        found = [h for h in hits if h.code in wanted]
        return found[0] if len(found) == 1 else None
    if codes:
        return None
    words = tuple(words_of(text))
    if words[:2] == LEADING_WORDS and len(words) > 2:
        words = words[2:]
    found = [h for h in hits if _name_words(h.name) == words]
    return found[0] if len(found) == 1 else None
