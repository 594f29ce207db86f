"""Self-test of the notice adapters (`cchc integrations selftest --only sms|zalo`): our clients against the local
fakes (same protocol), the templates against the channels' limits, and the settings of the configured backend."""

from __future__ import annotations

from cchc.integrations import registry

from . import esms, services, templates, zns

WORST = {
    "code": "000.00.15.H56-260302-0001-XYZW",
    "name": "Nguyễn Thị Phương Thảo Hoàng Minh Châu",
    "procedure": "Đăng ký khai sinh",
    "received": "09:30 02/03/2026",
    "due": "06/03/2026",
    "new_due": "10/03/2026",
    "reason": "Thiếu bản sao giấy chứng nhận kết hôn của cha mẹ; tờ khai chưa có chữ ký của người đi đăng ký "
    * 3,
}


def _sms_config():
    conf = registry.config("sms")
    b = conf["backend"]
    if b in (registry.FAKE, "off"):
        return True, f"backend {b}"
    if b != "esms":
        return False, f"backend “{b}”: không hỗ trợ (fake | esms | off)"
    missing = [
        k
        for k in ("api_key", "secret_key", "brandname", "callback_base", "callback_token")
        if not conf.get(k)
    ]
    return (not missing), (
        "backend esms, đủ cấu hình" if not missing else f"thiếu CCHC_INTEGRATION_SMS_{missing[0].upper()}"
    )


def _sms_templates():
    out = []
    for kind in templates.KINDS:
        for uni in (False, True):
            text = templates.render_sms(kind, WORST, unicode=uni)
            if templates.segments(text) != 1 or (not uni and not text.isascii()):
                return False, f"{kind} ({'unicode' if uni else 'không dấu'}): {templates.segments(text)} đoạn"
        out.append(f"{kind} {len(templates.render_sms(kind, WORST))}")
    return True, "mỗi tin 1 đoạn (160 không dấu / 70 có dấu): " + ", ".join(out)


def _sms_send_contract():
    fake = esms.FakeEsms()
    client = esms.Client(
        transport=fake,
        url="fake://esms",
        api_key=fake.API_KEY,
        secret_key=fake.SECRET_KEY,
        brandname=fake.BRANDNAME,
    )
    sms_id = client.send(phone="0912 345 678", content="Ho so X da co ket qua.", request_id="cchc-selftest-1")
    body = fake.received["cchc-selftest-1"]["body"]
    fields_ok = set(body) == {
        "ApiKey",
        "SecretKey",
        "Phone",
        "Content",
        "Brandname",
        "SmsType",
        "IsUnicode",
        "Sandbox",
        "RequestId",
    }
    again = client.send(phone="0912345678", content="Ho so X da co ket qua.", request_id="cchc-selftest-1")
    bad = esms.Client(
        transport=fake, url="fake://esms", api_key="sai", secret_key="sai", brandname=fake.BRANDNAME
    )
    try:
        bad.send(phone="0912345678", content="x", request_id="cchc-selftest-2")
        refused = False
    except esms.SmsError as exc:
        refused = exc.code == "101" and not exc.retry
    fake.down = 1
    try:
        client.send(phone="0912345678", content="x", request_id="cchc-selftest-3")
        retried = False
    except esms.SmsError as exc:
        retried = exc.retry
    ok = bool(sms_id) and fields_ok and body["Phone"] == "0912345678" and again == "" and refused and retried
    return (
        ok,
        f"SMSID {sms_id[:8]}…, RequestId trùng → 124 coi như đã nhận, sai khóa → 101, hết giờ → gửi lại",
    )


def _sms_callback_contract():
    fake = esms.FakeEsms()
    fake(
        esms.DEFAULT_URL + esms.SEND_PATH,
        esms.build_request(
            api_key=fake.API_KEY,
            secret_key=fake.SECRET_KEY,
            brandname=fake.BRANDNAME,
            phone="0912345678",
            content="x",
            request_id="a",
        ),
        {},
    )
    fake(
        esms.DEFAULT_URL + esms.SEND_PATH,
        esms.build_request(
            api_key=fake.API_KEY,
            secret_key=fake.SECRET_KEY,
            brandname=fake.BRANDNAME,
            phone="0912345699",
            content="x",
            request_id="b",
        ),
        {},
    )
    ok_report = esms.parse_callback(fake.callback_params("a"))
    bad_report = esms.parse_callback(fake.callback_params("b"))
    waiting = esms.parse_callback({**fake.callback_params("a"), "SendStatus": "1"})
    ok = (
        ok_report["delivered"]
        and ok_report["request_id"] == "a"
        and not bad_report["delivered"]
        and waiting is None
    )
    return ok, "SendStatus=5 SendSuccess=1 → đã đến máy; SendFailed=1 → lỗi; SendStatus=1 → chờ"


def _zalo_config():
    conf = services.zalo_conf()
    b = conf["backend"]
    if b in (registry.FAKE, "off"):
        return True, f"backend {b}"
    if b != "zns":
        return False, f"backend “{b}”: không hỗ trợ (fake | zns | off)"
    need = ["access_token", "app_id", "secret"] + [f"template_{k}" for k in templates.KINDS]
    missing = [k for k in need if not conf.get(k)]
    return (not missing), (
        "backend zns, đủ cấu hình" if not missing else f"thiếu CCHC_INTEGRATION_ZALO_{missing[0].upper()}"
    )


def _zalo_send_contract():
    fake = zns.FakeZns(services.FAKE_ZNS_TEMPLATES)
    client = zns.Client(transport=fake, url=zns.DEFAULT_URL, access_token=fake.ACCESS_TOKEN)
    ids = [
        client.send(
            phone="0912345678",
            template_id=f"fake-{k}",
            template_data=templates.render_zns(k, WORST),
            tracking_id=f"cchc-{i}",
        )
        for i, k in enumerate(templates.KINDS)
    ]
    body = next(iter(fake.sent.values()))
    shape = (
        set(body) == {"phone", "template_id", "template_data", "tracking_id"}
        and body["phone"] == "84912345678"
    )
    errors = []
    for tid, token in (("khong-co", fake.ACCESS_TOKEN), ("fake-received", "sai")):
        try:
            zns.Client(transport=fake, url=zns.DEFAULT_URL, access_token=token).send(
                phone="0912345678",
                template_id=tid,
                template_data=templates.render_zns("received", WORST),
                tracking_id="x",
            )
        except zns.ZnsError as exc:
            errors.append(not exc.retry)
    fake.down = 1
    try:
        client.send(
            phone="0912345678",
            template_id="fake-received",
            template_data=templates.render_zns("received", WORST),
            tracking_id="y",
        )
    except zns.ZnsError as exc:
        errors.append(exc.retry)
    ok = all(ids) and shape and errors == [True, True, True]
    return (
        ok,
        f"{len(ids)} mẫu ZNS được nhận (tham số đúng tên, đúng độ dài); template lạ / token sai bị từ chối; hết giờ → gửi lại",
    )


def _zalo_webhook_contract():
    fake = zns.FakeZns(services.FAKE_ZNS_TEMPLATES)
    client = zns.Client(transport=fake, url=zns.DEFAULT_URL, access_token=fake.ACCESS_TOKEN)
    msg_id = client.send(
        phone="0912345678",
        template_id="fake-result_ready",
        template_data=templates.render_zns("result_ready", WORST),
        tracking_id="cchc-9",
    )
    raw, sig = fake.webhook(msg_id)
    event = zns.parse_webhook(raw, sig, app_id=fake.APP_ID, secret=fake.SECRET)
    try:
        zns.parse_webhook(raw.replace("cchc-9", "cchc-8"), sig, app_id=fake.APP_ID, secret=fake.SECRET)
        forged_refused = False
    except ValueError:
        forged_refused = True
    ok = event["msg_id"] == msg_id and event["tracking_id"] == "cchc-9" and forged_refused
    return (
        ok,
        "user_received_message có chữ ký mac=sha256(app_id+body+timestamp+secret) được nhận; thân bị sửa bị từ chối",
    )


def register_adapters() -> None:
    from cchc.integrations.registry import Adapter, Check

    def sms_endpoint():
        conf = registry.config("sms")
        return {"fake": "fake:in-process (eSMS)", "off": "off"}.get(
            conf["backend"], (conf.get("url") or esms.DEFAULT_URL) + esms.SEND_PATH
        )

    def zalo_endpoint():
        conf = registry.config("zalo")
        return {"fake": "fake:in-process (ZNS)", "off": "off"}.get(
            conf["backend"], conf.get("url") or zns.DEFAULT_URL
        )

    registry.register(
        Adapter(
            name="sms",
            endpoint=sms_endpoint,
            description="Tin nhắn SMS brandname (eSMS.vn)",
            checks=[
                Check("config", _sms_config),
                Check("templates_one_segment", _sms_templates),
                Check("send_contract", _sms_send_contract),
                Check("callback_contract", _sms_callback_contract),
            ],
        )
    )
    registry.register(
        Adapter(
            name="zalo",
            endpoint=zalo_endpoint,
            description="Zalo Notification Service (ZNS)",
            checks=[
                Check("config", _zalo_config),
                Check("send_contract", _zalo_send_contract),
                Check("webhook_signature", _zalo_webhook_contract),
            ],
        )
    )
