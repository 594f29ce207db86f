"""Demo: a year of realistic dossiers for the demo province, generated in bulk.

`CCHC_DEMO_DOSSIERS` (default 200000) sets how many. Deterministic (seeded), idempotent (skips a
province that already has dossiers). Due dates of whole-working-day procedures come from the
calendar's vectorised `due_bulk`; rows are written with bulk_create in batches; the audit log gets
one summary event (historical demo rows are not individually audited).

Shape (targets): channels online ~45 %, counter ~50 %, post ~5 %; ~5 % supplemented (pause rows),
~1 % rejected, ~0.5 % withdrawn, ~3 % settled late (most with an apology letter), the rest early or
on time; 40 % at the provincial service centre (provincial procedures, handled by a department), 60 %
at commune desks (commune procedures); dossiers whose planned settlement lies after "now" are still
in process (some due today, some overdue).
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.utils import timezone

from cchc.core.audit import audit_record

from . import workflow as wf
from .models import (
    ApologyLetter,
    Dossier,
    DossierCounter,
    DossierPause,
    DossierRating,
    DossierStep,
    PauseKind,
    PaymentStatus,
)
from .services import LOCAL_TZ, TOKEN_ALPHABET, TOKEN_LENGTH, calendar_stamp, get_calendar

DEFAULT_COUNT = 200_000
BATCH = 2000
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Hồ", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Đức", "Kim", "Hoài", "Gia"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Khoa", "Lan", "Linh", "Long", "Mai",
         "Nam", "Ngân", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tú", "Tuấn", "Vy", "Yến"]
COMPANIES = ["Công ty TNHH Phát Đạt", "Công ty CP Nông sản Tây Ninh", "Công ty TNHH Xây dựng Hòa Bình",
             "Hợp tác xã Dịch vụ Nông nghiệp Thành Công", "Công ty TNHH Thương mại Long An", "Doanh nghiệp tư nhân Minh Tâm"]
STREETS = ["Cách Mạng Tháng Tám", "Trần Hưng Đạo", "Nguyễn Trãi", "Lý Thường Kiệt", "Hùng Vương", "30 Tháng 4", "Quốc lộ 22"]
SUPPLEMENT_REASONS = ["Thiếu bản sao giấy tờ tùy thân", "Tờ khai chưa đủ chữ ký", "Thiếu bản vẽ kèm theo", "Giấy tờ đã hết hạn"]
REJECT_REASONS = ["Hồ sơ không thuộc thẩm quyền giải quyết", "Không đủ điều kiện theo quy định của thủ tục"]
APOLOGY_REASONS = ["Chờ kết quả xác minh của cơ quan liên quan", "Hồ sơ phức tạp cần lấy ý kiến nhiều cơ quan"]


def _count() -> int:
    try:
        return max(0, int(os.environ.get("CCHC_DEMO_DOSSIERS", DEFAULT_COUNT)))
    except ValueError:
        return DEFAULT_COUNT


def build(ctx: dict, *, stdout=None) -> None:
    province = ctx.get("province")
    if province is None:
        return
    if Dossier.objects.filter(province=province).exists():
        return
    n = _count()
    if n == 0:
        return
    out = stdout or sys.stdout
    started = timezone.now()
    with transaction.atomic():
        summary = _build(ctx, province, n, now=timezone.now())
        audit_record(actor=None, action="dossiers.demo_generate", obj=province, data=summary)
    if stdout is not None:
        out.write(f"Hồ sơ demo: {summary['dossiers']} hồ sơ trong 12 tháng ({(timezone.now() - started).total_seconds():.0f} s)\n")


def _fast_insert(model, objs, *, now: datetime) -> None:
    """INSERT many rows with executemany, skipping the ORM's per-value compiler (the demo's hot path).

    Values go through the backend's own adapters (datetime, date, decimal), exactly as bulk_create would.
    """
    from django.db import connection

    ops = connection.ops
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    adapters = []
    for f in fields:
        kind = f.get_internal_type()
        if kind == "DateTimeField":
            adapters.append(ops.adapt_datetimefield_value)
        elif kind == "DateField":
            adapters.append(ops.adapt_datefield_value)
        elif kind == "DecimalField":
            adapters.append(lambda v, f=f: ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places))
        else:
            adapters.append(None)
    for f in fields:  # auto_now / auto_now_add are not applied outside the ORM
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for o in objs:
                setattr(o, f.attname, now)
    attnames = [f.attname for f in fields]
    sql = (f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({', '.join(ops.quote_name(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    pairs = list(zip(attnames, adapters, strict=True))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), BATCH):
            rows = []
            for o in objs[start:start + BATCH]:
                values = o.__dict__
                rows.append(tuple(values[a] if (conv is None or values[a] is None) else conv(values[a]) for a, conv in pairs))
            cursor.executemany(sql, rows)


def _publications(province):
    from cchc.catalog.models import ProvinceProcedure

    rows = list(
        ProvinceProcedure.objects.filter(province=province, effective_to__isnull=True)
        .select_related("procedure").order_by("procedure__code", "level")
    )
    prov = [r for r in rows if r.level != "commune"]
    comm = [r for r in rows if r.level == "commune"]
    return prov, comm


def _weights(k: int, rng) -> np.ndarray:
    """Zipf-like popularity: a few procedures take most dossiers (birth registration, certification...)."""
    w = 1.0 / np.arange(1, k + 1) ** 1.1
    rng.shuffle(w)
    return w / w.sum()


def _build(ctx: dict, province, n: int, *, now: datetime) -> dict:  # noqa: C901 - one generator, read top to bottom
    from cchc.units.models import Unit, UnitKind

    rng = np.random.default_rng(20261008)
    cal = get_calendar(province)
    stamp = calendar_stamp(cal)
    prov_pubs, comm_pubs = _publications(province)
    centre = ctx.get("service_centre") or Unit.objects.filter(province=province, kind=UnitKind.SERVICE_CENTRE).first()
    desks = list(ctx.get("desks") or Unit.objects.filter(province=province, kind=UnitKind.ONE_STOP_DESK).order_by("code"))
    departments = list((ctx.get("departments") or {}).values()) or list(
        Unit.objects.filter(province=province, kind=UnitKind.DEPARTMENT).order_by("code"))
    if centre is None or not prov_pubs:
        return {"dossiers": 0, "skipped": "no service centre or no published procedures"}
    if not desks or not comm_pubs:
        desks, comm_pubs = [], []

    # ---- where and what
    at_commune = rng.random(n) < (0.6 if desks else 0.0)
    pub_idx = np.empty(n, dtype=np.int64)
    n_comm = int(at_commune.sum())
    pub_idx[~at_commune] = rng.choice(len(prov_pubs), size=n - n_comm, p=_weights(len(prov_pubs), rng))
    if n_comm:
        pub_idx[at_commune] = rng.choice(len(comm_pubs), size=n_comm, p=_weights(len(comm_pubs), rng))
    desk_idx = rng.integers(0, max(1, len(desks)), size=n)
    dept_idx = rng.integers(0, max(1, len(departments)), size=n)

    # ---- when: working days of the last 365 days, inside working hours
    today = timezone.localtime(now, LOCAL_TZ).date()
    days = [today - timedelta(days=k) for k in range(365, -1, -1)]
    workdays = np.array([d.toordinal() for d in days if cal.is_working_day(d)], dtype=np.int64)
    day_pick = workdays[rng.integers(0, len(workdays), size=n)]
    seconds_in_day = np.where(rng.random(n) < 0.6, rng.integers(7 * 3600 + 1800, 11 * 3600 + 1800, size=n),
                              rng.integers(13 * 3600 + 1800, 17 * 3600, size=n))
    epoch_ord = datetime(1970, 1, 1).toordinal()
    offset = int(datetime(2026, 1, 1, tzinfo=LOCAL_TZ).utcoffset().total_seconds())
    received = (day_pick - epoch_ord) * 86400 + seconds_in_day - offset  # UTC epoch seconds
    now_epoch = int(now.timestamp())
    received = np.minimum(received, now_epoch - 600)
    order = np.argsort(received, kind="stable")
    received, at_commune, pub_idx, desk_idx, dept_idx = (a[order] for a in (received, at_commune, pub_idx, desk_idx, dept_idx))

    pubs = [comm_pubs[i] if c else prov_pubs[i] for c, i in zip(at_commune.tolist(), pub_idx.tolist(), strict=True)]

    # ---- channel
    # ~20 % of the demo publications have no online service; those online draws fall back to the counter,
    # so 56 % drawn online ends near 45 % online overall
    r = rng.random(n)
    channel = np.where(r < 0.56, "online", np.where(r < 0.95, "counter", "post")).astype(object)
    no_online = np.array([p.online_level == "none" for p in pubs])
    channel[(channel == "online") & no_online] = "counter"

    # ---- due dates: vectorised for whole working days, per item otherwise
    units = np.array([p.time_unit for p in pubs], dtype=object)
    values = np.array([float(p.time_value) for p in pubs])
    whole = (units == "working_days") & (np.mod(values, 1) == 0)
    due = np.zeros(n, dtype=np.int64)
    if whole.any():
        due[whole] = cal.due_bulk(received[whole].astype("datetime64[s]"), values[whole].astype(np.int64)).astype(np.int64)
    for i in np.flatnonzero(~whole):
        unit = units[i] if units[i] in ("working_days", "working_hours", "same_day", "calendar_days") else "working_days"
        due[i] = int(cal.due(datetime.fromtimestamp(int(received[i]), tz=UTC), Decimal(str(values[i])), unit).timestamp())
    # generated times lie inside working hours of working days, so counting starts at receipt
    counted = received.copy()
    original_due = due.copy()

    # ---- outcomes
    r = rng.random(n)
    rejected = r < 0.01
    withdrawn = (r >= 0.01) & (r < 0.015)
    settled_plan = ~(rejected | withdrawn)
    supplemented = rng.random(n) < 0.05
    late = settled_plan & (rng.random(n) < 0.03)
    # supplement pauses: 1–5 working days of the applicant's time, moving the due time
    pause_start = np.zeros(n, dtype=np.int64)
    pause_end = np.zeros(n, dtype=np.int64)
    pause_ws = np.zeros(n, dtype=np.int64)
    daily = 27000
    for i in np.flatnonzero(supplemented):
        span = max(60, int((original_due[i] - counted[i]) * 0.3))
        start = int(counted[i]) + int(rng.integers(0, span))
        ws = int(rng.integers(1, 6)) * daily
        start_dt = datetime.fromtimestamp(start, tz=UTC)
        end_dt = cal.add_working_seconds(start_dt, ws)
        real_ws = cal.working_seconds_between(start_dt, end_dt)
        pause_start[i], pause_end[i], pause_ws[i] = start, int(end_dt.timestamp()), real_ws
        due[i] = int(cal.add_working_seconds(datetime.fromtimestamp(int(due[i]), tz=UTC), real_ws).timestamp())
    # planned settlement: a share of the allowed time (early or on time), or after the due time when late
    frac = rng.beta(4, 2, size=n)
    settle = counted + ((due - counted) * frac).astype(np.int64)
    settle = np.maximum(settle, np.where(supplemented, pause_end + 60, counted + 60))
    settle = np.minimum(settle, due)
    for i in np.flatnonzero(late):
        extra = int(rng.integers(1, 6)) * daily
        settle[i] = int(cal.add_working_seconds(datetime.fromtimestamp(int(due[i]), tz=UTC), extra).timestamp()) + 1
    close_other = counted + np.maximum(600, ((due - counted) * rng.random(n) * 0.5).astype(np.int64))
    open_now = settled_plan & (settle > now_epoch)
    open_now |= (rejected | withdrawn) & (close_other > now_epoch)
    returned_after = (rng.exponential(1.5, size=n) * 86400).astype(np.int64) + 1800
    returned = settle + returned_after
    not_collected = returned > now_epoch

    # ---- codes: sequence per agency per local day, in order of receipt
    agency = [(desks[d].agency_id or desks[d].code) if c else (centre.agency_id or centre.code)
              for c, d in zip(at_commune.tolist(), desk_idx.tolist(), strict=True)]
    local_days = [datetime.fromtimestamp(int(t), tz=LOCAL_TZ).date() for t in received]
    seq: dict[tuple, int] = {}
    codes = []
    for a, d in zip(agency, local_days, strict=True):
        k = (a, d)
        seq[k] = seq.get(k, 0) + 1
        codes.append(f"{a}-{d:%y%m%d}-{seq[k]:04d}")
    alphabet = np.array(list(TOKEN_ALPHABET))
    tokens = ["".join(row) for row in alphabet[rng.integers(0, len(alphabet), size=(n, TOKEN_LENGTH))]]

    # ---- applicants
    org = rng.random(n) < 0.12
    s_i, m_i, g_i = (rng.integers(0, len(x), size=n) for x in (SURNAMES, MIDDLE, GIVEN))
    c_i = rng.integers(0, len(COMPANIES), size=n)
    ids = rng.integers(10**11, 10**12 - 1, size=n)
    phones = rng.integers(10**8, 10**9 - 1, size=n)
    house = rng.integers(1, 400, size=n)
    street = rng.integers(0, len(STREETS), size=n)
    e_docs = np.where(channel == "online", rng.random(n) < 0.95, rng.random(n) < 0.35)
    e_result_r = rng.random(n)

    def ts(x) -> datetime:
        return datetime.fromtimestamp(int(x), tz=UTC)

    dossiers: list[Dossier] = []
    counts = {s: 0 for s in wf.STATES}
    for i in range(n):
        p = pubs[i]
        unit = desks[desk_idx[i]] if at_commune[i] else centre
        handling = unit.parent if at_commune[i] and unit.parent_id else (departments[dept_idx[i]] if departments else centre)
        rec, du = ts(received[i]), ts(due[i])
        ch = channel[i]
        d = Dossier(
            code=codes[i], lookup_token=tokens[i], procedure_id=p.procedure_id, province_procedure_id=p.pk,
            unit=unit, province=province, handling_unit=handling, channel=ch,
            result_channel="online" if ch == "online" and e_result_r[i] < 0.6 else ("post" if ch == "post" else "counter"),
            applicant_kind="organisation" if org[i] else "person",
            applicant_name=COMPANIES[c_i[i]] if org[i] else f"{SURNAMES[s_i[i]]} {MIDDLE[m_i[i]]} {GIVEN[g_i[i]]}",
            applicant_id_number=(f"{ids[i] % 10**10:010d}" if org[i] else f"{ids[i]:012d}"),
            applicant_phone=f"09{phones[i] % 10**8:08d}", applicant_address=f"Số {house[i]}, đường {STREETS[street[i]]}",
            submitted_at=rec if ch == "online" else None, received_at=rec, counted_from=ts(counted[i]),
            due_at=du, due_date=timezone.localtime(du, LOCAL_TZ).date(), original_due_at=ts(original_due[i]),
            time_value=p.time_value, time_unit=p.time_unit if p.time_unit != "unknown" else "working_days",
            calendar_stamp=stamp, fee_amount=p.fee_amount,
            payment_status=(PaymentStatus.NOT_REQUIRED if not p.fee_amount else
                            PaymentStatus.PAID_ONLINE if ch == "online" else PaymentStatus.PAID_COUNTER),
            has_electronic_documents=bool(e_docs[i]), supplement_count=int(supplemented[i]), version=1,
        )
        if supplemented[i] and pause_start[i] >= now_epoch:  # the planned pause has not happened yet
            supplemented[i] = False
            d.supplement_count = 0
            d.due_at, d.due_date = ts(original_due[i]), timezone.localtime(ts(original_due[i]), LOCAL_TZ).date()
        if open_now[i]:
            if supplemented[i] and pause_end[i] > now_epoch:
                d.status = wf.SUPPLEMENT_REQUESTED
                d.paused_since = ts(pause_start[i])
                d.due_at, d.due_date = ts(original_due[i]), timezone.localtime(ts(original_due[i]), LOCAL_TZ).date()
            else:
                d.status = wf.IN_PROCESS if rng.random() < 0.85 else wf.RECEIVED
            if d.status == wf.RECEIVED:
                d.handling_unit = p.handling_unit or (unit.parent if at_commune[i] else None)
            d.version = 2
        elif rejected[i] or withdrawn[i]:
            d.status = wf.REJECTED if rejected[i] else wf.WITHDRAWN
            d.closed_at = ts(close_other[i])
            d.status_reason = REJECT_REASONS[i % 2] if rejected[i] else "Người nộp rút hồ sơ"
            d.version = 3
        else:
            st = ts(settle[i])
            d.settled_at = d.closed_at = st
            d.settled_on = timezone.localtime(st, LOCAL_TZ).date()
            d.has_electronic_result = bool(e_result_r[i] < (0.85 if d.result_channel == "online" else 0.3))
            if not_collected[i]:
                d.status = wf.RESULT_READY
                d.version = 4
            else:
                d.returned_at = ts(returned[i])
                d.status = wf.RETURNED_LATE if late[i] else wf.RETURNED
                d.version = 5
        if late[i] and rng.random() < 0.85 and d.status != wf.SUPPLEMENT_REQUESTED and d.due_at - timedelta(hours=20) < now:
            d.apology_count = 1
            d.promised_at = cal.add_working_seconds(d.due_at, 5 * daily + 3600)
        counts[d.status] += 1
        dossiers.append(d)
    _fast_insert(Dossier, dossiers, now=now)
    ids_by_code = dict(Dossier.objects.filter(province=province).values_list("code", "pk"))
    for d in dossiers:
        d.pk = d.id = ids_by_code[d.code]

    # ---- counters so live intake continues the sequences
    last: dict[tuple, int] = {}
    for (a, day), s in seq.items():
        last[(a, day)] = max(s, last.get((a, day), 0))
    DossierCounter.objects.bulk_create([DossierCounter(agency_id=a, day=day, last_seq=s) for (a, day), s in last.items()],
                                       batch_size=BATCH, ignore_conflicts=True)

    # ---- pauses, apology letters, steps, ratings
    pauses, apologies, steps, ratings = [], [], [], []
    for i, d in enumerate(dossiers):
        closed_early = d.status in (wf.REJECTED, wf.WITHDRAWN) and pause_start[i] >= close_other[i]
        if supplemented[i] and not closed_early:
            ended = pause_end[i] <= now_epoch and d.status != wf.SUPPLEMENT_REQUESTED
            pauses.append(DossierPause(
                dossier_id=d.pk, kind=PauseKind.SUPPLEMENT, reason=SUPPLEMENT_REASONS[i % len(SUPPLEMENT_REASONS)],
                started_at=ts(pause_start[i]), ended_at=ts(pause_end[i]) if ended else None,
                resume_state=wf.IN_PROCESS, working_seconds=int(pause_ws[i]) if ended else None,
                due_before=ts(original_due[i]) if ended else None, due_after=d.due_at if ended else None,
            ))
        if d.apology_count:
            issued = max(d.received_at, d.due_at - timedelta(hours=20))
            apologies.append(ApologyLetter(dossier_id=d.pk, issued_at=issued, reason=APOLOGY_REASONS[i % 2],
                                           due_at=d.due_at, new_due_at=d.promised_at, issuing_unit=d.handling_unit))
        if d.handling_unit_id and d.status != wf.RECEIVED and d.status != wf.WAITING_ACCEPTANCE and (
                late[i] or open_now[i] or i % 10 == 0):
            sent = d.received_at + timedelta(minutes=30)
            finished = d.settled_at or d.closed_at
            steps.append(DossierStep(
                dossier_id=d.pk, seq=1, from_unit=d.unit, to_unit=d.handling_unit, task="Thẩm định, giải quyết",
                sent_at=sent, due_at=d.due_at, finished_at=finished,
                allowance_seconds=max(0, int((d.due_at - sent).total_seconds())),
                on_time=None if finished is None else finished <= d.due_at,
            ))
        if d.status in (wf.RETURNED, wf.RETURNED_LATE) and rng.random() < 0.12:
            base = 3 if d.status == wf.RETURNED_LATE else 4
            vals = np.clip(rng.normal(base + 0.4, 0.8, size=6).round(), 1, 5).astype(int).tolist()
            ratings.append(DossierRating(dossier_id=d.pk, overall=vals[0], access=vals[1], procedure=vals[2],
                                         officials=vals[3], result=vals[4], feedback=vals[5] if rng.random() < 0.5 else None))
    DossierPause.objects.bulk_create(pauses, batch_size=BATCH)
    ApologyLetter.objects.bulk_create(apologies, batch_size=BATCH)
    DossierStep.objects.bulk_create(steps, batch_size=BATCH)
    DossierRating.objects.bulk_create(ratings, batch_size=BATCH)
    return {
        "dossiers": n, "by_status": {k: v for k, v in counts.items() if v}, "pauses": len(pauses),
        "apologies": len(apologies), "steps": len(steps), "ratings": len(ratings),
        "channels": {c: int((channel == c).sum()) for c in ("online", "counter", "post")},
    }
