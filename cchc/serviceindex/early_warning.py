"""Cảnh báo sớm: dossiers in process that will go late within N working days if untouched, and the points
each unit stands to lose this month because of them (reads), plus the daily notification (write).

"Within N working days": due at or before now + N × (working seconds of one day) on the province's working
calendar (`calendar_for(province).add_working_seconds`, the same calendar that computed `due_at`), so
weekends and holidays are skipped. Paused dossiers are left out (their clock is stopped). A dossier counts
against this month's points only if its due time falls in this month; later ones are listed, with 0 points.
Points at risk = what indicators 2.1 and 5.4 of the unit for the month to date would lose if those dossiers
moved from "in time" to "overdue" (scoring.points_lost_if; the denominator does not change).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cchc.core.errors import DomainError, NotFoundError
from cchc.core.numbers import format_points

from . import inputs, scoring
from .compute import definition, indicator_set_for, scope_for
from .periods import parse_period

DEFAULT_DAYS = 2
MAX_DAYS = 30
AT_RISK_INDICATORS = {"2.1": ("handled_in_time", "handled"), "5.4": ("handled_without_complaint", "handled")}


def _reporting_unit(d):
    """Đơn vị chịu trách nhiệm: the handling unit, else the receiving one; a one-stop desk → its parent."""
    from cchc.units.models import UnitKind

    u = d.handling_unit or d.unit
    return u.parent if u.kind == UnitKind.ONE_STOP_DESK and u.parent_id else u


def going_late(*, province, days: int = DEFAULT_DAYS, unit=None, now: datetime | None = None) -> dict:
    """{"province", "days", "at", "horizon", "units": [...], "dossiers": [...]} (the CLI/API contract)."""
    from cchc.accounts.permissions import descendant_ids
    from cchc.calendar.services import calendar_for

    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
        raise DomainError(f"days: số ngày làm việc phải từ 1 đến {MAX_DAYS}.", code="invalid_days", field="days")
    now = now or timezone.now()
    cal = calendar_for(province)
    horizon = cal.add_working_seconds(now, days * cal.hours.daily_seconds)
    scope = scope_for(province=province, unit=unit)
    local_now = timezone.localtime(now, cal.tz)
    month = parse_period(f"{local_now.year}-{local_now.month:02d}")
    _, month_end = inputs.ds.period_bounds(month.date_from, month.date_to)
    rows = list(inputs.dossiers_going_late(scope=scope, now=now, horizon=horizon))
    per_unit: dict[int, dict] = {}
    out_dossiers = []
    for d in rows:
        ru = _reporting_unit(d)
        this_month = d.due_at < month_end
        entry = per_unit.setdefault(ru.pk, {"unit_obj": ru, "dossiers": 0, "this_month": 0})
        entry["dossiers"] += 1
        entry["this_month"] += int(this_month)
        out_dossiers.append({
            "code": d.code, "unit": ru.code, "unit_name": ru.short_name or ru.name, "procedure_code": d.procedure.code,
            "procedure_name": d.procedure.name, "status": d.status_label, "due_at": d.due_at.isoformat(),
            "time_left": cal.time_left(now, d.due_at).text,
            "assignee": d.assignee.get_username() if d.assignee_id else None, "counts_this_month": this_month,
        })
    try:
        defn = {i["code"]: i for g in definition(indicator_set_for(month.date_to)) for i in g["indicators"]}
    except NotFoundError:  # no indicator set loaded yet: the list still stands, without points
        defn = {}
    units_out = []
    by_unit = inputs.dossier_counts(scope, month.date_from, month.date_to, now=now, by_unit=True) if per_unit else {}
    for entry in per_unit.values():
        ru = entry["unit_obj"]
        ids = descendant_ids([ru.pk])
        counts = {"handled": 0, "handled_in_time": 0, "handled_without_complaint": 0}
        for uid, c in by_unit.items():
            if uid in ids:
                for k in counts:
                    counts[k] += c[k]
        indicators = []
        for code, (num_key, den_key) in AT_RISK_INDICATORS.items():
            ind = defn.get(code)
            if ind is None or ind["rule"] == scoring.INFO:
                continue
            lost = scoring.points_lost_if(numerator=counts[num_key], denominator=counts[den_key], lost=entry["this_month"],
                                          max_points=ind["max"], rule=ind["rule"], target=ind["target"], steps=ind["steps"])
            indicators.append({"code": code, "points_at_risk": float(lost)})
        units_out.append({
            "unit": ru.code, "name": ru.short_name or ru.name, "dossiers": entry["dossiers"],
            "dossiers_this_month": entry["this_month"],
            "points_at_risk": float(scoring.q2(sum((Decimal(str(i["points_at_risk"])) for i in indicators), Decimal(0)))),
            "indicators": indicators,
        })
    units_out.sort(key=lambda u: (-u["points_at_risk"], -u["dossiers"], u["name"]))
    return {
        "province": province.code, "unit": unit.code if unit is not None else None, "days": days,
        "at": now.isoformat(), "horizon": horizon.isoformat(), "month": month.label, "month_label": month.label_vi,
        "units": units_out, "dossiers": out_dossiers,
    }


def warn_units(*, days: int = DEFAULT_DAYS, now: datetime | None = None) -> dict:
    """Thông báo cảnh báo sớm hằng ngày: one e-mail per unit head of each unit with dossiers going late,
    queued in the dossier outbox (dossiers.Notification, sent by `send_pending_notifications`); idempotent
    per day (dedup key with the local date), so the 15-minute scheduler sends it once a day."""
    from cchc.accounts.models import Role, User
    from cchc.dossiers.models import Dossier, Notification
    from cchc.units.models import Unit

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    province_ids = set(Dossier.objects.filter(status__in=sorted(inputs.wf.ACTIVE_STATES)).values_list("province_id", flat=True).distinct())
    queued = 0
    units_warned = 0
    for province in Unit.objects.filter(pk__in=province_ids):
        report = going_late(province=province, days=days, now=now)
        if not report["units"]:
            continue
        by_unit = {u["unit"]: u for u in report["units"]}
        heads = User.objects.filter(role=Role.UNIT_HEAD, is_active=True, unit__code__in=list(by_unit)).exclude(email="").select_related("unit")
        with transaction.atomic():
            for head in heads:
                u = by_unit[head.unit.code]
                codes = [d["code"] for d in report["dossiers"] if d["unit"] == u["unit"]]
                body = (f"{u['dossiers']} hồ sơ của {u['name']} sẽ quá hạn trong {days} ngày làm việc nếu không được xử lý"
                        f" (có thể mất {format_points(u['points_at_risk'])} điểm Chỉ số 766 tháng {report['month']}).\n"
                        + "\n".join(f"- {c}" for c in codes[:50]))
                _, new = Notification.objects.get_or_create(
                    dedup_key=f"index_warning:{u['unit']}:{today}:{head.email}"[:200],
                    defaults=dict(kind="index_warning", channel="email", recipient=head.email,
                                  subject=f"[CCHC] Cảnh báo sớm: {u['dossiers']} hồ sơ sắp quá hạn", body=body),
                )
                queued += int(new)
                units_warned += int(new)
    return {"at": now.isoformat(), "days": days, "notifications_queued": queued, "units_warned": units_warned}
