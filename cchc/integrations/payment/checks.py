"""Self-test (tự kiểm tra) of the payment adapter and the 766 indicator 3.6 provider."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

from cchc.integrations import registry
from cchc.integrations.registry import Adapter, Check

from . import services, vnpay

# Worked example of the signing rule (sorted keys, quote_plus, HMAC-SHA512), computed independently with
# `printf 'vnp_Amount=1000000&vnp_OrderInfo=Nop+phi&vnp_TxnRef=T1' | openssl dgst -sha512 -hmac KEY`.
VECTOR_PARAMS = {"vnp_TxnRef": "T1", "vnp_Amount": "1000000", "vnp_OrderInfo": "Nop phi"}
VECTOR_KEY = "KEY"
VECTOR_HASH = ("749789ea1ccf0bae860b1cfda9e428186e85fe397d9ad9ce03a2fbee9c1be42bc3be2997c670da17ba4922ee5f56a793f936130c13a48f0dd67b1e9f00769a5d")


def endpoint() -> str:
    conf = services.gateway_config()
    return f"{conf['backend']}:{conf.get('url', '')}"


def check_config():
    conf = services.gateway_config()
    if conf["backend"] not in (registry.FAKE, "vnpay"):
        return False, f"backend “{conf['backend']}”: chưa hỗ trợ (fake | vnpay); cổng của Cổng DVC quốc gia chưa công bố giao thức"
    missing = [k for k in ("url", "tmn_code", "secret") if not conf.get(k)]
    if missing:
        return False, "thiếu " + ", ".join(f"CCHC_INTEGRATION_PAYMENT_{k.upper()}" for k in missing)
    return True, f"backend {conf['backend']}, mã đơn vị {conf['tmn_code']}"


def check_signature_rule():
    ok = vnpay.sign(VECTOR_PARAMS, VECTOR_KEY) == VECTOR_HASH
    return ok, "HMAC-SHA512 khớp ví dụ tính độc lập" if ok else "chữ ký khác ví dụ tính độc lập"


def check_payment_url():
    conf = services.gateway_config()
    params = vnpay.payment_params(tmn_code=conf["tmn_code"], amount_vnd=10000, txn_ref="SELFTEST", order_info="Tu kiem tra",
                                  return_url="http://localhost/thanh-toan/ket-qua/", ip_addr="127.0.0.1", at=datetime(2026, 1, 1, 3, 0, tzinfo=vnpay.GMT7))
    url = vnpay.signed_url(conf["url"], params, conf["secret"])
    back = dict(parse_qsl(urlsplit(url).query))
    ok = vnpay.verify(back, conf["secret"]) and back["vnp_Amount"] == "1000000" and back["vnp_CreateDate"] == "20260101030000"
    return ok, "URL thanh toán ký và kiểm lại được (vnp_Amount ×100, giờ GMT+7)" if ok else "URL thanh toán không kiểm lại được"


def check_ipn_rejects_forgery():
    conf = services.gateway_config()
    params = {"vnp_TxnRef": "SELFTEST-NONE", "vnp_Amount": "1000000", "vnp_ResponseCode": "00"}
    params["vnp_SecureHash"] = vnpay.sign(params, conf["secret"] + "x")
    forged = services.payment_callback(params)
    params["vnp_SecureHash"] = vnpay.sign(params, conf["secret"])
    unknown = services.payment_callback(params)
    ok = forged == vnpay.RSP_SIGNATURE and unknown == vnpay.RSP_NOT_FOUND
    return ok, f"IPN: chữ ký giả → {forged[0]}, giao dịch không có → {unknown[0]}"


def check_gateway_reachable():
    conf = services.gateway_config()
    if conf["backend"] == registry.FAKE:
        from django.test import Client

        params = vnpay.payment_params(tmn_code=conf["tmn_code"], amount_vnd=10000, txn_ref="SELFTEST", order_info="Tu kiem tra",
                                      return_url="http://testserver/thanh-toan/ket-qua/", ip_addr="127.0.0.1", at=datetime(2026, 1, 1, tzinfo=vnpay.GMT7))
        resp = Client().get(vnpay.signed_url(services.FAKE_PATH, params, conf["secret"]))
        return resp.status_code == 200, f"cổng giả lập trả HTTP {resp.status_code}"
    import urllib.request

    with urllib.request.urlopen(urllib.request.Request(conf["url"], method="GET"), timeout=10) as resp:  # noqa: S310 (configured https URL)
        return resp.status < 500, f"HTTP {resp.status}"


def register() -> None:
    registry.register(Adapter(name="payment", endpoint=endpoint, description="Thanh toán trực tuyến phí, lệ phí (VNPAY 2.1.0)", checks=[
        Check("config", check_config), Check("signature_rule", check_signature_rule), Check("payment_url", check_payment_url),
        Check("ipn_rejects_forgery", check_ipn_rejects_forgery), Check("gateway_reachable", check_gateway_reachable)]))
