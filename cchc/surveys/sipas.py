"""SIPAS formulas (Chỉ số hài lòng về sự phục vụ hành chính) — pure Python, no Django.

Rules encoded (see docs/sipas.md for sources and what is UNCONFIRMED):
- Sample size per unit (cỡ mẫu): n = N / (1 + N·e²), e = 5 % by default, rounded up; N = number of
  service users (dossiers settled) in the period. Slovin/Yamane formula quoted by the SIPAS method notes.
- Aspect index (chỉ số thành phần theo yếu tố): share of answers at the "satisfied" levels
  (hài lòng + rất hài lòng = 4 and 5 on a 5-point Likert scale) among valid answers × 100.
  UNCONFIRMED reading of Quyết định 1001/QĐ-BNV (2023); the levels are a configurable rule.
- Overall SIPAS = arithmetic mean of the aspect indices (UNCONFIRMED, configurable).
- 95 % margin of error of a proportion: z·sqrt(p(1−p)/n), times the finite population correction
  sqrt((N−n)/(N−1)) when the population N is known. For the overall mean of k aspect indices we
  combine the aspect standard errors as sqrt(Σ se²)/k (treats aspects as independent — an
  approximation, stated in the UI).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# The five aspects (yếu tố) of the SIPAS methodology, in the published order.
ASPECTS: tuple[tuple[str, str], ...] = (
    ("access", "Tiếp cận dịch vụ hành chính công"),
    ("procedure", "Thủ tục hành chính"),
    ("civil_servant", "Công chức trực tiếp giải quyết công việc"),
    ("result", "Kết quả cung ứng dịch vụ hành chính công"),
    ("feedback", "Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị"),
)
ASPECT_CODES: tuple[str, ...] = tuple(code for code, _ in ASPECTS)

LIKERT_LABELS: dict[int, str] = {
    1: "Rất không hài lòng",
    2: "Không hài lòng",
    3: "Bình thường",
    4: "Hài lòng",
    5: "Rất hài lòng",
}

# Labels for "nhận định" (assessment) statements: the same 1..5 scale read as agreement.
AGREEMENT_LABELS: dict[int, str] = {
    1: "Hoàn toàn không đồng ý",
    2: "Không đồng ý",
    3: "Phân vân",
    4: "Đồng ý",
    5: "Hoàn toàn đồng ý",
}

Z_BY_CONFIDENCE = {0.90: 1.6449, 0.95: 1.96, 0.99: 2.5758}


@dataclass(frozen=True)
class SipasRule:
    """Quy tắc tính chỉ số: a versioned, configurable reading of the methodology (UNCONFIRMED)."""

    scale: int = 5
    satisfied_levels: tuple[int, ...] = (4, 5)
    overall: str = "mean_of_aspects"
    confidence: float = 0.95
    finite_population_correction: bool = True
    margin: float = 0.05  # e in n = N / (1 + N e²)
    unconfirmed: bool = True

    @classmethod
    def from_dict(cls, data: Mapping | None) -> SipasRule:
        data = dict(data or {})
        rule = cls(
            scale=int(data.get("scale", 5)),
            satisfied_levels=tuple(int(v) for v in data.get("satisfied_levels", (4, 5))),
            overall=str(data.get("overall", "mean_of_aspects")),
            confidence=float(data.get("confidence", 0.95)),
            finite_population_correction=bool(data.get("finite_population_correction", True)),
            margin=float(data.get("margin", 0.05)),
            unconfirmed=bool(data.get("unconfirmed", True)),
        )
        rule.validate()
        return rule

    def as_dict(self) -> dict:
        return {
            "scale": self.scale,
            "satisfied_levels": list(self.satisfied_levels),
            "overall": self.overall,
            "confidence": self.confidence,
            "finite_population_correction": self.finite_population_correction,
            "margin": self.margin,
            "unconfirmed": self.unconfirmed,
        }

    def validate(self) -> None:
        if self.scale < 2:
            raise ValueError("Thang đo phải có ít nhất 2 mức.")
        if not self.satisfied_levels or any(not 1 <= v <= self.scale for v in self.satisfied_levels):
            raise ValueError(f"Mức 'hài lòng' phải nằm trong 1..{self.scale}.")
        if self.overall not in {"mean_of_aspects"}:
            raise ValueError("Cách tính chỉ số chung chưa được hỗ trợ: " + self.overall)
        if self.confidence not in Z_BY_CONFIDENCE:
            raise ValueError("Độ tin cậy phải là 0.90, 0.95 hoặc 0.99.")
        if not 0 < self.margin < 1:
            raise ValueError("Sai số e phải trong khoảng (0, 1).")

    @property
    def z(self) -> float:
        return Z_BY_CONFIDENCE[self.confidence]


DEFAULT_RULE = SipasRule()


def sample_size(population: int, margin: float = 0.05) -> int:
    """Cỡ mẫu tối thiểu n = N / (1 + N·e²), rounded up; 0 when nobody was served.

    >>> sample_size(1000)
    286
    """
    if population is None or population < 0:
        raise ValueError("N phải là số không âm.")
    if not 0 < margin < 1:
        raise ValueError("Sai số e phải trong khoảng (0, 1).")
    if population == 0:
        return 0
    n = population / (1 + population * margin * margin)
    # Guard against float noise such as 285.0000000001 → 286.
    return min(population, math.ceil(round(n, 9)))


def margin_of_error(p: float, n: int, population: int | None = None, *, z: float = 1.96, fpc: bool = True) -> float | None:
    """Sai số biên (in proportion units, 0..1) of a proportion p estimated from n answers.

    Uses the finite population correction sqrt((N − n)/(N − 1)) when N is known and N > n·1 (n ≤ N);
    returns None when n == 0. With n ≥ N the whole population answered and the error is 0.
    """
    if n <= 0:
        return None
    if not 0.0 <= p <= 1.0:
        raise ValueError("p phải trong [0, 1].")
    se = math.sqrt(p * (1.0 - p) / n)
    if fpc and population:
        if n >= population:
            return 0.0
        se *= math.sqrt((population - n) / (population - 1))
    return z * se


@dataclass(frozen=True)
class AspectResult:
    """Kết quả một yếu tố: valid answers, satisfied answers, index % and its margin (percentage points)."""

    code: str
    valid: int
    satisfied: int
    index_pct: float | None
    margin_pct: float | None
    distribution: dict[int, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "valid": self.valid,
            "satisfied": self.satisfied,
            "index_pct": _r(self.index_pct),
            "margin_pct": _r(self.margin_pct),
            "distribution": {str(k): v for k, v in sorted(self.distribution.items())},
        }


@dataclass(frozen=True)
class SipasResult:
    """Kết quả SIPAS của một đơn vị: per-aspect results, overall index and margin."""

    aspects: dict[str, AspectResult]
    index_pct: float | None
    margin_pct: float | None
    complete: bool
    respondents: int = 0
    population: int | None = None

    def as_dict(self) -> dict:
        return {
            "index_pct": _r(self.index_pct),
            "margin_pct": _r(self.margin_pct),
            "complete": self.complete,
            "respondents": self.respondents,
            "population": self.population,
            "aspects": {code: a.as_dict() for code, a in self.aspects.items()},
        }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value + 0.0, 2)


def aspect_result(
    code: str,
    answers: Mapping[int, int] | Iterable[int | None],
    *,
    rule: SipasRule = DEFAULT_RULE,
    population: int | None = None,
    sample_n: int | None = None,
) -> AspectResult:
    """Index of one aspect from its answers: a {level: count} mapping or an iterable of levels.

    Values outside 1..scale and None ("không trả lời / không có ý kiến") are not valid answers.
    `sample_n` is the number of respondents behind the answers (when an aspect has several questions
    per respondent); the margin of error uses it instead of the number of answers.
    """
    counts: dict[int, int] = {}
    if isinstance(answers, Mapping):
        items = ((int(k), int(v)) for k, v in answers.items())
    else:
        items = ((v, 1) for v in answers if v is not None)
    for level, count in items:
        if count < 0:
            raise ValueError("Số phiếu không được âm.")
        if 1 <= level <= rule.scale:
            counts[level] = counts.get(level, 0) + count
    valid = sum(counts.values())
    satisfied = sum(c for level, c in counts.items() if level in rule.satisfied_levels)
    if valid == 0:
        return AspectResult(code, 0, 0, None, None, counts)
    p = satisfied / valid
    n = sample_n if sample_n else valid
    moe = margin_of_error(p, n, population, z=rule.z, fpc=rule.finite_population_correction)
    return AspectResult(code, valid, satisfied, p * 100.0, None if moe is None else moe * 100.0, counts)


def overall_result(
    aspects: Mapping[str, AspectResult],
    *,
    rule: SipasRule = DEFAULT_RULE,
    expected: Iterable[str] = ASPECT_CODES,
    respondents: int = 0,
    population: int | None = None,
) -> SipasResult:
    """Overall SIPAS = mean of the aspect indices that have valid answers.

    `complete` is False when an expected aspect has no valid answer (the mean then covers fewer
    aspects and the page says so).
    """
    expected = tuple(expected)
    scored = [a for a in aspects.values() if a.index_pct is not None]
    complete = all(code in aspects and aspects[code].index_pct is not None for code in expected)
    if not scored:
        return SipasResult(dict(aspects), None, None, False, respondents, population)
    k = len(scored)
    index = sum(a.index_pct for a in scored) / k
    if any(a.margin_pct is None for a in scored):
        margin = None
    else:
        # Combine aspect standard errors (margin / z) for the mean of k estimates.
        margin = math.sqrt(sum((a.margin_pct / rule.z) ** 2 for a in scored)) / k * rule.z
    return SipasResult(dict(aspects), index, margin, complete, respondents, population)


def sipas_result(
    answers_by_aspect: Mapping[str, Mapping[int, int] | Iterable[int | None]],
    *,
    rule: SipasRule = DEFAULT_RULE,
    population: int | None = None,
    respondents: int = 0,
    expected: Iterable[str] = ASPECT_CODES,
) -> SipasResult:
    """Aspect indices and the overall index from answers grouped by aspect code."""
    expected = tuple(expected)
    aspects = {}
    for code in list(expected) + [c for c in answers_by_aspect if c not in expected]:
        aspects[code] = aspect_result(code, answers_by_aspect.get(code, {}), rule=rule, population=population)
    return overall_result(aspects, rule=rule, expected=expected, respondents=respondents, population=population)
