"""Dossier selectors (reads) and the ONE definition of each dossier statistic.

Timeliness (đúng hạn / trước hạn / quá hạn) is judged against `due_at` — the due time from the
calendar rule at intake, moved only by pauses — never against the date promised in an apology letter:
- settled (đã giải quyết):  `settled_at` set (result ready, returned or returned late);
- late (quá hạn):            settled_at > due_at;
- early (trước hạn):         settled on a local date before the due date (settled_on < due_date);
- on time (đúng hạn):        settled, not early, not late (same local day as the due date, not after due_at).
On-time rate (tỷ lệ đúng hạn) = (early + on time) ÷ settled × 100, settled counted in the period.
See docs/dossiers.md for the sources and the alternative (Decision 766 indicator 2.1).
"""

from __future__ import annotations

import calendar
import hmac
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, When
from django.utils import timezone

from cchc.accounts.permissions import filter_by_scope, scope_q
from cchc.core.errors import NotFoundError
from cchc.units.models import Unit, UnitKind

from . import workflow as wf
from .models import ApologyLetter, Channel, Dossier, DossierPause, DossierStep, PauseKind

CHANNEL_LABELS = dict(Channel.choices)

# ---------------------------------------------------------------------------------------- definitions
Q_SETTLED = Q(settled_at__isnull=False)
Q_LATE = Q_SETTLED & Q(settled_at__gt=F("due_at"))
Q_EARLY = Q_SETTLED & Q(settled_on__lt=F("due_date")) & ~Q(settled_at__gt=F("due_at"))
Q_ON_TIME = Q_SETTLED & ~Q(settled_on__lt=F("due_date")) & ~Q(settled_at__gt=F("due_at"))
Q_ONLINE = Q(channel=Channel.ONLINE)
Q_ELECTRONIC_DOCUMENTS = Q(has_electronic_documents=True)
Q_ELECTRONIC_RESULT = Q(has_electronic_result=True)
Q_PAUSED_BEFORE_DUE = Q(paused_since__isnull=False) & Q(paused_since__lte=F("due_at"))
# Phí, lệ phí: a dossier charged a fee (non-zero, not exempt) and one paid through the online payment channel.
Q_FEE_CHARGED = Q(fee_amount__gt=0) & ~Q(payment_status__in=["not_required", "exempt"])
Q_PAID_ONLINE = Q_FEE_CHARGED & Q(payment_status="paid_online")
# Không hài lòng: the applicant's overall rating is 1 or 2 of 5 (surveys.sipas: 1 "Rất không hài lòng", 2 "Không hài lòng").
DISSATISFIED_MAX_RATING = 2
Q_DISSATISFIED = Q(rating__overall__lte=DISSATISFIED_MAX_RATING)


def period_bounds(date_from: date, date_to: date, tz=None) -> tuple[datetime, datetime]:
    """[start, end) instants of a period of local dates, both ends inclusive."""
    tz = tz or timezone.get_default_timezone()
    start = datetime.combine(date_from, time.min, tzinfo=tz)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def q_in(field: str, start: datetime, end: datetime) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def q_received_new(start, end) -> Q:
    """Tiếp nhận mới trong kỳ."""
    return q_in("received_at", start, end)


def q_carried_over(start) -> Q:
    """Từ kỳ trước chuyển sang: received before the period and still being handled at its start."""
    return Q(received_at__lt=start) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start))


def q_settled_in(start, end) -> Q:
    return Q_SETTLED & q_in("settled_at", start, end)


def q_open_at(cutoff) -> Q:
    """Đang giải quyết at `cutoff`: received before it and not yet settled/rejected/withdrawn."""
    return Q(received_at__lt=cutoff) & (Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff))


def q_overdue_at(cutoff) -> Q:
    """Open at `cutoff` with due_at before it (a dossier paused before its due time is not counted)."""
    return q_open_at(cutoff) & Q(due_at__lt=cutoff) & ~Q_PAUSED_BEFORE_DUE


def q_not_yet_due_at(cutoff) -> Q:
    """Open at `cutoff` and not overdue (the complement of q_overdue_at among open dossiers)."""
    return q_open_at(cutoff) & ~(Q(due_at__lt=cutoff) & ~Q_PAUSED_BEFORE_DUE)


def q_due_today(now: datetime, today: date) -> Q:
    """Đến hạn hôm nay: not yet due at `now`, due on the local date `today`, clock running (not paused)."""
    return q_not_yet_due_at(now) & Q(due_date=today) & Q(paused_since__isnull=True)


# Steps of the process-control sheet (phiếu kiểm soát): a step is late when finished after its own due
# time (finished exactly at it is on time); an unfinished step is late once its due has passed, unless
# the dossier was paused before that due (the step's due moves when the pause ends, like the dossier's).
Q_STEP_FINISHED_LATE = Q(finished_at__isnull=False, on_time=False)


def q_step_late_open_at(cutoff) -> Q:
    return Q(finished_at__isnull=True, due_at__lt=cutoff) & ~Q(dossier__paused_since__isnull=False,
                                                              dossier__paused_since__lte=F("due_at"))


# ---------------------------------------------------------------------------------------- the same, in memory
# Python mirrors of the Q definitions above for one object already loaded (badges, registers, services).
# tests/test_timeliness.py checks on boundary cases that each mirror and its Q select the same dossiers.

def is_settled_late(d) -> bool:
    """Q_LATE: settled after due_at (settled exactly at due_at is on time)."""
    return d.settled_at is not None and d.due_at is not None and d.settled_at > d.due_at


def is_paused_before_due(d) -> bool:
    """Q_PAUSED_BEFORE_DUE: paused at or before its due time (its clock is stopped)."""
    return d.paused_since is not None and d.due_at is not None and d.paused_since <= d.due_at


def is_open_at(d, cutoff) -> bool:
    """q_open_at."""
    return d.received_at is not None and d.received_at < cutoff and (d.closed_at is None or d.closed_at >= cutoff)


def is_overdue_at(d, cutoff) -> bool:
    """q_overdue_at: open, due_at before `cutoff`, not paused before its due."""
    return is_open_at(d, cutoff) and d.due_at is not None and d.due_at < cutoff and not is_paused_before_due(d)


def finished_early(finished_at: datetime, due_at: datetime) -> bool:
    """Trước hạn (Q_EARLY, for a dossier or a step): finished on a local date before the due's local date."""
    return timezone.localtime(finished_at).date() < timezone.localtime(due_at).date()


def step_finished_on_time(finished_at: datetime, due_at: datetime) -> bool:
    """A step finished exactly at its allowance is on time (the value stored in DossierStep.on_time)."""
    return finished_at <= due_at


def is_step_late_open(step, cutoff) -> bool:
    """q_step_late_open_at for one step (its dossier loaded)."""
    if step.finished_at is not None or step.due_at is None or not step.due_at < cutoff:
        return False
    paused = step.dossier.paused_since
    return not (paused is not None and paused <= step.due_at)


def below_target(value, target) -> bool:
    """Chưa đạt mục tiêu: a rate strictly below the target (exactly at the target is reached); no rate → no flag."""
    return value is not None and target is not None and float(value) < float(target)


def q_closed_as(status: str, start, end) -> Q:
    return Q(status=status) & q_in("closed_at", start, end)


def q_supplemented_in(start, end) -> Q:
    return Q(Exists(DossierPause.objects.filter(dossier=OuterRef("pk"), kind=PauseKind.SUPPLEMENT, started_at__gte=start, started_at__lt=end)))


def q_apologised_in(start, end, *, late: bool | None = None) -> Q:
    """Dossiers with an apology letter issued in the period; `late=True`: letters issued when the dossier was
    already past its due time (đã quá hạn). The letter never changes `due_at`, so such dossiers stay late."""
    letters = ApologyLetter.objects.filter(dossier=OuterRef("pk"), issued_at__gte=start, issued_at__lt=end)
    if late is not None:
        letters = letters.filter(issued_late=late)
    return Q(Exists(letters))


def statistic_filters(start: datetime, end: datetime, *, now: datetime | None = None) -> dict[str, Q]:
    """Every counted statistic as a named Q over Dossier (reused by rollups, reports and indices)."""
    cutoff = min(end, now or timezone.now())
    settled = q_settled_in(start, end)
    new = q_received_new(start, end)
    return {
        "carried_over": q_carried_over(start),
        "received_new": new,
        "settled": settled,
        "settled_early": settled & Q_EARLY,
        "settled_on_time": settled & Q_ON_TIME,
        "settled_late": settled & Q_LATE,
        "in_process_not_due": q_not_yet_due_at(cutoff),
        "in_process_overdue": q_overdue_at(cutoff),
        "returned": q_in("returned_at", start, end),
        "returned_late": q_in("returned_at", start, end) & Q(status=wf.RETURNED_LATE),
        "supplemented": q_supplemented_in(start, end),
        "rejected": q_closed_as(wf.REJECTED, start, end),
        "withdrawn": q_closed_as(wf.WITHDRAWN, start, end),
        "apology_issued": q_apologised_in(start, end),
        "apology_issued_late": q_apologised_in(start, end, late=True),
        "received_online": new & Q_ONLINE,
        "received_with_electronic_documents": new & Q_ELECTRONIC_DOCUMENTS,
        "settled_with_electronic_result": settled & Q_ELECTRONIC_RESULT,
    }


GROUP_FIELDS = {
    "unit": {"unit": "unit__code", "unit_name": "unit__name"},
    "procedure": {"procedure": "procedure__code", "procedure_name": "procedure__name"},
    "channel": {"channel": "channel"},
}


def _pct(num: int, den: int) -> float | None:
    return round(num * 100.0 / den, 2) if den else None


def dossier_statistics(
    *,
    units=None,
    date_from: date,
    date_to: date,
    group_by: tuple[str, ...] = ("unit",),
    procedure=None,
    channel: str | None = None,
    user=None,
    now: datetime | None = None,
    extra_groups: dict | None = None,
    where: Q | None = None,
) -> list[dict]:
    """Thống kê hồ sơ per group for the period [date_from, date_to] (local dates, both inclusive).

    One row per group (group_by ⊂ {"unit", "procedure", "channel"}; () = one total row), computed from
    the live tables with one aggregate query. Keys: the group keys, every name of `statistic_filters`,
    `received` (= carried_over + received_new), `in_process` and the rates `on_time_rate`
    ((early + on time) ÷ settled × 100), `late_rate`, `online_share` (online ÷ received_new × 100),
    `digitised_documents_share` (received_new with ≥1 electronic document ÷ received_new × 100),
    `electronic_result_share` (settled with an electronic result ÷ settled × 100). Rates are None
    when their denominator is 0. `user` restricts the rows to the dossiers that user may see.
    `extra_groups` ({key: expression}) adds computed group keys (e.g. the dashboard's rolled-up unit) and
    `where` (a Q) narrows the dossiers; the definitions of the figures stay the ones above.
    """
    if date_to < date_from:
        from cchc.core.errors import DomainError

        raise DomainError("date_to: ngày kết thúc trước ngày bắt đầu.", code="invalid_period", field="date_to")
    group_by = tuple(group_by or ())
    for g in group_by:
        if g not in GROUP_FIELDS:
            from cchc.core.errors import DomainError

            raise DomainError(f"group_by: không hỗ trợ nhóm theo {g!r}.", code="invalid_choice", field="group_by")
    start, end = period_bounds(date_from, date_to)
    filters = statistic_filters(start, end, now=now)
    qs = Dossier.objects.filter(received_at__isnull=False, received_at__lt=end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=start) | Q(returned_at__gte=start)
    )
    if units is not None:
        qs = qs.filter(unit__in=list(units))
    if user is not None:
        qs = qs.filter(pk__in=dossiers_for_user(user).values("pk"))
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    if channel:
        qs = qs.filter(channel=channel)
    if where is not None:
        qs = qs.filter(where)
    value_fields: dict[str, str] = {}
    for g in group_by:
        value_fields.update(GROUP_FIELDS[g])
    if extra_groups:
        qs = qs.annotate(**{f"group_{k}": v for k, v in extra_groups.items()})
        value_fields.update({k: f"group_{k}" for k in extra_groups})
    aggregates = {name: Count("pk", filter=q) for name, q in filters.items()}
    if value_fields:
        rows = list(qs.values(*value_fields.values()).annotate(**aggregates).order_by(*value_fields.values()))
    else:
        rows = [qs.aggregate(**aggregates)]
    out = []
    for row in rows:
        item = {key: row.get(src) for key, src in value_fields.items()}
        for name in filters:
            item[name] = row.get(name) or 0
        item["received"] = item["carried_over"] + item["received_new"]
        item["in_process"] = item["in_process_not_due"] + item["in_process_overdue"]
        item["on_time_rate"] = _pct(item["settled_early"] + item["settled_on_time"], item["settled"])
        item["late_rate"] = _pct(item["settled_late"], item["settled"])
        item["online_share"] = _pct(item["received_online"], item["received_new"])
        item["digitised_documents_share"] = _pct(item["received_with_electronic_documents"], item["received_new"])
        item["electronic_result_share"] = _pct(item["settled_with_electronic_result"], item["settled"])
        out.append(item)
    return out


LATE_STEP_KEYS = {"unit": ("to_unit__code", "to_unit__name"), "person": ("to_user__username", "to_user__full_name"),
                  "step": ("task", "task")}


def late_steps_grouped(*, bys: tuple[str, ...], date_from: date, date_to: date, units=None) -> dict[str, list[dict]]:
    """late_steps_by for several groupings from ONE aggregate query over the steps (grouped by every key at once,
    then folded in Python): {by: rows}, each list exactly what late_steps_by(by=…) returns."""
    for by in bys:
        if by not in LATE_STEP_KEYS:
            from cchc.core.errors import DomainError

            raise DomainError("by: chỉ nhận 'unit', 'person' hoặc 'step'.", code="invalid_choice", field="by")
    start, end = period_bounds(date_from, date_to)
    qs = DossierStep.objects.filter(Q(finished_at__gte=start, finished_at__lt=end) | Q(finished_at__isnull=True, sent_at__lt=end))
    if units is not None:
        qs = qs.filter(to_unit__in=list(units))
    now = timezone.now()
    fields = list(dict.fromkeys(f for by in bys for f in LATE_STEP_KEYS[by]))
    rows = qs.values(*fields).annotate(
        steps=Count("pk", filter=Q(finished_at__isnull=False)),
        late=Count("pk", filter=Q_STEP_FINISHED_LATE),
        open_late=Count("pk", filter=q_step_late_open_at(min(now, end))),
    ).order_by()
    out = {}
    for by in bys:
        code_f, name_f = LATE_STEP_KEYS[by]
        folded: dict = {}
        for r in rows:
            item = folded.setdefault(r[code_f], {by: r[code_f], "name": r[name_f], "steps": 0, "late": 0, "open_late": 0})
            for k in ("steps", "late", "open_late"):
                item[k] += r[k]
        items = list(folded.values())
        for item in items:
            item["late_rate"] = _pct(item["late"], item["steps"])
        # the order of late_steps_by: most late first, then by code and name (None first, as the database does)
        items.sort(key=lambda i: (-i["late"], i[by] is not None, i[by] or "", i["name"] is not None, i["name"] or ""))
        out[by] = items
    return out


def late_steps_by(*, by: str = "unit", date_from: date, date_to: date, units=None) -> list[dict]:
    """Bước xử lý trễ hạn per unit, person or step (`by="step"`: the step's task, e.g. "Thẩm định, giải quyết hồ
    sơ"; phiếu kiểm soát): steps finished in the period, and late ones.

    A step is late when finished after its own due time; unfinished steps already past due count as
    late too (`open_late`). Lateness is attributed to the holder of the step (to_unit / to_user).
    """
    return late_steps_grouped(bys=(by,), date_from=date_from, date_to=date_to, units=units)[by]


# ---------------------------------------------------------------------------------------- dashboard reads
# The reads of the statistics dashboard (dashboard_views only parses, calls these and renders).

def month_bounds(date_from: date, date_to: date) -> list[tuple[str, date, date]]:
    """Months of the period, clipped to it: [(label "mm/yyyy", first day, last day)]."""
    out = []
    cur = date_from
    while cur <= date_to:
        last = date(cur.year, cur.month, calendar.monthrange(cur.year, cur.month)[1])
        out.append((f"{cur.month:02d}/{cur.year}", cur, min(last, date_to)))
        cur = last + timedelta(days=1)
    return out


def scope_unit_ids(user) -> set[int] | None:
    """Ids of the units in the user's scope (None: no restriction, system administrators)."""
    if scope_q(user, None) is None:
        return None
    return set(filter_by_scope(Unit.objects.all(), user, None).values_list("id", flat=True))


def unit_in_scope(user, code: str) -> Unit | None:
    """The unit with this code if it lies in the user's scope (drill-down), else None."""
    return filter_by_scope(Unit.objects.all(), user, None).filter(code=str(code)[:40]).first()


def row_unit_expression(scope_ids: set[int] | None):
    """Đơn vị chịu trách nhiệm: the handling unit if in scope, else the receiving unit; desks → commune."""
    desk = UnitKind.ONE_STOP_DESK
    if scope_ids is None:
        handled_here, h_parent_ok, u_parent_ok = Q(handling_unit__isnull=False), Q(), Q()
    else:
        ids = sorted(scope_ids)
        handled_here = Q(handling_unit_id__in=ids)
        h_parent_ok = Q(handling_unit__parent_id__in=ids)
        u_parent_ok = Q(unit__parent_id__in=ids)
    return Case(
        When(handled_here & Q(handling_unit__kind=desk) & h_parent_ok, then=F("handling_unit__parent_id")),
        When(handled_here, then=F("handling_unit_id")),
        When(Q(unit__kind=desk) & u_parent_ok, then=F("unit__parent_id")),
        default=F("unit_id"),
        output_field=IntegerField(),
    )


def unit_rows(*, user, date_from: date, date_to: date, now=None, scope_ids=None, extra: bool = False) -> list[dict]:
    """One statistics row per responsible unit (dossier_statistics grouped by the rolled-up unit), read from the
    rollups (rollups.rollup_statistics: the same figures without scanning the dossier table). `extra=True` adds the
    rollups' extra counters (e.g. settled_dissatisfied) to each row, in the same query."""
    from .rollups import rollup_statistics

    rows = rollup_statistics(
        user=user, date_from=date_from, date_to=date_to, group_by=(), now=now,
        extra_groups={"row_unit": row_unit_expression(scope_ids)}, extra=extra,
    )
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[r["row_unit"] for r in rows])}
    for r in rows:
        u = units.get(r["row_unit"])
        r["unit_obj"] = u
        r["unit"] = u.code if u else ""
        r["name"] = (u.short_name or u.name) if u else "—"
        r["full_name"] = u.name if u else "—"
        r["kind_label"] = u.get_kind_display() if u else ""
    return rows


def drill_rows(*, user, unit: Unit, date_from: date, date_to: date, now=None, scope_ids=None) -> dict:
    """The same figures for one row unit, by procedure and by channel (from the rollups)."""
    from .rollups import rollup_statistics

    expr = {"row_unit": row_unit_expression(scope_ids)}
    # a dossier's row unit is its handling or receiving unit, or that unit's parent (desk → commune):
    # narrowing to those units first keeps the drill-down fast; the row_unit test below stays exact
    candidates = [unit.pk, *Unit.objects.filter(parent=unit, kind=UnitKind.ONE_STOP_DESK).values_list("pk", flat=True)]
    near = Q(unit_id__in=candidates) | Q(handling_unit_id__in=candidates)
    by_procedure = [r for r in rollup_statistics(
        user=user, date_from=date_from, date_to=date_to, group_by=("procedure",), now=now, extra_groups=expr, where=near,
    ) if r["row_unit"] == unit.pk]
    for r in by_procedure:
        r["name"] = f"{r['procedure']} · {r['procedure_name']}"
    by_channel = [r for r in rollup_statistics(
        user=user, date_from=date_from, date_to=date_to, group_by=("channel",), now=now, extra_groups=expr, where=near,
    ) if r["row_unit"] == unit.pk]
    for r in by_channel:
        r["name"] = CHANNEL_LABELS.get(r["channel"], r["channel"])
    return {"procedure": by_procedure, "channel": by_channel}


def monthly_series(*, user, date_from: date, date_to: date, now=None) -> dict:
    """Received (new), settled and late per month (statistic_filters' received_new / settled / settled_late per
    month), read from the rollups in one aggregate query."""
    from .rollups import monthly_series as rolled_up

    return rolled_up(user=user, date_from=date_from, date_to=date_to)


def late_attribution(*, date_from: date, date_to: date, scope_ids, limit: int = 15) -> dict:
    """Bước xử lý trễ hạn per unit, per person and per step (late_steps_by), only rows with lateness."""
    units = None if scope_ids is None else Unit.objects.filter(pk__in=sorted(scope_ids))
    grouped = late_steps_grouped(bys=("unit", "person", "step"), date_from=date_from, date_to=date_to, units=units)
    out = {}
    for by, rows in grouped.items():  # one scan of the steps for the three tables
        out[by] = [r for r in rows if (r["late"] or r["open_late"]) and (r[by] or r["name"] or by == "step")][:limit]
    return out


# Ít hồ sơ: below this many dossiers settled in the period a unit's on-time rate is not ranked (docs/dashboard.md).
# With 20, one late dossier moves the rate by at most 5 points; with 2 it moves it by 50.
MIN_SETTLED_FOR_RATE = 20


def mark_low_volume(rows: list[dict], *, minimum: int | None = None) -> list[dict]:
    """r["few"] = the row has an on-time rate over fewer than `minimum` settled dossiers (ít hồ sơ, strictly below:
    exactly `minimum` is ranked); r["on_time_count"] = early + on time (the numerator shown beside the count)."""
    minimum = MIN_SETTLED_FOR_RATE if minimum is None else minimum
    for r in rows:
        r["few"] = r.get("on_time_rate") is not None and (r.get("settled") or 0) < minimum
        r["on_time_count"] = (r.get("settled_early") or 0) + (r.get("settled_on_time") or 0)
    return rows


def rate_chart_rows(rows: list[dict], *, limit: int) -> tuple[list[dict], list[dict]]:
    """(ranked, few) for the on-time chart, from rows marked by `mark_low_volume`: ranked = the `limit` worst
    rates among units with enough settled dossiers (ties: more settled first, then name); few = the units below
    the minimum, most settled first — shown apart with their counts, never as bars."""
    rated = [r for r in rows if r.get("on_time_rate") is not None]
    ranked = sorted((r for r in rated if not r["few"]),
                    key=lambda r: (r["on_time_rate"], -(r.get("settled") or 0), (r.get("name") or "").lower()))
    few = sorted((r for r in rated if r["few"]), key=lambda r: (-(r.get("settled") or 0), (r.get("name") or "").lower()))
    return ranked[:limit], few


# Rate columns of the dashboard that a province may set a target for (units.TargetMetric = statistic key).
TARGET_METRICS = ("on_time_rate", "online_share", "digitised_documents_share", "electronic_result_share")


def attach_targets(rows: list[dict], *, year: int, default_unit=None) -> None:
    """r["targets"] = {metric: ResolvedTarget | None} and r["below"] = {metric: missed?} for each row.

    The target of a row is `target_for(metric, row unit, year)` (unit → province → national; one TargetBook
    for all rows); a row without unit (totals, drill-down rows) takes the target of `default_unit`.
    "Below" is `below_target` (strictly below; a rank strictly above).
    """
    from cchc.units.targets import TargetBook

    provinces = {u.province_unit.pk for u in [default_unit, *(r.get("unit_obj") for r in rows)] if u is not None}
    book = TargetBook(year=year, provinces=provinces)
    for r in rows:
        unit = r.get("unit_obj") or default_unit
        r["targets"] = {m: book.get(m, unit) for m in TARGET_METRICS}
        r["below"] = {m: bool(t) and t.missed_by(r.get(m)) for m, t in r["targets"].items()}


# ---------------------------------------------------------------------------------------- badges

def _calendar(province_id, cache: dict | None = None):
    from cchc.calendar.services import calendar_for

    if cache is None:
        return calendar_for(province_id)
    if province_id not in cache:
        cache[province_id] = calendar_for(province_id)
    return cache[province_id]


def due_badge(d: Dossier, now: datetime | None = None, *, calendars: dict | None = None) -> dict:
    """Nhãn thời hạn of a dossier in staff lists: {"css", "label"} by the definitions above.

    Overdue (is_overdue_at, also when paused after its due) → "Quá hạn 2 ngày làm việc"; due today →
    "Đến hạn hôm nay · còn 3 giờ làm việc"; otherwise "Còn 1,5 ngày làm việc". The time left is working
    time (`WorkCalendar.time_left`, the province's calendar), never calendar days. A dossier paused before
    its due shows the working time it will still have when it resumes. Settled: on time or late (is_settled_late).
    """
    now = now or timezone.now()
    if d.status == wf.WAITING_ACCEPTANCE:
        return {"css": "today", "label": "Chờ tiếp nhận"}
    if d.settled_at is not None or d.status in wf.FINAL_STATES:
        late = d.status == wf.RETURNED_LATE or is_settled_late(d)
        if d.status == wf.RESULT_READY:
            return {"css": "late" if late else "ok", "label": "Có kết quả (trễ hạn)" if late else "Có kết quả"}
        return {"css": "late" if late else "ok", "label": d.status_label}
    if d.due_at is None:
        return {"css": "", "label": d.status_label}
    cal = _calendar(d.province_id, calendars)
    paused_label = "Chờ bổ sung" if d.status == wf.SUPPLEMENT_REQUESTED else "Tạm dừng"
    if is_overdue_at(d, now):
        text = cal.time_left(now, d.due_at).text
        label = text[:1].upper() + text[1:]
        if d.status in wf.PAUSED_STATES:
            label += f" · {paused_label.lower()}"
        return {"css": "overdue", "label": label}
    if d.status in wf.PAUSED_STATES:
        left = cal.time_left(d.paused_since or now, d.due_at).amount_text()
        return {"css": "paused", "label": paused_label + (f" · còn {left}" if left else "")}
    text = cal.time_left(now, d.due_at).text
    if d.due_date == timezone.localtime(now).date():
        return {"css": "today", "label": f"Đến hạn hôm nay · {text}"}
    return {"css": "ontime", "label": text[:1].upper() + text[1:]}


def decorate_badges(rows, now: datetime | None = None) -> list:
    """Set `.badge` (due_badge) on each dossier; one calendar per province."""
    now = now or timezone.now()
    calendars: dict = {}
    out = []
    for d in rows:
        d.badge = due_badge(d, now, calendars=calendars)
        out.append(d)
    return out


# ---------------------------------------------------------------------------------------- lookups

def active_dossiers() -> QuerySet:
    """Dossiers whose clock runs or is paused (received, in process, supplement requested, paused)."""
    return Dossier.objects.filter(status__in=wf.ACTIVE_STATES)


def dossiers_for_user(user) -> QuerySet:
    """Dossiers the user may see: received at, or being handled by, a unit in their scope."""
    qs = Dossier.objects.all()
    q_unit = scope_q(user, "unit")
    if q_unit is None:
        return qs
    q_handling = scope_q(user, "handling_unit")
    return qs.filter(q_unit | q_handling) if q_handling is not None else qs


def dossier_list(*, user, status: str | None = None, unit_code: str | None = None, due_before=None, q: str | None = None) -> QuerySet:
    """Scoped, filtered dossier list (newest first)."""
    qs = dossiers_for_user(user).select_related("procedure", "unit", "handling_unit", "assignee")
    if status:
        qs = qs.filter(status__in=[s for s in str(status).split(",") if s])
    if unit_code:
        qs = qs.filter(Q(unit__code=unit_code) | Q(handling_unit__code=unit_code))
    if due_before is not None:
        qs = qs.filter(due_at__lt=due_before)
    if q:
        term = str(q).strip()
        qs = qs.filter(
            Q(code__icontains=term) | Q(applicant_name__icontains=term) | Q(applicant_id_number=term)
            | Q(applicant_phone=term) | Q(procedure__code=term)
        )
    return qs.order_by("-received_at", "-id")


def dossier_get_for_user(*, user, code: str) -> Dossier:
    """One dossier in the user's scope, or NotFoundError (404, also when it exists outside the scope)."""
    d = dossiers_for_user(user).select_related("procedure", "unit", "handling_unit", "assignee", "province").filter(code=code).first()
    if d is None:
        raise NotFoundError("Không tìm thấy hồ sơ.", code="not_found")
    return d


PUBLIC_NOT_FOUND = "Không tìm thấy hồ sơ với mã và mã tra cứu đã nhập."


def public_dossier(*, code: str, token: str | None) -> Dossier:
    """The dossier for a (code, token) pair; a wrong or missing token fails exactly like an unknown code.

    Code and token are matched as people type them (case, spaces, missing or typographic dashes:
    `codes.lookup_candidates`, `codes.normalise_token`); this is the one place the page and the API use.
    """
    from .codes import lookup_candidates, normalise_token

    candidates = lookup_candidates(code)
    found = {d.code: d for d in Dossier.objects.select_related("procedure", "unit", "handling_unit").filter(code__in=candidates)}
    d = next((found[c] for c in candidates if c in found), None)
    supplied = normalise_token(token)
    expected = d.lookup_token if d is not None else "X" * 10
    ok = hmac.compare_digest(supplied.encode(), expected.encode())
    if d is None or not supplied or not ok:
        raise NotFoundError(PUBLIC_NOT_FOUND, code="not_found")
    return d


def current_step(d: Dossier) -> DossierStep | None:
    return d.steps.filter(finished_at__isnull=True).select_related("to_unit").order_by("-seq").first()


def public_status(d: Dossier) -> dict:
    """What anyone with the code and token may see: status, due date, current step; nothing personal."""
    step = current_step(d)
    due = d.promised_at or d.due_at
    return {
        "code": d.code,
        "status": d.status,
        "status_label": wf.STATUS_LABELS.get(d.status, d.status),
        "procedure_code": d.procedure.code,
        "procedure_name": d.procedure.name,
        "received_at": d.received_at,
        "due_at": d.due_at,
        "due_date": timezone.localtime(due).date().isoformat() if due else None,
        "promised_at": d.promised_at,
        "current_step": (step.to_unit.name if step else (wf.STATUS_LABELS.get(d.status, d.status))),
        "result_channel": d.result_channel,
        "result_channel_label": d.get_result_channel_display(),
        "returned_at": d.returned_at,
        "can_rate": d.status in (wf.RETURNED, wf.RETURNED_LATE) and not hasattr_rating(d),
    }


def hasattr_rating(d: Dossier) -> bool:
    from .models import DossierRating

    return DossierRating.objects.filter(dossier=d).exists()


# ---------------------------------------------------------------------------------------- desk search

def desk_procedure_search(*, unit, query: str, limit: int = 8) -> dict:
    """Tra cứu thủ tục tại quầy: the public catalogue's search (catalog.search) scoped to what `unit` receives.

    Returns {"hits": [{"procedure", "pp", "score", "partial"}], "exact": code or None, "elsewhere": [...]}:
    - hits: procedures received at this desk today, best first, each with the publication that applies here;
      `partial` when some word typed matched nothing in the name (shown apart, as "gần đúng");
    - exact: the code of the one hit the query names exactly (its code or whole name, search.exact_match) —
      the only hit the desk may open on Enter without the officer choosing it;
    - elsewhere: up to 3 procedures the province publishes that match better than every hit here but are
      received at another desk (a commune-level procedure typed at the provincial centre), with their level,
      so the officer can redirect the citizen instead of picking a wrong procedure.
    """
    from cchc.catalog.models import Procedure
    from cchc.catalog.search import exact_match, search_procedures

    from .services import published_procedure_for

    query = (query or "").strip()
    if not query or unit is None:
        return {"hits": [], "exact": None, "elsewhere": []}
    today = timezone.localdate()
    found = search_procedures(query, limit=limit, unit=unit)
    procs = {p.code: p for p in Procedure.objects.filter(code__in=[h.code for h in found])}
    hits = []
    for h in found:
        proc = procs.get(h.code)
        pp = published_procedure_for(unit=unit, procedure=proc, on_date=today) if proc else None
        if pp is not None:
            hits.append({"procedure": proc, "pp": pp, "score": h.score, "partial": h.partial})
    exact = exact_match(query, [h for h in found if h.code in {x["procedure"].code for x in hits}])
    best_here = max((x["score"] for x in hits if not x["partial"]), default=0.0)
    received = {x["procedure"].code for x in hits}
    elsewhere = []
    if exact is None:
        from cchc.catalog.selectors import published_procedure_on

        for h in search_procedures(query, limit=3, province=unit.province_unit):
            if h.code in received or h.partial or h.score <= best_here:
                continue
            pp = published_procedure_on(province=unit.province_unit, procedure_code=h.code, on_date=today)
            if pp is not None:
                elsewhere.append({"code": h.code, "name": h.name, "pp": pp})
    return {"hits": hits, "exact": exact.code if exact else None, "elsewhere": elsewhere}


# ---------------------------------------------------------------------------------------- citizen's service list

FILING_COUNT_DAYS = 365
FILING_COUNT_CACHE_SECONDS = 3600


def procedure_filing_counts(*, province, on_date: date | None = None, days: int = FILING_COUNT_DAYS) -> dict[int, int]:
    """Số hồ sơ theo thủ tục: dossiers of `province` per procedure id, received (or, online and not yet received,
    submitted) in the `days` days up to and including `on_date` — how often citizens file each procedure.

    Cached per province and day for an hour (the list is a ranking, not a statistic; one GROUP BY over the
    province's dossiers)."""
    from django.core.cache import cache

    on_date = on_date or timezone.localdate()
    key = f"dossiers:filing-counts:{province.pk}:{on_date.isoformat()}:{days}"
    counts = cache.get(key)
    if counts is None:
        start, end = period_bounds(on_date - timedelta(days=days - 1), on_date)
        in_period = Q(received_at__gte=start, received_at__lt=end) | Q(
            received_at__isnull=True, submitted_at__gte=start, submitted_at__lt=end
        )
        counts = dict(
            Dossier.objects.filter(in_period, province=province).values("procedure_id")
            .annotate(n=Count("id")).values_list("procedure_id", "n")
        )
        cache.set(key, counts, FILING_COUNT_CACHE_SECONDS)
    return counts


def online_services(*, query: str = "", on_date: date | None = None) -> list[int]:
    """Dịch vụ công trực tuyến: ids of the publications offered online (một phần / toàn trình) in force on the
    date, one per (province, procedure, level), in the order the portal lists them:
    - with a query: the public catalogue's search (catalog.search, the same ranking as /thu-tuc/), best first;
    - without: most filed first (procedure_filing_counts of the publication's province), then by code.
    """
    from cchc.catalog.models import ProvinceProcedure
    from cchc.catalog.search import search_procedures
    from cchc.catalog.selectors import in_force_q

    on_date = on_date or timezone.localdate()
    rows = list(
        ProvinceProcedure.objects.filter(in_force_q(on_date), online_level__in=["partial", "full"], procedure__is_active=True)
        .order_by("procedure__code", "-effective_from", "-id")
        .values_list("id", "province_id", "procedure_id", "level", "procedure__code")
    )
    latest: dict[tuple, tuple] = {}
    for row in rows:  # the latest version of each (province, procedure, level)
        latest.setdefault((row[1], row[2], row[3]), row)
    rows = list(latest.values())
    query = (query or "").strip()
    if query:
        within = {row[2] for row in rows}
        rank = {h.code: i for i, h in enumerate(search_procedures(query, limit=100, within=within))}
        rows = [row for row in rows if row[4] in rank]
        rows.sort(key=lambda row: (rank[row[4]], row[4], row[3]))
        return [row[0] for row in rows]
    from cchc.units.models import Unit

    provinces = {pk: Unit.objects.get(pk=pk) for pk in {row[1] for row in rows}}
    counts = {pk: procedure_filing_counts(province=unit, on_date=on_date) for pk, unit in provinces.items()}
    rows.sort(key=lambda row: (-counts[row[1]].get(row[2], 0), row[4], row[3]))
    return [row[0] for row in rows]


# ---------------------------------------------------------------------------------------------- signatories

def unit_signatories(unit) -> list:
    """Người ký of documents issued by `unit`: its active heads (role "Người đứng đầu đơn vị"), the head first,
    then deputies ("Phó …", who sign "KT."), by name. Empty when the unit has no head recorded."""
    from cchc.accounts.models import Role, User

    from .signatory import is_deputy

    if unit is None:
        return []
    heads = list(User.objects.filter(unit=unit, role=Role.UNIT_HEAD, is_active=True).order_by("full_name", "username"))
    return sorted(heads, key=lambda u: (is_deputy(u.position), u.full_name or u.username))


# ---------------------------------------------------------------------------------------------- apologies

def q_awaiting_apology(now: datetime) -> Q:
    """Quá hạn chưa có phiếu xin lỗi: open and overdue at `now` (the statistics' definition), and no letter
    promises a date still ahead (no letter at all, or the last promise has passed too)."""
    return q_overdue_at(now) & (Q(promised_at__isnull=True) | Q(promised_at__lte=now))


def late_without_apology(*, units, now: datetime | None = None) -> QuerySet:
    """Hồ sơ quá hạn chưa có phiếu xin lỗi (còn hiệu lực) of dossiers handled by (or received at, when not yet
    handed over) `units`, most overdue first: the unit head's work list."""
    now = now or timezone.now()
    handled = Q(handling_unit__in=units) | (Q(handling_unit__isnull=True) & Q(unit__in=units))
    return (Dossier.objects.filter(handled).filter(q_awaiting_apology(now))
            .select_related("procedure", "unit", "handling_unit", "assignee").order_by("due_at", "id"))


def apology_counts(*, units, now: datetime | None = None) -> dict:
    """Counts for the head's dashboard: overdue without a letter, letters issued late / on time this year."""
    now = now or timezone.now()
    start = datetime(timezone.localtime(now).year, 1, 1, tzinfo=timezone.get_current_timezone())
    letters = ApologyLetter.objects.filter(Q(issuing_unit__in=units), issued_at__gte=start, issued_at__lt=now)
    return {
        "awaiting": late_without_apology(units=units, now=now).count(),
        "issued_late": letters.filter(issued_late=True).count(),
        "issued_before_due": letters.filter(issued_late=False).count(),
    }


def mask_name(name: str, kind: str = "person") -> str:
    """Tên che bớt for public pages: a person's name as initials ("Nguyễn Thị Ánh" → "N.T.A."); an
    organisation's name is public and kept."""
    if kind == "organisation":
        return name
    parts = [p for p in (name or "").split() if p]
    return "".join(f"{p[0].upper()}." for p in parts) or "—"


def mask_id_number(number: str) -> str:
    """Số định danh che bớt for a document anyone with the lookup token may download: only the last four
    digits stay ("042187000123" → "********0123"); short numbers keep only their last two."""
    text = (number or "").strip()
    if not text:
        return ""
    keep = 4 if len(text) >= 8 else 2
    return "*" * (len(text) - keep) + text[-keep:]


def published_apologies(*, province=None, unit=None, limit: int = 200) -> list[dict]:
    """Phiếu xin lỗi công khai: letters of units that chose to publish them, issued since they chose it, newest
    first. Only what the public page may show: unit, procedure, dates, reason, masked applicant."""
    from .models import ApologyPublication

    pubs = ApologyPublication.objects.filter(enabled=True, enabled_since__isnull=False).select_related("unit")
    if unit is not None:
        pubs = pubs.filter(unit=unit)
    if province is not None:
        pubs = pubs.filter(Q(unit__province=province) | Q(unit=province))
    since = {p.unit_id: p.enabled_since for p in pubs}
    if not since:
        return []
    rows = []
    letters = (ApologyLetter.objects.filter(issuing_unit_id__in=list(since))
               .select_related("issuing_unit", "dossier__procedure", "dossier").order_by("-issued_at", "-id"))
    for letter in letters[: limit * 2]:
        if letter.issued_at < since[letter.issuing_unit_id]:
            continue
        d = letter.dossier
        rows.append({
            "unit": letter.issuing_unit.name, "procedure_code": d.procedure.code, "procedure_name": d.procedure.name,
            "applicant": mask_name(d.applicant_name, d.applicant_kind), "issued_at": letter.issued_at,
            "original_due_at": d.original_due_at or letter.due_at, "previous_due_at": letter.due_at,
            "new_due_at": letter.new_due_at, "reason": letter.reason, "issued_late": letter.issued_late,
        })
        if len(rows) >= limit:
            break
    return rows
