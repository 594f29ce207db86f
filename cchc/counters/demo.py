"""Demo queue of the demo province's service centre (Trung tâm Phục vụ hành chính công tỉnh).

~10 counters and 8 field groups taken from the catalogue's most common fields of province-level procedures,
a history of tickets for the last 30 working days (arrivals peak in the morning, waits of 5–25 minutes) and
today's queue (served, being called, still waiting) so the board is alive. Deterministic (seeded) and
idempotent: does nothing when the centre already has field groups.
"""

from __future__ import annotations

import random
from collections import Counter as Tally
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

FALLBACK_FIELDS = ["Tư pháp", "Đất đai", "Xây dựng", "Thành lập và hoạt động của doanh nghiệp", "Giao thông vận tải",
                   "Lao động, Tiền lương", "Y tế", "Giáo dục và Đào tạo"]
HOUR_WEIGHTS = {7: 4, 8: 16, 9: 18, 10: 14, 11: 5, 13: 6, 14: 10, 15: 9, 16: 5}  # arrivals by hour of day: peak 8–10 h
HISTORY_WORKING_DAYS = 30


def _fields(province) -> list[str]:
    from cchc.catalog.models import ProvinceProcedure

    tally = Tally(
        f for f in ProvinceProcedure.objects.filter(province=province, level="province").values_list("procedure__field", flat=True) if f
    )
    names = [f for f, _ in tally.most_common(8)]
    return names + [f for f in FALLBACK_FIELDS if f not in names][: 8 - len(names)]


def build(ctx: dict, *, stdout=None) -> None:
    from cchc.accounts.models import Role, User

    from .models import Channel, Counter, FieldGroup, Ticket, TicketSequence, TicketStatus
    from .selectors import centre_calendar

    centre = ctx.get("service_centre")
    if centre is None or FieldGroup.objects.filter(centre=centre).exists():
        return
    rng = random.Random(8012)
    with transaction.atomic():
        fields = _fields(ctx.get("province") or centre.province)
        groups = []
        for i, name in enumerate(fields):
            groups.append(FieldGroup.objects.create(
                centre=centre, prefix="ABCDEFGH"[i], name=name, fields=name, position=i,
                default_service_minutes=[12, 15, 14, 10, 8, 9, 10, 9][i], slot_capacity=4 if i < 3 else 3,
            ))
        counters = []
        # the two busiest groups get two counters each; counter 10 serves every group (trả kết quả, hỗ trợ)
        plan = [[0], [0], [1], [1], [2], [3], [4, 5], [6], [7], list(range(len(groups)))]
        for n, gidx in enumerate(plan, start=1):
            c = Counter.objects.create(centre=centre, number=n, name=groups[gidx[0]].name if len(gidx) == 1 else ("Quầy hỗ trợ chung" if len(gidx) > 2 else "Quầy đa lĩnh vực"))
            c.groups.set([groups[i] for i in gidx])
            counters.append(c)
        by_group = {g.pk: [c for c in counters if g in [groups[i] for i in plan[c.number - 1]]] for g in groups}
        officer = User.objects.filter(unit=centre, role=Role.ONE_STOP_OFFICER).first()
        cal = centre_calendar(centre)
        tz = timezone.get_current_timezone()
        now = timezone.localtime()
        today = now.date()
        days, d = [], today - timedelta(days=1)
        while len(days) < HISTORY_WORKING_DAYS:
            if cal.is_working_day(d):
                days.append(d)
            d -= timedelta(days=1)
        hours, weights = list(HOUR_WEIGHTS), list(HOUR_WEIGHTS.values())
        rows, seqs = [], []

        def ticket(g, day, number, issued, *, status, wait, service, counter, appointment=None):
            called = issued + timedelta(minutes=wait) if status != TicketStatus.WAITING else None
            served = called + timedelta(seconds=rng.randint(20, 90)) if called and status in (TicketStatus.DONE, TicketStatus.SERVING) else None
            finished = served + timedelta(minutes=service) if served and status == TicketStatus.DONE else (called + timedelta(minutes=2) if status == TicketStatus.SKIPPED else None)
            return Ticket(centre=centre, group=g, day=day, number=number, code=f"{g.prefix}{number:03d}",
                          channel=Channel.ONLINE if appointment else Channel.KIOSK, status=status, issued_at=issued,
                          estimated_wait_minutes=wait, appointment_start=appointment, counter=counter if called else None,
                          officer=officer if called else None, called_at=called, last_called_at=called,
                          call_count=1 if called else 0, served_at=served, finished_at=finished, version=2 if called else 1)

        for day in days:
            busy = 1.0 + (0.25 if day.weekday() == 0 else 0)  # Mondays are busier
            for gi, g in enumerate(groups):
                n = int(rng.randint(18, 34) * busy) if gi < 2 else rng.randint(6, 16)
                stamps = sorted(
                    datetime.combine(day, datetime.min.time(), tzinfo=tz) + timedelta(hours=h, minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))
                    for h in rng.choices(hours, weights=weights, k=n)
                )
                for k, issued in enumerate(stamps, start=1):
                    peak = 8 <= issued.hour <= 10
                    wait = rng.randint(10, 25) if peak else rng.randint(5, 14)
                    r = rng.random()
                    status = TicketStatus.DONE if r < 0.93 else (TicketStatus.SKIPPED if r < 0.97 else TicketStatus.NO_SHOW)
                    online = rng.random() < 0.12
                    appointment = issued.replace(minute=0 if issued.minute < 30 else 30, second=0) if online else None
                    if appointment:
                        issued = appointment - timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 8))
                        wait = rng.randint(0, 8)
                    rows.append(ticket(g, day, k, issued if not appointment else issued, status=status,
                                       wait=wait + (int((appointment - issued).total_seconds() // 60) if appointment else 0),
                                       service=rng.randint(max(3, g.default_service_minutes - 5), g.default_service_minutes + 8),
                                       counter=rng.choice(by_group[g.pk]), appointment=appointment))
                seqs.append(TicketSequence(group=g, day=day, last_number=n))
        # today: since opening, most served, one ticket being called or served per counter, the rest waiting
        opening = datetime.combine(today, cal.hours.opening, tzinfo=tz)
        span = max(30, int((min(now, opening + timedelta(hours=3)) - opening).total_seconds() // 60))
        busy_counters: set[int] = set()
        for gi, g in enumerate(groups):
            n = 14 if gi < 2 else 6
            stamps = sorted(opening + timedelta(minutes=rng.randint(0, span - 1), seconds=rng.randint(0, 59)) for _ in range(n))
            for k, issued in enumerate(stamps, start=1):
                counter = rng.choice(by_group[g.pk])
                if k <= n // 2:
                    status = TicketStatus.DONE
                else:
                    status = TicketStatus.WAITING
                    free = [c for c in by_group[g.pk] if c.pk not in busy_counters]
                    if free and k == n // 2 + 1:
                        counter = free[0]
                        busy_counters.add(counter.pk)
                        status = TicketStatus.SERVING if gi % 2 else TicketStatus.CALLED
                rows.append(ticket(g, today, k, issued, status=status, wait=rng.randint(5, 20), service=rng.randint(6, 14), counter=counter))
            seqs.append(TicketSequence(group=g, day=today, last_number=n))
        # called times of today's tickets stay in the past: a ticket issued late is called "now"
        for t in rows:
            if t.day == today and t.called_at and t.called_at > now:
                t.called_at = t.last_called_at = now - timedelta(minutes=1)
                if t.served_at:
                    t.served_at = now
                if t.finished_at:
                    t.finished_at = now
        Ticket.objects.bulk_create(rows, batch_size=2000)
        TicketSequence.objects.bulk_create(seqs, batch_size=2000)
    ctx["queue_centre"] = centre
    if stdout:
        stdout.write(f"Lấy số: {len(groups)} nhóm lĩnh vực, {len(counters)} quầy, {len(rows)} số thứ tự ({len(days)} ngày làm việc + hôm nay).\n")
