"""Outbox written with the dossier change; sending with retries, backoff, dead letter, idempotency, ordering;
reconciliation; the PAR office page; the CLI. Contract tests against the local fake portal."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cchc.accounts.models import Role, User
from cchc.core.models import AuditEvent
from cchc.dossiers import services as dossier_services
from cchc.dossiers import workflow as wf
from cchc.dossiers.tests.factories import applicant
from cchc.portalsync import selectors, services
from cchc.portalsync.adapters import FakePortal
from cchc.portalsync.models import (
    FakePortalControl,
    FakePortalDossier,
    FakePortalReceipt,
    PortalEvent,
    SendState,
)

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
MON = datetime(2026, 3, 2, 9, 0, tzinfo=VN)


def receive(world):
    return dossier_services.dossier_receive(actor=world["officer"], received_at=MON, procedure_code=world["procedure"].code,
                                            unit_code=world["centre"].code, channel="counter", applicant=applicant())


def act(world, d, action, at, actor=None, **kw):
    d.refresh_from_db()
    return dossier_services.dossier_transition(dossier=d, action=action, actor=actor or world["officer"], version=d.version,
                                               at=at, **kw)


def kinds(d):
    return list(PortalEvent.objects.filter(dossier=d).order_by("seq").values_list("kind", flat=True))


def send_all(now=None):
    return services.events_send_due(now=now or timezone.now() + timedelta(days=30))


def test_each_portal_status_change_writes_one_event_in_order(world):
    d = receive(world)
    d = act(world, d, wf.ASSIGN, MON + timedelta(hours=1), assignee="chuyenvien")
    d = act(world, d, wf.HANDOVER, MON + timedelta(hours=2), actor=world["specialist"], assignee="chuyenvien2")  # stays in process
    d = act(world, d, wf.REQUEST_SUPPLEMENT, MON + timedelta(hours=3), actor=world["specialist2"], reason="Thiếu bản sao")
    d = act(world, d, wf.SUPPLY, MON + timedelta(hours=4))
    d = act(world, d, wf.COMPLETE, MON + timedelta(hours=5), actor=world["specialist2"])
    d = act(world, d, wf.RETURN, MON + timedelta(days=1))
    assert kinds(d) == ["received", "in_process", "supplement_requested", "in_process", "completed", "returned"]
    assert list(PortalEvent.objects.filter(dossier=d).order_by("seq").values_list("seq", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert PortalEvent.objects.filter(dossier=d).first().dossier_code == d.code


def test_a_refused_transition_writes_no_event(world):
    d = receive(world)
    from cchc.core.errors import ConflictError

    with pytest.raises(ConflictError):
        act(world, d, wf.SUPPLY, MON + timedelta(hours=1))  # nothing to supply: not allowed from received
    assert kinds(d) == ["received"]


def test_event_rolls_back_with_the_transition(world, monkeypatch):
    """Same transaction: if the dossier change fails after the event is written, neither is kept."""
    d = receive(world)
    from cchc.dossiers import services as ds

    def boom(*a, **k):
        raise RuntimeError("after the outbox write")

    monkeypatch.setattr(ds, "_snapshot_issued", boom)
    with pytest.raises(RuntimeError):
        act(world, d, wf.ASSIGN, MON + timedelta(hours=1), assignee="chuyenvien")
    assert kinds(d) == ["received"]


def test_sent_events_reach_the_fake_portal_once_even_when_resent(world):
    d = receive(world)
    assert send_all()["sent"] == 1
    ev = PortalEvent.objects.get(dossier=d)
    assert ev.state == SendState.SENT and FakePortalDossier.objects.get().status == "received"
    # the answer was lost: the same event goes again; the portal keeps one receipt
    PortalEvent.objects.filter(pk=ev.pk).update(state=SendState.PENDING, next_attempt_at=timezone.now())
    assert send_all()["duplicate"] == 1
    assert FakePortalReceipt.objects.filter(event_id=ev.event_id).count() == 1


def test_failures_back_off_exponentially_then_dead_letter(world):
    d = receive(world)
    FakePortalControl.objects.create(fail_always=True)
    now = timezone.now()
    ev = PortalEvent.objects.get(dossier=d)
    for attempt in range(1, services.MAX_ATTEMPTS):
        counts = services.events_send_due(now=now)
        ev.refresh_from_db()
        assert counts["failed"] == 1 and ev.attempts == attempt and ev.state == SendState.RETRYING
        assert ev.next_attempt_at == now + services.retry_delay(attempt)
        # not due one second before the backoff ends
        assert services.events_send_due(now=ev.next_attempt_at - timedelta(seconds=1))["failed"] == 0
        now = ev.next_attempt_at
    assert services.events_send_due(now=now)["dead"] == 1
    ev.refresh_from_db()
    assert ev.state == SendState.DEAD and ev.attempts == services.MAX_ATTEMPTS and ev.next_attempt_at is None
    assert "503" in ev.last_error and AuditEvent.objects.filter(action="portalsync.dead").count() == 1
    assert FakePortalReceipt.objects.count() == 0


def test_retry_delay_doubles_and_is_capped():
    assert services.retry_delay(1) == timedelta(minutes=1)
    assert services.retry_delay(2) == timedelta(minutes=2)
    assert services.retry_delay(4) == timedelta(minutes=8)
    assert services.retry_delay(30) == services.RETRY_CAP


def test_a_dossiers_later_events_wait_for_its_failed_earlier_one(world):
    d = receive(world)
    FakePortalControl.objects.create(fail_next=1)
    act(world, d, wf.ASSIGN, MON + timedelta(hours=1), assignee="chuyenvien")
    counts = send_all()
    assert counts["failed"] == 1 and counts["blocked"] == 1 and FakePortalReceipt.objects.count() == 0
    counts = send_all(timezone.now() + timedelta(days=60))
    assert counts["sent"] == 2
    assert list(FakePortalReceipt.objects.order_by("id").values_list("kind", flat=True)) == ["received", "in_process"]
    assert FakePortalDossier.objects.get(dossier_code=d.code).status == "in_process"


def test_the_fake_never_lets_an_older_event_overwrite_a_newer_status(world):
    fake = FakePortal()
    base = {"dossier_code": "X-1", "province_code": "T99", "occurred_at": "2026-03-02T09:00:00+07:00"}
    fake.send({**base, "event_id": "00000000-0000-0000-0000-000000000002", "seq": 2, "status": "in_process"})
    fake.send({**base, "event_id": "00000000-0000-0000-0000-000000000001", "seq": 1, "status": "received"})
    assert FakePortalDossier.objects.get().status == "in_process"


def test_requeue_of_a_dead_event_by_the_par_office_only(world, client):
    d = receive(world)
    PortalEvent.objects.filter(dossier=d).update(state=SendState.DEAD, attempts=services.MAX_ATTEMPTS, next_attempt_at=None,
                                                 last_error="HTTP 503")
    ev = PortalEvent.objects.get(dossier=d)
    par = User.objects.create_user(username="sonoivu", password="x", role=Role.PAR_OFFICE, unit=world["province"])
    with pytest.raises(Exception) as exc:
        services.event_requeue(event_id=ev.event_id, actor=world["officer"])
    assert getattr(exc.value, "code", "") == "forbidden"
    client.force_login(par)
    page = client.get("/dong-bo-cong-dvc/")
    body = page.content.decode()
    assert page.status_code == 200 and d.code in body and "Gửi thất bại" in body and "HTTP 503" in body
    resp = client.post("/dong-bo-cong-dvc/gui-lai/", {"event_id": str(ev.event_id), "tinh": world["province"].code})
    assert resp.status_code == 302
    ev.refresh_from_db()
    assert ev.state == SendState.PENDING and ev.attempts == 0
    assert AuditEvent.objects.filter(action="portalsync.requeue").count() == 1
    assert send_all()["sent"] == 1
    with pytest.raises(Exception) as exc:
        services.event_requeue(event_id=ev.event_id, actor=par)
    assert getattr(exc.value, "code", "") == "already_sent"


def test_page_is_denied_to_other_staff_and_other_provinces(world, client):
    client.force_login(world["officer"])
    assert client.get("/dong-bo-cong-dvc/").status_code == 403
    par = User.objects.create_user(username="sonoivu", password="x", role=Role.PAR_OFFICE, unit=world["province"])
    client.force_login(par)
    assert client.get(f"/dong-bo-cong-dvc/?tinh={world['other_province'].code}").status_code == 403
    client.logout()
    assert client.get("/dong-bo-cong-dvc/").status_code == 302


def test_reconciliation_finds_missing_extra_and_mismatch(world):
    receive(world)
    b, c = receive(world), receive(world)
    send_all()
    act(world, b, wf.ASSIGN, MON + timedelta(hours=1), assignee="chuyenvien")  # not sent yet: mismatch
    PortalEvent.objects.filter(dossier=c).delete()
    FakePortalDossier.objects.filter(dossier_code=c.code).delete()  # portal lost it: missing
    FakePortalDossier.objects.create(dossier_code="H99.01-260302-9999", province_code="T99", status="received")  # extra
    r = selectors.reconcile(province=world["province"])
    assert r["platform_total"] == 3 and r["portal_total"] == 3 and r["matched"] == 1
    assert [m["code"] for m in r["missing"]] == [c.code]
    assert r["mismatch"] == [{"code": b.code, "platform_status": "in_process", "portal_status": "received",
                              "platform_status_label": "Đang xử lý", "portal_status_label": "Đã tiếp nhận"}]
    assert r["extra"] == [{"code": "H99.01-260302-9999", "portal_status": "received", "portal_status_label": "Đã tiếp nhận"}]
    assert r["sync_rate"] == round(1 / 3, 4)
    assert selectors.sync_summary(province=world["province"])["matched"] == 1


def test_reconciliation_of_an_empty_province_has_no_rate(world):
    r = selectors.reconcile(province=world["other_province"])
    assert r["platform_total"] == 0 and r["sync_rate"] is None and r["error"] is None


def test_waiting_for_acceptance_is_not_a_portal_dossier(world):
    assert services.portal_status(wf.WAITING_ACCEPTANCE) is None
    assert services.portal_status(wf.RETURNED_LATE) == "returned"


def test_portal_unreadable_is_reported_not_crashed(world, settings):
    settings.PORTALSYNC_MODE = "off"
    receive(world)
    r = selectors.reconcile(province=world["province"])
    assert r["error"] and r["portal_total"] is None
    assert services.events_send_due()["off"] is True
    assert PortalEvent.objects.get().state == SendState.PENDING


def test_backfill_then_send(world):
    d = receive(world)
    PortalEvent.objects.all().delete()
    assert services.backfill(province=world["province"]) == 1
    assert services.backfill(province=world["province"]) == 0
    send_all()
    assert FakePortalDossier.objects.get().dossier_code == d.code


def test_cli_reconcile_json(world, capsys, no_setup):
    from cchc.cli import main

    receive(world)
    send_all()
    assert main(["portalsync", "reconcile", "--province", world["province"].code, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["matched"] == 1 and data["missing_count"] == 0 and data["sync_rate"] == 1.0
    assert main(["portalsync", "reconcile", "--province", "NOPE", "--json"]) == 2
    assert main(["portalsync", "reconcile", "--province", world["province"].code, "--from", "2026-13-01"]) == 2


def test_scheduler_runs_the_sender(world):
    from cchc.dossiers import tasks

    assert "send_portal_events" in [j.name for j in tasks.JOBS]


def test_indicator_1_4_only_for_periods_the_outbox_covers(world):
    from datetime import date

    d = receive(world)
    send_all()
    day = date(2026, 3, 2)
    assert selectors.indicator_1_4(world["province"], day, day) == {
        "numerator": 1, "denominator": 1, "source": "Đối soát với Cổng DVC quốc gia (cchc.portalsync)"}
    assert selectors.indicator_1_4(world["province"], day, day, unit=world["centre"]) is None
    assert selectors.indicator_1_4(world["province"], date(2026, 4, 1), date(2026, 4, 30)) is None  # no dossier
    PortalEvent.objects.filter(dossier=d).delete()  # received before go-live
    assert selectors.indicator_1_4(world["province"], day, day) is None


def test_reconciliation_over_a_period_still_lists_portal_only_codes(world):
    from datetime import date

    receive(world)
    send_all()
    FakePortalDossier.objects.create(dossier_code="X-EXTRA", province_code="T99", status="received")
    r = selectors.reconcile(province=world["province"], received_from=date(2026, 3, 2), received_to=date(2026, 3, 2))
    assert r["matched"] == 1 and [e["code"] for e in r["extra"]] == ["X-EXTRA"] and r["portal_total"] == 2
