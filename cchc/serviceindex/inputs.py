"""Every dossier-derived input of the 766 index, in ONE module (đầu vào từ hồ sơ).

The index (compute.py), its drill-down and the early warning read the platform only through the functions
here. The per-period figures (dossier_counts, settlement_days, the "procedures with a dossier" sets) read the
rollup tables (`cchc.dossiers.rollups`), never scanning the dossier table; the same figures computed from the
dossier table through the dossier selectors (`cchc.dossiers.selectors`, the one definition of on time / late /
overdue / online / digitised / paid online) stay here as `live_*`, the oracle the tests compare with
(`live_oracle()`). The drill-down to individual dossiers (dossiers_costing_points) and the early warning's
list are listings: they read dossiers, with the same Q objects. Nothing here defines a statistic of its own.

Scope (phạm vi): a province, optionally narrowed to a unit subtree and/or a procedure field (lĩnh vực).
A dossier belongs to a unit when that unit handles it, or received it and has not handed it over yet
(the same rule as `selectors.late_without_apology`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from cchc.dossiers import selectors as ds
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import Channel, Dossier


@dataclass(frozen=True)
class Scope:
    """Phạm vi tính: province (units.Unit), unit_ids (a subtree, None = whole province), field (lĩnh vực)."""

    province: object
    unit_ids: frozenset | None = None
    field: str | None = None


def _dossier_scope_q(scope: Scope) -> Q:
    q = Q(province=scope.province)
    if scope.unit_ids is not None:
        ids = sorted(scope.unit_ids)
        q &= Q(handling_unit_id__in=ids) | (Q(handling_unit__isnull=True) & Q(unit_id__in=ids))
    if scope.field:
        q &= Q(procedure__field=scope.field)
    return q


def _bounds(date_from: date, date_to: date):
    return ds.period_bounds(date_from, date_to)


def _filters(start, end, now) -> dict[str, Q]:
    """The named Q of each 766 dossier statistic, composed from `selectors.statistic_filters`."""
    f = ds.statistic_filters(start, end, now=now)
    handled = f["settled"] | f["in_process_not_due"] | f["in_process_overdue"]
    in_time = f["settled_early"] | f["settled_on_time"] | f["in_process_not_due"]
    late_or_overdue = f["settled_late"] | f["in_process_overdue"]
    return {
        # 2.1 "hồ sơ đã/đang xử lý đúng hạn hoặc trong hạn ÷ hồ sơ tiếp nhận, xử lý trong kỳ"
        # (docs/dossiers.md: (settled_early + settled_on_time + in_process_not_due) ÷ (settled + in_process))
        "handled": handled,
        "handled_in_time": in_time,
        "settled": f["settled"],
        "settled_late": f["settled_late"],
        "in_process_overdue": f["in_process_overdue"],
        "late_or_overdue": late_or_overdue,
        # 5.4: handled dossiers rated "không hài lòng" (the PAKN part needs the feedback module)
        "dissatisfied": handled & ds.Q_DISSATISFIED,
        "received_new": f["received_new"],
        "received_online": f["received_online"],
        "settled_with_electronic_result": f["settled_with_electronic_result"],
        "settled_digitised_with_result": f["settled_with_electronic_result"] & ds.Q_ELECTRONIC_DOCUMENTS,
        "fee_charged": f["received_new"] & ds.Q_FEE_CHARGED,
        "paid_online": f["received_new"] & ds.Q_PAID_ONLINE,
    }


DOSSIER_KEYS = ("handled", "handled_in_time", "settled", "settled_late", "in_process_overdue", "late_or_overdue",
                "dissatisfied", "received_new", "received_online", "settled_with_electronic_result",
                "settled_digitised_with_result", "fee_charged", "paid_online")


def _period_dossiers(scope: Scope, start, end):
    """Dossiers that can count in [start, end): received before its end, not closed before its start."""
    return Dossier.objects.filter(_dossier_scope_q(scope)).filter(received_at__isnull=False, received_at__lt=end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=start) | Q(returned_at__gte=start)
    )


# ------------------------------------------------------------------------------------------ per-period figures
# Read from the rollup tables (cchc.dossiers.rollups: per day × unit × procedure × channel counters kept in the
# same transaction as each dossier change). The live versions below (`live_*`) scan the dossier table with the
# selectors' Q objects: they are the test oracle (`live_oracle()`), the drill-down's definition of the same
# figures, and nothing else reads them.

_LIVE: ContextVar[bool] = ContextVar("serviceindex_live_oracle", default=False)


@contextmanager
def live_oracle():
    """Within the block every per-period figure is computed from the dossier table (the oracle), not the
    rollups: the equality test and bench/serviceindex.py run compute() both ways."""
    token = _LIVE.set(True)
    try:
        yield
    finally:
        _LIVE.reset(token)


def _unit_scope_q(scope: Scope) -> Q:
    """_dossier_scope_q without the procedure field: valid on Dossier and on the rollup tables (where the
    handling unit is never empty, so the second branch never matches there)."""
    return _dossier_scope_q(Scope(province=scope.province, unit_ids=scope.unit_ids))


RESPONSIBLE_UNIT = Coalesce("handling_unit_id", "unit_id")


def _counts_from_rollup_row(r: dict) -> dict:
    """The 766 figures as sums of rollup counters (docs/rollups.md "766 index"). `handled` is the OR of
    disjoint sets (a dossier settled in the period is closed at its settled instant, so it is not open at the
    cut-off), hence a sum; likewise in time, late or overdue, dissatisfied."""
    out = {
        "handled": r["settled"] + r["in_process_not_due"] + r["in_process_overdue"],
        "handled_in_time": r["settled_early"] + r["settled_on_time"] + r["in_process_not_due"],
        "settled": r["settled"],
        "settled_late": r["settled_late"],
        "in_process_overdue": r["in_process_overdue"],
        "late_or_overdue": r["settled_late"] + r["in_process_overdue"],
        "dissatisfied": r["settled_dissatisfied"] + r["in_process_dissatisfied"],
        "received_new": r["received_new"],
        "received_online": r["received_online"],
        "settled_with_electronic_result": r["settled_with_electronic_result"],
        "settled_digitised_with_result": r["settled_digitised_with_result"],
        "fee_charged": r["received_fee_bearing"],
        "paid_online": r["received_paid_online"],
    }
    out["handled_without_complaint"] = out["handled"] - out["late_or_overdue"] - out["dissatisfied"]
    return out


def _rollup_rows(scope: Scope, date_from: date, date_to: date, now: datetime, by_unit: bool) -> list[dict]:
    from cchc.dossiers import rollups

    return rollups.rollup_statistics(
        date_from=date_from, date_to=date_to, group_by=(), now=now, where=_unit_scope_q(scope),
        procedure_field=scope.field, extra=True, extra_groups={"resp_unit": RESPONSIBLE_UNIT} if by_unit else None)


def dossier_figures(scope: Scope, date_from: date, date_to: date, *, now: datetime | None = None) -> dict:
    """Every per-period dossier figure of the index in one read: dossier_counts() plus "settlement_days"
    (Decimal, calendar days summed) and "settled_count" (2.2)."""
    now = now or timezone.now()
    if _LIVE.get():
        days, n = live_settlement_days(scope, date_from, date_to)
        return {**live_dossier_counts(scope, date_from, date_to, now=now), "settlement_days": days, "settled_count": n}
    [row] = _rollup_rows(scope, date_from, date_to, now, False)
    return {**_counts_from_rollup_row(row), "settlement_days": Decimal(row["settled_elapsed_seconds"]) / Decimal(86400),
            "settled_count": row["settled"]}


def dossier_counts(scope: Scope, date_from: date, date_to: date, *, now: datetime | None = None,
                   by_unit: bool = False) -> dict:
    """Counts of every 766 dossier statistic for the scope and period, from the rollups.

    by_unit=True: {responsible unit id: counts}, the responsible unit being the handling unit, else the
    receiving unit (Coalesce(handling_unit, unit)); the caller folds units into their parents. Units with no
    figure at all are left out. Also returns "handled_without_complaint" (5.4) = handled − late_or_overdue −
    dissatisfied (the transcription's 100 % − (overdue rate + dissatisfied rate), the two rates summed).
    """
    now = now or timezone.now()
    if _LIVE.get():
        return live_dossier_counts(scope, date_from, date_to, now=now, by_unit=by_unit)
    rows = _rollup_rows(scope, date_from, date_to, now, by_unit)
    if not by_unit:
        return _counts_from_rollup_row(rows[0])
    return {r["resp_unit"]: _counts_from_rollup_row(r) for r in rows}


def settlement_days(scope: Scope, date_from: date, date_to: date) -> tuple[Decimal, int]:
    """2.2 thời gian giải quyết trung bình: (total calendar days from receipt to result, settled count)."""
    f = dossier_figures(scope, date_from, date_to)
    return f["settlement_days"], f["settled_count"]


def live_dossier_counts(scope: Scope, date_from: date, date_to: date, *, now: datetime | None = None,
                        by_unit: bool = False) -> dict:
    """dossier_counts() from the dossier table (one aggregate query): the oracle."""
    start, end = _bounds(date_from, date_to)
    now = now or timezone.now()
    flt = _filters(start, end, now)
    aggregates = {k: Count("pk", filter=flt[k]) for k in DOSSIER_KEYS}
    qs = _period_dossiers(scope, start, end)

    def finish(row):
        out = {k: row.get(k) or 0 for k in DOSSIER_KEYS}
        out["handled_without_complaint"] = out["handled"] - out["late_or_overdue"] - out["dissatisfied"]
        return out

    if not by_unit:
        return finish(qs.aggregate(**aggregates))
    rows = qs.annotate(resp_unit=RESPONSIBLE_UNIT).values("resp_unit").annotate(**aggregates).order_by()
    return {r["resp_unit"]: finish(r) for r in rows}


def live_settlement_days(scope: Scope, date_from: date, date_to: date) -> tuple[Decimal, int]:
    """settlement_days() from the dossier table: Σ rollups.elapsed_seconds ÷ 86,400 over the settled."""
    from cchc.dossiers.rollups import elapsed_seconds

    start, end = _bounds(date_from, date_to)
    total = 0
    n = 0
    for received, settled in _period_dossiers(scope, start, end).filter(ds.q_settled_in(start, end)).values_list("received_at", "settled_at"):
        total += elapsed_seconds(received, settled)
        n += 1
    return Decimal(total) / Decimal(86400), n


# ------------------------------------------------------------------------------------------ procedures

def _publications(scope: Scope, on_date: date):
    from cchc.catalog.models import ProvinceProcedure
    from cchc.catalog.selectors import in_force_q

    qs = ProvinceProcedure.objects.filter(in_force_q(on_date), province=scope.province, procedure__is_active=True)
    if scope.unit_ids is not None:
        from cchc.units.models import COMMUNE_KINDS, Unit

        ids = sorted(scope.unit_ids)
        mine = Q(desk_id__in=ids) | Q(handling_unit_id__in=ids)
        # a commune-level publication without desk or handling unit applies at every commune (cấp xã)
        if Unit.objects.filter(pk__in=ids, kind__in=COMMUNE_KINDS).exists():
            mine |= Q(level="commune", desk__isnull=True, handling_unit__isnull=True)
        qs = qs.filter(mine)
    if scope.field:
        qs = qs.filter(procedure__field=scope.field)
    return qs


ONLINE_LEVELS = ("partial", "full")


# received-day counter of the rollups ↔ the selectors' Q it counts (among dossiers received in the period)
PROCEDURE_USE = {"received_online": ds.Q_ONLINE, "received_fee_bearing": ds.Q_FEE_CHARGED}


def _procedures_with_dossier(scope: Scope, date_from: date, date_to: date, *counters: str) -> dict[str, set[int]]:
    """{counter: ids of procedures with ≥ 1 dossier received in the period in the scope counted by it} (rollups:
    Σ counter > 0 per procedure, one read; live oracle: one DISTINCT per counter over the dossiers matching
    PROCEDURE_USE[counter])."""
    if _LIVE.get():
        start, end = _bounds(date_from, date_to)
        out = {}
        for counter in counters:
            dossiers = Dossier.objects.filter(_dossier_scope_q(scope)).filter(ds.q_received_new(start, end) & PROCEDURE_USE[counter])
            out[counter] = set(dossiers.values_list("procedure_id", flat=True).distinct())
        return out
    from cchc.dossiers import rollups

    return rollups.procedures_with(*counters, date_from=date_from, date_to=date_to, where=_unit_scope_q(scope),
                                   procedure_field=scope.field)


def _procedure_sets(scope: Scope, date_from: date, date_to: date, on_date: date) -> dict[str, set[int]]:
    rows = list(_publications(scope, on_date).values_list("procedure_id", "online_level", "fee_amount"))
    in_force = {r[0] for r in rows}
    online = {r[0] for r in rows if r[1] in ONLINE_LEVELS}
    fee = {r[0] for r in rows if r[2] and r[2] > 0}
    used = _procedures_with_dossier(scope, date_from, date_to, "received_online", "received_fee_bearing")
    return {
        "procedures_in_force": in_force,
        "procedures_online": online,
        "online_services_used": online & used["received_online"],
        "fee_procedures": fee,
        "fee_procedures_with_fee_dossiers": fee & used["received_fee_bearing"],
    }


def procedure_counts(scope: Scope, date_from: date, date_to: date, *, on_date: date | None = None) -> dict:
    """3.1, 3.2, 3.5 counts of distinct procedures published in the scope (in force on `on_date`, default
    the period's last day): in force, online (một phần / toàn trình), online with ≥1 online dossier in the
    period, with a fee, with a fee and ≥1 dossier charged a fee in the period."""
    return {k: len(v) for k, v in _procedure_sets(scope, date_from, date_to, on_date or date_to).items()}


# ------------------------------------------------------------------------------------------ drill-down

DOSSIER_REASONS = {
    # indicator → [(reason label, Q over the period's filters)], the dossiers that cost its points
    "2.1": [("Trễ hạn", "settled_late"), ("Đang quá hạn", "in_process_overdue")],
    "3.3": [("Không nộp trực tuyến", "received_new_not_online")],
    "3.6": [("Phí, lệ phí không thanh toán trực tuyến", "fee_not_paid_online")],
    "4.1": [("Không có kết quả điện tử", "settled_without_electronic_result")],
    "4.2": [("Chưa số hóa thành phần hồ sơ", "settled_not_digitised"), ("Không có kết quả điện tử", "settled_without_electronic_result")],
    "5.4": [("Trễ hạn", "settled_late"), ("Đang quá hạn", "in_process_overdue"), ("Người dân không hài lòng", "dissatisfied")],
}
PROCEDURE_REASONS = {
    "3.1": "Chưa cung cấp dịch vụ công trực tuyến",
    "3.2": "Có dịch vụ trực tuyến nhưng không phát sinh hồ sơ trực tuyến",
    "3.5": "Thu phí, lệ phí nhưng không có hồ sơ đồng bộ phí, lệ phí",
}


def _loss_filters(start, end, now) -> dict[str, Q]:
    f = _filters(start, end, now)
    return {
        **f,
        "received_new_not_online": f["received_new"] & ~ds.Q_ONLINE,
        "fee_not_paid_online": f["fee_charged"] & ~ds.Q_PAID_ONLINE,
        "settled_without_electronic_result": f["settled"] & ~ds.Q_ELECTRONIC_RESULT,
        "settled_not_digitised": f["settled"] & ~ds.Q_ELECTRONIC_DOCUMENTS,
    }


def dossiers_costing_points(indicator_code: str, scope: Scope, date_from: date, date_to: date, *,
                            now: datetime | None = None, limit: int = 200) -> list[dict]:
    """Hồ sơ làm mất điểm of one indicator: [{"code", "procedure", "unit", "status", "due_at", "settled_at",
    "reason"}], one row per (dossier, reason), reasons in the order of DOSSIER_REASONS."""
    reasons = DOSSIER_REASONS.get(indicator_code)
    if not reasons:
        return []
    start, end = _bounds(date_from, date_to)
    lf = _loss_filters(start, end, now or timezone.now())
    base = _period_dossiers(scope, start, end).select_related("procedure", "unit", "handling_unit")
    out = []
    for label, key in reasons:
        for d in base.filter(lf[key]).order_by("due_at", "id")[:limit]:
            out.append({
                "code": d.code, "procedure_code": d.procedure.code, "procedure_name": d.procedure.name,
                "unit": (d.handling_unit or d.unit).name, "status": d.status_label,
                "channel": Channel(d.channel).label if d.channel in Channel.values else d.channel,
                "received_at": d.received_at, "due_at": d.due_at, "settled_at": d.settled_at, "reason": label,
            })
    return out[:limit]


def procedures_costing_points(indicator_code: str, scope: Scope, date_from: date, date_to: date, *,
                               on_date: date | None = None) -> list[dict]:
    """Thủ tục làm mất điểm of 3.1 / 3.2 / 3.5: [{"code", "name", "reason"}]."""
    reason = PROCEDURE_REASONS.get(indicator_code)
    if reason is None:
        return []
    sets = _procedure_sets(scope, date_from, date_to, on_date or date_to)
    bad_ids = {
        "3.1": sets["procedures_in_force"] - sets["procedures_online"],
        "3.2": sets["procedures_online"] - sets["online_services_used"],
        "3.5": sets["fee_procedures"] - sets["fee_procedures_with_fee_dossiers"],
    }[indicator_code]
    from cchc.catalog.models import Procedure

    bad = Procedure.objects.filter(pk__in=sorted(bad_ids)).values_list("code", "name")
    seen, out = set(), []
    for code, name in bad.order_by("code"):
        if code not in seen:
            seen.add(code)
            out.append({"code": code, "name": name, "reason": reason})
    return out


# ------------------------------------------------------------------------------------------ early warning

def dossiers_going_late(*, scope: Scope, now: datetime, horizon: datetime):
    """Hồ sơ sắp quá hạn: in process with the clock running (not paused), not overdue at `now`, due at or
    before `horizon` (the caller computes it with the province's working-time calendar)."""
    return (Dossier.objects.filter(_dossier_scope_q(scope))
            .filter(status__in=sorted(wf.ACTIVE_STATES - wf.PAUSED_STATES), paused_since__isnull=True)
            .filter(ds.q_not_yet_due_at(now), due_at__lte=horizon)
            .select_related("procedure", "unit", "handling_unit", "assignee").order_by("due_at", "id"))


# ------------------------------------------------------------------------------------------ providers

@dataclass(frozen=True)
class ProvidedFigure:
    """Số liệu do phân hệ khác cung cấp: numerator/denominator of one indicator from a higher app
    (feedback → 5.x, integrations/payments → online payment, portalsync → 1.4), with its source label."""

    numerator: Decimal
    denominator: Decimal
    source: str = "platform"
    note: str = ""


# indicator code → fn(province, start: date, end: date, unit=None) → ProvidedFigure | dict | (num, den[, source]) | None
PROVIDERS: dict[str, Callable] = {}


def register_provider(indicator_code: str, fn: Callable) -> None:
    """Đăng ký nguồn số liệu cho một chỉ tiêu (called from a higher app's `AppConfig.ready()`).

    `fn(province, start, end, unit=None)` gets the province (units.Unit), the period's first and last day
    (dates, inclusive) and the unit of a unit view (None: the whole province); it returns None when it has
    no data for that scope and period, else the figure (ProvidedFigure, a dict with "numerator",
    "denominator" and optional "source"/"note", or a tuple (numerator, denominator[, source])). Where it
    returns a figure, that figure wins over both the entered figure and the platform's own statistic;
    where it returns None, the indicator falls back to its configured source. Registering the same
    function again is a no-op; a different function for an indicator already served is an error (two
    apps claiming one figure is a configuration bug, not a silent override).
    """
    code = str(indicator_code).strip()
    if not code or not callable(fn):
        raise ValueError("register_provider(indicator_code, fn): need a non-empty code and a callable.")
    known = PROVIDERS.get(code)
    if known is not None and known is not fn and getattr(known, "__qualname__", None) != getattr(fn, "__qualname__", 1):
        raise ValueError(f"indicator {code} already has a provider ({known.__module__}.{known.__qualname__}).")
    PROVIDERS[code] = fn


def unregister_provider(indicator_code: str) -> None:
    """Remove a provider (tests; an app switched off)."""
    PROVIDERS.pop(str(indicator_code).strip(), None)


def _decimal(value, what: str, code: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValueError(f"provider of {code}: {what} {value!r} is not a number.") from None
    if not d.is_finite() or d < 0:
        raise ValueError(f"provider of {code}: {what} {value!r} must be a finite number ≥ 0.")
    return d


def _normalise(code: str, raw) -> ProvidedFigure | None:
    if raw is None:
        return None
    if isinstance(raw, ProvidedFigure):
        num, den, source, note = raw.numerator, raw.denominator, raw.source, raw.note
    elif isinstance(raw, dict):
        if raw.get("numerator") is None or raw.get("denominator") is None:
            return None
        num, den = raw["numerator"], raw["denominator"]
        source, note = raw.get("source") or "platform", raw.get("note") or ""
    elif isinstance(raw, (tuple, list)) and len(raw) in (2, 3):
        num, den = raw[0], raw[1]
        source, note = (raw[2] if len(raw) == 3 else None) or "platform", ""
    else:
        raise ValueError(f"provider of {code} returned {type(raw).__name__}; expected ProvidedFigure, dict, tuple or None.")
    return ProvidedFigure(numerator=_decimal(num, "numerator", code), denominator=_decimal(den, "denominator", code),
                          source=str(source), note=str(note))


def provided_figures(codes, *, province, date_from: date, date_to: date, unit=None) -> dict[str, ProvidedFigure]:
    """{code: ProvidedFigure} for the indicators among `codes` whose provider has data for this scope and period."""
    out = {}
    for code in codes:
        fn = PROVIDERS.get(code)
        if fn is None:
            continue
        fig = _normalise(code, fn(province, date_from, date_to, unit=unit))
        if fig is not None:
            out[code] = fig
    return out
