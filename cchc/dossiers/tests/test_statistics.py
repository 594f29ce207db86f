"""One definition of each statistic, computed from the live tables."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.core.errors import DomainError
from cchc.dossiers import services
from cchc.dossiers import workflow as wf
from cchc.dossiers.selectors import dossier_statistics

from .factories import applicant

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
MON = datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # due (3 working days) Thursday 2026-03-05 09:00
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def receive(world, at=MON, channel="counter", **kw):
    return services.dossier_receive(actor=world["officer"], procedure_code=world["procedure"].code,
                                    unit_code=world["centre"].code, channel=channel, applicant=applicant(),
                                    received_at=at, **kw)


def act(world, d, action, at, **kw):
    d.refresh_from_db()
    return services.dossier_transition(dossier=d, action=action, actor=world["officer"], version=d.version, at=at, **kw)


def total(**kw):
    [row] = dossier_statistics(date_from=kw.pop("date_from", MARCH[0]), date_to=kw.pop("date_to", MARCH[1]), group_by=(), **kw)
    return row


def test_settled_dossiers_are_early_on_time_or_late_against_due_at(world):
    early = receive(world)
    act(world, early, wf.COMPLETE, datetime(2026, 3, 4, 10, 0, tzinfo=VN))  # day before the due date
    on_time = receive(world)
    act(world, on_time, wf.COMPLETE, datetime(2026, 3, 5, 8, 59, tzinfo=VN))  # due day, before 09:00
    late = receive(world)
    act(world, late, wf.COMPLETE, datetime(2026, 3, 5, 9, 1, tzinfo=VN))
    row = total(now=datetime(2026, 4, 1, tzinfo=VN))
    assert (row["settled"], row["settled_early"], row["settled_on_time"], row["settled_late"]) == (3, 1, 1, 1)
    assert row["on_time_rate"] == pytest.approx(66.67)
    assert row["late_rate"] == pytest.approx(33.33)


def test_an_apology_date_does_not_make_a_late_dossier_on_time(world):
    d = receive(world)
    act(world, d, wf.APOLOGISE, datetime(2026, 3, 4, 9, 0, tzinfo=VN), reason="Chờ xác minh", new_due_at="2026-03-12T09:00")
    act(world, d, wf.COMPLETE, datetime(2026, 3, 10, 9, 0, tzinfo=VN))  # before the promise, after due_at
    row = total(now=datetime(2026, 4, 1, tzinfo=VN))
    assert row["settled_late"] == 1 and row["on_time_rate"] == 0.0 and row["apology_issued"] == 1


def test_carried_over_plus_new_is_received_and_open_dossiers_are_due_or_overdue_at_the_period_end(world):
    old = receive(world, at=datetime(2026, 2, 26, 9, 0, tzinfo=VN))  # due 2026-03-03 09:00, still open
    receive(world, at=datetime(2026, 2, 20, 9, 0, tzinfo=VN))  # settled in February: not carried
    services.dossier_transition(dossier=services.Dossier.objects.order_by("received_at").first(), action=wf.COMPLETE,
                                actor=world["officer"], at=datetime(2026, 2, 23, 9, 0, tzinfo=VN))
    fresh = receive(world, at=datetime(2026, 3, 30, 9, 0, tzinfo=VN))  # due in April
    row = total(now=datetime(2026, 5, 1, tzinfo=VN))
    assert (row["carried_over"], row["received_new"], row["received"]) == (1, 1, 2)
    assert (row["in_process_overdue"], row["in_process_not_due"], row["in_process"]) == (1, 1, 2)
    assert old.code and fresh.code


def test_a_paused_dossier_is_not_overdue_while_its_clock_is_stopped(world):
    d = receive(world)
    act(world, d, wf.REQUEST_SUPPLEMENT, datetime(2026, 3, 3, 9, 0, tzinfo=VN), reason="Thiếu giấy tờ")
    row = total(now=datetime(2026, 5, 1, tzinfo=VN))
    assert row["in_process_overdue"] == 0 and row["in_process_not_due"] == 1 and row["supplemented"] == 1


def test_rejected_withdrawn_returned_and_shares_are_counted_in_their_period(world):
    a = receive(world, channel="online")
    act(world, a, wf.REJECT, MON + timedelta(hours=1), reason="Không thuộc thẩm quyền")
    b = receive(world, channel="post")
    act(world, b, wf.WITHDRAW, MON + timedelta(hours=1))
    c = receive(world, channel="online")
    services.dossier_attach_document(dossier=c, actor=world["officer"], uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF"))
    act(world, c, wf.COMPLETE, MON + timedelta(hours=2), electronic_result=True)
    act(world, c, wf.RETURN, MON + timedelta(hours=3))
    d = receive(world)
    row = total(now=datetime(2026, 4, 1, tzinfo=VN))
    assert (row["rejected"], row["withdrawn"], row["returned"], row["received_new"]) == (1, 1, 1, 4)
    assert row["online_share"] == 50.0
    assert row["digitised_documents_share"] == 25.0
    assert row["electronic_result_share"] == 100.0
    assert d.code


def test_rows_group_by_unit_procedure_and_channel(world):
    receive(world, channel="online")
    receive(world)
    services.dossier_receive(actor=world["desk_officer"], procedure_code=world["commune_procedure"].code,
                             unit_code=world["desk"].code, channel="counter", applicant=applicant(), received_at=MON)
    by_channel = {r["channel"]: r["received_new"] for r in dossier_statistics(date_from=MARCH[0], date_to=MARCH[1], group_by=("channel",))}
    assert by_channel == {"counter": 2, "online": 1}
    by_unit = {r["unit"]: r["received_new"] for r in dossier_statistics(date_from=MARCH[0], date_to=MARCH[1], group_by=("unit",))}
    assert by_unit == {world["centre"].code: 2, world["desk"].code: 1}
    by_both = dossier_statistics(date_from=MARCH[0], date_to=MARCH[1], group_by=("unit", "procedure"))
    assert {(r["unit"], r["procedure"]) for r in by_both} == {(world["centre"].code, "1.000001"), (world["desk"].code, "1.001193")}
    only_desk = dossier_statistics(units=[world["desk"]], date_from=MARCH[0], date_to=MARCH[1], group_by=())
    assert only_desk[0]["received_new"] == 1


def test_an_empty_period_has_no_rates_and_bad_arguments_are_refused(world):
    row = total()
    assert row["received"] == 0 and row["on_time_rate"] is None and row["online_share"] is None
    with pytest.raises(DomainError):
        dossier_statistics(date_from=MARCH[1], date_to=MARCH[0])
    with pytest.raises(DomainError):
        dossier_statistics(date_from=MARCH[0], date_to=MARCH[1], group_by=("colour",))


def test_statistics_follow_the_workflow_states():
    assert wf.SETTLED_STATES == {wf.RESULT_READY, wf.RETURNED, wf.RETURNED_LATE}
