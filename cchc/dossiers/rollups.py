"""Số liệu tổng hợp (rollups): the dossier statistics kept as per-day counters, so dashboards and exports never
scan the dossier table.

Consistency rule: every change of a dossier goes through a service, which calls `track(d)` when it has locked
the row (the dossier's contribution BEFORE the change) and `sync(d)` after saving it, in the same transaction;
`sync` adds `contribution(after) − contribution(before)` to the rollup rows. Back-dated actions, hand-overs to
another unit, pauses that move the due time, cancellations: all are just a different "after". `rebuild`
recomputes the rows from the dossiers with the same `contribution` function (one definition).

What a dossier contributes (`contribution`) mirrors the Q definitions of `selectors.statistic_filters`:
flows on the local day of their event, and the point-in-time states "open" (q_open_at) and "overdue"
(q_overdue_at) as deltas: open at the start of day D ⇔ received before D and not closed before D, i.e. D in
[received day + 1, closed day]; overdue adds "due day < D" and "not paused before the due". A reader sums
the deltas up to D. At a cutoff inside a day (`now`), the readers add the difference between `now` and the
start of that day for the few dossiers whose received/closed/due instant lies in between (an indexed query
on the dossier table restricted to that day). See docs/rollups.md.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from django.db import connection, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from . import workflow as wf
from .models import (
    ROLLUP_FIELDS,
    ROLLUP_FLOW_FIELDS,
    ApologyLetter,
    Channel,
    Dossier,
    DossierPause,
    DossierRating,
    DossierRollup,
    PauseKind,
    PaymentStatus,
    RollupRepeat,
    UnitMonthRollup,
    UnitRollup,
)

FIELD_INDEX = {name: i for i, name in enumerate(ROLLUP_FIELDS)}
N_FIELDS = len(ROLLUP_FIELDS)
REPEAT_KINDS = ("supplemented", "apology_issued", "apology_issued_late")
FINE_KEY = ("province_id", "unit_id", "handling_unit_id", "procedure_id", "channel")

_F = FIELD_INDEX


@dataclass(frozen=True)
class Snapshot:
    """What the statistics read of one dossier (its row, the start of its pauses, its apology letters)."""

    pk: int
    province_id: int
    unit_id: int
    handling_unit_id: int | None
    procedure_id: int
    channel: str
    status: str
    received_at: datetime | None
    due_at: datetime | None
    due_date: date | None
    settled_at: datetime | None
    settled_on: date | None
    returned_at: datetime | None
    closed_at: datetime | None
    paused_since: datetime | None
    has_electronic_documents: bool
    has_electronic_result: bool
    fee_amount: int
    payment_status: str
    working_seconds: int  # processing time in working seconds (settled dossiers), pauses excluded
    pauses: tuple  # ((kind, started_at), ...)
    letters: tuple  # ((issued_at, issued_late), ...)
    dissatisfied: bool = False  # selectors.Q_DISSATISFIED: the applicant's overall rating ≤ DISSATISFIED_MAX_RATING


def elapsed_seconds(received_at: datetime, settled_at: datetime) -> int:
    """Thời gian giải quyết theo ngày lịch (766 indicator 2.2): whole seconds from receipt to result (floor).

    The one definition: the rollup counter `settled_elapsed_seconds` sums it, and the live oracle
    (serviceindex.inputs) sums the same function; average days = Σ ÷ 86,400 ÷ settled."""
    return (settled_at - received_at) // timedelta(seconds=1)


def is_dissatisfied(overall) -> bool:
    """selectors.Q_DISSATISFIED for one rating value (None: not rated)."""
    from .selectors import DISSATISFIED_MAX_RATING

    return overall is not None and overall <= DISSATISFIED_MAX_RATING


def _local_day(t: datetime, tz) -> date:
    return timezone.localtime(t, tz).date()


def _working_seconds(*, province_id, received_at, settled_at, paused_seconds: int, calendars: dict) -> int:
    """Thời gian giải quyết: working seconds from receipt to result, less the working time spent paused."""
    if received_at is None or settled_at is None or settled_at <= received_at:
        return 0
    cal = calendars.get(province_id)
    if cal is None:
        from cchc.calendar.services import calendar_for

        cal = calendars[province_id] = calendar_for(province_id)
    return max(0, cal.working_seconds_between(received_at, settled_at) - int(paused_seconds or 0))


def snapshot(d: Dossier, *, pauses=None, letters=None, rating=False, calendars: dict | None = None) -> Snapshot:
    """The dossier as the statistics see it now (`pauses`/`letters`/`rating` (overall value or None) given by bulk
    readers, else queried)."""
    if d.received_at is None:  # counts nowhere (contribution() ignores the rest)
        pauses, letters, rating = (), (), None
    if rating is False:
        rating = DossierRating.objects.filter(dossier_id=d.pk).values_list("overall", flat=True).first()
    if pauses is None:
        pauses = list(DossierPause.objects.filter(dossier_id=d.pk).values_list("kind", "started_at", "working_seconds"))
    if letters is None:
        letters = list(ApologyLetter.objects.filter(dossier_id=d.pk).values_list("issued_at", "issued_late"))
    ws = _working_seconds(province_id=d.province_id, received_at=d.received_at, settled_at=d.settled_at,
                          paused_seconds=sum(p[2] or 0 for p in pauses), calendars={} if calendars is None else calendars)
    return Snapshot(
        pk=d.pk, province_id=d.province_id, unit_id=d.unit_id, handling_unit_id=d.handling_unit_id,
        procedure_id=d.procedure_id, channel=d.channel, status=d.status, received_at=d.received_at, due_at=d.due_at,
        due_date=d.due_date, settled_at=d.settled_at, settled_on=d.settled_on, returned_at=d.returned_at,
        closed_at=d.closed_at, paused_since=d.paused_since, has_electronic_documents=bool(d.has_electronic_documents),
        has_electronic_result=bool(d.has_electronic_result), fee_amount=int(d.fee_amount or 0),
        payment_status=d.payment_status, working_seconds=ws,
        pauses=tuple((k, s) for k, s, _ in pauses), letters=tuple(letters), dissatisfied=is_dissatisfied(rating),
    )


def contribution(s: Snapshot | None, tz=None) -> tuple[dict, dict]:
    """({(key, day): [counter values]}, {(key, kind, first_day, day): n}) of one dossier.

    `key` = (province, unit, handling unit or receiving unit, procedure, channel). A dossier never received
    (waiting for acceptance, or refused before) counts nowhere, as in `selectors.dossier_statistics`.
    """
    rows: dict = {}
    repeats: dict = {}
    if s is None or s.received_at is None:
        return rows, repeats
    tz = tz or timezone.get_default_timezone()
    key = (s.province_id, s.unit_id, s.handling_unit_id or s.unit_id, s.procedure_id, s.channel)

    def add(day: date, field: str, n: int = 1) -> None:
        row = rows.get((key, day))
        if row is None:
            row = rows[(key, day)] = [0] * N_FIELDS
        row[_F[field]] += n

    received_day = _local_day(s.received_at, tz)
    add(received_day, "received_new")
    if s.channel == Channel.ONLINE:
        add(received_day, "received_online")
    if s.has_electronic_documents:
        add(received_day, "received_with_electronic_documents")
    # selectors.Q_FEE_CHARGED / Q_PAID_ONLINE
    if s.fee_amount > 0 and s.payment_status not in (PaymentStatus.NOT_REQUIRED, PaymentStatus.EXEMPT):
        add(received_day, "received_fee_bearing")
        if s.payment_status == PaymentStatus.PAID_ONLINE:
            add(received_day, "received_paid_online")

    if s.settled_at is not None:  # Q_SETTLED, Q_LATE, Q_EARLY, Q_ON_TIME
        day = _local_day(s.settled_at, tz)
        add(day, "settled")
        late = s.due_at is not None and s.settled_at > s.due_at
        early = not late and s.settled_on is not None and s.due_date is not None and s.settled_on < s.due_date
        add(day, "settled_late" if late else ("settled_early" if early else "settled_on_time"))
        if s.has_electronic_result:
            add(day, "settled_with_electronic_result")
        if s.working_seconds:
            add(day, "settled_working_seconds", s.working_seconds)
        if s.has_electronic_result and s.has_electronic_documents:  # 4.2: Q_ELECTRONIC_RESULT & Q_ELECTRONIC_DOCUMENTS
            add(day, "settled_digitised_with_result")
        if s.dissatisfied:  # 5.4: settled & Q_DISSATISFIED
            add(day, "settled_dissatisfied")
        elapsed = elapsed_seconds(s.received_at, s.settled_at)
        if elapsed:
            add(day, "settled_elapsed_seconds", elapsed)
    if s.returned_at is not None:
        day = _local_day(s.returned_at, tz)
        add(day, "returned")
        if s.status == wf.RETURNED_LATE:
            add(day, "returned_late")
    closed_day = _local_day(s.closed_at, tz) if s.closed_at is not None else None
    if closed_day is not None and s.status in (wf.REJECTED, wf.WITHDRAWN):
        add(closed_day, "rejected" if s.status == wf.REJECTED else "withdrawn")

    # open at the start of D: D in [received_day + 1, closed_day] (q_open_at at local midnight)
    def interval(field: str, first: date) -> None:
        if closed_day is None:
            add(first, field)
        elif closed_day >= first:
            add(first, field)
            add(closed_day + timedelta(days=1), field, -1)

    interval("open_delta", received_day + timedelta(days=1))
    if s.dissatisfied:  # 5.4: open at the cut-off & Q_DISSATISFIED (a rating is an attribute, not an event)
        interval("dissatisfied_open_delta", received_day + timedelta(days=1))
    paused_before_due = s.paused_since is not None and s.due_at is not None and s.paused_since <= s.due_at
    if s.due_at is not None and not paused_before_due:  # q_overdue_at: open, due before D, clock not stopped
        interval("overdue_delta", max(received_day, _local_day(s.due_at, tz)) + timedelta(days=1))

    for _kind, started in s.pauses:
        add(_local_day(started, tz), "pauses_started")
    supplement_days = sorted({_local_day(started, tz) for kind, started in s.pauses if kind == PauseKind.SUPPLEMENT})
    for _kind, started in s.pauses:
        if _kind == PauseKind.SUPPLEMENT:
            add(_local_day(started, tz), "supplement_requests")
    letter_days = sorted({_local_day(at, tz) for at, _ in s.letters})
    late_letter_days = sorted({_local_day(at, tz) for at, late in s.letters if late})
    for kind, days in (("supplemented", supplement_days), ("apology_issued", letter_days),
                       ("apology_issued_late", late_letter_days)):
        for i, day in enumerate(days):
            add(day, kind)
            if i:
                k = (key, kind, days[i - 1], day)
                repeats[k] = repeats.get(k, 0) + 1
    return rows, repeats


# ------------------------------------------------------------------------------------------ writes

def _upsert(table: str, key_cols: tuple[str, ...], value_cols: tuple[str, ...], items: list[tuple]) -> None:
    """INSERT … ON CONFLICT (unique key) DO UPDATE SET c = c + excluded.c (SQLite ≥ 3.24 and PostgreSQL).

    `key_cols` are the columns written before the counters; the conflict target is the table's unique key
    (all of them but province_id, which the unit determines)."""
    if not items:
        return
    qn = connection.ops.quote_name
    cols = key_cols + value_cols
    unique = [c for c in key_cols if c != "province_id"]
    sql = (f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in cols)}) VALUES ({', '.join(['%s'] * len(cols))}) "
           f"ON CONFLICT ({', '.join(qn(c) for c in unique)}) DO UPDATE SET "
           + ", ".join(f"{qn(c)} = {qn(table)}.{qn(c)} + excluded.{qn(c)}" for c in value_cols))
    with connection.cursor() as cursor:
        for start in range(0, len(items), 2000):
            cursor.executemany(sql, items[start:start + 2000])


_FINE_COLS = ("day", "province_id", "unit_id", "handling_unit_id", "procedure_id", "channel")
_UNIT_COLS = ("day", "province_id", "unit_id", "handling_unit_id")
_REPEAT_COLS = ("kind", "first_day", "day", "province_id", "unit_id", "handling_unit_id", "procedure_id", "channel")


def apply_delta(before: tuple[dict, dict], after: tuple[dict, dict]) -> int:
    """Add after − before to the rollup rows (fine, per unit, repeats). Returns the number of rows touched."""
    rows_b, rep_b = before
    rows_a, rep_a = after
    delta: dict = {}
    for k, v in rows_a.items():
        delta[k] = list(v)
    for k, v in rows_b.items():
        cur = delta.setdefault(k, [0] * N_FIELDS)
        for i, x in enumerate(v):
            cur[i] -= x
    fine, per_unit = [], {}
    for (key, day), values in delta.items():
        if not any(values):
            continue
        province, unit, handling, procedure, channel = key
        fine.append((day, province, unit, handling, procedure, channel, *values))
        u = per_unit.setdefault((day, province, unit, handling), [0] * N_FIELDS)
        for i, x in enumerate(values):
            u[i] += x
    repeats = {k: rep_a.get(k, 0) - rep_b.get(k, 0) for k in set(rep_a) | set(rep_b)}
    rep_items = [(kind, first, day, *key, n) for (key, kind, first, day), n in repeats.items() if n]
    _upsert(DossierRollup._meta.db_table, _FINE_COLS, ROLLUP_FIELDS, fine)
    _upsert(UnitRollup._meta.db_table, _UNIT_COLS, ROLLUP_FIELDS,
            [(*k, *v) for k, v in per_unit.items() if any(v)])
    per_month: dict = {}
    for (day, *rest), values in per_unit.items():
        m = per_month.setdefault((day.replace(day=1), *rest), [0] * N_FIELDS)
        for i, x in enumerate(values):
            m[i] += x
    _upsert(UnitMonthRollup._meta.db_table, _UNIT_COLS, ROLLUP_FIELDS,
            [(*k, *v) for k, v in per_month.items() if any(v)])
    _upsert(RollupRepeat._meta.db_table, _REPEAT_COLS, ("n",), rep_items)
    return len(fine) + len(rep_items)


def track(d: Dossier) -> Dossier:
    """Remember what the (locked, unchanged) dossier contributes now; `sync` later applies the difference."""
    d._rollup_before = contribution(snapshot(d))
    return d


def sync(d: Dossier) -> None:
    """Apply the change of the dossier's contribution since `track` (or since nothing: a new dossier).

    Called by every service that changes a dossier, after saving it, inside the same transaction.
    """
    before = getattr(d, "_rollup_before", None) or ({}, {})
    after = contribution(snapshot(d))
    apply_delta(before, after)
    d._rollup_before = after


def forget(d: Dossier) -> None:
    """A dossier about to be deleted: remove what it contributed (call before the delete, same transaction)."""
    apply_delta(contribution(snapshot(d)), ({}, {}))


# ------------------------------------------------------------------------------------------ rebuild

def _month_end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _split(a: date | None, b: date) -> tuple[tuple[date, date] | None, list[tuple[date | None, date]]]:
    """[a, b] (a None: from the beginning) as whole months (first days, inclusive) and the days left over."""
    lo = a if a is None or a.day == 1 else _month_end(a) + timedelta(days=1)
    hi_end = b if b == _month_end(b) else b.replace(day=1) - timedelta(days=1)
    if lo is not None and lo > hi_end:
        return None, [(a, b)]
    hi = hi_end.replace(day=1)
    days = []
    if a is not None and a < lo:
        days.append((a, lo - timedelta(days=1)))
    if hi_end < b:
        days.append((hi_end + timedelta(days=1), b))
    return (lo, hi), days


def _bounds(date_from: date | None, date_to: date | None, tz) -> tuple[datetime | None, datetime | None]:
    start = datetime.combine(date_from - timedelta(days=1), datetime.min.time(), tzinfo=tz) if date_from else None
    end = datetime.combine(date_to + timedelta(days=1), datetime.min.time(), tzinfo=tz) if date_to else None
    return start, end


def rebuild(*, province=None, date_from: date | None = None, date_to: date | None = None, chunk: int = 5000) -> dict:
    """Recompute the rollup rows (of one province, of days in [date_from, date_to]) from the dossiers.

    Deletes the rows in range and writes them again from `contribution` of every dossier that can contribute
    to a day in range (received before its end; not closed and not returned before its start − 1 day).
    One transaction: readers see the old rows or the new ones, never a half.
    """
    if date_from and date_to and date_to < date_from:
        from cchc.core.errors import DomainError

        raise DomainError("date_to: ngày kết thúc trước ngày bắt đầu.", code="invalid_period", field="date_to")
    tz = timezone.get_default_timezone()
    start, end = _bounds(date_from, date_to, tz)

    def in_range(day: date) -> bool:
        return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)

    day_q = Q()
    if date_from:
        day_q &= Q(day__gte=date_from)
    if date_to:
        day_q &= Q(day__lte=date_to)
    scope_q = day_q & (Q(province=province) if province is not None else Q())
    dossiers = Dossier.objects.filter(received_at__isnull=False)
    if province is not None:
        dossiers = dossiers.filter(province=province)
    if end is not None:
        dossiers = dossiers.filter(received_at__lt=end)
    if start is not None:
        dossiers = dossiers.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start) | Q(returned_at__gte=start))
    fields = ["pk", "province_id", "unit_id", "handling_unit_id", "procedure_id", "channel", "status", "received_at",
              "due_at", "due_date", "settled_at", "settled_on", "returned_at", "closed_at", "paused_since",
              "has_electronic_documents", "has_electronic_result", "fee_amount", "payment_status"]
    acc: dict = {}
    rep_acc: dict = defaultdict(int)
    calendars: dict = {}
    n = 0
    with transaction.atomic():
        DossierRollup.objects.filter(scope_q).delete()
        UnitRollup.objects.filter(scope_q).delete()
        RollupRepeat.objects.filter(scope_q).delete()
        ids = list(dossiers.order_by("pk").values_list("pk", flat=True))
        for i in range(0, len(ids), chunk):
            part = ids[i:i + chunk]
            pauses = defaultdict(list)
            for did, kind, started, ws in DossierPause.objects.filter(dossier_id__in=part).values_list(
                    "dossier_id", "kind", "started_at", "working_seconds"):
                pauses[did].append((kind, started, ws))
            letters = defaultdict(list)
            for did, at, late in ApologyLetter.objects.filter(dossier_id__in=part).values_list("dossier_id", "issued_at", "issued_late"):
                letters[did].append((at, late))
            ratings = dict(DossierRating.objects.filter(dossier_id__in=part).values_list("dossier_id", "overall"))
            for values in Dossier.objects.filter(pk__in=part).values_list(*fields):
                row = dict(zip(fields, values, strict=True))
                s = _snapshot_from_row(row, pauses.get(row["pk"], []), letters.get(row["pk"], []), ratings.get(row["pk"]), calendars)
                rows, reps = contribution(s, tz)
                for k, v in rows.items():
                    if not in_range(k[1]):
                        continue
                    cur = acc.get(k)
                    if cur is None:
                        acc[k] = v
                    else:
                        for j, x in enumerate(v):
                            cur[j] += x
                for k, v in reps.items():
                    if in_range(k[3]):
                        rep_acc[k] += v
                n += 1
        fine = [(day, *key, *v) for (key, day), v in acc.items() if any(v)]
        per_unit: dict = {}
        for (key, day), v in acc.items():
            u = per_unit.setdefault((day, key[0], key[1], key[2]), [0] * N_FIELDS)
            for j, x in enumerate(v):
                u[j] += x
        _upsert(DossierRollup._meta.db_table, _FINE_COLS, ROLLUP_FIELDS, fine)
        _upsert(UnitRollup._meta.db_table, _UNIT_COLS, ROLLUP_FIELDS, [(*k, *v) for k, v in per_unit.items() if any(v)])
        _upsert(RollupRepeat._meta.db_table, _REPEAT_COLS, ("n",),
                [(kind, first, day, *key, v) for (key, kind, first, day), v in rep_acc.items() if v])
        # months touched by the range: summed again from the days (whole months, also outside the range)
        months = UnitMonthRollup.objects.all() if province is None else UnitMonthRollup.objects.filter(province=province)
        days = UnitRollup.objects.all() if province is None else UnitRollup.objects.filter(province=province)
        if date_from:
            months, days = months.filter(day__gte=date_from.replace(day=1)), days.filter(day__gte=date_from.replace(day=1))
        if date_to:
            months, days = months.filter(day__lte=date_to), days.filter(day__lte=_month_end(date_to))
        months.delete()
        per_month: dict = {}
        for row in days.values_list("day", "province_id", "unit_id", "handling_unit_id", *ROLLUP_FIELDS).iterator(chunk_size=20000):
            m = per_month.setdefault((row[0].replace(day=1), *row[1:4]), [0] * N_FIELDS)
            for j, x in enumerate(row[4:]):
                m[j] += x
        _upsert(UnitMonthRollup._meta.db_table, _UNIT_COLS, ROLLUP_FIELDS, [(*k, *v) for k, v in per_month.items() if any(v)])
    return {"dossiers": n, "rows": len(fine), "unit_rows": sum(1 for v in per_unit.values() if any(v)),
            "repeat_rows": sum(1 for v in rep_acc.values() if v),
            "province": getattr(province, "code", None), "date_from": date_from.isoformat() if date_from else None,
            "date_to": date_to.isoformat() if date_to else None}


def _snapshot_from_row(row: dict, pauses, letters, rating, calendars) -> Snapshot:
    return snapshot(SimpleNamespace(**row), pauses=pauses, letters=letters, rating=rating, calendars=calendars)


# ------------------------------------------------------------------------------------------ reads
# The same rows as selectors.dossier_statistics, read from the rollup tables.

COUNT_NAMES = ("carried_over", "received_new", "settled", "settled_early", "settled_on_time", "settled_late",
               "in_process_not_due", "in_process_overdue", "returned", "returned_late", "supplemented", "rejected",
               "withdrawn", "apology_issued", "apology_issued_late", "received_online",
               "received_with_electronic_documents", "settled_with_electronic_result")
FLOW_NAMES = ("received_new", "settled", "settled_early", "settled_on_time", "settled_late", "returned", "returned_late",
              "supplemented", "rejected", "withdrawn", "apology_issued", "apology_issued_late", "received_online",
              "received_with_electronic_documents", "settled_with_electronic_result")
EXTRA_FLOWS = ("received_fee_bearing", "received_paid_online", "settled_working_seconds", "supplement_requests",
               "pauses_started", "settled_digitised_with_result", "settled_dissatisfied", "settled_elapsed_seconds")


def _scope(qs, *, units=None, user=None, procedure=None, channel=None, where=None, procedure_field=None):
    """The filters of dossier_statistics on a rollup table or the dossier table (same field names).

    The viewer's scope is `dossiers_for_user` (receiving or handling unit in scope) written as two IN lists of
    the unit ids in scope (`selectors.scope_unit_ids`, the same predicate as accounts.permissions.scope_q on a
    unit): no join, no subquery over the dossier table."""
    from .selectors import scope_unit_ids

    if units is not None:
        qs = qs.filter(unit__in=list(units))
    if user is not None:
        ids = scope_unit_ids(user)
        if ids is not None:
            ids = sorted(ids)
            if qs.model is Dossier:
                qs = qs.filter(Q(unit_id__in=ids) | Q(handling_unit_id__in=ids))
            else:  # "+ 0": the day range, not the unit indexes, is what narrows a rollup read (SQLite's planner)
                qs = qs.alias(scope_u=F("unit_id") + 0, scope_h=F("handling_unit_id") + 0).filter(
                    Q(scope_u__in=ids) | Q(scope_h__in=ids))
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    if procedure_field:
        qs = qs.filter(procedure__field=procedure_field)
    if channel:
        qs = qs.filter(channel=channel)
    if where is not None:
        qs = qs.filter(where)
    return qs


def _changed_between(start: datetime, end: datetime) -> list[int]:
    """Dossiers with a received, closed or due instant in [start, end): three indexed range reads."""
    ids: set[int] = set()
    for field in ("received_at", "closed_at", "due_at"):
        ids.update(Dossier.objects.filter(**{f"{field}__gte": start, f"{field}__lt": end}).values_list("pk", flat=True))
    return sorted(ids)


def rollup_statistics(
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
    extra: bool = False,
    procedure_field: str | None = None,
) -> list[dict]:
    """`selectors.dossier_statistics` from the rollups: same arguments, same rows, same figures.

    Reads UnitRollup when neither procedure nor channel is asked for (by group or filter), else DossierRollup.
    `extra=True` adds received_fee_bearing, received_paid_online, settled_working_seconds, supplement_requests
    and pauses_started (figures the live selector does not compute), and the 766 index's figures
    settled_digitised_with_result, settled_dissatisfied, settled_elapsed_seconds and in_process_dissatisfied
    (open at the cut-off and rated dissatisfied). `procedure_field` keeps the procedures of one lĩnh vực
    (reads DossierRollup). `where` must hold only fields the rollup tables share with Dossier (province, unit,
    handling_unit; procedure only with a procedure filter). Groups whose every figure is 0 are left out, as
    the live query (which only sees dossiers that count somewhere) does.
    """
    from cchc.core.errors import DomainError

    from .selectors import GROUP_FIELDS, _pct, period_bounds, q_open_at, q_overdue_at

    if date_to < date_from:
        raise DomainError("date_to: ngày kết thúc trước ngày bắt đầu.", code="invalid_period", field="date_to")
    group_by = tuple(group_by or ())
    for g in group_by:
        if g not in GROUP_FIELDS:
            raise DomainError(f"group_by: không hỗ trợ nhóm theo {g!r}.", code="invalid_choice", field="group_by")
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    start, end = period_bounds(date_from, date_to)
    fine = bool(procedure is not None or channel or procedure_field or {"procedure", "channel"} & set(group_by))
    model = DossierRollup if fine else UnitRollup
    if now >= end:  # the states at the end of the period: sum of deltas of days ≤ the day after date_to
        state_day, tail_from = date_to + timedelta(days=1), None
    else:  # at `now`: the deltas up to today's start, then the dossiers with an instant in [today 0:00, now)
        state_day = timezone.localtime(now, tz).date()
        tail_from = datetime.combine(state_day, datetime.min.time(), tzinfo=tz)
    value_fields: dict[str, str] = {}
    for g in group_by:
        value_fields.update(GROUP_FIELDS[g])
    scope = {"units": units, "user": user, "procedure": procedure, "channel": channel, "where": where,
             "procedure_field": procedure_field}

    def grouped(qs, aggregates: dict) -> list[dict]:
        fields = dict(value_fields)
        if extra_groups:
            qs = qs.annotate(**{f"group_{k}": v for k, v in extra_groups.items()})
            fields.update({k: f"group_{k}" for k in extra_groups})
        if fields:
            out = list(qs.values(*fields.values()).annotate(**aggregates).order_by())
        else:
            out = [qs.aggregate(**aggregates)]
        return [({k: r.get(src) for k, src in fields.items()}, r) for r in out]

    flows = FLOW_NAMES + (EXTRA_FLOWS if extra else ())
    # (figure, column, first day or None = since the beginning, last day)
    wanted = [(name, name, date_from, date_to) for name in flows] + [
        ("carried_over", "open_delta", None, date_from), ("open_at", "open_delta", None, state_day),
        ("overdue_at", "overdue_delta", None, state_day)]
    if extra:
        wanted.append(("dissatisfied_at", "dissatisfied_open_delta", None, state_day))
    merged: dict = {}

    def merge(keys: dict, values: dict, sign: int = 1) -> None:
        k = tuple(keys.items())
        cur = merged.setdefault(k, defaultdict(int))
        for name, v in values.items():
            cur[name] += sign * (v or 0)

    def q_days(lo: date | None, hi: date) -> Q:
        return Q(day__lte=hi) if lo is None else Q(day__gte=lo, day__lte=hi)

    if fine:
        aggregates = {name: Sum(col, filter=q_days(lo, hi)) for name, col, lo, hi in wanted}
        queries = [(_scope(model.objects.filter(day__lte=max(date_to, state_day)), **scope), aggregates)]
    else:  # whole months from UnitMonthRollup, the days of partial months from UnitRollup
        month_aggr, day_aggr, day_months = {}, {}, set()
        for name, col, lo, hi in wanted:
            months, days = _split(lo, hi)
            if months is not None:
                month_aggr[name] = Sum(col, filter=q_days(*months))
            if days:
                q = Q()
                for d_lo, d_hi in days:
                    q |= q_days(d_lo, d_hi)
                    day_months.update({d_hi.replace(day=1), (d_lo or d_hi).replace(day=1)})
                day_aggr[name] = Sum(col, filter=q)
        queries = []
        if month_aggr:
            queries.append((_scope(UnitMonthRollup.objects.filter(day__lte=max(date_to, state_day)), **scope), month_aggr))
        if day_aggr:
            for m in sorted(day_months):  # one range read per partial month (the key starts with the day)
                queries.append((_scope(UnitRollup.objects.filter(day__gte=m, day__lte=_month_end(m)), **scope), day_aggr))
    for qs, aggregates in queries:
        for keys, r in grouped(qs, aggregates):
            merge(keys, {n: r.get(n) for n in aggregates})
    reps = _scope(RollupRepeat.objects.filter(first_day__gte=date_from, day__lte=date_to), **scope)
    rep_aggregates = {kind: Sum("n", filter=Q(kind=kind)) for kind in REPEAT_KINDS}
    for keys, r in grouped(reps, rep_aggregates):
        merge(keys, {kind: r.get(kind) for kind in REPEAT_KINDS}, -1)
    if tail_from is not None and tail_from < now:
        tail = _scope(Dossier.objects.filter(pk__in=_changed_between(tail_from, now), received_at__isnull=False), **scope)
        from django.db.models import Count

        from .selectors import Q_DISSATISFIED

        tail_aggr = {"open_now": Count("pk", filter=q_open_at(now)), "open_then": Count("pk", filter=q_open_at(tail_from)),
                     "overdue_now": Count("pk", filter=q_overdue_at(now)),
                     "overdue_then": Count("pk", filter=q_overdue_at(tail_from))}
        if extra:
            tail_aggr["dissatisfied_now"] = Count("pk", filter=q_open_at(now) & Q_DISSATISFIED)
            tail_aggr["dissatisfied_then"] = Count("pk", filter=q_open_at(tail_from) & Q_DISSATISFIED)
        for keys, r in grouped(tail, tail_aggr):
            merge(keys, {"open_at": (r["open_now"] or 0) - (r["open_then"] or 0),
                         "overdue_at": (r["overdue_now"] or 0) - (r["overdue_then"] or 0),
                         "dissatisfied_at": (r.get("dissatisfied_now") or 0) - (r.get("dissatisfied_then") or 0)})
    out = []
    for k, v in merged.items():
        item = dict(k)
        for name in FLOW_NAMES + (EXTRA_FLOWS if extra else ()):
            item[name] = v.get(name, 0)
        item["carried_over"] = v.get("carried_over", 0)
        item["in_process_overdue"] = v.get("overdue_at", 0)
        item["in_process_not_due"] = v.get("open_at", 0) - item["in_process_overdue"]
        if extra:
            item["in_process_dissatisfied"] = v.get("dissatisfied_at", 0)
        if group_by or extra_groups:
            if not any(item[name] for name in COUNT_NAMES):
                continue
        item["received"] = item["carried_over"] + item["received_new"]
        item["in_process"] = item["in_process_not_due"] + item["in_process_overdue"]
        item["on_time_rate"] = _pct(item["settled_early"] + item["settled_on_time"], item["settled"])
        item["late_rate"] = _pct(item["settled_late"], item["settled"])
        item["online_share"] = _pct(item["received_online"], item["received_new"])
        item["digitised_documents_share"] = _pct(item["received_with_electronic_documents"], item["received_new"])
        item["electronic_result_share"] = _pct(item["settled_with_electronic_result"], item["settled"])
        out.append(item)
    if not group_by and not extra_groups and not out:
        out = [{**{n: 0 for n in COUNT_NAMES}, "received": 0, "in_process": 0, "on_time_rate": None, "late_rate": None,
                "online_share": None, "digitised_documents_share": None, "electronic_result_share": None,
                **({n: 0 for n in (*EXTRA_FLOWS, "in_process_dissatisfied")} if extra else {})}]
    keys = list(value_fields) + list(extra_groups or {})
    out.sort(key=lambda r: tuple((r.get(k) is None, r.get(k) if r.get(k) is not None else "") for k in keys))
    return out


def procedures_with(*counters: str, date_from: date, date_to: date, where: Q | None = None,
                    procedure_field: str | None = None) -> dict[str, set[int]]:
    """{counter: ids of the procedures with that counter > 0 summed over the days of [date_from, date_to]}
    (DossierRollup), e.g. "≥ 1 online dossier received in the period" = procedures_with("received_online", …):
    one grouped read for all the counters."""
    for counter in counters:
        if counter not in ROLLUP_FLOW_FIELDS:
            raise ValueError(f"procedures_with: {counter!r} is not a flow counter.")
    qs = _scope(DossierRollup.objects.filter(day__gte=date_from, day__lte=date_to), where=where,
                procedure_field=procedure_field)
    any_positive = Q()
    for counter in counters:
        any_positive |= Q(**{f"{counter}__gt": 0})
    rows = qs.filter(any_positive).values("procedure_id").annotate(**{f"n_{c}": Sum(c) for c in counters}).order_by()
    out: dict[str, set[int]] = {c: set() for c in counters}
    for r in rows:
        for c in counters:
            if r[f"n_{c}"]:
                out[c].add(r["procedure_id"])
    return out


def monthly_series(*, user, date_from: date, date_to: date, units=None) -> dict:
    """Received (new), settled and late per month of the period, from UnitRollup (one query grouped by day)."""
    from .selectors import month_bounds

    months = month_bounds(date_from, date_to)
    qs = _scope(UnitRollup.objects.filter(day__gte=date_from, day__lte=date_to), units=units, user=user)
    by_day = qs.values("day").annotate(n=Sum("received_new"), s=Sum("settled"), l=Sum("settled_late")).order_by()
    out = {"labels": [label for label, _, _ in months], "received_new": [0] * len(months), "settled": [0] * len(months),
           "settled_late": [0] * len(months)}
    for r in by_day:
        i = next(k for k, (_, m_from, m_to) in enumerate(months) if m_from <= r["day"] <= m_to)
        out["received_new"][i] += r["n"] or 0
        out["settled"][i] += r["s"] or 0
        out["settled_late"][i] += r["l"] or 0
    return out


def total_row(rows: list[dict]) -> dict:
    """The total of rows that partition the dossiers (e.g. the rows by responsible unit): counts summed, rates
    recomputed by the selectors' formulas. Equal to rollup_statistics(group_by=()) for the same arguments."""
    from .selectors import _pct

    item = {name: sum(r[name] for r in rows) for name in (*COUNT_NAMES, "received", "in_process")}
    item["on_time_rate"] = _pct(item["settled_early"] + item["settled_on_time"], item["settled"])
    item["late_rate"] = _pct(item["settled_late"], item["settled"])
    item["online_share"] = _pct(item["received_online"], item["received_new"])
    item["digitised_documents_share"] = _pct(item["received_with_electronic_documents"], item["received_new"])
    item["electronic_result_share"] = _pct(item["settled_with_electronic_result"], item["settled"])
    return item
