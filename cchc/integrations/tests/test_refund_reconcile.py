"""Refunds through the gateway's refund API (full, partial, never more than paid) and the reconciliation of platform
records with the gateway's querydr answers, against the local fake gateway's own ledger."""

from decimal import Decimal

import pytest

from cchc.core.errors import ConflictError, DomainError
from cchc.core.models import AuditEvent
from cchc.dossiers.models import PaymentStatus
from cchc.integrations import selectors
from cchc.integrations.models import FakeGatewayTransaction, Payment, PaymentRefund, PaymentState
from cchc.integrations.payment import services, vnpay

from .test_payment import pay, start

pytestmark = pytest.mark.django_db


def test_the_merchant_api_checksum_is_the_pipe_joined_fields_in_the_guide_order():
    body = vnpay.refund_request(request_id="R1", tmn_code="CCHCFAKE", txn_ref="T1", amount_vnd=50000, full=False,
                                transaction_no="123", transaction_date="20260302090000", create_by="motcua",
                                order_info="Hoan tien T1", ip_addr="127.0.0.1", at=vnpay.datetime(2026, 3, 3, 2, 0, tzinfo=vnpay.GMT7),
                                secret="KEY")
    assert vnpay.api_hash_data(body, vnpay.REFUND_FIELDS) == (
        "R1|2.1.0|refund|CCHCFAKE|03|T1|5000000|123|20260302090000|motcua|20260303020000|127.0.0.1|Hoan tien T1")
    import hashlib
    import hmac

    assert body["vnp_SecureHash"] == hmac.new(b"KEY", vnpay.api_hash_data(body, vnpay.REFUND_FIELDS).encode(), hashlib.sha512).hexdigest()
    assert vnpay.api_verify(body, vnpay.REFUND_FIELDS, "KEY") and not vnpay.api_verify({**body, "vnp_Amount": "5000100"}, vnpay.REFUND_FIELDS, "KEY")
    # the fake refuses a forged request with 97 and changes nothing
    assert services.fake_merchant_api({**body, "vnp_SecureHash": "0" * 128})["vnp_ResponseCode"] == "97"


def test_partial_then_full_refund_never_more_than_paid(client, world, citizen, fee_dossier):
    p = pay(client, citizen, fee_dossier)  # 200.000 đ
    officer = world["officer"]
    for bad in ("0", "-1", "12,5", "abc"):
        with pytest.raises(DomainError) as e:
            services.payment_refund(payment=p, actor=officer, reason="Thu thừa", amount=bad)
        assert e.value.field == "amount"
    with pytest.raises(DomainError) as e:  # one đồng more than paid
        services.payment_refund(payment=p, actor=officer, reason="Thu thừa", amount="200001")
    assert e.value.code == "exceeds_paid" and not PaymentRefund.objects.exists()
    r1 = services.payment_refund(payment=p, actor=officer, reason="Thu thừa lệ phí", amount="50000")
    p.refresh_from_db()
    fee_dossier.refresh_from_db()
    assert (r1.amount, r1.transaction_type, p.status, fee_dossier.payment_status) == (Decimal(50000), "03", PaymentState.PAID, PaymentStatus.PAID_ONLINE)
    assert services.refundable_amount(p) == 150000
    assert FakeGatewayTransaction.objects.get(txn_ref=p.txn_ref).refunded_amount == 50000  # the gateway moved the money
    with pytest.raises(DomainError):  # 150.001 > 150.000 left
        services.payment_refund(payment=p, actor=officer, reason="Lần hai", amount="150001")
    r2 = services.payment_refund(payment=p, actor=officer, reason="Hồ sơ bị từ chối", amount="150000")  # exactly what is left
    p.refresh_from_db()
    fee_dossier.refresh_from_db()
    assert r2.transaction_type == "03" and p.status == PaymentState.REFUNDED and fee_dossier.payment_status == PaymentStatus.UNPAID
    assert sum(r.amount for r in p.refunds.all()) == p.amount
    events = AuditEvent.objects.filter(action="payment.refund", object_id=str(p.pk)).order_by("id")
    assert [e.data["amount"] for e in events] == ["50000", "150000"] and [e.data["remaining"] for e in events] == ["150000", "0"]
    with pytest.raises(ConflictError):
        services.payment_refund(payment=p, actor=officer, reason="Lần ba", amount="1")


def test_a_full_refund_is_type_02_and_the_gateway_refusal_writes_nothing(client, world, citizen, fee_dossier):
    p = pay(client, citizen, fee_dossier)
    # the gateway's ledger says it already refunded 10.000 (done elsewhere): asking for the full amount is refused by it
    FakeGatewayTransaction.objects.filter(txn_ref=p.txn_ref).update(refunded_amount=10000)
    with pytest.raises(ConflictError) as e:
        services.payment_refund(payment=p, actor=world["officer"], reason="Hoàn toàn bộ")
    assert e.value.extra["gateway_code"] == "93" and not PaymentRefund.objects.exists()
    p.refresh_from_db()
    assert p.status == PaymentState.PAID and not AuditEvent.objects.filter(action="payment.refund").exists()
    FakeGatewayTransaction.objects.filter(txn_ref=p.txn_ref).update(refunded_amount=0)
    r = services.payment_refund(payment=p, actor=world["officer"], reason="Hoàn toàn bộ")
    assert (r.amount, r.transaction_type) == (Decimal(200000), "02")


def test_reconciliation_lists_only_payments_where_platform_and_gateway_disagree(client, world, citizen, fee_dossier):
    from cchc.dossiers.models import Dossier

    p = pay(client, citizen, fee_dossier)
    assert selectors.gateway_reconciliation(Payment.objects.all())["rows"] == []
    # a second dossier: the citizen paid at the gateway but the IPN never arrived
    other = Dossier.objects.get(pk=fee_dossier.pk)
    other.pk, other.code = None, fee_dossier.code + "-2"
    other.payment_status = PaymentStatus.UNPAID
    other.save()
    _, params = start(client, citizen, other)
    services.fake_gateway_result(params, pay=True)  # the gateway's ledger only
    # a third: started and abandoned (platform pending, gateway knows nothing) → agrees
    third = Dossier.objects.get(pk=fee_dossier.pk)
    third.pk, third.code, third.payment_status = None, fee_dossier.code + "-3", PaymentStatus.UNPAID
    third.save()
    start(client, citizen, third)
    r = selectors.gateway_reconciliation(Payment.objects.order_by("id"))
    assert r["checked"] == 3 and [(x["payment"].txn_ref, x["problem"]) for x in r["rows"]] == [(params["vnp_TxnRef"], "gateway_paid_platform_not")]
    # platform refunds 50.000 but the gateway's ledger does not show it
    services.payment_refund(payment=p, actor=world["officer"], reason="Thu thừa", amount="50000")
    FakeGatewayTransaction.objects.filter(txn_ref=p.txn_ref).update(refunded_amount=0)
    problems = {x["payment"].txn_ref: x["problem"] for x in selectors.gateway_reconciliation(Payment.objects.all())["rows"]}
    assert problems[p.txn_ref] == "refund_differs"
    FakeGatewayTransaction.objects.filter(txn_ref=p.txn_ref).update(refunded_amount=50000, amount=210000)
    problems = {x["payment"].txn_ref: x["problem"] for x in selectors.gateway_reconciliation(Payment.objects.all())["rows"]}
    assert problems[p.txn_ref] == "amount_differs"
    FakeGatewayTransaction.objects.filter(txn_ref=p.txn_ref).delete()
    problems = {x["payment"].txn_ref: x["problem"] for x in selectors.gateway_reconciliation(Payment.objects.all())["rows"]}
    assert problems[p.txn_ref] == "platform_paid_gateway_not"


def test_staff_pages_refund_and_reconcile_with_4xx_on_bad_input(client, world, citizen, fee_dossier):
    p = pay(client, citizen, fee_dossier)
    client.force_login(world["officer"])
    page = client.get(f"/mot-cua/thanh-toan/{p.txn_ref}/")
    assert page.status_code == 200 and "200.000" in page.content.decode() and "Hoàn tiền" in page.content.decode()
    bad = client.post(f"/mot-cua/thanh-toan/{p.txn_ref}/", {"amount": "200001", "reason": "Thu thừa"})
    assert bad.status_code == 400 and "amount:" in bad.content.decode() and not PaymentRefund.objects.exists()
    assert client.post(f"/mot-cua/thanh-toan/{p.txn_ref}/", {"amount": "70000", "reason": ""}).status_code == 400
    ok = client.post(f"/mot-cua/thanh-toan/{p.txn_ref}/", {"amount": "70000", "reason": "Thu thừa"})
    assert ok.status_code == 302 and PaymentRefund.objects.get().amount == 70000
    detail = client.get(f"/mot-cua/ho-so/{fee_dossier.code}/").content.decode()  # the receipt and refund on the dossier
    assert p.txn_ref in detail and p.receipt_number in detail and "70.000 đ" in detail
    rec = client.get("/mot-cua/doi-soat-thanh-toan/")
    assert rec.status_code == 200 and "khớp nhau" in rec.content.decode()
    assert client.get("/mot-cua/doi-soat-thanh-toan/", {"from": "2026-03-05", "to": "2026-03-01"}).status_code == 400
    client.force_login(world["other_officer"])  # another centre: not in scope
    assert client.get(f"/mot-cua/thanh-toan/{p.txn_ref}/").status_code == 404
    client.force_login(citizen)
    assert client.get("/mot-cua/doi-soat-thanh-toan/").status_code == 403
