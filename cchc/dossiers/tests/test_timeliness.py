"""One definition of on time / early / late / overdue / in process, pinned at its boundaries.

Every consumer (statistics, desk tiles and queue filters, badges, watcher, registers, steps, index data,
dashboard flags) goes through cchc.dossiers.selectors; these tests check each consumer on the same
boundary cases, so changing a comparison in one place fails here.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cchc.dossiers import selectors, services
from cchc.dossiers import views as dossier_views
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import Dossier, DossierStep
from cchc.dossiers.registers import register_rows
from cchc.dossiers.selectors import dossier_statistics

from .factories import applicant

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
MON = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
DUE = datetime(2026, 3, 5, 9, 0, tzinfo=VN)  # 3 working days after MON
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
SECOND = timedelta(seconds=1)


def receive(world, at=MON, channel="counter"):
    return services.dossier_receive(actor=world["officer"], procedure_code=world["procedure"].code,
                                    unit_code=world["centre"].code, channel=channel, applicant=applicant(),
                                    received_at=at, now=at + timedelta(minutes=1))


def act(world, d, action, at, **kw):
    d.refresh_from_db()
    return services.dossier_transition(dossier=d, action=action, actor=world["officer"], version=d.version, at=at, **kw)


def total(date_from=MARCH[0], date_to=MARCH[1], now=datetime(2026, 6, 1, tzinfo=VN)):
    [row] = dossier_statistics(date_from=date_from, date_to=date_to, group_by=(), now=now)
    return row


def fresh(d):
    return Dossier.objects.get(pk=d.pk)


# ------------------------------------------------------------------------------------------- settled
@pytest.mark.parametrize(("settled_at", "expected"), [
    (DUE - SECOND, "on_time"),
    (DUE, "on_time"),            # settled exactly at the due time: on time (late is settled_at > due_at)
    (DUE + SECOND, "late"),
    (DUE - timedelta(days=1), "early"),  # a local date before the due date
    (datetime(2026, 3, 5, 0, 0, tzinfo=VN), "on_time"),  # 00:00 of the due date is not early
])
def test_settled_exactly_at_the_due_time_is_on_time_in_every_consumer(world, settled_at, expected):
    d = receive(world)
    assert fresh(d).due_at == DUE
    act(world, d, wf.COMPLETE, settled_at)
    d = fresh(d)
    row = total()
    assert {k: row[f"settled_{k}"] for k in ("early", "on_time", "late")} == {
        k: int(k == expected) for k in ("early", "on_time", "late")}
    assert row["on_time_rate"] == (0.0 if expected == "late" else 100.0)
    late = expected == "late"
    assert selectors.is_settled_late(d) is late
    assert services.is_late(d) is late
    assert Dossier.objects.filter(selectors.Q_LATE, pk=d.pk).exists() is late
    assert dossier_views.due_badge(d, DUE + timedelta(days=30))["css"] == ("late" if late else "ok")
    assert ("Quá hạn" in register_rows([d])[0]["note"]) is late
    # returning it: automatically "returned late" exactly when late
    act(world, d, wf.RETURN, settled_at + timedelta(hours=1))
    assert fresh(d).status == (wf.RETURNED_LATE if late else wf.RETURNED)


# ------------------------------------------------------------------------------------------- open, overdue
@pytest.mark.parametrize(("now", "overdue"), [
    (DUE - SECOND, False),
    (DUE, False),                # due_at < now is overdue: at the due instant it is not yet
    (DUE + SECOND, True),
])
def test_an_open_dossier_is_overdue_strictly_after_its_due_time_everywhere(world, now, overdue):
    d = fresh(receive(world))
    assert selectors.is_overdue_at(d, now) is overdue
    assert Dossier.objects.filter(selectors.q_overdue_at(now), pk=d.pk).exists() is overdue
    assert Dossier.objects.filter(selectors.q_not_yet_due_at(now), pk=d.pk).exists() is (not overdue)
    row = total(now=now)
    assert (row["in_process_overdue"], row["in_process_not_due"]) == (int(overdue), int(not overdue))
    counts = dossier_views._queue_counts(world["officer"], now)
    assert counts["overdue"] == int(overdue)
    assert counts["today"] == int(not overdue)  # due on 05/03, and it is 05/03
    listed = dossier_views._queue_filter(Dossier.objects.all(), "qua-han", now)
    assert listed.filter(pk=d.pk).exists() is overdue
    assert (d.code in services.dossiers_watch(now=now)["overdue"]) is overdue
    assert (dossier_views.due_badge(d, now)["css"] == "overdue") is overdue


@pytest.mark.parametrize(("pause_at", "overdue_after"), [
    (DUE - timedelta(hours=1), False),  # paused before its due: the clock is stopped, not overdue
    (DUE, False),                       # paused exactly at its due time: not yet overdue when paused
    (DUE + timedelta(days=1), True),    # paused after its due: stays overdue (it was late already)
])
def test_a_dossier_paused_after_its_due_is_overdue_in_the_tile_the_statistics_the_watcher_and_the_badge(world, pause_at, overdue_after):
    d = receive(world)
    act(world, d, wf.PAUSE, pause_at, reason="Chờ nghĩa vụ tài chính")
    d = fresh(d)
    now = DUE + timedelta(days=10)
    assert selectors.is_overdue_at(d, now) is overdue_after
    assert total(now=now)["in_process_overdue"] == int(overdue_after)
    assert dossier_views._queue_counts(world["officer"], now)["overdue"] == int(overdue_after)
    assert dossier_views._queue_filter(Dossier.objects.all(), "qua-han", now).filter(pk=d.pk).exists() is overdue_after
    assert (d.code in services.dossiers_watch(now=now)["overdue"]) is overdue_after
    badge = dossier_views.due_badge(d, now)
    assert (badge["css"] == "overdue") is overdue_after
    assert badge["css"] in ("overdue", "paused")


def test_a_paused_dossier_is_not_due_today(world):
    d = receive(world)
    act(world, d, wf.PAUSE, DUE - timedelta(hours=2), reason="Xác minh")
    now = DUE - timedelta(hours=1)
    assert dossier_views._queue_counts(world["officer"], now)["today"] == 0
    assert services.dossiers_watch(now=now)["due_today"] == []
    act(world, d, wf.RESUME, now)
    assert dossier_views._queue_counts(world["officer"], now)["today"] == 1
    assert services.dossiers_watch(now=now + SECOND)["due_today"] == [d.code]


# ------------------------------------------------------------------------------------------- steps
@pytest.mark.parametrize(("finish_delta", "late"), [(-SECOND, False), (timedelta(0), False), (SECOND, True)])
def test_a_step_finished_exactly_at_its_allowance_is_on_time(world, finish_delta, late):
    d = receive(world)
    act(world, d, wf.ASSIGN, MON + timedelta(minutes=5), to_unit=world["dept"].code, to_user=world["specialist"].username,
        step_allowance="1")
    step = DossierStep.objects.get(dossier=d)
    step_due = step.due_at
    assert step_due == MON + timedelta(days=1, minutes=5)
    act(world, d, wf.COMPLETE, step_due + finish_delta)
    step.refresh_from_db()
    assert step.on_time is (not late)
    [row] = selectors.late_steps_by(by="unit", date_from=MARCH[0], date_to=MARCH[1])
    assert (row["steps"], row["late"]) == (1, int(late))


@pytest.mark.parametrize(("now", "late"), [(timedelta(0), False), (SECOND, True)])
def test_an_open_step_is_late_strictly_after_its_due_unless_the_dossier_was_paused_before_it(world, now, late):
    d = receive(world)
    act(world, d, wf.ASSIGN, MON + timedelta(minutes=5), to_unit=world["dept"].code, step_allowance="1")
    step = DossierStep.objects.select_related("dossier").get(dossier=d)
    at = step.due_at + now
    assert selectors.is_step_late_open(step, at) is late
    assert DossierStep.objects.filter(selectors.q_step_late_open_at(at), pk=step.pk).exists() is late
    assert bool(services.dossiers_watch(now=at)["late_steps"]) is late
    # paused before the step's due: its clock stopped, so it is not late while paused
    act(world, d, wf.PAUSE, step.due_at - timedelta(hours=1), reason="Xác minh")
    step = DossierStep.objects.select_related("dossier").get(pk=step.pk)
    later = step.due_at + timedelta(days=5)
    assert not selectors.is_step_late_open(step, later)
    assert services.dossiers_watch(now=later)["late_steps"] == []


# ------------------------------------------------------------------------------------------- shares, periods
def test_online_share_is_online_new_dossiers_over_new_dossiers_only(world):
    for _ in range(2):  # carried over from February, both counter: neither numerator nor denominator
        receive(world, at=datetime(2026, 2, 27, 9, 0, tzinfo=VN))
    receive(world, at=datetime(2026, 2, 27, 10, 0, tzinfo=VN), channel="online")  # carried over, online
    receive(world, channel="online")
    receive(world, channel="counter")
    row = total()
    assert (row["carried_over"], row["received_new"], row["received_online"]) == (3, 2, 1)
    assert row["online_share"] == 50.0  # 1 ÷ 2 (not 2 ÷ 5, not 1 ÷ 5)


def test_dossiers_carried_over_are_counted_in_the_period_they_are_settled_and_open_across_the_boundary(world):
    feb_settled_in_march = receive(world, at=datetime(2026, 2, 26, 9, 0, tzinfo=VN))  # due Tue 03/03 09:00
    receive(world, at=datetime(2026, 2, 27, 9, 0, tzinfo=VN))  # still open across the boundary (overdue)
    act(world, feb_settled_in_march, wf.COMPLETE, datetime(2026, 3, 3, 9, 0, tzinfo=VN))  # exactly at due: on time
    feb = total(date(2026, 2, 1), date(2026, 2, 28))
    assert (feb["received_new"], feb["carried_over"], feb["settled"], feb["in_process"]) == (2, 0, 0, 2)
    assert feb["on_time_rate"] is None  # nothing settled in February: no rate, not 0 %
    march = total()
    assert (march["carried_over"], march["received_new"], march["received"]) == (2, 0, 2)
    assert (march["settled"], march["settled_on_time"], march["settled_late"]) == (1, 1, 0)
    assert (march["in_process_overdue"], march["in_process_not_due"]) == (1, 0)
    assert march["online_share"] is None  # no new dossier in March: no denominator
    # a dossier settled in February is not carried over into March
    act(world, Dossier.objects.get(received_at=datetime(2026, 2, 27, 9, 0, tzinfo=VN)), wf.COMPLETE,
        datetime(2026, 2, 27, 15, 0, tzinfo=VN))
    assert total()["carried_over"] == 1


# ------------------------------------------------------------------------------------------- targets
@pytest.mark.parametrize(("value", "target", "below"), [
    (98.0, 98.0, False),   # exactly at the target is reached
    (97.99, 98.0, True),
    (100.0, 98.0, False),
    (None, 98.0, False),   # no rate (nothing settled): no flag
])
def test_below_target_is_strictly_below(value, target, below):
    assert selectors.below_target(value, target) is below


# ------------------------------------------------------------------------------------------- badges
@pytest.mark.parametrize(("now", "css", "label"), [
    (datetime(2026, 12, 5, 10, 0, tzinfo=VN), "ontime", "Đến hạn 07:30 thứ Hai 07/12"),  # Saturday: not "2 ngày"
    (datetime(2026, 12, 3, 9, 0, tzinfo=VN), "ontime", "Còn 1,5 ngày làm việc"),
    (datetime(2026, 12, 7, 7, 0, tzinfo=VN), "today", "Đến hạn hôm nay · đến hạn 07:30 thứ Hai 07/12"),
    (datetime(2026, 12, 9, 10, 0, tzinfo=VN), "overdue", "Quá hạn 2 ngày làm việc"),
])
def test_badges_count_working_time_with_the_calendar(world, now, css, label):
    d = fresh(receive(world, at=datetime(2026, 12, 2, 7, 0, tzinfo=VN)))  # counted from 07:30 → due Mon 07/12 07:30
    assert d.due_at == datetime(2026, 12, 7, 7, 30, tzinfo=VN)
    assert dossier_views.due_badge(d, now) == {"css": css, "label": label}


def test_a_paused_badge_shows_the_working_time_it_keeps(world):
    d = receive(world)  # due Thu 05/03 09:00
    act(world, d, wf.PAUSE, datetime(2026, 3, 4, 9, 0, tzinfo=VN), reason="Xác minh")
    badge = dossier_views.due_badge(fresh(d), datetime(2026, 3, 20, 9, 0, tzinfo=VN))
    assert badge == {"css": "paused", "label": "Tạm dừng · còn 1 ngày làm việc"}
