"""Tính chỉ số 766 (reads): the indicator set in force, the index of a scope and period, the drill-down.

Figures: `inputs` (the platform's dossiers and procedures) and `EnteredFigure` (what the PAR office enters);
points: `scoring` (pure). Output shapes are the CLI/API contract (docs/serviceindex.md).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from cchc.core.errors import DomainError, NotFoundError

from . import inputs, scoring
from .models import EnteredFigure, IndicatorSet, InputSource
from .periods import Period

FAMILY = "qd766"
DOSSIER_KEYS = set(inputs.DOSSIER_KEYS) | {"handled_without_complaint"}
PROCEDURE_KEYS = {"procedures_in_force", "procedures_online", "online_services_used", "fee_procedures",
                  "fee_procedures_with_fee_dossiers"}
TIME_KEYS = {"settlement_days", "settled_count"}
PLATFORM_KEYS = DOSSIER_KEYS | PROCEDURE_KEYS | TIME_KEYS


# ------------------------------------------------------------------------------------------ the set

def indicator_set_for(on_date: date, *, family: str = FAMILY) -> IndicatorSet:
    """Bộ chỉ số áp dụng: the highest version whose effective date is on or before `on_date`."""
    found = IndicatorSet.objects.filter(family=family, effective_from__lte=on_date).order_by("-version").first()
    if found is None:
        raise NotFoundError("Chưa có bộ chỉ số 766 áp dụng cho kỳ này (chạy `cchc setup`).", code="no_indicator_set", field="period")
    return found


def definition(iset: IndicatorSet) -> list[dict]:
    """[{group…, "indicators": [{…}]}] of a set, ordered (plain dicts; one query per level)."""
    groups = []
    for g in iset.groups.order_by("position").prefetch_related("indicators"):
        groups.append({
            "code": g.code, "name": g.name, "max": g.max_points,
            "indicators": [{
                "code": i.code, "name": i.name, "numerator_key": i.numerator_key, "denominator_key": i.denominator_key,
                "source": i.input_source, "target": i.target, "max": i.max_points, "rule": i.rule, "steps": i.steps or {},
                "max_confirmed": i.max_confirmed, "citation": i.citation,
            } for i in sorted(g.indicators.all(), key=lambda x: x.position)],
        })
    return groups


# ------------------------------------------------------------------------------------------ scope

def scope_for(*, province, unit=None, field: str | None = None) -> inputs.Scope:
    """Phạm vi: the province, or a unit of it and every unit below it; optionally one procedure field."""
    from cchc.accounts.permissions import descendant_ids

    ids = None
    if unit is not None:
        if unit.province_unit.pk != province.pk:
            raise DomainError(f"đơn vị {unit.code} không thuộc {province.name}.", code="unit_outside_province", field="unit")
        if unit.pk != province.pk:
            ids = frozenset(descendant_ids([unit.pk]))
    return inputs.Scope(province=province, unit_ids=ids, field=(field or None))


def publication_date(period: Period, now: datetime) -> date:
    """The day whose published procedures count (3.1, 3.2, 3.5): the period's last day, or today while it runs."""
    return max(period.date_from, min(period.date_to, timezone.localtime(now).date()))


class Figures:
    """The platform's figures for one scope and period, each family fetched on first use."""

    def __init__(self, scope: inputs.Scope, period: Period, now: datetime):
        self.scope, self.period, self.now = scope, period, now
        self._dossiers = self._procedures = None

    def get(self, key: str):
        if key in DOSSIER_KEYS or key in TIME_KEYS:  # one rollup read for both families
            if self._dossiers is None:
                self._dossiers = inputs.dossier_figures(self.scope, self.period.date_from, self.period.date_to, now=self.now)
            return self._dossiers[key]
        if key in PROCEDURE_KEYS:
            if self._procedures is None:
                self._procedures = inputs.procedure_counts(self.scope, self.period.date_from, self.period.date_to,
                                                           on_date=publication_date(self.period, self.now))
            return self._procedures[key]
        raise KeyError(key)


def _entered(*, province, unit, period: Period, field) -> dict[str, EnteredFigure]:
    """Entered figures for exactly this scope (a unit's view never borrows the province's figure)."""
    if field:
        return {}
    qs = EnteredFigure.objects.filter(province=province, period=period.label)
    qs = qs.filter(unit__isnull=True) if unit is None or unit.pk == province.pk else qs.filter(unit=unit)
    return {f.indicator_code: f for f in qs}


def _provided(defn: list[dict], *, province, unit, period: Period, field) -> dict:
    """Figures of registered providers (inputs.register_provider) for this scope; none for a field view
    (providers know units, not procedure fields)."""
    if field or not inputs.PROVIDERS:
        return {}
    codes = [i["code"] for g in defn for i in g["indicators"]]
    view_unit = None if unit is None or unit.pk == province.pk else unit
    return inputs.provided_figures(codes, province=province, date_from=period.date_from, date_to=period.date_to, unit=view_unit)


def score_groups(defn: list[dict], value_of, entered: dict, provided: dict | None = None) -> list[scoring.GroupResult]:
    """Score every indicator: provided[code] (a registered provider with data) wins; otherwise value_of(key)
    gives a platform figure and entered[code] an EnteredFigure."""
    provided = provided or {}
    groups = []
    for g in defn:
        gr = scoring.GroupResult(code=g["code"], name=g["name"], max=g["max"])
        for i in g["indicators"]:
            kw = dict(code=i["code"], name=i["name"], max_points=i["max"], rule=i["rule"], target=i["target"], steps=i["steps"],
                      source=i["source"])
            if i["code"] in provided:
                fig = provided[i["code"]]
                kw["source"] = fig.source
                res = scoring.score_indicator(numerator=fig.numerator, denominator=fig.denominator, note=fig.note, **kw)
                if res.status == scoring.NOT_APPLICABLE and not res.note:
                    res.note = "Không phát sinh trong kỳ: không tính vào điểm tối đa."
            elif i["source"] == InputSource.ENTERED:
                fig = entered.get(i["code"])
                if fig is None:
                    res = scoring.score_indicator(numerator=None, denominator=None, missing=True,
                                                  note="Chưa có số liệu: cơ quan thường trực CCHC chưa nhập cho kỳ này.", **kw)
                else:
                    res = scoring.score_indicator(numerator=fig.numerator, denominator=fig.denominator, note=fig.note, **kw)
            else:
                res = scoring.score_indicator(numerator=value_of(i["numerator_key"]), denominator=value_of(i["denominator_key"]), **kw)
                if res.status == scoring.NOT_APPLICABLE:
                    res.note = "Không phát sinh trong kỳ: không tính vào điểm tối đa."
            gr.indicators.append(res)
        groups.append(gr)
    return groups


def as_json(groups: list[scoring.GroupResult]) -> tuple[dict, list[dict]]:
    total = scoring.total_of(groups)
    out_groups = []
    for g in groups:
        out_groups.append({
            "code": g.code, "name": g.name, "max": float(g.counted_max), "nominal_max": float(scoring.q2(g.max)),
            "points": float(g.points),
            "indicators": [{
                "code": i.code, "name": i.name,
                "numerator": _count(i.numerator), "denominator": _count(i.denominator),
                "rate": None if i.rate is None else float(i.rate),
                "target": None if i.target is None else float(scoring.q2(i.target)),
                "max": float(scoring.q2(i.max)), "points": None if i.points is None else float(i.points),
                "source": i.source, "status": i.status, "rule": i.rule, "note": i.note,
            } for i in g.indicators],
        })
    return {"points": float(total["points"]), "max": float(total["max"])}, out_groups


def _count(v):
    if v is None:
        return None
    d = Decimal(str(v))
    return int(d) if d == d.to_integral_value() else float(scoring.q2(d))


def compute_index(*, province, period: Period, unit=None, field: str | None = None, now: datetime | None = None) -> dict:
    """Chỉ số 766 of a province (or one unit subtree, or one procedure field) for a period: the contract
    {"province", "period", "total": {"points", "max"}, "groups": [...]} plus context keys."""
    now = now or timezone.now()
    iset = indicator_set_for(period.date_to)
    scope = scope_for(province=province, unit=unit, field=field)
    figures = Figures(scope, period, now)
    defn = definition(iset)
    groups = score_groups(defn, figures.get, _entered(province=province, unit=unit, period=period, field=field),
                          _provided(defn, province=province, unit=unit, period=period, field=field))
    total, out_groups = as_json(groups)
    missing = sum(1 for g in groups for i in g.indicators if i.status == scoring.NO_DATA)
    today = timezone.localtime(now).date()
    return {
        "province": province.code,
        "province_name": province.name,
        "unit": unit.code if unit is not None and unit.pk != province.pk else None,
        "unit_name": unit.name if unit is not None and unit.pk != province.pk else None,
        "field": field or None,
        "period": period.label,
        "period_label": period.label_vi,
        "date_from": period.date_from.isoformat(),
        "date_to": period.date_to.isoformat(),
        "partial": period.is_partial(today),
        "indicator_set": {"id": iset.pk, "version": iset.version, "name": iset.name, "confirmed": iset.confirmed},
        "total": {**total, "missing_indicators": missing},
        "groups": out_groups,
    }


# ------------------------------------------------------------------------------------------ drill-down

def _find_indicator(defn, code: str) -> dict:
    for g in defn:
        for i in g["indicators"]:
            if i["code"] == code:
                return {**i, "group": g["code"]}
    raise NotFoundError(f"không có chỉ tiêu {code!r} trong bộ chỉ số.", code="unknown_indicator", field="indicator")


def child_units(province, unit=None) -> list:
    """Đơn vị cấp dưới shown in a drill-down: the active units directly below the view's unit (or the province),
    one-stop desks folded into their parent."""
    from cchc.units.models import HISTORICAL_KINDS, Unit, UnitKind

    base = unit or province
    return list(Unit.objects.filter(parent=base, is_active=True).exclude(kind__in=[*HISTORICAL_KINDS, UnitKind.ONE_STOP_DESK])
                .order_by("kind", "name"))


def drill_units(*, province, period: Period, indicator: str, unit=None, field: str | None = None, now: datetime | None = None) -> dict:
    """Chỉ tiêu → đơn vị: the indicator for each unit directly below the view's unit, worst points first."""
    from cchc.accounts.permissions import descendant_ids

    now = now or timezone.now()
    iset = indicator_set_for(period.date_to)
    ind = _find_indicator(definition(iset), indicator)
    rows = []
    children = child_units(province, unit)
    by_unit = None
    if ind["source"] == InputSource.PLATFORM and ind["numerator_key"] in DOSSIER_KEYS:
        by_unit = inputs.dossier_counts(scope_for(province=province, unit=unit, field=field), period.date_from, period.date_to,
                                        now=now, by_unit=True)
    entered = {}
    if ind["source"] == InputSource.ENTERED and not field:
        entered = {f.unit_id: f for f in EnteredFigure.objects.filter(province=province, period=period.label,
                                                                       indicator_code=indicator, unit__in=children)}
    for child in children:
        ids = descendant_ids([child.pk])
        if by_unit is not None:
            counts: dict = {}
            for uid, c in by_unit.items():
                if uid in ids:
                    for k, v in c.items():
                        counts[k] = counts.get(k, 0) + v

            def value_of(key, counts=counts):
                return counts.get(key, 0)
            fig_entered = {}
        elif ind["source"] == InputSource.PLATFORM:
            value_of = Figures(inputs.Scope(province=province, unit_ids=frozenset(ids), field=field or None), period, now).get
            fig_entered = {}
        else:
            def value_of(key):
                return None
            fig_entered = {indicator: entered[child.pk]} if child.pk in entered else {}
        one = [{"code": "_", "name": "", "max": ind["max"], "indicators": [ind]}]
        res = score_groups(one, value_of, fig_entered, _provided(one, province=province, unit=child, period=period, field=field))[0].indicators[0]
        if res.status == scoring.NOT_APPLICABLE:
            continue
        rows.append({
            "unit": child.code, "name": child.short_name or child.name, "numerator": _count(res.numerator),
            "denominator": _count(res.denominator), "rate": None if res.rate is None else float(res.rate),
            "points": None if res.points is None else float(res.points), "max": float(scoring.q2(res.max)),
            "lost": None if res.points is None else float(scoring.q2(res.max - res.points)), "status": res.status,
        })
    rows.sort(key=lambda r: (-(r["lost"] if r["lost"] is not None else -1), r["name"]))
    return {"indicator": {k: ind[k] for k in ("code", "name", "group", "source", "rule")} | {
        "max": float(scoring.q2(ind["max"])), "target": None if ind["target"] is None else float(ind["target"])},
        "period": period.label, "units": rows}


def drill_items(*, province, period: Period, indicator: str, unit=None, field: str | None = None, now: datetime | None = None,
                limit: int = 200) -> dict:
    """Chỉ tiêu → hồ sơ / thủ tục làm mất điểm in the view's scope, each with its reason."""
    now = now or timezone.now()
    iset = indicator_set_for(period.date_to)
    ind = _find_indicator(definition(iset), indicator)
    scope = scope_for(province=province, unit=unit, field=field)
    dossiers = inputs.dossiers_costing_points(indicator, scope, period.date_from, period.date_to, now=now, limit=limit)
    procedures = inputs.procedures_costing_points(indicator, scope, period.date_from, period.date_to,
                                                  on_date=publication_date(period, now))
    return {"indicator": {"code": ind["code"], "name": ind["name"], "source": ind["source"]}, "period": period.label,
            "unit": unit.code if unit is not None else None, "dossiers": dossiers, "procedures": procedures}

