"""Queue reads: opening hours and appointment slots, people ahead and the estimated wait, the board, statistics.

Statistic definitions (one place, used by the page, the API and the XLSX; docs/counters.md):
- waiting time (thời gian chờ) = first call − issue time; for an appointment, first call − max(issue, slot start);
- service time (thời gian phục vụ) = end − start of service (start = "bắt đầu phục vụ", else the first call);
- a transferred ticket's continuation is not counted as a new arrival; its wait is counted from the transfer;
- hour of day = local hour of the issue (kiosk) or of the slot start (appointment);
- a recalled ticket's wait ends at its FIRST call (`called_at`; a recall moves only `last_called_at`);
- a skipped (vắng mặt) or no-show ticket has a wait when it was called but no service time and is not "served";
- p90 = nearest-rank 90th percentile (`p90`).
"""

from __future__ import annotations

import math
import statistics
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from cchc.calendar.services import calendar_for

from .models import Counter, FieldGroup, Ticket, TicketStatus

SLOT_MINUTES = 30
HISTORY_DAYS = 30
MIN_SAMPLES = 20


def centre_calendar(centre):
    return calendar_for(centre.province_id or centre.pk)


def _t(dt: datetime) -> time:
    return timezone.localtime(dt).time().replace(tzinfo=None)


def is_open(cal, now: datetime) -> bool:
    """Kiosk open: a working day, from opening (inclusive) to closing (exclusive); lunch counts as open (the
    kiosk issues numbers for the afternoon), matching centres that keep the kiosk on all day."""
    local = timezone.localtime(now)
    return cal.is_working_day(local.date()) and cal.hours.opening <= _t(local) < cal.hours.closing


def slot_starts(cal, day: date) -> list[datetime]:
    """Start times of the 30-minute appointment slots on `day`: each slot lies fully in the morning or the
    afternoon period; none on a weekend or holiday."""
    if not cal.is_working_day(day):
        return []
    tz = timezone.get_current_timezone()
    out = []
    for start, end in (cal.hours.morning, cal.hours.afternoon):
        t = datetime.combine(day, start, tzinfo=tz)
        stop = datetime.combine(day, end, tzinfo=tz)
        while t + timedelta(minutes=SLOT_MINUTES) <= stop:
            out.append(t)
            t += timedelta(minutes=SLOT_MINUTES)
    return out


def is_slot_start(cal, when: datetime) -> bool:
    local = timezone.localtime(when)
    return local in slot_starts(cal, local.date())


def slots(*, group: FieldGroup, day: date, now: datetime | None = None) -> list[dict]:
    """Khung giờ hẹn of a field group on a day with capacity, booked and free places (past slots excluded)."""
    now = timezone.localtime(now or timezone.now())
    starts = [s for s in slot_starts(centre_calendar(group.centre), day) if s > now]
    booked: dict[datetime, int] = {}
    for s in Ticket.objects.filter(group=group, day=day, appointment_start__isnull=False, transferred_from__isnull=True).values_list("appointment_start", flat=True):
        s = timezone.localtime(s)
        booked[s] = booked.get(s, 0) + 1
    return [
        {"start": s, "end": s + timedelta(minutes=SLOT_MINUTES), "capacity": group.slot_capacity, "booked": booked.get(s, 0),
         "available": max(0, group.slot_capacity - booked.get(s, 0))}
        for s in starts
    ]


def people_ahead_count(*, group: FieldGroup, day: date, before: datetime, ticket_id: int | None = None) -> int:
    """Người đang chờ trước: waiting tickets of the group on that day issued (or due) before `before`; with
    `ticket_id`, ties at the same instant count when issued earlier (lower id), else they all count."""
    qs = Ticket.objects.filter(group=group, day=day, status=TicketStatus.WAITING)
    if ticket_id is None:
        return qs.filter(Q(appointment_start__isnull=True, issued_at__lte=before) | Q(appointment_start__lte=before)).count()
    earlier = Q(appointment_start__isnull=True) & (Q(issued_at__lt=before) | Q(issued_at=before, pk__lt=ticket_id))
    return qs.exclude(pk=ticket_id).filter(earlier | Q(appointment_start__lt=before)).count()


def average_service_minutes(group: FieldGroup) -> float:
    """Mean service time of the group's last 30 days (at least 20 served tickets), else its configured value."""
    since = timezone.now() - timedelta(days=HISTORY_DAYS)
    rows = list(
        Ticket.objects.filter(group=group, status=TicketStatus.DONE, finished_at__gte=since, served_at__isnull=False)
        .order_by("-finished_at").values_list("served_at", "finished_at")[:500]
    )
    if len(rows) < MIN_SAMPLES:
        return float(group.default_service_minutes)
    return statistics.fmean((b - a).total_seconds() / 60 for a, b in rows)


def estimate_wait_minutes(*, group: FieldGroup, ahead: int) -> int:
    """Thời gian chờ dự kiến = people ahead × mean service time ÷ active counters of the group (rounded up)."""
    counters = max(1, Counter.objects.filter(groups=group, is_active=True).count())
    return math.ceil(ahead * average_service_minutes(group) / counters)


def ticket_view(t: Ticket) -> dict:
    ahead = 0
    if t.status == TicketStatus.WAITING:
        ahead = people_ahead_count(group=t.group, day=t.day, before=t.appointment_start or t.issued_at, ticket_id=t.pk)
    return {
        "id": t.pk, "code": t.code, "group": t.group.name, "group_prefix": t.group.prefix, "channel": t.channel,
        "status": t.status, "status_label": t.get_status_display(), "issued_at": t.issued_at, "day": t.day,
        "estimated_wait_minutes": t.estimated_wait_minutes, "people_ahead": ahead,
        "appointment_start": t.appointment_start, "counter": t.counter.number if t.counter_id else None,
        "version": t.version, "dossier": t.dossier.code if t.dossier_id else None,
    }


def board_state(*, centre, now: datetime | None = None, recent: int = 5) -> dict:
    """Bảng hiển thị: the current call of each counter and the last `recent` calls (no personal data)."""
    now = timezone.localtime(now or timezone.now())
    day = now.date()
    counters = list(Counter.objects.filter(centre=centre, is_active=True).order_by("number"))
    active = {t.counter_id: t for t in Ticket.objects.filter(centre=centre, day=day, status__in=[TicketStatus.CALLED, TicketStatus.SERVING]).select_related("group")}
    calls = list(Ticket.objects.filter(centre=centre, day=day, last_called_at__isnull=False).select_related("counter", "group").order_by("-last_called_at", "-id")[:recent])
    waiting = Ticket.objects.filter(centre=centre, day=day, status=TicketStatus.WAITING).filter(Q(appointment_start__isnull=True) | Q(appointment_start__lte=now)).count()
    return {
        "centre": centre.name, "now": now,
        "counters": [
            {"number": c.number, "name": c.name, "code": active[c.pk].code if c.pk in active else None,
             "status": active[c.pk].status if c.pk in active else None,
             "called_at": active[c.pk].last_called_at if c.pk in active else None,
             "call_id": f"{active[c.pk].pk}-{active[c.pk].call_count}" if c.pk in active else None}
            for c in counters
        ],
        "recent": [{"code": t.code, "counter": t.counter.number if t.counter else None, "called_at": t.last_called_at,
                    "call_id": f"{t.pk}-{t.call_count}"} for t in calls],
        "waiting": waiting,
    }


def _minutes(a, b) -> float | None:
    if a is None or b is None:
        return None
    return max(0.0, (b - a).total_seconds() / 60)


def ticket_wait_minutes(t) -> float | None:
    start = t.issued_at if t.appointment_start is None else max(t.issued_at, t.appointment_start)
    return _minutes(start, t.called_at)


def ticket_service_minutes(t) -> float | None:
    if t.status not in (TicketStatus.DONE, TicketStatus.TRANSFERRED):
        return None
    return _minutes(t.served_at or t.called_at, t.finished_at)


def p90(values: list[float]) -> float | None:
    """Phân vị 90 (nearest rank): the smallest value with at least 90 % of the values ≤ it, i.e. the
    ⌈0.9·n⌉-th smallest; always one of the observed times (no interpolation). None for no value."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def _summary(waits: list[float], services: list[float], issued: int, no_show: int) -> dict:
    return {
        "tickets": issued,
        "served": len(services),
        "no_show": no_show,
        "wait_mean": round(statistics.fmean(waits), 1) if waits else None,
        "wait_median": round(statistics.median(waits), 1) if waits else None,
        "wait_p90": round(p90(waits), 1) if waits else None,
        "wait_max": round(max(waits), 1) if waits else None,
        "service_mean": round(statistics.fmean(services), 1) if services else None,
        "service_median": round(statistics.median(services), 1) if services else None,
        "service_p90": round(p90(services), 1) if services else None,
    }


def queue_stats(*, centre, start: date, end: date) -> dict:
    """Thống kê: waiting and service times per field group, per counter and per hour of day, for start..end
    (inclusive local days). An empty period gives zero counts and None means."""
    tickets = list(
        Ticket.objects.filter(centre=centre, day__gte=start, day__lte=end).select_related("group", "counter")
        .only("group__name", "group__prefix", "counter__number", "status", "issued_at", "appointment_start", "called_at",
              "served_at", "finished_at", "transferred_from_id", "group_id", "counter_id")
    )
    buckets: dict[str, dict] = {"group": {}, "counter": {}, "hour": {}}
    total = {"w": [], "s": [], "n": 0, "x": 0}

    def add(kind, key, w, s, arrival, no_show):
        b = buckets[kind].setdefault(key, {"w": [], "s": [], "n": 0, "x": 0})
        if w is not None:
            b["w"].append(w)
        if s is not None:
            b["s"].append(s)
        b["n"] += arrival
        b["x"] += no_show

    for t in tickets:
        w, s = ticket_wait_minutes(t), ticket_service_minutes(t)
        arrival = 1 if t.transferred_from_id is None else 0
        no_show = 1 if t.status in (TicketStatus.SKIPPED, TicketStatus.NO_SHOW) else 0
        hour = timezone.localtime(t.appointment_start or t.issued_at).hour
        add("group", (t.group.prefix, t.group.name), w, s, arrival, no_show)
        if t.counter_id:
            add("counter", t.counter.number, w, s, 0, no_show)
        add("hour", hour, w, s, arrival, no_show)
        for k, v in (("w", w), ("s", s)):
            if v is not None:
                total[k].append(v)
        total["n"] += arrival
        total["x"] += no_show

    def rows(kind):
        out = []
        for key in sorted(buckets[kind]):
            b = buckets[kind][key]
            out.append({"key": key, **_summary(b["w"], b["s"], b["n"], b["x"])})
        return out

    groups = [{"prefix": r["key"][0], "name": r["key"][1], **{k: v for k, v in r.items() if k != "key"}} for r in rows("group")]
    counters = [{"counter": r["key"], **{k: v for k, v in r.items() if k not in ("key", "tickets")}} for r in rows("counter")]
    hours = [{"hour": r["key"], **{k: v for k, v in r.items() if k != "key"}} for r in rows("hour")]
    return {"start": start, "end": end, "total": _summary(total["w"], total["s"], total["n"], total["x"]),
            "groups": groups, "counters": counters, "hours": hours}


def centres_for(user):
    """Service centres the user may see (their scope)."""
    from cchc.accounts.permissions import filter_by_scope
    from cchc.units.models import Unit

    return filter_by_scope(Unit.objects.filter(queue_groups__isnull=False).distinct(), user, unit_field=None).order_by("code")
