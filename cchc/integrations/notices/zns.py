"""Zalo Notification Service (ZNS, gửi tin qua số điện thoại): the protocol, the client and the local fake.
No Django import.

Send (Zalo's ZNS API, as used by the public SDKs and integrations found with the reference search — e.g. the
`@warriorteam/redai-zalo-sdk` ZNS guide and several independent clients — which cite
developers.zalo.me/docs/zalo-notification-service): POST `https://business.openapi.zalo.me/message/template`,
header `access_token: <OA access token>`, JSON `{"phone": "84xxxxxxxxx", "template_id": "…", "template_data":
{param: value}, "tracking_id": "…"}` → `{"error": 0, "message": "Success", "data": {"msg_id": "…", "sent_time":
"<ms>"}}`; any other `error` is a refusal with `message`. `tracking_id` is ours (Zalo recommends ≤ 48 characters,
no special characters): the delivery's key.
Delivery: the OA's webhook receives `{"event_name": "user_received_message", "app_id", "sender": {"id": OA id},
"recipient": {"id"}, "message": {"msg_id", "tracking_id", "delivery_time": "<ms>"}, "timestamp": "<ms>"}` with
header `X-ZEvent-Signature: mac=<sha256 hex of app_id + raw body + timestamp + OA secret key>`.
Not verified against Zalo itself (no OA, no network); the error-code table of Zalo was not found, so any non-zero
`error` is treated as a permanent refusal and only transport failures / HTTP 5xx are retried.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable

DEFAULT_URL = "https://business.openapi.zalo.me/message/template"
RECEIVED_EVENT = "user_received_message"

Transport = Callable[[str, dict, dict], tuple[int, dict]]


class ZnsError(Exception):
    def __init__(self, message: str, *, retry: bool, code: int | None = None):
        super().__init__(message)
        self.retry, self.code = retry, code


def zalo_phone(phone: str) -> str | None:
    """84 + 9 digits (the format ZNS expects), or None when not a Vietnamese mobile number."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0") and len(digits) == 10:
        digits = "84" + digits[1:]
    return digits if re.fullmatch(r"84[35789]\d{8}", digits) else None


def build_request(*, phone: str, template_id: str, template_data: dict, tracking_id: str) -> dict:
    return {
        "phone": phone,
        "template_id": str(template_id),
        "template_data": template_data,
        "tracking_id": tracking_id,
    }


def parse_response(status: int, data: dict) -> str:
    if status >= 500 or status == 0:
        raise ZnsError(f"ZNS HTTP {status}", retry=True)
    if not isinstance(data, dict) or "error" not in data:
        raise ZnsError(f"ZNS: câu trả lời không đúng giao thức (HTTP {status})", retry=True)
    if data["error"] != 0:
        raise ZnsError(
            f"ZNS error {data['error']}: {data.get('message', '')}", retry=False, code=data["error"]
        )
    return str((data.get("data") or {}).get("msg_id") or "")


def signature(*, app_id: str, body: str, timestamp: str, secret: str) -> str:
    return "mac=" + hashlib.sha256(f"{app_id}{body}{timestamp}{secret}".encode()).hexdigest()


def parse_webhook(raw_body: bytes | str, header_signature: str, *, app_id: str, secret: str) -> dict | None:
    """{"msg_id", "tracking_id", "delivered_ms"} of a verified user_received_message; None for another event.
    ValueError when the body is not JSON or the signature does not match (nothing is changed then)."""
    body = raw_body.decode() if isinstance(raw_body, bytes) else raw_body
    try:
        data = json.loads(body)
    except ValueError:
        raise ValueError("body: không phải JSON") from None
    if not isinstance(data, dict):
        raise ValueError("body: không phải đối tượng JSON")
    expected = signature(
        app_id=str(data.get("app_id", "")), body=body, timestamp=str(data.get("timestamp", "")), secret=secret
    )
    if str(data.get("app_id", "")) != str(app_id) or header_signature != expected:
        raise ValueError("X-ZEvent-Signature: chữ ký không hợp lệ")
    if data.get("event_name") != RECEIVED_EVENT:
        return None
    msg = data.get("message") or {}
    return {
        "msg_id": str(msg.get("msg_id") or ""),
        "tracking_id": str(msg.get("tracking_id") or ""),
        "delivered_ms": int(msg.get("delivery_time") or data.get("timestamp") or 0),
    }


class Client:
    def __init__(self, *, transport: Transport, url: str, access_token: str):
        self.transport, self.url, self.access_token = transport, url, access_token

    def send(self, *, phone: str, template_id: str, template_data: dict, tracking_id: str) -> str:
        number = zalo_phone(phone)
        if number is None:
            raise ZnsError(f"phone: số điện thoại không hợp lệ {phone!r}", retry=False)
        body = build_request(
            phone=number, template_id=template_id, template_data=template_data, tracking_id=tracking_id
        )
        try:
            status, data = self.transport(
                self.url, body, {"Content-Type": "application/json", "access_token": self.access_token}
            )
        except OSError as exc:
            raise ZnsError(f"ZNS không trả lời: {exc}", retry=True) from None
        return parse_response(status, data)


class FakeZns:
    """Local fake of the ZNS send API and of Zalo's delivery webhook. Knows the templates it was given
    ({template_id: {param: max_len}}) and refuses unknown ids, missing/extra parameters and too-long values.
    Numbers ending in 98 are "not a Zalo user" (refused); ending in 99 are accepted but never reach the phone
    (no webhook); others are received. Error codes here are the fake's own (Zalo's table is not public)."""

    ACCESS_TOKEN, APP_ID, OA_ID, SECRET = (
        "fake-zalo-oa-token",
        "1000000000000000001",
        "2000000000000000002",
        "fake-zalo-oa-secret",
    )

    def __init__(self, templates: dict[str, dict[str, int]]):
        self.templates = templates
        self.sent: dict[str, dict] = {}  # msg_id → body
        self.down = 0

    def __call__(self, url: str, body: dict, headers: dict) -> tuple[int, dict]:
        if self.down > 0:
            self.down -= 1
            raise TimeoutError("fake ZNS: timed out")
        if headers.get("access_token") != self.ACCESS_TOKEN:
            return 200, {"error": -124, "message": "fake: access token không hợp lệ"}
        phone = str(body.get("phone") or "")
        if not re.fullmatch(r"84\d{9}", phone):
            return 200, {"error": -108, "message": "fake: phone không hợp lệ"}
        params = self.templates.get(str(body.get("template_id")))
        if params is None:
            return 200, {"error": -1123, "message": "fake: template_id không tồn tại"}
        data = body.get("template_data") or {}
        if set(data) != set(params):
            return 200, {"error": -1124, "message": f"fake: template_data phải có đúng {sorted(params)}"}
        too_long = [k for k, v in data.items() if len(str(v)) > params[k] or not str(v)]
        if too_long:
            return 200, {"error": -1125, "message": f"fake: tham số rỗng hoặc quá dài {too_long}"}
        if phone.endswith("98"):
            return 200, {"error": -118, "message": "fake: số điện thoại không dùng Zalo"}
        msg_id = hashlib.sha256(f"{body.get('tracking_id')}|{phone}|{len(self.sent)}".encode()).hexdigest()[
            :32
        ]
        self.sent[msg_id] = body
        return 200, {
            "error": 0,
            "message": "Success",
            "data": {"msg_id": msg_id, "sent_time": str(int(time.time() * 1000))},
        }

    def webhook(self, msg_id: str, *, at_ms: int | None = None) -> tuple[str, str] | None:
        """(raw body, X-ZEvent-Signature) of the user_received_message event for msg_id (None: never received)."""
        body = self.sent[msg_id]
        if str(body["phone"]).endswith("99"):
            return None
        ts = str(at_ms or int(time.time() * 1000))
        event = {
            "app_id": self.APP_ID,
            "event_name": RECEIVED_EVENT,
            "sender": {"id": self.OA_ID},
            "recipient": {"id": body["phone"]},
            "timestamp": ts,
            "message": {"msg_id": msg_id, "tracking_id": body.get("tracking_id", ""), "delivery_time": ts},
        }
        raw = json.dumps(event, ensure_ascii=False)
        return raw, signature(app_id=self.APP_ID, body=raw, timestamp=ts, secret=self.SECRET)
