"""The 766 index from the platform's dossiers, checked against figures worked out by hand."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cchc.dossiers import rollups, services
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import Dossier, DossierRating
from cchc.dossiers.tests.factories import applicant
from cchc.serviceindex import compute, early_warning
from cchc.serviceindex.models import IndicatorSet
from cchc.serviceindex.periods import parse_period
from cchc.serviceindex.services import figure_enter

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
MON = datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # 3 working days → due Thursday 2026-03-05 09:00
AFTER = datetime(2026, 4, 10, 9, 0, tzinfo=VN)
MARCH = parse_period("2026-03")


def receive(world, at=MON, channel="counter"):
    return services.dossier_receive(actor=world["officer"], procedure_code=world["procedure"].code,
                                    unit_code=world["centre"].code, channel=channel, applicant=applicant(), received_at=at)


def complete(world, d, at):
    d.refresh_from_db()
    services.dossier_transition(dossier=d, action=wf.COMPLETE, actor=world["officer"], version=d.version, at=at)


@pytest.fixture
def march(world, indicator_set):
    """Four dossiers of the 3-day procedure (fee 200,000 đ) at the provincial centre in March 2026:
    early: counter, settled 04/03 (early), digitised, electronic result, paid online;
    late:  online, settled 05/03 09:01 (one minute late), paid at the counter;
    open_overdue: counter, received 02/03, still open at the end of March (overdue), unpaid;
    open_fresh:   counter, received 30/03, due in April (in time), unpaid."""
    early = receive(world)
    complete(world, early, datetime(2026, 3, 4, 10, 0, tzinfo=VN))
    late = receive(world, channel="online")
    complete(world, late, datetime(2026, 3, 5, 9, 1, tzinfo=VN))
    overdue = receive(world)
    fresh = receive(world, at=datetime(2026, 3, 30, 9, 0, tzinfo=VN))
    fee = Decimal("200000")
    Dossier.objects.filter(pk=early.pk).update(has_electronic_documents=True, has_electronic_result=True, fee_amount=fee, payment_status="paid_online")
    Dossier.objects.filter(pk=late.pk).update(fee_amount=fee, payment_status="paid_counter")
    Dossier.objects.filter(pk__in=[overdue.pk, fresh.pk]).update(fee_amount=fee, payment_status="unpaid")
    rollups.rebuild(province=world["province"])  # the UPDATEs above bypass the services: roll them up again
    return {"early": early, "late": late, "overdue": overdue, "fresh": fresh}


def indicator(result, code):
    return next(i for g in result["groups"] for i in g["indicators"] if i["code"] == code)


def group(result, code):
    return next(g for g in result["groups"] if g["code"] == code)


def test_each_platform_indicator_matches_the_hand_computed_example(world, march):
    r = compute.compute_index(province=world["province"], period=MARCH, now=AFTER)
    expected = {
        # code: (numerator, denominator, rate, points)
        # 2.1 handled = 2 settled + 2 open; in time = early + open not yet due = 2 → 50 %, linear 20 × 50 ÷ 100
        "2.1": (2, 4, 50.0, 10.0),
        # 3.1 both published procedures are online (full) → 100 % ≥ 80 → 4
        "3.1": (2, 2, 100.0, 4.0),
        # 3.2 online procedures with an online dossier in March: only the 3-day one → 50 %, linear 4 × 50 ÷ 100
        "3.2": (1, 2, 50.0, 2.0),
        # 3.3 online ÷ received new = 1 ÷ 4 = 25 %, target 50 → 25 × 4 ÷ 50
        "3.3": (1, 4, 25.0, 2.0),
        # 3.5 fee procedures with a fee-charged dossier: 1 ÷ 1 → 100 % ≥ 80 → 5
        "3.5": (1, 1, 100.0, 5.0),
        # 3.6 paid online ÷ charged = 1 ÷ 4 → 25 %, linear 5 × 25 ÷ 100 = 1.25
        "3.6": (1, 4, 25.0, 1.25),
        # 4.1 settled with an electronic result ÷ settled = 1 ÷ 2 → linear 4 × 50 ÷ 100
        "4.1": (1, 2, 50.0, 2.0),
        # 4.2 settled digitised with a result ÷ settled = 1 ÷ 2 → 50 × 4 ÷ 80 = 2.5
        "4.2": (1, 2, 50.0, 2.5),
        # 5.4 handled − (late + overdue) − dissatisfied = 4 − 2 − 0 = 2 → 50 %, target 90 → 50 × 6 ÷ 90 = 3.333…
        "5.4": (2, 4, 50.0, 3.33),
    }
    for code, (num, den, rate, pts) in expected.items():
        i = indicator(r, code)
        assert (i["numerator"], i["denominator"], i["rate"], i["points"], i["source"]) == (num, den, rate, pts, "platform"), code
    # 1.4 comes from the national-portal outbox (cchc.portalsync provider): the 4 March dossiers each wrote an
    # event in their own transaction, none has been sent yet → the portal knows 0 of 4 → linear 4.5 × 0 = 0
    sync = indicator(r, "1.4")
    assert (sync["numerator"], sync["denominator"], sync["rate"], sync["points"], sync["status"]) == (0, 4, 0.0, 0.0, "ok")
    assert "cchc.portalsync" in sync["source"]
    # 9 entered indicators are "chưa có số liệu": no points, their max stays in the total
    no_data = [i["code"] for g in r["groups"] for i in g["indicators"] if i["status"] == "no_data"]
    assert no_data == ["1.1", "1.2", "1.3", "5.2", "5.3", "4.3", "4.4", "4.5a", "4.5b"]
    assert r["total"] == {"points": 10 + 4 + 2 + 2 + 5 + 1.25 + 2 + 2.5 + 3.33, "max": 100.0, "missing_indicators": 9}
    assert group(r, "TTTT")["points"] == 6.25 and group(r, "TDGQ")["max"] == 20.0
    assert (r["province"], r["period"], r["partial"]) == ("T99", "2026-03", False)
    # once the outbox is delivered the portal holds all 4 with the platform's statuses → 4 ÷ 4 → 4.5 points
    from django.utils import timezone

    from cchc.portalsync.services import events_send_due

    events_send_due(now=timezone.now())  # the events were queued at the real clock's now, not at MON
    sync = indicator(compute.compute_index(province=world["province"], period=MARCH, now=AFTER), "1.4")
    assert (sync["numerator"], sync["denominator"], sync["rate"], sync["points"]) == (4, 4, 100.0, 4.5)


def test_indicator_1_4_falls_back_to_the_entered_figure_where_the_outbox_knows_nothing(world, march):
    """Dossiers received before synchronisation went live have no outbox event: the provider gives no value,
    so the figure the province entered is scored (and without one, 1.4 stays "chưa có số liệu")."""
    from cchc.portalsync.models import PortalEvent

    PortalEvent.objects.filter(dossier__in=list(march.values())).delete()
    assert indicator(compute.compute_index(province=world["province"], period=MARCH, now=AFTER), "1.4")["status"] == "no_data"
    figure_enter(actor=world["admin"], province=world["province"], period="2026-03", indicator_code="1.4", numerator=3, denominator=4)
    i = indicator(compute.compute_index(province=world["province"], period=MARCH, now=AFTER), "1.4")
    # 3 ÷ 4 = 75 %, linear 4.5 × 75 ÷ 100 = 3.375 → 3.38
    assert (i["numerator"], i["denominator"], i["rate"], i["source"], i["status"]) == (3, 4, 75.0, "entered", "ok")
    assert i["points"] == 3.38


def test_a_dissatisfied_rating_lowers_indicator_5_4(world, march):
    DossierRating.objects.create(dossier=march["early"], overall=2)
    rollups.rebuild(province=world["province"])  # written past the service (dossier_rate needs a returned dossier)
    r = compute.compute_index(province=world["province"], period=MARCH, now=AFTER)
    # 4 − 2 late/overdue − 1 dissatisfied = 1 of 4 → 25 × 6 ÷ 90 = 1.666… → 1.67
    assert (indicator(r, "5.4")["numerator"], indicator(r, "5.4")["points"]) == (1, 1.67)
    DossierRating.objects.filter(dossier=march["early"]).update(overall=3)  # "bình thường" is not dissatisfied
    rollups.rebuild(province=world["province"])
    assert indicator(compute.compute_index(province=world["province"], period=MARCH, now=AFTER), "5.4")["numerator"] == 2


def test_an_entered_figure_is_scored_and_marked_entered(world, march):
    figure_enter(actor=world["admin"], province=world["province"], period="2026-03", indicator_code="1.1", numerator=9, denominator=10)
    r = compute.compute_index(province=world["province"], period=MARCH, now=AFTER)
    i = indicator(r, "1.1")
    # 9 ÷ 10 = 90 %, linear 4.5 × 90 ÷ 100 = 4.05
    assert (i["numerator"], i["denominator"], i["rate"], i["points"], i["source"], i["status"]) == (9, 10, 90.0, 4.05, "entered", "ok")
    # a unit's view never borrows the province's figure
    assert indicator(compute.compute_index(province=world["province"], period=MARCH, unit=world["centre"], now=AFTER), "1.1")["status"] == "no_data"


def test_a_period_without_dossiers_leaves_dossier_indicators_out_of_the_max(world, indicator_set):
    r = compute.compute_index(province=world["province"], period=parse_period("2026-01"), now=AFTER)
    na = {i["code"] for g in r["groups"] for i in g["indicators"] if i["status"] == "not_applicable"}
    assert na == {"2.1", "2.2", "3.3", "3.6", "4.1", "4.2", "5.4"}
    # 100 − (20 + 4 + 5 + 4 + 4 + 6) = 57; procedures still count: 3.1 full 4, 3.2 0/2, 3.5 0/1
    assert r["total"]["max"] == 57.0 and r["total"]["points"] == 4.0


def test_quarter_and_year_include_the_month(world, march):
    q = compute.compute_index(province=world["province"], period=parse_period("2026-Q1"), now=AFTER)
    y = compute.compute_index(province=world["province"], period=parse_period("2026"), now=AFTER)
    assert indicator(q, "2.1")["denominator"] == 4 and indicator(y, "3.3")["numerator"] == 1


def test_unit_and_field_scopes(world, march):
    dept = compute.compute_index(province=world["province"], period=MARCH, unit=world["dept"], now=AFTER)
    centre = compute.compute_index(province=world["province"], period=MARCH, unit=world["centre"], now=AFTER)
    # the publication names the department as handling unit: the dossiers are the department's, not the desk's
    assert indicator(dept, "2.1")["denominator"] == 4 and indicator(centre, "2.1")["status"] == "not_applicable"
    other = compute.compute_index(province=world["province"], period=MARCH, field="Không có lĩnh vực này", now=AFTER)
    assert indicator(other, "2.1")["status"] == "not_applicable"


def test_drill_down_reaches_units_then_dossiers_with_reasons(world, march):
    units = compute.drill_units(province=world["province"], period=MARCH, indicator="2.1", now=AFTER)
    assert [(u["unit"], u["numerator"], u["denominator"], u["points"], u["lost"]) for u in units["units"]] == [
        (world["dept"].code, 2, 4, 10.0, 10.0)]
    items = compute.drill_items(province=world["province"], period=MARCH, indicator="2.1", now=AFTER)
    assert sorted((d["code"], d["reason"]) for d in items["dossiers"]) == sorted(
        [(march["late"].code, "Trễ hạn"), (march["overdue"].code, "Đang quá hạn")])
    fees = compute.drill_items(province=world["province"], period=MARCH, indicator="3.6", now=AFTER)
    assert {d["code"] for d in fees["dossiers"]} == {march["late"].code, march["overdue"].code, march["fresh"].code}
    procs = compute.drill_items(province=world["province"], period=MARCH, indicator="3.2", now=AFTER)
    assert [p["code"] for p in procs["procedures"]] == [world["commune_procedure"].code]


def test_the_set_in_force_is_the_latest_version_effective_by_the_period_end(world, indicator_set):
    from cchc.serviceindex.services import indicator_set_revise

    v2 = indicator_set_revise(base=indicator_set, changes={"2.1": {"max": 15}, "2.2": {"max": 5, "rule": "linear"}}, actor=world["admin"],
                              effective_from=date(2026, 4, 1))
    assert compute.indicator_set_for(date(2026, 3, 31)) == indicator_set
    assert compute.indicator_set_for(date(2026, 4, 30)) == v2
    assert IndicatorSet.objects.filter(family="qd766").count() == 2


def test_early_warning_lists_dossiers_due_within_n_working_days_and_points_at_risk(world, indicator_set):
    now = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    a = receive(world, at=datetime(2026, 2, 26, 9, 0, tzinfo=VN))  # Thu → due Tue 03/03 09:00: within 1 working day
    b = receive(world, at=datetime(2026, 2, 27, 9, 0, tzinfo=VN))  # Fri → due Wed 04/03 09:00: 2 working days exactly
    c = receive(world, at=now.replace(hour=8))  # due Thu 05/03 08:00: beyond 2 working days
    one = early_warning.going_late(province=world["province"], days=1, now=now)
    two = early_warning.going_late(province=world["province"], days=2, now=now)
    assert [d["code"] for d in one["dossiers"]] == [a.code]
    assert [d["code"] for d in two["dossiers"]] == [a.code, b.code]  # due exactly at the horizon is included
    assert c.code not in {d["code"] for d in two["dossiers"]}
    [unit] = two["units"]
    # March so far: 3 handled, all in time. If a and b go late: 2.1 1/3 → 20 × (100 − 33.33…) ÷ 100 = 13.33 lost;
    # 5.4 3/3 = 6 → 1/3 = 33.33… × 6 ÷ 90 = 2.22 → 3.78 lost
    assert unit["unit"] == world["dept"].code and unit["dossiers"] == 2
    assert {i["code"]: i["points_at_risk"] for i in unit["indicators"]} == {"2.1": 13.33, "5.4": 3.78}
    assert unit["points_at_risk"] == 17.11


def test_early_warning_ignores_paused_and_overdue_dossiers(world, indicator_set):
    now = datetime(2026, 3, 4, 9, 0, tzinfo=VN)
    overdue = receive(world, at=datetime(2026, 2, 26, 9, 0, tzinfo=VN))  # due 03/03: already overdue
    paused = receive(world, at=datetime(2026, 3, 2, 9, 0, tzinfo=VN))
    paused.refresh_from_db()
    services.dossier_transition(dossier=paused, action=wf.REQUEST_SUPPLEMENT, actor=world["officer"], version=paused.version,
                                at=datetime(2026, 3, 3, 9, 0, tzinfo=VN), reason="Thiếu giấy tờ")
    assert early_warning.going_late(province=world["province"], days=5, now=now)["dossiers"] == []
    assert overdue.code


def test_daily_warning_is_queued_once_per_day_for_the_unit_head(world, indicator_set):
    from cchc.dossiers.models import Notification

    now = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    receive(world, at=datetime(2026, 2, 26, 9, 0, tzinfo=VN))
    first = early_warning.warn_units(now=now)
    again = early_warning.warn_units(now=now.replace(hour=15))
    sent = list(Notification.objects.filter(kind="index_warning"))
    assert (first["notifications_queued"], again["notifications_queued"]) == (2, 0)  # the head and the deputy
    assert sorted(n.recipient for n in sent) == sorted([world["head"].email, world["deputy"].email]) and "sắp quá hạn" in sent[0].subject


def test_bad_days_are_refused(world, indicator_set):
    from cchc.core.errors import DomainError

    for days in (0, 31):
        with pytest.raises(DomainError) as exc:
            early_warning.going_late(province=world["province"], days=days)
        assert exc.value.field == "days"


def test_the_daily_warning_runs_in_the_dossier_scheduler_before_the_sender():
    from cchc.dossiers.tasks import EVERY_TICK, JOBS, send_pending_notifications
    from cchc.serviceindex.tasks import warn_units_daily

    order = [j.task for j in JOBS]
    assert order.index(warn_units_daily) < order.index(send_pending_notifications)
    assert next(j for j in JOBS if j.task is warn_units_daily).schedule == EVERY_TICK


def test_a_commune_level_publication_without_desk_counts_at_every_commune(world, indicator_set):
    from cchc.catalog.models import Procedure, ProvinceProcedure

    proc = Procedure.objects.create(code="2.000001", name="Chứng thực bản sao", time_value=1, time_unit="working_days")
    ProvinceProcedure.objects.create(province=world["province"], procedure=proc, level="commune", time_value=1,
                                     time_unit="working_days", online_level="none", effective_from=date(2020, 1, 1))
    commune = compute.compute_index(province=world["province"], period=MARCH, unit=world["commune"], now=AFTER)
    dept = compute.compute_index(province=world["province"], period=MARCH, unit=world["dept"], now=AFTER)
    # the commune: its own khai sinh (online) + the province-wide commune-level chứng thực (not online) → 1 of 2
    assert (indicator(commune, "3.1")["numerator"], indicator(commune, "3.1")["denominator"]) == (1, 2)
    assert indicator(dept, "3.1")["denominator"] == 1  # the department's own publication only
