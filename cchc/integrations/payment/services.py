"""Payment use cases (thanh toán phí, lệ phí trực tuyến): create, IPN/return callback, refund, receipt.

The callback handler is idempotent: the payment row is locked, and a payment that is no longer pending is never
changed again (a replayed IPN answers 02). A forged signature (97) or an amount that differs from the recorded
amount (04) changes nothing. Every state change writes an audit event in the same transaction.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.permissions import in_scope
from cchc.core.audit import audit_record
from cchc.core.errors import ConflictError, DomainError, ForbiddenError
from cchc.dossiers import rollups
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import Dossier, PaymentStatus
from cchc.integrations import registry
from cchc.integrations.models import FakeGatewayTransaction, Payment, PaymentRefund, PaymentState

from . import vnpay

FAKE_PATH = "/cong-thanh-toan-gia-lap/"
DEV_TMN_CODE = "CCHCFAKE"
DEV_SECRET = "cchc-fake-gateway-secret"  # the local fake's key only; a real backend needs its own (docs/integrations.md)
REFUND_ROLES = {"par_office", "one_stop_officer"}


def gateway_config() -> dict:
    conf = registry.config("payment")
    if conf["backend"] == registry.FAKE:
        conf.setdefault("url", FAKE_PATH)
        conf.setdefault("tmn_code", DEV_TMN_CODE)
        conf.setdefault("secret", DEV_SECRET)
    return conf


def _receipt_number(payment: Payment) -> str:
    return f"BL{payment.paid_at.astimezone(vnpay.GMT7):%Y}-{payment.pk:07d}"


def payment_create(*, dossier: Dossier, user, return_url: str, ip_addr: str = "") -> tuple[Payment, str]:
    """Tạo giao dịch cho phí, lệ phí của hồ sơ → (payment, URL to redirect the citizen to)."""
    conf = gateway_config()
    if conf["backend"] not in (registry.FAKE, "vnpay"):
        raise DomainError(f"payment.backend: cổng “{conf['backend']}” chưa hỗ trợ tạo giao dịch (chỉ fake, vnpay).",
                          code="unsupported_backend", field="backend")
    if not conf.get("secret") or not conf.get("tmn_code"):
        raise DomainError("payment: thiếu CCHC_INTEGRATION_PAYMENT_SECRET / _TMN_CODE.", code="not_configured")
    now = timezone.now()
    with transaction.atomic():
        d = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if d.applicant_user_id is None or d.applicant_user_id != getattr(user, "pk", None):
            raise ForbiddenError("Bạn chỉ thanh toán cho hồ sơ của mình.", code="forbidden")
        if not d.fee_amount or d.fee_amount <= 0:
            raise ConflictError("Thủ tục này không thu phí, lệ phí.", code="no_fee")
        if d.payment_status != PaymentStatus.UNPAID:
            raise ConflictError(f"Phí, lệ phí đã ở trạng thái “{d.get_payment_status_display()}”.", code="already_paid")
        if d.status in wf.FINAL_STATES:
            raise ConflictError("Hồ sơ đã kết thúc.", code="dossier_closed")
        p = Payment.objects.create(dossier=d, gateway=conf["backend"], txn_ref=f"{now.astimezone(vnpay.GMT7):%y%m%d}{secrets.token_hex(5).upper()}",
                                   amount=d.fee_amount, created_at=now, created_by=user)
        audit_record(actor=user, action="payment.create", obj=p, to_state=p.status,
                     data={"dossier": d.code, "amount": str(p.amount), "gateway": p.gateway})
    params = vnpay.payment_params(tmn_code=conf["tmn_code"], amount_vnd=p.amount, txn_ref=p.txn_ref,
                                  order_info=f"Nop phi le phi ho so {d.code}", return_url=return_url, ip_addr=ip_addr, at=now)
    return p, vnpay.signed_url(conf["url"], params, conf["secret"])


def payment_callback(params: dict) -> tuple[str, str]:
    """Xử lý IPN (server to server): verify, then confirm once. Returns VNPAY's (RspCode, Message)."""
    conf = gateway_config()
    try:
        if not vnpay.verify(params, conf.get("secret") or ""):
            return vnpay.RSP_SIGNATURE
        with transaction.atomic():
            p = Payment.objects.select_for_update().filter(txn_ref=str(params.get("vnp_TxnRef") or "")).first()
            if p is None:
                return vnpay.RSP_NOT_FOUND
            try:
                amount = vnpay.amount_from_param(params.get("vnp_Amount"))
            except (TypeError, ValueError):
                return vnpay.RSP_AMOUNT
            if amount != p.amount:
                return vnpay.RSP_AMOUNT
            if p.status != PaymentState.PENDING:
                return vnpay.RSP_ALREADY
            ok = params.get("vnp_ResponseCode") == vnpay.RESPONSE_SUCCESS and params.get("vnp_TransactionStatus", "00") == vnpay.RESPONSE_SUCCESS
            p.gateway_txn_no = str(params.get("vnp_TransactionNo") or "")[:40]
            p.bank_code = str(params.get("vnp_BankCode") or "")[:20]
            p.response_code = str(params.get("vnp_ResponseCode") or "")[:4]
            if ok:
                _confirm_paid(p)
            else:
                p.status = PaymentState.FAILED
                p.save()
                audit_record(actor=None, action="payment.failed", obj=p, from_state=PaymentState.PENDING, to_state=p.status,
                             data={"response_code": p.response_code})
        return vnpay.RSP_OK
    except Exception:  # the gateway needs an answer; the error is logged by Django's handler of the caller
        import logging

        logging.getLogger(__name__).exception("payment IPN")
        return vnpay.RSP_UNKNOWN


def _confirm_paid(p: Payment) -> None:
    now = timezone.now()
    p.status = PaymentState.PAID
    p.paid_at = now
    p.save()
    p.receipt_number = _receipt_number(p)
    p.save(update_fields=["receipt_number"])
    d = rollups.track(Dossier.objects.select_for_update().get(pk=p.dossier_id))
    before = d.payment_status
    d.payment_status = PaymentStatus.PAID_ONLINE
    d.payment_reference = p.txn_ref
    d.paid_at = now
    d.version += 1
    d.save()
    rollups.sync(d)
    audit_record(actor=None, action="payment.paid", obj=p, from_state=PaymentState.PENDING, to_state=p.status,
                 data={"dossier": d.code, "amount": str(p.amount), "gateway_txn_no": p.gateway_txn_no, "receipt": p.receipt_number})
    audit_record(actor=None, action="dossier.payment", obj=d, from_state=d.status, to_state=d.status,
                 data={"from": before, "to": d.payment_status, "reference": p.txn_ref, "by": "gateway"})


def refundable_amount(p: Payment) -> Decimal:
    """Số tiền còn có thể hoàn = paid − the refunds the gateway already accepted (0 unless paid/refunded)."""
    if p.status not in (PaymentState.PAID, PaymentState.REFUNDED):
        return Decimal(0)
    done = sum((r.amount for r in p.refunds.all()), Decimal(0))
    return max(Decimal(0), Decimal(p.amount) - done)


def _parse_refund_amount(raw, remaining: Decimal) -> Decimal:
    if raw is None or str(raw).strip() == "":
        return remaining
    try:
        value = Decimal(str(raw).strip().replace(".", "").replace(" ", ""))
    except ArithmeticError:
        value = None
    if value is None or not value.is_finite() or value != value.to_integral_value() or value <= 0:
        raise DomainError("amount: số tiền hoàn phải là số đồng nguyên dương.", code="invalid", field="amount")
    if value > remaining:
        raise DomainError(f"amount: số tiền hoàn ({value:,.0f} đ) vượt số còn có thể hoàn ({remaining:,.0f} đ).".replace(",", "."),
                          code="exceeds_paid", field="amount")
    return value


def gateway_api(body: dict) -> dict:
    """One call of the merchant web API (querydr / refund): the local fake answers in-process; "vnpay" POSTs JSON to
    CCHC_INTEGRATION_PAYMENT_API_URL (default the sandbox's …/merchant_webapi/api/transaction). The answer's checksum
    is verified here; an unreadable or unsigned answer raises DomainError (502, nothing written)."""
    conf = gateway_config()
    if conf["backend"] == registry.FAKE:
        answer = fake_merchant_api(body)
    else:
        import json
        import urllib.request

        url = conf.get("api_url") or "https://sandbox.vnpayment.vn" + vnpay.API_PATH
        req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=15) as resp:  # noqa: S310 (configured https URL)
                answer = json.loads(resp.read().decode("utf-8"))
        except (OSError, ValueError) as exc:
            raise GatewayError(f"Cổng thanh toán không trả lời ({exc.__class__.__name__}).", code="gateway_unavailable") from None
    command = body.get("vnp_Command")
    if answer.get("vnp_ResponseCode") != vnpay.API_CHECKSUM and not vnpay.api_verify(answer, vnpay.RESPONSE_FIELDS[command], conf["secret"]):
        raise GatewayError("Câu trả lời của cổng thanh toán sai chữ ký (vnp_SecureHash).", code="gateway_checksum")
    return answer


class GatewayError(DomainError):
    status_code = 502


def payment_query(p: Payment, *, at=None) -> dict:
    """Truy vấn giao dịch tại cổng (querydr) → the gateway's signed answer (dict)."""
    conf = gateway_config()
    at = at or timezone.now()
    body = vnpay.querydr_request(request_id=secrets.token_hex(8).upper(), tmn_code=conf["tmn_code"], txn_ref=p.txn_ref,
                                 transaction_date=vnpay.create_date(p.created_at), order_info=f"Truy van giao dich {p.txn_ref}",
                                 ip_addr="127.0.0.1", at=at, secret=conf["secret"])
    return gateway_api(body)


def payment_refund(*, payment: Payment, actor, reason: str, amount=None) -> PaymentRefund:
    """Hoàn tiền (PAR office or one-stop officer of the dossier's unit scope): full or partial, through the gateway's
    refund API; the sum of refunds never exceeds what was paid. When the whole amount is refunded the payment becomes
    `refunded` and the dossier's fee `unpaid`; a partial refund leaves both paid. Audited (payment.refund)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason: bắt buộc nêu lý do hoàn tiền.", code="required", field="reason")
    if getattr(actor, "role", None) not in REFUND_ROLES and not getattr(actor, "is_superuser", False):
        raise ForbiddenError("Chỉ Văn phòng/Sở Nội vụ (CCHC) hoặc cán bộ một cửa được hoàn tiền.", code="forbidden")
    conf = gateway_config()
    with transaction.atomic():
        p = Payment.objects.select_for_update().get(pk=payment.pk)
        if p.status != PaymentState.PAID:
            raise ConflictError(f"Chỉ hoàn tiền giao dịch đã thanh toán (đang: {p.get_status_display()}).", code="not_paid")
        d = rollups.track(Dossier.objects.select_for_update().get(pk=p.dossier_id))
        if not getattr(actor, "is_superuser", False) and not in_scope(actor, d.unit):
            raise ForbiddenError("Hồ sơ ngoài phạm vi đơn vị của bạn.", code="forbidden")
        remaining = refundable_amount(p)
        value = _parse_refund_amount(amount, remaining)
        full = value == Decimal(p.amount) and remaining == Decimal(p.amount)
        now = timezone.now()
        request_id = secrets.token_hex(8).upper()
        body = vnpay.refund_request(request_id=request_id, tmn_code=conf["tmn_code"], txn_ref=p.txn_ref, amount_vnd=value,
                                    full=full, transaction_no=p.gateway_txn_no, transaction_date=vnpay.create_date(p.created_at),
                                    create_by=getattr(actor, "username", "")[:50], order_info=f"Hoan tien {p.txn_ref}",
                                    ip_addr="127.0.0.1", at=now, secret=conf["secret"])
        answer = gateway_api(body)
        code = str(answer.get("vnp_ResponseCode") or "")
        if code != vnpay.API_OK:
            raise ConflictError(f"Cổng thanh toán từ chối hoàn tiền (mã {code}: {answer.get('vnp_Message', '')}).",
                                code="gateway_refused", extra={"gateway_code": code})
        r = PaymentRefund.objects.create(payment=p, amount=value, transaction_type=body["vnp_TransactionType"], request_id=request_id,
                                         response_code=code, gateway_txn_no=str(answer.get("vnp_TransactionNo") or "")[:40],
                                         reason=reason[:500], created_at=now, created_by=actor)
        refunded_all = value == remaining
        before = d.payment_status
        if refunded_all:
            p.status = PaymentState.REFUNDED
            p.refunded_at = now
        p.refund_reason = reason[:500]
        p.save()
        audit_record(actor=actor, action="payment.refund", obj=p, from_state=PaymentState.PAID, to_state=p.status, reason=reason,
                     data={"dossier": d.code, "amount": str(value), "paid": str(p.amount), "remaining": str(remaining - value),
                           "type": body["vnp_TransactionType"], "request_id": request_id})
        if refunded_all:
            d.payment_status = PaymentStatus.UNPAID
            d.paid_at = None
            d.version += 1
            d.save()
            rollups.sync(d)
            audit_record(actor=actor, action="dossier.payment", obj=d, from_state=d.status, to_state=d.status,
                         data={"from": before, "to": d.payment_status, "reference": p.txn_ref, "by": "refund"})
    return r


def fake_merchant_api(body: dict) -> dict:
    """The LOCAL FAKE gateway's merchant API (querydr, refund), answering from its own ledger
    (FakeGatewayTransaction) with VNPAY's codes and a signed answer; never used with a real gateway."""
    conf = gateway_config()
    command = str(body.get("vnp_Command") or "")
    base = {"vnp_ResponseId": secrets.token_hex(8).upper(), "vnp_Command": command, "vnp_TmnCode": conf["tmn_code"],
            "vnp_TxnRef": str(body.get("vnp_TxnRef") or "")}

    def answer(code, message, **extra):
        out = {**base, "vnp_ResponseCode": code, "vnp_Message": message, **extra}
        if command in vnpay.RESPONSE_FIELDS:
            out["vnp_SecureHash"] = vnpay.api_sign(out, vnpay.RESPONSE_FIELDS[command], conf["secret"])
        return out

    if command not in vnpay.REQUEST_FIELDS:
        return answer(vnpay.API_OTHER, "Unknown command")
    if not vnpay.api_verify(body, vnpay.REQUEST_FIELDS[command], conf["secret"]):
        return answer(vnpay.API_CHECKSUM, "Invalid checksum")
    with transaction.atomic():
        t = FakeGatewayTransaction.objects.select_for_update().filter(txn_ref=base["vnp_TxnRef"]).first()
        if t is None:
            return answer(vnpay.API_NOT_FOUND, "Transaction not found")
        kind = vnpay.TYPE_PAYMENT
        if t.refunded_amount:
            kind = vnpay.TYPE_FULL_REFUND if t.refunded_amount >= t.amount else vnpay.TYPE_PARTIAL_REFUND
        info = {"vnp_Amount": vnpay.amount_param(t.amount), "vnp_BankCode": t.bank_code, "vnp_PayDate": t.pay_date,
                "vnp_TransactionNo": t.transaction_no, "vnp_TransactionType": kind, "vnp_TransactionStatus": t.status,
                "vnp_OrderInfo": str(body.get("vnp_OrderInfo") or "")}
        if command == "querydr":
            return answer(vnpay.API_OK, "QueryDR Success", **info, vnp_PromotionCode="", vnp_PromotionAmount="")
        if body.get("vnp_RequestId") in t.refund_request_ids:
            return answer(vnpay.API_DUPLICATE, "Duplicate request", **info)
        if t.status != vnpay.RESPONSE_SUCCESS:
            return answer(vnpay.API_NOT_SUCCESS, "Transaction not successful", **info)
        try:
            value = vnpay.amount_from_param(body.get("vnp_Amount"))
        except (TypeError, ValueError):
            return answer(vnpay.API_BAD_AMOUNT, "Invalid amount", **info)
        if value <= 0 or value > t.amount - t.refunded_amount:
            return answer(vnpay.API_BAD_AMOUNT, "Invalid amount", **info)
        t.refunded_amount += value
        t.refund_request_ids = [*t.refund_request_ids, body.get("vnp_RequestId")]
        t.save()
        info["vnp_Amount"] = vnpay.amount_param(value)
        info["vnp_TransactionType"] = body.get("vnp_TransactionType")
        return answer(vnpay.API_OK, "Refund success", **info)


def fake_gateway_result(params: dict, *, pay: bool, at=None) -> dict:
    """What the local fake gateway sends back (Return URL and IPN): the request's TxnRef/Amount, signed."""
    conf = gateway_config()
    at = at or timezone.now()
    out = {k: params[k] for k in ("vnp_Amount", "vnp_TmnCode", "vnp_TxnRef", "vnp_OrderInfo") if k in params}
    code = vnpay.RESPONSE_SUCCESS if pay else vnpay.RESPONSE_CANCELLED
    out.update({"vnp_ResponseCode": code, "vnp_TransactionStatus": "00" if pay else "02", "vnp_BankCode": "NCB",
                "vnp_TransactionNo": str(int(at.timestamp()))[-8:], "vnp_PayDate": vnpay.create_date(at), "vnp_CardType": "ATM"})
    out["vnp_SecureHash"] = vnpay.sign(out, conf["secret"])
    # the fake's own ledger, read by its querydr/refund API (fake_merchant_api)
    FakeGatewayTransaction.objects.update_or_create(txn_ref=out.get("vnp_TxnRef", ""), defaults={
        "amount": vnpay.amount_from_param(out.get("vnp_Amount", "0")), "transaction_no": out["vnp_TransactionNo"],
        "status": out["vnp_TransactionStatus"], "pay_date": out["vnp_PayDate"], "bank_code": out["vnp_BankCode"]})
    return out


def return_url_for(request) -> str:
    return request.build_absolute_uri(reverse("integrations:payment_return"))


def amount_ok(p: Payment) -> bool:
    return Decimal(p.amount) == Decimal(p.dossier.fee_amount)
