"""Demo: the demo province publishes its provincial- and commune-level procedures, with simplification history.

Deterministic (a seeded random generator per procedure code) and idempotent (skips a province that has
publications already). Bulk writes; one audit event for the batch.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_CEILING, Decimal

from django.db import transaction
from django.db.models import Q

from cchc.calendar.workdays import UNITS as COMPUTABLE_TIME_UNITS
from cchc.core.audit import audit_record

from .feeparse import publication_fee
from .models import EventKind, OnlineLevel, Procedure, ProcedureEvent, ProvinceProcedure, TimeUnit

EFFECTIVE_FROM = dt.date(2025, 7, 1)
PUBLISH_DECISION = "1568/QĐ-UBND"
PUBLISHABLE_UNITS = set(COMPUTABLE_TIME_UNITS)  # every unit the calendar computes (cchc.calendar.workdays.UNITS)
BARE_NUMBER_MAX_DAYS = 60  # a bare number up to 60 is published as working days; larger ones are not plausible
DECISIONS_2025_2026 = [  # (number, date) of the province's announcement decisions in the demo period
    ("1568/QĐ-UBND", dt.date(2025, 7, 1)),
    ("2104/QĐ-UBND", dt.date(2025, 9, 15)),
    ("2877/QĐ-UBND", dt.date(2025, 12, 10)),
    ("312/QĐ-UBND", dt.date(2026, 2, 24)),
    ("1045/QĐ-UBND", dt.date(2026, 5, 20)),
    ("1790/QĐ-UBND", dt.date(2026, 8, 28)),
]


def _fee(text: str) -> Decimal:
    """The catalogue's one plausible fee in đồng (feeparse.publication_fee), else 0 (the receipt then says
    "Miễn phí, lệ phí" or "Theo quy định"): never 1–999 đồng read from "1.000"."""
    return Decimal(publication_fee(text))


HANDLING_BY_AGENCY = [  # issuing ministry (folded prefix) -> unit code suffix of the provincial handler
    ("bo tu phap", "-S-TUPHAP"),
    ("bo tai chinh", "-S-TAICHINH"),
    ("bo xay dung", "-S-XAYDUNG"),
    ("bo nong nghiep", "-S-NNMT"),
    ("bo cong an", "-TW-CONGAN"),
]


def _handlers(province) -> dict[str, object]:
    from cchc.units.models import Unit

    units = {u.code: u for u in Unit.objects.filter(province=province)}
    return {prefix: units.get(f"{province.code}{suffix}") for prefix, suffix in HANDLING_BY_AGENCY}


def _handler_for(procedure: Procedure, handlers: dict):
    from cchc.core.textfold import fold

    agency = fold(procedure.issuing_agency)
    for prefix, unit in handlers.items():
        if agency.startswith(prefix):
            return unit
    return None


def _centre(ctx: dict, province):
    from cchc.units.models import Unit, UnitKind

    return ctx.get("service_centre") or Unit.objects.filter(
        province=province, kind=UnitKind.SERVICE_CENTRE, is_active=True,
    ).order_by("code").first()


def _time(procedure: Procedure) -> tuple[Decimal, str] | None:
    value, unit = procedure.time_value, procedure.time_unit
    if value is None:
        return None
    if unit == TimeUnit.UNKNOWN:
        if 0 < value <= BARE_NUMBER_MAX_DAYS:
            return Decimal(value), TimeUnit.WORKING_DAYS
        return None
    if unit not in PUBLISHABLE_UNITS or (value <= 0 and unit != TimeUnit.SAME_DAY):
        return None
    return Decimal(value), unit


def build(ctx: dict, *, stdout=None) -> None:
    province = ctx.get("province")
    if province is None:
        return
    if ProvinceProcedure.objects.filter(province=province).exists():
        return
    with transaction.atomic():
        _build(ctx, province, stdout)


def _build(ctx: dict, province, stdout) -> None:
    # Provincial level: the public administration service centre receives; commune level: desk left empty,
    # meaning every commune one-stop desk of the province (one publication row per level, see docs/catalog.md).
    centre = _centre(ctx, province)
    handlers = _handlers(province)
    rows: list[ProvinceProcedure] = []
    events: list[ProcedureEvent] = []
    cut_count = 0
    procedures = Procedure.objects.filter(is_active=True).filter(
        Q(levels__contains="Cấp tỉnh") | Q(levels__contains="Cấp xã")
    ).order_by("code")
    for procedure in procedures:
        parsed = _time(procedure)
        if parsed is None:
            continue
        national_value, unit = parsed
        rng = random.Random(f"{province.code}:{procedure.code}")
        levels = [lvl for lvl, label in (("province", "Cấp tỉnh"), ("commune", "Cấp xã")) if label in procedure.levels]
        value = national_value
        cut = unit in (TimeUnit.WORKING_DAYS, TimeUnit.CALENDAR_DAYS) and national_value >= 2 and rng.random() < 0.45
        if cut:
            value = (national_value * Decimal(rng.choice(["0.5", "0.6", "0.7", "0.8"]))).quantize(
                Decimal(1), rounding=ROUND_CEILING,
            )
            cut = value < national_value
        r = rng.random()
        online = OnlineLevel.FULL if r < 0.4 else OnlineLevel.PARTIAL if r < 0.8 else OnlineLevel.NONE
        if not procedure.has_online_channel and online == OnlineLevel.FULL:
            online = OnlineLevel.PARTIAL
        fee = _fee(procedure.fee_text)
        for level in levels:
            desk = centre if level == "province" else None
            handler = _handler_for(procedure, handlers) if level == "province" else None
            rows.append(ProvinceProcedure(
                province=province, procedure=procedure, desk=desk, handling_unit=handler, level=level,
                time_value=value, time_unit=unit, online_level=online, fee_amount=fee,
                decision_no=PUBLISH_DECISION, effective_from=EFFECTIVE_FROM,
                accepts_post="bưu chính" in procedure.channels,
            ))
        # history: what the province decided about this procedure in 2025–2026
        decision_no, decision_date = rng.choice(DECISIONS_2025_2026)
        roll = rng.random()
        kind = (EventKind.NEW if roll < 0.14 else EventKind.AMENDED if roll < 0.19
                else EventKind.ABOLISHED if roll < 0.205 else None)
        if kind:
            events.append(ProcedureEvent(
                procedure=procedure, province=province, kind=kind, decision_no=decision_no,
                decision_date=decision_date,
            ))
        if cut:
            cut_count += 1
            events.append(ProcedureEvent(
                procedure=procedure, province=province, kind=EventKind.TIME_CUT, decision_no=PUBLISH_DECISION,
                decision_date=EFFECTIVE_FROM, time_before=national_value, time_after=value,
            ))
        elif rng.random() < 0.25:
            s_no, s_date = rng.choice(DECISIONS_2025_2026)
            events.append(ProcedureEvent(
                procedure=procedure, province=province, kind=EventKind.SIMPLIFIED, decision_no=s_no,
                decision_date=s_date, note="Cắt giảm thành phần hồ sơ, tái sử dụng dữ liệu số hóa",
            ))
    ProvinceProcedure.objects.bulk_create(rows, batch_size=1000)
    ProcedureEvent.objects.bulk_create(events, batch_size=1000, ignore_conflicts=True)
    abolished = {e.procedure_id for e in events if e.kind == EventKind.ABOLISHED}
    for event in (e for e in events if e.kind == EventKind.ABOLISHED):
        ProvinceProcedure.objects.filter(province=province, procedure_id=event.procedure_id).update(
            effective_to=event.decision_date - dt.timedelta(days=1),
        )
    audit_record(
        actor=None, action="catalog.demo_publish", obj=province,
        data={"publications": len(rows), "events": len(events), "time_cut": cut_count, "abolished": len(abolished)},
    )
    ctx["published_procedures"] = len(rows)
    if stdout is not None:
        stdout.write(
            f"Danh mục: {province.name} công bố {len(rows)} lượt thủ tục (cấp tỉnh/xã), {len(events)} sự kiện "
            f"đơn giản hóa/công bố\n"
        )
