"""Rollups (số liệu tổng hợp) equal the live statistics (selectors.dossier_statistics) after any history.

The randomized test drives dossiers through random actions at random, often back-dated, instants (receipts,
online submissions and acceptance, hand-overs to another unit, supplements and their answer, legal pauses,
apology letters on several days, results on the exact due second, returns, refusals, withdrawals, payments,
electronic documents, deletions) and after each batch compares every figure for random periods, cut-offs
(`now` at midnight, inside a day, on a due second), groupings and viewers; then it rebuilds the tables from
the dossiers and checks the rebuilt rows equal the incrementally maintained ones.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from cchc.accounts.models import Role, User
from cchc.core.errors import ConflictError, DomainError, ForbiddenError
from cchc.dossiers import rollups, services
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import (
    Dossier,
    DossierDocument,
    DossierRollup,
    RollupRepeat,
    UnitMonthRollup,
    UnitRollup,
)
from cchc.dossiers.rollups import rollup_statistics
from cchc.dossiers.selectors import (
    Q_FEE_CHARGED,
    Q_PAID_ONLINE,
    dossier_statistics,
    month_bounds,
    period_bounds,
    q_received_new,
    row_unit_expression,
    scope_unit_ids,
)

from .factories import applicant

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
BASE = datetime(2026, 3, 2, 0, 0, tzinfo=VN)  # Monday
GROUPINGS = [(), ("unit",), ("procedure",), ("channel",), ("unit", "procedure", "channel")]


def _instant(rng: random.Random, lo: datetime, days: int = 20) -> datetime:
    """A random instant after `lo`: mostly working hours, sometimes exactly midnight or a second before it."""
    day = (lo + timedelta(days=rng.randint(0, days))).date()
    kind = rng.random()
    if kind < 0.1:
        t = datetime.combine(day, datetime.min.time(), tzinfo=VN)
    elif kind < 0.15:
        t = datetime.combine(day, datetime.min.time(), tzinfo=VN) - timedelta(seconds=1)
    else:
        t = datetime.combine(day, datetime.min.time(), tzinfo=VN) + timedelta(hours=rng.randint(7, 17), minutes=rng.choice([0, 1, 30, 59]))
    return max(t, lo)


def _actor(world, d):
    for name in ("officer", "desk_officer", "specialist", "specialist2", "head", "commune_head", "centre_head"):
        if services.can_process_dossier(world[name], d):
            return world[name]
    return world["officer"]


def _last_event(d) -> datetime:
    """The latest instant recorded on the dossier: actions are back-dated (long before the wall clock, in any
    order across dossiers) but never before the dossier's own previous action."""
    times = [d.received_at, d.submitted_at, d.settled_at, d.closed_at, d.returned_at, d.paused_since]
    times += [p.started_at for p in d.pauses.all()] + [p.ended_at for p in d.pauses.all()]
    times += [a.issued_at for a in d.apologies.all()] + [s.sent_at for s in d.steps.all()]
    return max([t for t in times if t is not None], default=BASE)


def _step(world, rng: random.Random, alive: list) -> None:
    """One random action: a new dossier, an action on an existing one, or a deletion."""
    r = rng.random()
    if r < 0.22 or not alive:
        at_desk = rng.random() < 0.35
        unit, officer, proc = (("desk", "desk_officer", "commune_procedure") if at_desk else ("centre", "officer", "procedure"))
        if rng.random() < 0.2 and not at_desk:
            d = services.dossier_submit_online(procedure_code=world[proc].code, unit_code=world[unit].code, applicant=applicant())
        else:
            d = services.dossier_receive(
                actor=world[officer], procedure_code=world[proc].code, unit_code=world[unit].code,
                channel=rng.choice(["counter", "online", "post"]), applicant=applicant(),
                received_at=_instant(rng, BASE, 25),
                payment={"status": "paid_online"} if rng.random() < 0.2 else None)
        alive.append(d.pk)
        return
    d = Dossier.objects.get(pk=rng.choice(alive))
    if r < 0.25:  # deletion (a cancelled record removed by an administrator): forget, then delete
        pk = d.pk
        with transaction.atomic():
            rollups.forget(Dossier.objects.select_for_update().get(pk=pk))
            d.delete()
        alive.remove(pk)
        return
    if r < 0.29:
        with transaction.atomic():
            locked = Dossier.objects.select_for_update().get(pk=d.pk)
            services.document_record(dossier=locked, kind=rng.choice([DossierDocument.KIND_INPUT, DossierDocument.KIND_RESULT]),
                                     name="Tệp", file_path="x/y.pdf", original_name="y.pdf", content_type="application/pdf",
                                     size=10, sha256="0" * 64, user=None, audit_data={})
        return
    if r < 0.31 and d.fee_amount:
        try:
            services.dossier_record_payment(dossier=d, actor=_actor(world, d), status=rng.choice(["paid_online", "paid_counter", "unpaid"]))
        except (DomainError, ConflictError, ForbiddenError):
            pass
        return
    actions = wf.allowed_actions(d.status)
    if not actions:
        return
    action = rng.choice(actions)
    start = _last_event(d)
    params: dict = {}
    at = _instant(rng, start, 12)
    if rng.random() < 0.25 and d.due_at is not None:  # exactly on the due second, or one second either side
        at = max(start, d.due_at + timedelta(seconds=rng.choice([-1, 0, 1])))
    if action in (wf.ASSIGN, wf.HANDOVER):
        if d.unit_id == world["desk"].pk:
            params["handling_unit_code"] = world["commune"].code
        else:
            params["handling_unit_code"] = rng.choice([world["dept"].code, world["centre"].code])
    if action == wf.APOLOGISE:
        params["new_due_at"] = (d.promised_at or d.due_at or at) + timedelta(days=rng.randint(1, 5))
    if action == wf.COMPLETE:
        params["electronic_result"] = rng.random() < 0.5
    reason = "Lý do kiểm thử"
    try:
        services.dossier_transition(dossier=d, action=action, actor=_actor(world, d), version=d.version, at=at,
                                    reason=reason, **params)
    except (DomainError, ConflictError, ForbiddenError):
        pass


def _diff(a: dict, b: dict) -> dict:
    out = {}
    for k in set(a) | set(b):
        ra, rb = a.get(k, {}), b.get(k, {})
        out[k] = {f: (ra.get(f), rb.get(f)) for f in set(ra) | set(rb) if ra.get(f) != rb.get(f)}
    return out


def _figures(rows, keys) -> dict:
    """Rows by group key; a group whose every count is 0 is left out (the live query lists a group holding only a
    dossier settled before the period and returned after it, all its figures 0; the rollups do not)."""
    return {_key(r, keys): r for r in rows if not (keys and all(r[n] == 0 for n in rollups.COUNT_NAMES))}


def _key(row: dict, keys) -> tuple:
    return tuple(row.get(k) for k in keys)


def _compare(world, rng: random.Random, label: str) -> None:
    viewers = [None, world["leader"], world["head"], world["commune_head"], world["officer"], world["desk_officer"]]
    for _ in range(3):
        d_from = (BASE + timedelta(days=rng.randint(-3, 30))).date()
        d_to = d_from + timedelta(days=rng.choice([0, 1, 6, 13, 40]))
        end = datetime.combine(d_to + timedelta(days=1), datetime.min.time(), tzinfo=VN)
        now = rng.choice([end + timedelta(days=3), end, end - timedelta(seconds=1), _instant(rng, BASE - timedelta(days=2), 45),
                          datetime.combine(d_from, datetime.min.time(), tzinfo=VN) + timedelta(hours=9)])
        due = Dossier.objects.filter(due_at__isnull=False).order_by("?").values_list("due_at", flat=True).first()
        if due is not None and rng.random() < 0.3:
            now = due + timedelta(seconds=rng.choice([0, 1]))
        # a cut-off before the period starts is never asked (pages refuse periods starting after today); the
        # live query then also drops dossiers closed between the cut-off and the start, which means nothing
        now = max(now, datetime.combine(d_from, datetime.min.time(), tzinfo=VN))
        user = rng.choice(viewers)
        for group_by in GROUPINGS:
            args = {"date_from": d_from, "date_to": d_to, "group_by": group_by, "now": now, "user": user}
            live = _figures(dossier_statistics(**args), group_by)
            rolled = _figures(rollup_statistics(**args), group_by)
            assert rolled == live, (label, args, _diff(rolled, live))
        scope = scope_unit_ids(user) if user is not None else None
        extra = {"row_unit": row_unit_expression(scope)}
        args = {"date_from": d_from, "date_to": d_to, "group_by": (), "now": now, "user": user, "extra_groups": extra}
        live = _figures(dossier_statistics(**args), ("row_unit",))
        rolled = _figures(rollup_statistics(**args), ("row_unit",))
        assert rolled == live, (label, "row_unit", args)
        [total] = dossier_statistics(**{**args, "extra_groups": None})
        assert rollups.total_row(list(rolled.values())) == {k: total[k] for k in rollups.total_row([])}, label
        # the dashboard's monthly line and the figures only the rollups keep (fees, online payment)
        months = rollups.monthly_series(user=user, date_from=d_from, date_to=d_to)
        for i, (_, m_from, m_to) in enumerate(month_bounds(d_from, d_to)):
            [m] = dossier_statistics(date_from=m_from, date_to=m_to, group_by=(), now=now, user=user)
            assert (months["received_new"][i], months["settled"][i], months["settled_late"][i]) == (
                m["received_new"], m["settled"], m["settled_late"]), (label, "month", m_from)
        [row] = rollup_statistics(date_from=d_from, date_to=d_to, group_by=(), now=now, extra=True)
        start, end = period_bounds(d_from, d_to)
        new = Dossier.objects.filter(q_received_new(start, end))
        assert row["received_fee_bearing"] == new.filter(Q_FEE_CHARGED).count(), label
        assert row["received_paid_online"] == new.filter(Q_PAID_ONLINE).count(), label
        _check_766_counters(label, d_from, d_to, now)


def _table(model, fields) -> dict:
    out = {}
    for row in model.objects.values(*fields):
        k = tuple(row[f] for f in fields if f not in model_counter_fields(model))
        v = tuple(row[f] for f in fields if f in model_counter_fields(model))
        if any(v):
            out[k] = v
    return out


def model_counter_fields(model) -> set:
    from cchc.dossiers.models import ROLLUP_FIELDS

    return set(ROLLUP_FIELDS) | {"n"}


def _tables() -> dict:
    from cchc.dossiers.models import ROLLUP_FIELDS

    return {
        "fine": _table(DossierRollup, ["day", "unit_id", "handling_unit_id", "procedure_id", "channel", *ROLLUP_FIELDS]),
        "unit": _table(UnitRollup, ["day", "unit_id", "handling_unit_id", *ROLLUP_FIELDS]),
        "month": _table(UnitMonthRollup, ["day", "unit_id", "handling_unit_id", *ROLLUP_FIELDS]),
        "repeat": _table(RollupRepeat, ["kind", "first_day", "day", "unit_id", "handling_unit_id", "procedure_id", "channel", "n"]),
    }


@pytest.mark.parametrize("seed", [11, 23, 47])
def test_rollups_equal_the_live_statistics_after_any_random_history(world, seed):
    rng = random.Random(seed)
    world["head"] = User.objects.get(username="giamdoc.sotp")
    alive: list = []
    for batch in range(6):
        for _ in range(25):
            _step(world, rng, alive)
        _compare(world, rng, f"seed {seed} batch {batch}")
    incremental = _tables()
    assert incremental["fine"], "the history produced rollup rows"
    rollups.rebuild()
    assert _tables() == incremental
    _compare(world, rng, f"seed {seed} after rebuild")


# ------------------------------------------------------------------------------------------ out of order

def _check_766_counters(label, d_from, d_to, now) -> None:
    """The counters the 766 index reads (extra=True) equal their live definitions on the dossier table."""
    from cchc.dossiers.selectors import (
        Q_DISSATISFIED,
        Q_ELECTRONIC_DOCUMENTS,
        Q_ELECTRONIC_RESULT,
        q_open_at,
        q_settled_in,
    )

    [row] = rollup_statistics(date_from=d_from, date_to=d_to, group_by=(), now=now, extra=True)
    start, end = period_bounds(d_from, d_to)
    settled = Dossier.objects.filter(q_settled_in(start, end))
    live = {
        "settled_digitised_with_result": settled.filter(Q_ELECTRONIC_RESULT & Q_ELECTRONIC_DOCUMENTS).count(),
        "settled_dissatisfied": settled.filter(Q_DISSATISFIED).count(),
        "settled_elapsed_seconds": sum(rollups.elapsed_seconds(r, t) for r, t in settled.values_list("received_at", "settled_at")),
        "in_process_dissatisfied": Dossier.objects.filter(q_open_at(min(end, now)) & Q_DISSATISFIED).count(),
    }
    assert {k: row[k] for k in live} == live, (label, d_from, d_to, now)


def _compare_periods(world, rng: random.Random, label: str, periods) -> None:
    """rollups == live for fixed periods around the month and year ends, at a cut-off after everything (and, for
    every other period, at a random instant inside it); a random viewer of three; the total and the finest grouping."""
    viewers = [None, world["leader"], world["head"]]
    last = max(_last_event(d) for d in Dossier.objects.prefetch_related("pauses", "apologies", "steps"))
    for i, (d_from, d_to) in enumerate(periods):
        start, end = period_bounds(d_from, d_to)
        nows = [max(end, last) + timedelta(days=1)]
        if i % 2 == 0:  # every other period also at an instant inside it (a running period)
            nows.append(start + (end - start) * rng.random())
        for now in nows:
            user = rng.choice(viewers)
            for group_by in [(), ("unit", "procedure", "channel")]:
                args = {"date_from": d_from, "date_to": d_to, "group_by": group_by, "now": now, "user": user}
                live = _figures(dossier_statistics(**args), group_by)
                rolled = _figures(rollup_statistics(**args), group_by)
                assert rolled == live, (label, args, _diff(rolled, live))
            _check_766_counters(label, d_from, d_to, now)


def _act_in(world, rng: random.Random, d, lo: datetime, hi: datetime, actions=None) -> bool:
    """One workflow action on `d` effective at a random instant in [max(lo, the dossier's last event), hi] (the
    wall clock is December 2026: every action is recorded long after its effective date)."""
    d = Dossier.objects.get(pk=d.pk)
    allowed = [a for a in wf.allowed_actions(d.status) if actions is None or a in actions]
    start = max(lo, _last_event(d))
    if not allowed or start > hi:
        return False
    action = rng.choice(allowed)
    at = start + (hi - start) * rng.random()
    at = at.replace(microsecond=0) if rng.random() < 0.8 else at
    params: dict = {}
    if action in (wf.ASSIGN, wf.HANDOVER):
        params["handling_unit_code"] = (world["commune"].code if d.unit_id == world["desk"].pk
                                        else rng.choice([world["dept"].code, world["centre"].code]))
    if action == wf.APOLOGISE:
        params["new_due_at"] = (d.promised_at or d.due_at or at) + timedelta(days=rng.randint(1, 5))
    if action == wf.COMPLETE:
        params["electronic_result"] = rng.random() < 0.5
    try:
        services.dossier_transition(dossier=d, action=action, actor=_actor(world, d), version=d.version, at=at,
                                    reason="Lý do kiểm thử", **params)
    except (DomainError, ConflictError, ForbiddenError):
        return False
    return True


def _receive_in(world, rng: random.Random, lo: datetime, hi: datetime):
    at_desk = rng.random() < 0.3
    unit, officer, proc = (("desk", "desk_officer", "commune_procedure") if at_desk else ("centre", "officer", "procedure"))
    at = lo + (hi - lo) * rng.random()
    if rng.random() < 0.2:  # exactly at the turn of a day
        at = datetime.combine(at.date(), datetime.min.time(), tzinfo=VN) - timedelta(seconds=rng.choice([0, 1]))
        at = max(at, lo)
    return services.dossier_receive(
        actor=world[officer], procedure_code=world[proc].code, unit_code=world[unit].code,
        channel=rng.choice(["counter", "online", "post"]), applicant=applicant(), received_at=at,
        payment={"status": "paid_online"} if rng.random() < 0.3 else None)


def _correct(world, rng: random.Random, d) -> None:
    """A back-dated correction of an attribute: electronic documents/result, payment, the citizen's rating."""
    d = Dossier.objects.get(pk=d.pk)
    r = rng.random()
    if r < 0.4:
        with transaction.atomic():
            locked = Dossier.objects.select_for_update().get(pk=d.pk)
            services.document_record(dossier=locked, kind=rng.choice([DossierDocument.KIND_INPUT, DossierDocument.KIND_RESULT]),
                                     name="Tệp", file_path="x/y.pdf", original_name="y.pdf", content_type="application/pdf",
                                     size=10, sha256="0" * 64, user=None, audit_data={})
    elif r < 0.7 and d.fee_amount:
        try:
            services.dossier_record_payment(dossier=d, actor=_actor(world, d), status=rng.choice(["paid_online", "paid_counter", "unpaid"]))
        except (DomainError, ConflictError, ForbiddenError):
            pass
    elif d.status in (wf.RETURNED, wf.RETURNED_LATE):
        try:
            services.dossier_rate(code=d.code, token=d.lookup_token, overall=rng.choice([1, 2, 3, 5]))
        except (DomainError, ConflictError):
            pass


def _t(y, m, d, h=0, mi=0, s=0) -> datetime:
    return datetime(y, m, d, h, mi, s, tzinfo=VN)


@pytest.mark.parametrize("seed", [5])
def test_rollups_stay_equal_after_back_dated_corrections_and_out_of_order_actions(world, seed):
    """Sequences recorded out of the order of their effective dates: dossiers received last December and carried
    over into the new year; pauses and supplement requests started at the end of January and ended in February;
    results recorded for February, then actions for other dossiers effective in January (an earlier month whose
    rows were already read); receipts recorded today but effective last year; corrections of documents, payments
    and ratings that reach back to the receipt or result day of earlier months. After every sequence the rollups
    equal the live statistics for the months, quarter and years around those ends; at the end a rebuild gives the
    same rows."""
    rng = random.Random(seed)
    world["head"] = User.objects.get(username="giamdoc.sotp")
    periods = [(date(2025, 12, 1), date(2025, 12, 31)), (date(2026, 1, 1), date(2026, 1, 31)),
               (date(2026, 2, 1), date(2026, 2, 28)), (date(2025, 1, 1), date(2025, 12, 31)),
               (date(2026, 1, 1), date(2026, 12, 31)), (date(2025, 12, 29), date(2026, 1, 2)),
               (date(2026, 1, 31), date(2026, 2, 1))]
    old = [_receive_in(world, rng, _t(2025, 12, 15, 8), _t(2026, 1, 1)) for _ in range(10)]
    for d in old:  # some handed to a handling unit in December already
        if rng.random() < 0.5:
            _act_in(world, rng, d, _t(2025, 12, 15), _t(2025, 12, 31, 23, 59, 59), actions={wf.ASSIGN})
    _compare_periods(world, rng, f"seed {seed}: carried over from 2025", periods)

    jan = [_receive_in(world, rng, _t(2026, 1, 2, 8), _t(2026, 1, 28, 17)) for _ in range(6)]
    pool = old + jan
    for d in pool:  # pauses / supplement requests at the end of January
        if rng.random() < 0.6:
            _act_in(world, rng, d, _t(2026, 1, 29, 8), _t(2026, 2, 1) - timedelta(seconds=1),
                    actions={wf.PAUSE, wf.REQUEST_SUPPLEMENT, wf.ASSIGN})
    _compare_periods(world, rng, f"seed {seed}: paused at the end of January", periods)

    for d in rng.sample(pool, len(pool) // 2):  # February first: resumed, handed over, settled, returned
        for _ in range(3):
            _act_in(world, rng, d, _t(2026, 2, 2, 8), _t(2026, 2, 20, 17),
                    actions={wf.RESUME, wf.SUPPLY, wf.HANDOVER, wf.COMPLETE, wf.RETURN, wf.RETURN_LATE})
    _compare_periods(world, rng, f"seed {seed}: February recorded", periods)
    for d in pool:  # then January, recorded after February: the earlier month's rows change again
        _act_in(world, rng, d, _t(2026, 1, 2, 8), _t(2026, 1, 31, 23, 59, 59))
    late_receipts = [_receive_in(world, rng, _t(2025, 12, 20), _t(2025, 12, 31, 23, 59, 59)) for _ in range(3)]
    _compare_periods(world, rng, f"seed {seed}: January recorded after February, receipts dated last year", periods)

    pool += late_receipts
    for d in pool:  # whatever is still open: resumed after the month end, settled and returned in February
        for _ in range(4):
            _act_in(world, rng, d, _t(2026, 2, 1), _t(2026, 2, 27, 17),
                    actions={wf.RESUME, wf.SUPPLY, wf.ASSIGN, wf.COMPLETE, wf.RETURN, wf.RETURN_LATE, wf.APOLOGISE})
    for d in rng.sample(pool, len(pool) * 2 // 3):
        _correct(world, rng, d)
    _compare_periods(world, rng, f"seed {seed}: corrections", periods)

    incremental = _tables()
    rollups.rebuild()
    assert _tables() == incremental
    from cchc.dossiers.models import DossierPause, DossierRating

    # the sequence did what it says: a carry-over, a pause across the month end, a rating
    assert Dossier.objects.filter(received_at__lt=_t(2026, 1, 1)).exists()
    assert DossierPause.objects.filter(started_at__lt=_t(2026, 2, 1), ended_at__gte=_t(2026, 2, 1)).exists()
    assert DossierRating.objects.exists()


# ------------------------------------------------------------------------------------------ boundaries

def _receive(world, at, **kw):
    return services.dossier_receive(actor=world["officer"], procedure_code=world["procedure"].code,
                                    unit_code=world["centre"].code, applicant=applicant(), received_at=at, **kw)


def _act(world, d, action, at, actor="officer", **kw):
    d.refresh_from_db()
    return services.dossier_transition(dossier=d, action=action, actor=world[actor], version=d.version, at=at,
                                       reason="Lý do", **kw)


def both(**kw):
    kw.setdefault("group_by", ())
    [live] = dossier_statistics(**kw)
    [rolled] = rollup_statistics(**kw)
    return live, rolled


def test_a_dossier_closed_exactly_at_midnight_is_still_open_at_that_cutoff(world):
    d = _receive(world, datetime(2026, 3, 2, 9, 0, tzinfo=VN))
    _act(world, d, wf.REJECT, datetime(2026, 3, 4, 0, 0, tzinfo=VN))
    # period ending 3/3: cutoff 4/3 00:00; q_open_at counts closed_at >= cutoff
    live, rolled = both(date_from=date(2026, 3, 1), date_to=date(2026, 3, 3), now=datetime(2026, 4, 1, tzinfo=VN))
    assert live["in_process"] == rolled["in_process"] == 1
    # the next day starts with it closed, and it is counted as refused on the 4th, not the 3rd
    live, rolled = both(date_from=date(2026, 3, 4), date_to=date(2026, 3, 4), now=datetime(2026, 4, 1, tzinfo=VN))
    assert live["carried_over"] == rolled["carried_over"] == 1
    assert live["rejected"] == rolled["rejected"] == 1
    assert live["in_process"] == rolled["in_process"] == 0


@pytest.mark.parametrize("offset, overdue", [(-1, 0), (0, 0), (1, 1)])
def test_an_open_dossier_is_overdue_strictly_after_its_due_second_in_the_rollups_too(world, offset, overdue):
    d = _receive(world, datetime(2026, 3, 2, 9, 0, tzinfo=VN))
    d.refresh_from_db()
    now = d.due_at + timedelta(seconds=offset)
    live, rolled = both(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), now=now)
    assert live["in_process_overdue"] == rolled["in_process_overdue"] == overdue
    assert rolled["in_process"] == 1


def test_a_dossier_paused_before_its_due_is_not_overdue_and_one_paused_after_it_is(world):
    before, after = _receive(world, datetime(2026, 3, 2, 9, 0, tzinfo=VN)), _receive(world, datetime(2026, 3, 2, 9, 0, tzinfo=VN))
    before.refresh_from_db()
    _act(world, before, wf.PAUSE, before.due_at)  # at the due second: paused_since <= due_at
    _act(world, after, wf.PAUSE, before.due_at + timedelta(seconds=1))
    live, rolled = both(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), now=datetime(2026, 4, 1, tzinfo=VN))
    assert live["in_process_overdue"] == rolled["in_process_overdue"] == 1
    assert live["in_process"] == rolled["in_process"] == 2


def test_two_apology_letters_on_different_days_count_one_dossier_in_a_period_holding_both(world, django_user_model):
    d = _receive(world, datetime(2026, 3, 2, 9, 0, tzinfo=VN))
    _act(world, d, wf.ASSIGN, datetime(2026, 3, 2, 10, 0, tzinfo=VN), handling_unit_code=world["dept"].code)
    d.refresh_from_db()
    _act(world, d, wf.APOLOGISE, datetime(2026, 3, 3, 9, 0, tzinfo=VN), actor="specialist", new_due_at=d.due_at + timedelta(days=2))
    d.refresh_from_db()
    _act(world, d, wf.APOLOGISE, datetime(2026, 3, 4, 9, 0, tzinfo=VN), actor="specialist", new_due_at=d.promised_at + timedelta(days=2))
    now = datetime(2026, 4, 1, tzinfo=VN)
    for d_from, d_to, expected in [(date(2026, 3, 1), date(2026, 3, 31), 1), (date(2026, 3, 3), date(2026, 3, 3), 1),
                                   (date(2026, 3, 4), date(2026, 3, 4), 1), (date(2026, 3, 5), date(2026, 3, 31), 0)]:
        live, rolled = both(date_from=d_from, date_to=d_to, now=now)
        assert live["apology_issued"] == rolled["apology_issued"] == expected, (d_from, d_to)


def test_a_hand_over_moves_the_dossier_to_the_department_row(world):
    d = _receive(world, datetime(2026, 3, 2, 9, 0, tzinfo=VN))
    world["pp"].handling_unit = None
    kw = {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31), "now": datetime(2026, 4, 1, tzinfo=VN),
          "extra_groups": {"row_unit": row_unit_expression(None)}, "group_by": ()}
    assert {r["row_unit"] for r in rollup_statistics(**kw)} == {r["row_unit"] for r in dossier_statistics(**kw)}
    _act(world, d, wf.ASSIGN, datetime(2026, 3, 2, 10, 0, tzinfo=VN), handling_unit_code=world["centre"].code)
    rows = rollup_statistics(**kw)
    assert [r["row_unit"] for r in rows] == [world["centre"].pk]
    assert rows == dossier_statistics(**kw)
    d.refresh_from_db()
    services.dossier_transition(dossier=d, action=wf.HANDOVER, actor=world["officer"], version=d.version,
                                at=datetime(2026, 3, 2, 11, 0, tzinfo=VN), handling_unit_code=world["dept"].code)
    rows = rollup_statistics(**kw)
    assert [r["row_unit"] for r in rows] == [world["dept"].pk]
    assert rows == dossier_statistics(**kw)


def test_an_empty_period_has_one_total_row_without_rates_and_bad_periods_are_refused(world):
    live, rolled = both(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), now=datetime(2026, 4, 1, tzinfo=VN))
    assert rolled == live and rolled["on_time_rate"] is None and rolled["received"] == 0
    with pytest.raises(DomainError):
        rollup_statistics(date_from=date(2026, 3, 2), date_to=date(2026, 3, 1))
    with pytest.raises(DomainError):
        rollup_statistics(date_from=date(2026, 3, 1), date_to=date(2026, 3, 2), group_by=("officer",))


def test_extra_figures_count_fees_online_payments_and_working_time(world):
    d = _receive(world, datetime(2026, 3, 2, 9, 0, tzinfo=VN), payment={"status": "paid_online"})
    # Mon 9:00 → Tue 9:00 with 7:30–11:30, 13:30–17:00: 2.5 h + 1 h (morning) + 3.5 h + 0.5 h = 7.5 working hours
    _act(world, d, wf.COMPLETE, datetime(2026, 3, 3, 9, 0, tzinfo=VN))
    [row] = rollup_statistics(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), group_by=(), extra=True,
                              now=datetime(2026, 4, 1, tzinfo=VN))
    assert row["received_fee_bearing"] == 1 and row["received_paid_online"] == 1
    assert row["settled_working_seconds"] == int(7.5 * 3600)


def test_rebuild_cli_prints_a_stable_json_and_refuses_bad_input(world, capsys, no_setup):
    from cchc.cli import main

    _receive(world, datetime(2026, 3, 2, 9, 0, tzinfo=VN))
    UnitRollup.objects.all().delete()
    DossierRollup.objects.all().delete()
    assert main(["rollups", "rebuild", "--province", world["province"].code, "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["dossiers"] == 1 and out["province"] == world["province"].code and out["rows"] >= 2
    live, rolled = both(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), now=datetime(2026, 4, 1, tzinfo=VN))
    assert rolled == live
    assert main(["rollups", "rebuild", "--province", "KHONGCO"]) == 2
    assert "--province" in capsys.readouterr().err
    assert main(["rollups", "rebuild", "--from", "2026-03-05", "--to", "2026-03-01"]) == 2
    assert main(["rollups", "rebuild", "--from", "05/03/2026", "--to", "2026-03-06"]) == 2


def test_a_partial_rebuild_rewrites_only_the_days_asked_for(world):
    _receive(world, datetime(2026, 3, 2, 9, 0, tzinfo=VN))
    _receive(world, datetime(2026, 3, 10, 9, 0, tzinfo=VN))
    before = _tables()
    UnitRollup.objects.filter(day__gte=date(2026, 3, 9)).update(received_new=7)
    UnitMonthRollup.objects.update(settled=5)
    result = rollups.rebuild(date_from=date(2026, 3, 9), date_to=date(2026, 3, 31))
    assert result["dossiers"] >= 1
    assert _tables() == before


def test_a_viewer_with_no_scope_sees_nothing(world):
    _receive(world, datetime(2026, 3, 2, 9, 0, tzinfo=VN))
    citizen = User.objects.create_user(username="dan", password="x", role=Role.CITIZEN)
    live, rolled = both(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), user=citizen, now=datetime(2026, 4, 1, tzinfo=VN))
    assert rolled == live and rolled["received"] == 0
