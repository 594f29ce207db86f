"""Điểm chỉ số 766: the pure point conversion of Decision 766/QĐ-TTg indicators (no Django import).

Source: the national portal's "Công thức 766" as transcribed by a third-party dashboard (formula-reference.js,
"đối chiếu 07/10/2026"; /work/shared/domain.md §3): "Điểm = Pmax nếu R ≥ ngưỡng; ngược lại R × Pmax ÷ ngưỡng";
an indicator without a threshold scores R × Pmax ÷ 100. Rules (kept per indicator, as data):
- "linear":        points = rate × max ÷ 100 (no target);
- "capped_linear": points = max when rate ≥ target (exactly at the target is reached), else rate × max ÷ target;
- "step":          points of the highest threshold the rate reaches ({threshold: points}, e.g. {95: 20, 90: 15});
- "info":          shown, never scored (max 0; e.g. 2.2 average settlement time, not a rate).
Points never exceed max (a rate above 100 %, possible with back-dated figures or entered inputs, is capped).
Rounding: 2 decimals, half-up (ROUND_HALF_UP), on the rate and on the points separately; the points are
computed from the unrounded rate so rounding twice never moves a point.

States of an indicator for one scope and period:
- "ok": denominator > 0 → rate and points;
- "not_applicable" (không phát sinh): denominator = 0 → no rate, no points, and its max is left out of the
  total's max (a unit with no dossiers for a statistic is neither rewarded nor punished; the same as the
  PAR INDEX practice of rescaling a total when a component does not apply, domain.md §1.3);
- "no_data" (chưa có số liệu): an entered figure the PAR office has not entered → no points, and its max
  STAYS in the total's max, so a missing figure visibly lowers the total instead of vanishing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

LINEAR = "linear"
CAPPED_LINEAR = "capped_linear"
STEP = "step"
INFO = "info"
RULES = (LINEAR, CAPPED_LINEAR, STEP, INFO)

OK = "ok"
NOT_APPLICABLE = "not_applicable"
NO_DATA = "no_data"
STATUS_LABELS = {OK: "", NOT_APPLICABLE: "không phát sinh", NO_DATA: "chưa có số liệu"}

TWO = Decimal("0.01")
HUNDRED = Decimal(100)


def q2(value) -> Decimal:
    """Round to 2 decimals, half-up (0.005 → 0.01)."""
    return Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)


def rate_of(numerator, denominator) -> Decimal | None:
    """Tỷ lệ = numerator ÷ denominator × 100, unrounded; None when the denominator is 0 (or missing)."""
    if denominator is None or numerator is None:
        return None
    den = Decimal(str(denominator))
    if den == 0:
        return None
    return Decimal(str(numerator)) * HUNDRED / den


def points_for(rate, *, max_points, rule: str = CAPPED_LINEAR, target=None, steps=None) -> Decimal:
    """Points of one indicator for a rate in % (unrounded is best), by its rule; capped at max_points."""
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}, not {rule!r}")
    mx = Decimal(str(max_points))
    if rule == INFO or rate is None:
        return Decimal(0)
    r = max(Decimal(str(rate)), Decimal(0))
    if rule == STEP:
        best = Decimal(0)
        for threshold, pts in sorted(((Decimal(str(t)), Decimal(str(p))) for t, p in (steps or {}).items()), reverse=True):
            if r >= threshold:
                best = pts
                break
        return q2(min(best, mx))
    if rule == CAPPED_LINEAR and target is not None and Decimal(str(target)) > 0:
        t = Decimal(str(target))
        pts = mx if r >= t else r * mx / t
    else:  # linear, or capped-linear without a target: the transcription's "no target → rate × max ÷ 100"
        pts = r * mx / HUNDRED
    return q2(min(pts, mx))


@dataclass
class IndicatorResult:
    """Kết quả một chỉ tiêu for one scope and period."""

    code: str
    name: str
    numerator: Decimal | int | None
    denominator: Decimal | int | None
    target: Decimal | None
    max: Decimal
    rule: str
    source: str  # "platform" | "entered"
    status: str = OK
    rate: Decimal | None = None
    points: Decimal | None = None
    note: str = ""

    @property
    def counted_max(self) -> Decimal:
        """The max this indicator adds to its group's and the total's max (0 when not applicable or info)."""
        if self.rule == INFO or self.status == NOT_APPLICABLE:
            return Decimal(0)
        return self.max


def score_indicator(*, code, name, numerator, denominator, max_points, rule=CAPPED_LINEAR, target=None, steps=None,
                    source="platform", missing: bool = False, note: str = "") -> IndicatorResult:
    """One indicator: rate, points and state from its figures (missing=True: entered figure not entered)."""
    res = IndicatorResult(code=code, name=name, numerator=numerator, denominator=denominator,
                          target=None if target is None else Decimal(str(target)), max=Decimal(str(max_points)),
                          rule=rule, source=source, note=note)
    if missing:
        res.status, res.numerator, res.denominator = NO_DATA, None, None
        return res
    raw = rate_of(numerator, denominator)
    if raw is None:
        res.status = NOT_APPLICABLE
        return res
    if rule == INFO:  # a tracked figure, not a share: numerator ÷ denominator (e.g. 2.2 average days)
        res.rate = q2(raw / HUNDRED)
        return res
    res.rate = q2(raw)
    res.points = None if rule == INFO else points_for(raw, max_points=max_points, rule=rule, target=target, steps=steps)
    return res


@dataclass
class GroupResult:
    code: str
    name: str
    max: Decimal
    indicators: list[IndicatorResult] = field(default_factory=list)

    @property
    def points(self) -> Decimal:
        return q2(sum((i.points or Decimal(0)) for i in self.indicators))

    @property
    def counted_max(self) -> Decimal:
        return q2(sum(i.counted_max for i in self.indicators))


def total_of(groups: list[GroupResult]) -> dict:
    """{"points", "max"}: sums over groups of points and of the max that counts (see the module docstring)."""
    return {"points": q2(sum(g.points for g in groups)), "max": q2(sum(g.counted_max for g in groups))}


def points_lost_if(*, numerator, denominator, lost: int, max_points, rule=CAPPED_LINEAR, target=None, steps=None) -> Decimal:
    """Điểm có nguy cơ mất: points now minus points if `lost` of the numerator's items drop out of it
    (the denominator unchanged: a dossier going late stays handled in the period)."""
    now = rate_of(numerator, denominator)
    if now is None or lost <= 0:
        return Decimal(0)
    after = rate_of(max(Decimal(str(numerator)) - lost, Decimal(0)), denominator)
    kw = dict(max_points=max_points, rule=rule, target=target, steps=steps)
    return q2(points_for(now, **kw) - points_for(after, **kw))
