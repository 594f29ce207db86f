"""Postal return against the fake carrier: hand-over rules, polling (idempotent, ordered), tracking page scope,
the report section and the self-test."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from cchc.cli import main
from cchc.core.errors import ConflictError, ForbiddenError
from cchc.core.models import AuditEvent
from cchc.dossiers.models import Dossier
from cchc.integrations import selectors
from cchc.integrations.models import PostalEvent, PostalShipment
from cchc.integrations.postal import carrier, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(fee_dossier):
    Dossier.objects.filter(pk=fee_dossier.pk).update(status="result_ready", result_channel="post", settled_at=timezone.now())
    fee_dossier.refresh_from_db()
    return fee_dossier


def test_fake_carrier_journey_boundaries():
    t0 = timezone.now()
    ok, bad = "EB000000001VN", "EB000000010VN"
    assert [s for s, *_ in carrier.track(ok, t0, t0 + timedelta(hours=4) - timedelta(seconds=1))] == ["accepted"]
    assert [s for s, *_ in carrier.track(ok, t0, t0 + timedelta(hours=4))] == ["accepted", "in_transit"]
    assert [s for s, *_ in carrier.track(ok, t0, t0 + timedelta(days=2))][-1] == "delivered"
    assert [s for s, *_ in carrier.track(bad, t0, t0 + timedelta(days=5))] == ["accepted", "in_transit", "failed", "returned"]
    with pytest.raises(ValueError):
        carrier.create("X", " ")


def test_handover_needs_a_postal_result_and_the_right_staff(world, fee_dossier, ready):
    with pytest.raises(ForbiddenError):
        services.postal_handover(dossier=ready, actor=world["other_officer"])
    Dossier.objects.filter(pk=ready.pk).update(result_channel="counter")
    with pytest.raises(ConflictError, match="result_channel"):
        services.postal_handover(dossier=ready, actor=world["officer"])
    Dossier.objects.filter(pk=ready.pk).update(result_channel="post", status="in_process")
    with pytest.raises(ConflictError, match="status"):
        services.postal_handover(dossier=ready, actor=world["officer"])
    Dossier.objects.filter(pk=ready.pk).update(status="result_ready")
    s = services.postal_handover(dossier=ready, actor=world["officer"])
    assert s.status == "accepted" and s.fee == carrier.FAKE_FEE and AuditEvent.objects.filter(action="postal.handover").count() == 1
    with pytest.raises(ConflictError):
        services.postal_handover(dossier=ready, actor=world["officer"])


def test_polling_applies_each_status_once(world, ready):
    s = services.postal_handover(dossier=ready, actor=world["officer"])
    later = s.handed_over_at + timedelta(days=6)
    first = services.postal_poll(now=later)
    s.refresh_from_db()
    assert first["changed"] >= 2 and s.status in ("delivered", "returned")
    events = PostalEvent.objects.count()
    assert services.postal_poll(now=later) == {"polled": 0, "changed": 0}
    assert not services.postal_apply(shipment=s, status="in_transit", at=later)  # replayed webhook event
    assert PostalEvent.objects.count() == events


def test_tracking_page_for_the_citizen_and_staff_in_scope_only(client, world, citizen, ready):
    s = services.postal_handover(dossier=ready, actor=world["officer"])
    client.force_login(citizen)
    page = client.get(f"/buu-gui/{s.waybill}/")
    assert page.status_code == 200 and "Bưu điện đã nhận" in page.content.decode()
    assert "Số 1, đường Trần Phú" not in page.content.decode()  # the address only for the handling unit's staff
    assert s.waybill in client.get("/dich-vu-cong/buu-gui/").content.decode()
    client.force_login(world["other_officer"])
    assert client.get(f"/buu-gui/{s.waybill}/").status_code == 404
    assert s.waybill not in client.get("/mot-cua/buu-gui/").content.decode()
    client.force_login(world["officer"])
    assert "Số 1, đường Trần Phú" in client.get(f"/buu-gui/{s.waybill}/").content.decode()


def test_staff_handover_page_names_the_rule(client, world, ready):
    client.force_login(world["officer"])
    Dossier.objects.filter(pk=ready.pk).update(result_channel="counter")
    resp = client.post("/mot-cua/buu-gui/ban-giao/", {"code": ready.code})
    assert resp.status_code == 409 and "result_channel" in resp.content.decode()
    assert client.post("/mot-cua/buu-gui/ban-giao/", {"code": "KHONGCO"}).status_code == 400
    Dossier.objects.filter(pk=ready.pk).update(result_channel="post")
    resp = client.post("/mot-cua/buu-gui/ban-giao/", {"code": ready.code})
    assert resp.status_code == 302 and PostalShipment.objects.count() == 1


def test_report_section_counts_the_period(world, ready):
    s = services.postal_handover(dossier=ready, actor=world["officer"])
    day = timezone.localdate(s.handed_over_at)
    sec = selectors.report_section(world["province"], day, day)
    figs = {f["key"]: f["value"] for f in sec["figures"]}
    assert figs["postal_handed_over"] == 1 and figs["payments_paid"] == 0
    assert set(sec["figures"][0]) == {"key", "label", "value", "unit", "query"}
    assert sec["tables"][0]["rows"] == [[world["centre"].name, 1, 22000]]
    assert {f["key"]: f["value"] for f in selectors.report_section(world["province"], day + timedelta(days=1), date(2099, 1, 1))["figures"]}["postal_handed_over"] == 0


def test_selftest_of_the_postal_adapter(capsys, db):
    code = main(["integrations", "selftest", "--json", "--only", "postal"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["adapters"][0]["name"] == "postal"
