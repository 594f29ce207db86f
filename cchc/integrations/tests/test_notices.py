"""Notices to the applicant on e-mail, SMS (eSMS fake) and Zalo (ZNS fake): templates, channel choice, one delivery per
notice × channel, sending with bounded retries and backoff, delivery reports (HTTP endpoints), staff table, self-test."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.cli import main
from cchc.core.errors import DomainError
from cchc.core.models import AuditEvent
from cchc.dossiers import services as dossier_services
from cchc.dossiers import workflow as wf
from cchc.dossiers.tests.factories import applicant
from cchc.integrations.models import Notice, NoticeDelivery
from cchc.integrations.notices import esms, services, templates, zns

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
MON = datetime(2026, 3, 2, 9, 0, tzinfo=VN)


@pytest.fixture(autouse=True)
def fresh_fakes(monkeypatch):
    """Each test its own fake eSMS / ZNS (they keep what they received in memory)."""
    monkeypatch.setattr(services, "_FAKE_SMS", esms.FakeEsms())
    monkeypatch.setattr(services, "_FAKE_ZNS", zns.FakeZns(services.FAKE_ZNS_TEMPLATES))


def receive(world, **who):
    return dossier_services.dossier_receive(
        actor=world["officer"],
        procedure=world["procedure"],
        unit=world["centre"],
        applicant=applicant(**who),
        received_at=MON,
    )


def deliveries(d):
    return {x.channel: x for x in NoticeDelivery.objects.filter(notice__dossier=d)}


# ------------------------------------------------------------------------------------------------ templates


def test_sms_segment_boundaries_and_unaccent():
    assert templates.unaccent("Hồ sơ Đã được tiếp nhận") == "Ho so Da duoc tiep nhan"
    assert [templates.segments("a" * n) for n in (0, 160, 161, 306, 307)] == [0, 1, 2, 2, 3]
    assert [templates.segments("ồ" * n) for n in (70, 71, 134, 135)] == [1, 2, 2, 3]
    assert (
        templates.segments("{" * 80) == 1 and templates.segments("{" * 81) == 2
    )  # GSM extension chars count 2


def test_every_sms_fits_one_segment_and_zns_params_fit_their_limits():
    long = {
        "code": "000.00.15.H56-260302-0001",
        "name": "Nguyễn Văn An",
        "due": "06/03/2026",
        "new_due": "10/03/2026",
        "reason": "Thiếu bản sao giấy chứng nhận kết hôn " * 10,
    }
    for kind in templates.KINDS:
        plain, uni = templates.render_sms(kind, long), templates.render_sms(kind, long, unicode=True)
        assert plain.isascii() and templates.segments(plain) == 1 and len(plain) <= 160
        assert templates.segments(uni) == 1 and "000.00.15.H56-260302-0001" in plain
        data = templates.render_zns(kind, long)
        assert set(data) == set(templates.ZNS_TEMPLATES[kind][1]) and all(
            len(v) <= templates.ZNS_TEMPLATES[kind][1][k] for k, v in data.items()
        )
    assert templates.render_sms("supplement", long).endswith("...")
    assert (
        templates.render_sms("received", long)
        == "Ho so 000.00.15.H56-260302-0001 da duoc tiep nhan. Hen tra ket qua: 06/03/2026."
    )


# ------------------------------------------------------------------------------------------------ recording


def test_receiving_writes_one_delivery_per_default_channel(world):
    d = receive(world)
    notice = Notice.objects.get(dossier=d)
    assert notice.kind == "received" and notice.params["code"] == d.code and notice.params["due"]
    rows = deliveries(d)
    assert (
        set(rows) == {"email", "sms"}
        and rows["sms"].recipient == "0912345678"
        and rows["email"].status == "queued"
    )
    bare = receive(world, phone="", email="")
    assert not Notice.objects.filter(dossier=bare).exists()  # nobody to tell: no notice
    with pytest.raises(IntegrityError), transaction.atomic():
        NoticeDelivery.objects.create(
            notice=notice, channel="sms", recipient="0912345678", next_attempt_at=timezone.now()
        )


def test_the_account_choice_decides_the_channels_of_later_notices(world, citizen):
    from cchc.accounts.services import user_set_notice_channels

    with pytest.raises(DomainError) as exc:
        user_set_notice_channels(
            user=citizen, actor=citizen, channels=["zalo"]
        )  # no phone on the account yet
    assert exc.value.field == "notice_channels" and "số điện thoại" in exc.value.message
    for bad in ([], ["fax"]):
        with pytest.raises(DomainError):
            user_set_notice_channels(user=citizen, actor=citizen, channels=bad)
    citizen.phone = "0987654321"
    citizen.save()
    assert citizen.notice_channel_list() == ["email", "sms"]  # the default once a phone is known
    user_set_notice_channels(user=citizen, actor=citizen, channels=["zalo", "zalo"])
    d = receive(world)
    type(d).objects.filter(pk=d.pk).update(applicant_user=citizen)
    d.refresh_from_db()
    d = dossier_services.dossier_transition(
        dossier=d,
        action=wf.REQUEST_SUPPLEMENT,
        actor=world["officer"],
        version=d.version,
        reason="Thiếu bản sao giấy khai sinh",
    )
    n = Notice.objects.get(dossier=d, kind="supplement")
    assert {x.channel: x.recipient for x in n.deliveries.all()} == {"zalo": "0987654321"}
    assert n.params["reason"] == "Thiếu bản sao giấy khai sinh"
    assert AuditEvent.objects.filter(action="accounts.notice_channels").count() == 1


# ------------------------------------------------------------------------------------------------ sending


def test_send_and_delivery_reports_on_the_three_channels(world, citizen, settings):
    citizen.phone = "0987654321"
    citizen.notice_channels = "email,sms,zalo"
    citizen.save()
    d = receive(world)
    type(d).objects.filter(pk=d.pk).update(applicant_user=citizen)
    d.refresh_from_db()
    d = dossier_services.dossier_transition(
        dossier=d, action=wf.COMPLETE, actor=world["officer"], version=d.version
    )
    assert services.deliveries_send() == {
        "sent": 5,
        "retry": 0,
        "failed": 0,
    }  # received: email+sms; result: 3 channels
    rows = {
        x.channel: x for x in NoticeDelivery.objects.filter(notice__dossier=d, notice__kind="result_ready")
    }
    assert rows["email"].status == "sent"  # e-mail has no delivery report
    assert (
        rows["sms"].status == "delivered" and rows["sms"].provider_id and rows["zalo"].status == "delivered"
    )
    assert any("đã có kết quả" in m.subject for m in mail.outbox) and len(mail.outbox) == 2
    sent = services.fake_sms().received[services.provider_key(rows["sms"].pk)]["body"]
    assert sent["Phone"] == "0987654321" and sent["IsUnicode"] == 0 and "da co ket qua" in sent["Content"]
    # replays change nothing; a second run sends nothing
    assert (
        services.sms_callback(services.fake_sms().callback_params(services.provider_key(rows["sms"].pk)))
        is False
    )
    assert services.deliveries_send() == {"sent": 0, "retry": 0, "failed": 0}
    assert len(mail.outbox) == 2


def test_retries_back_off_and_stop_after_max_attempts(world):
    d = receive(world, email="")
    [sms] = deliveries(d).values()
    services.fake_sms().down = 99
    t = timezone.now()
    delays = []
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        assert services.deliveries_send(now=t)["sent"] == 0
        sms.refresh_from_db()
        assert sms.attempts == attempt
        if attempt < services.MAX_ATTEMPTS:
            delays.append(sms.next_attempt_at - t)
            assert services.deliveries_send(now=sms.next_attempt_at - timedelta(seconds=1)) == {
                "sent": 0,
                "retry": 0,
                "failed": 0,
            }
            t = sms.next_attempt_at  # exactly due: tried
    assert delays == [timedelta(minutes=m) for m in (2, 4, 8, 16)]
    assert sms.status == "failed" and "không trả lời" in sms.last_error
    assert AuditEvent.objects.filter(action="notice.failed").count() == 1
    assert services.retry_delay(7) == services.RETRY_CAP


def test_a_permanent_refusal_fails_at_once_and_off_channels_wait(world, settings):
    d = receive(world, email="", phone="0912345698")  # the fake ZNS: not a Zalo user; SMS: delivered
    NoticeDelivery.objects.filter(notice__dossier=d).update(channel="zalo")
    settings.INTEGRATIONS = {"sms": {"backend": "off"}}
    assert services.deliveries_send() == {"sent": 0, "retry": 0, "failed": 1}
    zl = NoticeDelivery.objects.get(notice__dossier=d)
    assert zl.status == "failed" and zl.attempts == 1 and "không dùng Zalo" in zl.last_error
    d2 = receive(world, email="")
    assert services.deliveries_send() == {"sent": 0, "retry": 0, "failed": 0}  # SMS off: waits untouched
    assert deliveries(d2)["sms"].attempts == 0


# ------------------------------------------------------------------------------------------------ HTTP endpoints, pages


def test_esms_callback_and_zalo_webhook_endpoints(client, world):
    d = receive(world, email="")
    sms = deliveries(d)["sms"]
    services.fake_sms().down = 0
    services.sms_client().send(
        phone=sms.recipient, content="x", request_id=services.provider_key(sms.pk)
    )  # sent, no report yet
    NoticeDelivery.objects.filter(pk=sms.pk).update(status="sent")
    query = services.fake_sms().callback_params(services.provider_key(sms.pk))
    assert client.get("/thong-bao/sms/esms-callback/", {**query, "token": "sai"}).status_code == 403
    assert (
        client.get("/thong-bao/sms/esms-callback/", {"token": services.FAKE_CALLBACK_TOKEN}).status_code
        == 400
    )
    resp = client.get("/thong-bao/sms/esms-callback/", {**query, "token": services.FAKE_CALLBACK_TOKEN})
    assert resp.status_code == 200 and resp.json() == {"ok": True, "changed": True}
    sms.refresh_from_db()
    assert sms.status == "delivered"

    zl = NoticeDelivery.objects.create(
        notice=sms.notice,
        channel="zalo",
        recipient="0912345678",
        status="sent",
        next_attempt_at=timezone.now(),
    )
    msg_id = services.zalo_client().send(
        phone="0912345678",
        template_id="fake-received",
        template_data=templates.render_zns("received", sms.notice.params),
        tracking_id=services.provider_key(zl.pk),
    )
    raw, sig = services.fake_zns().webhook(msg_id)
    bad = client.post(
        "/thong-bao/zalo/webhook/", raw, content_type="application/json", HTTP_X_ZEVENT_SIGNATURE="mac=00"
    )
    assert bad.status_code == 400 and "X-ZEvent-Signature" in bad.json()["error"]
    ok = client.post(
        "/thong-bao/zalo/webhook/", raw, content_type="application/json", HTTP_X_ZEVENT_SIGNATURE=sig
    )
    assert ok.status_code == 200 and ok.json()["changed"] is True
    zl.refresh_from_db()
    assert zl.status == "delivered" and zl.provider_id == msg_id and zl.delivered_at is not None


def test_staff_see_the_notices_on_the_dossier_page_and_citizens_choose_on_their_profile(
    client, world, citizen
):
    d = receive(world)
    services.deliveries_send()
    client.force_login(world["officer"])
    page = client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    assert (
        "Thông báo cho người nộp" in page and "Đã đến máy người nhận" in page and 'data-channel="sms"' in page
    )
    client.force_login(citizen)
    bad = client.post("/tai-khoan/", {"form": "notices", "notice_channels": ["sms"]})
    assert bad.status_code == 400 and "số điện thoại" in bad.content.decode()
    assert client.post("/tai-khoan/", {"form": "notices", "notice_channels": ["email"]}).status_code == 302
    citizen.refresh_from_db()
    assert citizen.notice_channels == "email"
    assert 'value="email" checked' in client.get("/tai-khoan/").content.decode()


def test_selftest_of_the_sms_and_zalo_adapters(capsys, db, settings):
    code = main(["integrations", "selftest", "--json", "--only", "sms"])
    data = json.loads(capsys.readouterr().out)["adapters"][0]
    assert (
        code == 0
        and data["name"] == "sms"
        and {c["name"] for c in data["checks"]} >= {"send_contract", "callback_contract"}
    )
    assert main(["integrations", "selftest", "--json", "--only", "zalo"]) == 0
    capsys.readouterr()
    settings.INTEGRATIONS = {"zalo": {"backend": "zns", "access_token": "t"}}
    assert main(["integrations", "selftest", "--json", "--only", "zalo"]) == 1
    assert "CCHC_INTEGRATION_ZALO_APP_ID" in capsys.readouterr().out


def test_an_unexpected_adapter_error_is_retried_and_does_not_stop_the_batch(world, monkeypatch):
    d = receive(world)

    def broken(*a, **k):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(templates, "render_sms", broken)
    assert services.deliveries_send() == {"sent": 1, "retry": 1, "failed": 0}  # the e-mail still goes
    sms = deliveries(d)["sms"]
    assert sms.status == "queued" and sms.attempts == 1 and "RuntimeError: hỏng" in sms.last_error


def test_an_apology_notice_carries_the_new_date_and_rolls_back_with_the_dossier_change(world, monkeypatch):
    d = receive(world, email="")
    d = dossier_services.dossier_transition(
        dossier=d,
        action=wf.ASSIGN,
        actor=world["officer"],
        version=d.version,
        handling_unit_code=world["dept"].code,
        assignee="chuyenvien",
    )
    new_due = timezone.now() + timedelta(days=10)
    d = dossier_services.dossier_transition(
        dossier=d,
        action=wf.APOLOGISE,
        actor=world["specialist"],
        version=d.version,
        reason="Chờ kết quả xác minh",
        new_due_at=new_due,
    )
    n = Notice.objects.get(dossier=d, kind="apology")
    assert (
        n.params["new_due"] == timezone.localtime(new_due).strftime("%d/%m/%Y")
        and n.params["reason"] == "Chờ kết quả xác minh"
    )
    assert templates.render_sms("apology", n.params).endswith(f"Hen tra ket qua moi: {n.params['new_due']}.")

    def boom(**kwargs):
        raise RuntimeError("after the notice")

    from cchc.dossiers.signals import dossier_changed

    dossier_changed.connect(boom, dispatch_uid="test.boom")
    try:
        with pytest.raises(RuntimeError):
            dossier_services.dossier_transition(
                dossier=d, action=wf.COMPLETE, actor=world["specialist"], version=d.version
            )
    finally:
        dossier_changed.disconnect(dispatch_uid="test.boom")
    assert not Notice.objects.filter(
        dossier=d, kind="result_ready"
    ).exists()  # written in the change's transaction


def test_staff_of_the_dossier_requeue_a_failed_notice(client, world):
    d = receive(world, email="", phone="0912345699")  # the fake carrier fails numbers ending in 99
    assert services.deliveries_send() == {"sent": 1, "retry": 0, "failed": 0}
    sms = deliveries(d)["sms"]
    assert sms.status == "failed" and "SendFailed=1" in sms.last_error  # the callback reported the failure
    client.force_login(world["other_officer"])  # another centre: not in scope
    assert client.post(f"/mot-cua/thong-bao/{sms.pk}/gui-lai/").status_code == 404
    client.force_login(world["officer"])
    assert "Gửi lại" in client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    assert client.post(f"/mot-cua/thong-bao/{sms.pk}/gui-lai/").status_code == 302
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.last_error) == ("queued", 0, "")
    assert AuditEvent.objects.filter(action="notice.requeue").count() == 1
    with pytest.raises(DomainError):  # only a failed one
        services.delivery_requeue(delivery=sms, actor=world["officer"])
