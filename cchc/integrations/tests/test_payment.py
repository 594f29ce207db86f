"""Payment adapter (VNPAY 2.1.0 protocol) against the local fake gateway: signing, IPN codes, idempotency,
refund, receipt, reconciliation, the 766 indicator 3.6 provider and the self-test."""

import json
import re
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest

from cchc.cli import main
from cchc.core.errors import ConflictError, DomainError, ForbiddenError
from cchc.core.models import AuditEvent
from cchc.dossiers.models import PaymentStatus
from cchc.integrations import selectors
from cchc.integrations.models import Payment, PaymentState
from cchc.integrations.payment import checks, services, vnpay

pytestmark = pytest.mark.django_db


# --- the protocol (pure) -------------------------------------------------------------------------------------

def test_signature_matches_an_independent_hmac_sha512():
    """openssl dgst -sha512 -hmac KEY over "vnp_Amount=1000000&vnp_OrderInfo=Nop+phi&vnp_TxnRef=T1"."""
    assert vnpay.hash_data(checks.VECTOR_PARAMS) == "vnp_Amount=1000000&vnp_OrderInfo=Nop+phi&vnp_TxnRef=T1"
    assert vnpay.sign(checks.VECTOR_PARAMS, "KEY") == checks.VECTOR_HASH


def test_signing_skips_the_hash_fields_and_verify_rejects_any_change():
    p = {"vnp_TxnRef": "A", "vnp_Amount": "100"}
    p["vnp_SecureHash"] = vnpay.sign(p, "s")
    p["vnp_SecureHashType"] = "HmacSHA512"
    assert vnpay.verify(p, "s") and not vnpay.verify(p, "t")
    assert not vnpay.verify({**p, "vnp_Amount": "101"}, "s") and not vnpay.verify({k: v for k, v in p.items() if k != "vnp_SecureHash"}, "s")


def test_amount_is_times_100_and_create_date_is_gmt7():
    assert vnpay.amount_param(Decimal("10000")) == "1000000" and vnpay.amount_from_param("1000000") == Decimal("10000")
    for bad in (0, -5, Decimal("10.5")):
        with pytest.raises(ValueError):
            vnpay.amount_param(bad)
    from datetime import UTC
    assert vnpay.create_date(datetime(2026, 12, 31, 17, 0, 0, tzinfo=UTC)) == "20270101000000"


# --- the flow through the fake gateway -------------------------------------------------------------------------

def start(client, citizen, d):
    client.force_login(citizen)
    resp = client.post(f"/dich-vu-cong/phi-le-phi/{d.code}/thanh-toan/")
    assert resp.status_code == 302
    url = resp["Location"]
    assert url.startswith("/cong-thanh-toan-gia-lap/?")
    return url, dict(parse_qsl(urlsplit(url).query))


def test_citizen_pays_through_the_fake_gateway_and_gets_a_receipt(client, citizen, fee_dossier):
    url, params = start(client, citizen, fee_dossier)
    assert params["vnp_Amount"] == "20000000" and params["vnp_Version"] == "2.1.0" and len(params["vnp_CreateDate"]) == 14
    page = client.get(url)
    assert page.status_code == 200 and "Thanh toán" in page.content.decode() and "200.000" in page.content.decode()
    back = client.post("/cong-thanh-toan-gia-lap/", {**params, "action": "pay"})
    assert back.status_code == 302 and "/thanh-toan/ket-qua/?" in back["Location"]
    result = client.get(back["Location"])
    assert result.status_code == 200 and "Thanh toán thành công" in result.content.decode()
    p = Payment.objects.get(dossier=fee_dossier)
    fee_dossier.refresh_from_db()
    assert p.status == PaymentState.PAID and re.fullmatch(r"BL\d{4}-\d{7}", p.receipt_number)
    assert fee_dossier.payment_status == PaymentStatus.PAID_ONLINE and fee_dossier.payment_reference == p.txn_ref and fee_dossier.paid_at
    assert AuditEvent.objects.filter(action="payment.paid").count() == 1
    pdf = client.get(f"/thanh-toan/bien-lai/{p.txn_ref}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    # paying again is refused: nothing due
    assert client.post(f"/dich-vu-cong/phi-le-phi/{fee_dossier.code}/thanh-toan/").status_code == 409


def test_cancel_marks_the_payment_failed_and_the_fee_stays_due(client, citizen, fee_dossier):
    url, params = start(client, citizen, fee_dossier)
    back = client.post("/cong-thanh-toan-gia-lap/", {**params, "action": "cancel"})
    assert "chưa thành công" in client.get(back["Location"]).content.decode()
    fee_dossier.refresh_from_db()
    assert Payment.objects.get().status == PaymentState.FAILED and fee_dossier.payment_status == PaymentStatus.UNPAID


def ipn(client, params):
    resp = client.get("/thanh-toan/ipn/", params)
    assert resp.status_code == 200
    return resp.json()


def test_ipn_codes_and_idempotency(client, citizen, fee_dossier):
    _, params = start(client, citizen, fee_dossier)
    ok = services.fake_gateway_result(params, pay=True)
    forged = {**ok, "vnp_SecureHash": "0" * 128}
    assert ipn(client, forged) == {"RspCode": "97", "Message": "Invalid signature"}
    assert Payment.objects.get().status == PaymentState.PENDING
    wrong_amount = {k: v for k, v in ok.items() if k != "vnp_SecureHash"} | {"vnp_Amount": "19999900"}
    wrong_amount["vnp_SecureHash"] = vnpay.sign(wrong_amount, services.gateway_config()["secret"])
    assert ipn(client, wrong_amount)["RspCode"] == "04" and Payment.objects.get().status == PaymentState.PENDING
    missing = {k: v for k, v in ok.items() if k != "vnp_SecureHash"} | {"vnp_TxnRef": "KHONGCO"}
    missing["vnp_SecureHash"] = vnpay.sign(missing, services.gateway_config()["secret"])
    assert ipn(client, missing)["RspCode"] == "01"
    assert ipn(client, ok) == {"RspCode": "00", "Message": "Confirm Success"}
    p = Payment.objects.get()
    events = AuditEvent.objects.count()
    assert ipn(client, ok) == {"RspCode": "02", "Message": "Order already confirmed"}  # replay
    cancelled = services.fake_gateway_result(params, pay=False)
    assert ipn(client, cancelled)["RspCode"] == "02"
    p2 = Payment.objects.get()
    assert (p2.status, p2.paid_at, p2.receipt_number) == (PaymentState.PAID, p.paid_at, p.receipt_number)
    assert AuditEvent.objects.count() == events


def test_return_page_with_a_forged_signature_records_nothing(client, citizen, fee_dossier):
    _, params = start(client, citizen, fee_dossier)
    ok = services.fake_gateway_result(params, pay=True)
    resp = client.get("/thanh-toan/ket-qua/", {**ok, "vnp_SecureHash": "ab" * 64})
    assert resp.status_code == 400 and "sai chữ ký" in resp.content.decode()
    assert client.get("/cong-thanh-toan-gia-lap/", {**params, "vnp_SecureHash": "ab" * 64}).status_code == 400
    assert Payment.objects.get().status == PaymentState.PENDING


def test_only_the_applicant_may_start_a_payment_and_only_when_a_fee_is_due(client, world, citizen, fee_dossier):
    with pytest.raises(ForbiddenError):
        services.payment_create(dossier=fee_dossier, user=world["officer"], return_url="http://x/")
    client.force_login(world["officer"])
    assert client.post(f"/dich-vu-cong/phi-le-phi/{fee_dossier.code}/thanh-toan/").status_code == 404
    from cchc.dossiers.models import Dossier
    Dossier.objects.filter(pk=fee_dossier.pk).update(payment_status=PaymentStatus.EXEMPT)
    with pytest.raises(ConflictError):
        services.payment_create(dossier=fee_dossier, user=citizen, return_url="http://x/")
    assert not Payment.objects.exists()


def test_unsupported_backend_is_a_clear_error(settings, citizen, fee_dossier):
    settings.INTEGRATIONS = {"payment": {"backend": "national"}}
    with pytest.raises(DomainError, match="backend"):
        services.payment_create(dossier=fee_dossier, user=citizen, return_url="http://x/")


def pay(client, citizen, d):
    _, params = start(client, citizen, d)
    assert ipn(client, services.fake_gateway_result(params, pay=True))["RspCode"] == "00"
    return Payment.objects.get(txn_ref=params["vnp_TxnRef"])


def test_refund_needs_a_reason_a_role_and_the_scope(client, world, citizen, fee_dossier):
    p = pay(client, citizen, fee_dossier)
    with pytest.raises(DomainError, match="reason"):
        services.payment_refund(payment=p, actor=world["officer"], reason=" ")
    with pytest.raises(ForbiddenError):
        services.payment_refund(payment=p, actor=world["specialist"], reason="Nộp nhầm")
    with pytest.raises(ForbiddenError):
        services.payment_refund(payment=p, actor=world["other_officer"], reason="Nộp nhầm")
    services.payment_refund(payment=p, actor=world["officer"], reason="Nộp nhầm")
    p.refresh_from_db()
    fee_dossier.refresh_from_db()
    assert p.status == PaymentState.REFUNDED and fee_dossier.payment_status == PaymentStatus.UNPAID
    assert AuditEvent.objects.filter(action="payment.refund", actor=world["officer"]).count() == 1
    with pytest.raises(ConflictError):
        services.payment_refund(payment=p, actor=world["officer"], reason="lần hai")


def test_reconciliation_lists_mismatches(client, world, citizen, fee_dossier):
    p = pay(client, citizen, fee_dossier)
    assert selectors.reconciliation(world["province"]) == []
    from cchc.dossiers.models import Dossier
    Dossier.objects.filter(pk=fee_dossier.pk).update(fee_amount=250000)
    assert [r["problem"] for r in selectors.reconciliation(world["province"])] == ["amount_mismatch"]
    Payment.objects.filter(pk=p.pk).update(status=PaymentState.FAILED)
    assert [r["problem"] for r in selectors.reconciliation()] == ["dossier_paid_without_record"]


def test_indicator_3_6_reads_the_payment_records(client, world, citizen, fee_dossier):
    march = (date(2026, 3, 1), date(2026, 3, 31))
    assert selectors.indicator_3_6(world["province"], *march) is None  # no record: the platform figure stays
    Payment.objects.create(dossier=fee_dossier, gateway="fake", txn_ref="X1", amount=200000, created_at=fee_dossier.received_at)
    assert selectors.indicator_3_6(world["province"], *march) == {"numerator": 0, "denominator": 1, "source": "integrations.payment"}
    Payment.objects.filter(txn_ref="X1").update(status=PaymentState.PAID)
    assert selectors.indicator_3_6(world["province"], *march)["numerator"] == 1
    assert selectors.indicator_3_6(world["province"], date(2026, 3, 3), date(2026, 3, 31)) is None  # received 02/03: outside
    assert selectors.indicator_3_6(world["other_province"], *march) is None
    from cchc.serviceindex import inputs
    assert inputs.PROVIDERS["3.6"] is selectors.indicator_3_6


def test_selftest_of_the_payment_adapter_passes_against_the_fake(capsys, world):
    code = main(["integrations", "selftest", "--json", "--only", "payment"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0, data
    assert [c["name"] for c in data["adapters"][0]["checks"]] == ["config", "signature_rule", "payment_url", "ipn_rejects_forgery", "gateway_reachable"]


def test_selftest_fails_when_the_real_backend_lacks_its_secret(capsys, settings, world):
    settings.INTEGRATIONS = {"payment": {"backend": "vnpay", "url": "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"}}
    code = main(["integrations", "selftest", "--json", "--only", "payment"])
    data = json.loads(capsys.readouterr().out)["adapters"][0]
    assert code == 1 and data["checks"][0]["ok"] is False and "SECRET" in data["checks"][0]["detail"]
