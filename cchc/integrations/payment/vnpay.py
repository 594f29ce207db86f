"""VNPAY payment protocol, version 2.1.0 (cổng thanh toán VNPAY) — pure functions, no Django.

Source: VNPAY's public integration guide, https://sandbox.vnpayment.vn/apis/docs/thanh-toan-pay/pay.html and
https://sandbox.vnpayment.vn/apis/docs/huong-dan-tich-hop/ (see docs/integrations.md, "verified vs assumed"):
- the payment URL carries vnp_Version=2.1.0, vnp_Command=pay, vnp_TmnCode, vnp_Amount (VND × 100, no separators),
  vnp_CurrCode=VND, vnp_TxnRef, vnp_OrderInfo, vnp_OrderType, vnp_Locale, vnp_ReturnUrl, vnp_IpAddr,
  vnp_CreateDate (yyyyMMddHHmmss, GMT+7) and vnp_SecureHash;
- vnp_SecureHash = hex HMAC-SHA512(secret, the vnp_* parameters sorted by name, each key=value URL-encoded
  (spaces as "+", as PHP urlencode / Python quote_plus), joined with "&"), vnp_SecureHash and
  vnp_SecureHashType excluded;
- the Return URL and the IPN URL receive the same signed parameters (vnp_ResponseCode, vnp_TransactionStatus,
  vnp_TransactionNo, vnp_PayDate, …); the IPN answers JSON {"RspCode", "Message"}: 00 Confirm Success,
  01 Order not found, 02 Order already confirmed, 04 Invalid amount, 97 Invalid signature, 99 Unknown error.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import quote_plus, urlencode

VERSION = "2.1.0"
GMT7 = timezone(timedelta(hours=7))

RSP_OK = ("00", "Confirm Success")
RSP_NOT_FOUND = ("01", "Order not found")
RSP_ALREADY = ("02", "Order already confirmed")
RSP_AMOUNT = ("04", "Invalid amount")
RSP_SIGNATURE = ("97", "Invalid signature")
RSP_UNKNOWN = ("99", "Unknown error")

RESPONSE_SUCCESS = "00"  # vnp_ResponseCode / vnp_TransactionStatus of a successful payment
RESPONSE_CANCELLED = "24"  # "Khách hàng hủy giao dịch"


def hash_data(params: dict) -> str:
    """The string that is signed: sorted vnp_* keys, URL-encoded key=value pairs joined with "&"."""
    items = sorted((k, str(v)) for k, v in params.items()
                   if k.startswith("vnp_") and k not in ("vnp_SecureHash", "vnp_SecureHashType") and str(v) != "")
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in items)


def sign(params: dict, secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), hash_data(params).encode("utf-8"), hashlib.sha512).hexdigest()


def verify(params: dict, secret: str) -> bool:
    """True when vnp_SecureHash matches (constant-time compare, case-insensitive hex)."""
    given = str(params.get("vnp_SecureHash") or "")
    return bool(given) and hmac.compare_digest(given.lower(), sign(params, secret))


def amount_param(amount_vnd) -> str:
    """vnp_Amount: VND × 100 (the guide: 10.000 VND is sent as 1000000)."""
    value = Decimal(str(amount_vnd))
    if value <= 0 or value != value.to_integral_value():
        raise ValueError("vnp_Amount: số tiền phải là số đồng nguyên dương")
    return str(int(value) * 100)


def amount_from_param(value: str) -> Decimal:
    return Decimal(int(str(value))) / 100


def create_date(at: datetime) -> str:
    """yyyyMMddHHmmss in GMT+7."""
    return at.astimezone(GMT7).strftime("%Y%m%d%H%M%S")


def payment_params(*, tmn_code: str, amount_vnd, txn_ref: str, order_info: str, return_url: str,
                   ip_addr: str, at: datetime, locale: str = "vn", order_type: str = "other") -> dict:
    return {
        "vnp_Version": VERSION, "vnp_Command": "pay", "vnp_TmnCode": tmn_code, "vnp_Amount": amount_param(amount_vnd),
        "vnp_CurrCode": "VND", "vnp_TxnRef": txn_ref, "vnp_OrderInfo": order_info, "vnp_OrderType": order_type,
        "vnp_Locale": locale, "vnp_ReturnUrl": return_url, "vnp_IpAddr": ip_addr or "127.0.0.1",
        "vnp_CreateDate": create_date(at),
    }


def signed_url(base_url: str, params: dict, secret: str) -> str:
    """base_url?<the parameters, sorted and URL-encoded as signed>&vnp_SecureHash=…"""
    query = hash_data(params)
    return f"{base_url}?{query}&{urlencode({'vnp_SecureHash': sign(params, secret)})}"


# --- merchant web API: querydr (truy vấn kết quả) and refund (hoàn tiền) ------------------------------------------
# Source: VNPAY's guide "API querydr, refund", https://sandbox.vnpayment.vn/apis/docs/truy-van-hoan-tien/querydr&refund.html
# (docs/integrations.md): POST application/json to …/merchant_webapi/api/transaction; vnp_RequestId (unique per request
# and day), vnp_Version 2.1.0, vnp_Command "querydr" | "refund", vnp_TmnCode, vnp_TxnRef, vnp_TransactionDate (the
# payment's vnp_CreateDate), vnp_CreateDate (of this request), vnp_IpAddr, vnp_OrderInfo; refund adds
# vnp_TransactionType (02 full, 03 partial), vnp_Amount (×100, ≤ the transaction's amount), vnp_TransactionNo,
# vnp_CreateBy. Unlike the payment URL, these requests and their answers are signed over the values joined with "|"
# in a fixed order (the tuples below), HMAC-SHA512 with the same secret.

API_PATH = "/merchant_webapi/api/transaction"
QUERYDR_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate",
                  "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")
REFUND_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType", "vnp_TxnRef",
                 "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy", "vnp_CreateDate", "vnp_IpAddr",
                 "vnp_OrderInfo")
QUERYDR_RESPONSE_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef",
                           "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType",
                           "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount")
REFUND_RESPONSE_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef",
                          "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType",
                          "vnp_TransactionStatus", "vnp_OrderInfo")
REQUEST_FIELDS = {"querydr": QUERYDR_FIELDS, "refund": REFUND_FIELDS}
RESPONSE_FIELDS = {"querydr": QUERYDR_RESPONSE_FIELDS, "refund": REFUND_RESPONSE_FIELDS}

TYPE_PAYMENT, TYPE_FULL_REFUND, TYPE_PARTIAL_REFUND = "01", "02", "03"
# answer codes of the merchant API used here (the guide's tables): 00 success, 91 transaction not found,
# 93 invalid refund amount, 94 refund already requested (same vnp_RequestId), 95 transaction not successful at VNPAY,
# 97 invalid checksum, 99 other error
API_OK, API_NOT_FOUND, API_BAD_AMOUNT, API_DUPLICATE, API_NOT_SUCCESS, API_CHECKSUM, API_OTHER = "00", "91", "93", "94", "95", "97", "99"


def api_hash_data(params: dict, fields: tuple[str, ...]) -> str:
    return "|".join(str(params.get(f, "") if params.get(f) is not None else "") for f in fields)


def api_sign(params: dict, fields: tuple[str, ...], secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), api_hash_data(params, fields).encode("utf-8"), hashlib.sha512).hexdigest()


def api_verify(params: dict, fields: tuple[str, ...], secret: str) -> bool:
    given = str(params.get("vnp_SecureHash") or "")
    return bool(given) and hmac.compare_digest(given.lower(), api_sign(params, fields, secret))


def querydr_request(*, request_id: str, tmn_code: str, txn_ref: str, transaction_date: str, order_info: str,
                    ip_addr: str, at: datetime, secret: str) -> dict:
    body = {"vnp_RequestId": request_id, "vnp_Version": VERSION, "vnp_Command": "querydr", "vnp_TmnCode": tmn_code,
            "vnp_TxnRef": txn_ref, "vnp_OrderInfo": order_info, "vnp_TransactionDate": transaction_date,
            "vnp_CreateDate": create_date(at), "vnp_IpAddr": ip_addr or "127.0.0.1"}
    body["vnp_SecureHash"] = api_sign(body, QUERYDR_FIELDS, secret)
    return body


def refund_request(*, request_id: str, tmn_code: str, txn_ref: str, amount_vnd, full: bool, transaction_no: str,
                   transaction_date: str, create_by: str, order_info: str, ip_addr: str, at: datetime, secret: str) -> dict:
    body = {"vnp_RequestId": request_id, "vnp_Version": VERSION, "vnp_Command": "refund", "vnp_TmnCode": tmn_code,
            "vnp_TransactionType": TYPE_FULL_REFUND if full else TYPE_PARTIAL_REFUND, "vnp_TxnRef": txn_ref,
            "vnp_Amount": amount_param(amount_vnd), "vnp_TransactionNo": transaction_no or "",
            "vnp_TransactionDate": transaction_date, "vnp_CreateBy": create_by, "vnp_CreateDate": create_date(at),
            "vnp_IpAddr": ip_addr or "127.0.0.1", "vnp_OrderInfo": order_info}
    body["vnp_SecureHash"] = api_sign(body, REFUND_FIELDS, secret)
    return body
