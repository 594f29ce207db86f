"""SMS brandname through eSMS.vn (ViHAT): the protocol, the client and the local fake. No Django import.

Source (public): eSMS developer documentation, repository github.com/devesms/gitbook_esms_for_develop —
`esms-api/ham-gui-tin-nhan-sms-brandname/gui-tin-cham-soc-khach-hang-typesms-2-dang-post.md` (send),
`esms-api/callback-url.md` (delivery callback), `esms-api/bang-ma-loi.md` (result codes).

Send: POST `{url}/MainService.svc/json/SendMultipleMessage_V4_post_json/`, JSON body
`{"ApiKey", "SecretKey", "Phone", "Content", "Brandname", "SmsType": "2" (customer care), "IsUnicode": 0|1,
"Sandbox": 0|1, "RequestId", "CallbackUrl"}` → `{"CodeResult": "100", "SMSID": "…", "CountRegenerate": 0}`.
`CodeResult` 100 = accepted; 124 = the RequestId was already received (our RequestId is the delivery's id, so a
resend after a lost answer is not sent twice); 101 wrong keys, 103 balance, 104 brandname, 146 wrong customer-care
template (permanent failures).
Callback: HTTP GET to CallbackUrl with `SMSID, SendFailed, SendStatus (1 waiting approval, 4 refused, 5 done),
SendSuccess, TotalPrice, TotalReceiver, TotalSent, RequestId, TypeId, telcoid, phonenumber`; eSMS retries it 5
times on timeout. The callback carries no signature: our CallbackUrl carries a secret `token` we check.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from urllib.parse import urlencode

SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
DEFAULT_URL = "http://rest.esms.vn"
SMS_TYPE_CSKH = "2"
OK = "100"
DUPLICATE_REQUEST = "124"
CODES = {
    "100": "Request được gửi đến ViHAT thành công",
    "101": "Sai thông tin ApiKey hoặc SecretKey",
    "102": "Không có bảng giá",
    "103": "Không đủ số dư để gửi tin",
    "104": "Brandname không tồn tại",
    "124": "Trùng RequestId khi gửi tin",
    "146": "Sai template chăm sóc khách hàng",
    "177": "Nhà mạng chưa được đăng ký",
    "300": "Thiếu loại tin nhắn",
}
STATUS_DONE, STATUS_REFUSED, STATUS_WAITING = "5", "4", "1"

# Transport: (url, json_body, headers) -> (http_status, parsed_json). The real one is urllib; the fake is in-process.
Transport = Callable[[str, dict, dict], tuple[int, dict]]


class SmsError(Exception):
    """A send that did not go through; `retry` says whether trying again may help."""

    def __init__(self, message: str, *, retry: bool, code: str = ""):
        super().__init__(message)
        self.retry, self.code = retry, code


def normalise_phone(phone: str) -> str | None:
    """Vietnamese mobile number as eSMS's sample writes it (0 + 9 digits), or None when it is not one."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if re.fullmatch(r"0[35789]\d{8}", digits) else None


def build_request(
    *,
    api_key: str,
    secret_key: str,
    brandname: str,
    phone: str,
    content: str,
    request_id: str,
    callback_url: str = "",
    unicode: bool = False,
    sandbox: bool = False,
) -> dict:
    body = {
        "ApiKey": api_key,
        "SecretKey": secret_key,
        "Phone": phone,
        "Content": content,
        "Brandname": brandname,
        "SmsType": SMS_TYPE_CSKH,
        "IsUnicode": 1 if unicode else 0,
        "Sandbox": 1 if sandbox else 0,
        "RequestId": request_id,
    }
    if callback_url:
        body["CallbackUrl"] = callback_url
    return body


def parse_response(status: int, data: dict) -> str:
    """SMSID of an accepted message ("" when eSMS answered 124: already received earlier); SmsError otherwise."""
    if status >= 500 or status == 0:
        raise SmsError(f"eSMS HTTP {status}", retry=True)
    code = str((data or {}).get("CodeResult", ""))
    if code == OK:
        return str(data.get("SMSID") or "")
    if code == DUPLICATE_REQUEST:
        return ""
    raise SmsError(
        f"eSMS CodeResult {code or '?'}: {CODES.get(code, (data or {}).get('ErrorMessage', 'lỗi không rõ'))}",
        retry=code == "",
        code=code,
    )


def parse_callback(params: dict) -> dict | None:
    """{"sms_id", "request_id", "delivered": bool} of a final callback; None while eSMS is still working on it."""
    status = str(params.get("SendStatus", ""))
    if status not in (STATUS_DONE, STATUS_REFUSED):
        return None

    def num(k):
        try:
            return int(float(params.get(k) or 0))
        except ValueError:
            return 0

    delivered = status == STATUS_DONE and num("SendSuccess") > 0 and num("SendFailed") == 0
    return {
        "sms_id": str(params.get("SMSID") or ""),
        "request_id": str(params.get("RequestId") or ""),
        "delivered": delivered,
    }


class Client:
    """The adapter: the same code talks to eSMS (urllib transport) or to the fake (in-process transport)."""

    def __init__(
        self,
        *,
        transport: Transport,
        url: str,
        api_key: str,
        secret_key: str,
        brandname: str,
        unicode: bool = False,
        sandbox: bool = False,
    ):
        self.transport, self.url = transport, url.rstrip("/")
        self.api_key, self.secret_key, self.brandname = api_key, secret_key, brandname
        self.unicode, self.sandbox = unicode, sandbox

    def send(self, *, phone: str, content: str, request_id: str, callback_url: str = "") -> str:
        number = normalise_phone(phone)
        if number is None:
            raise SmsError(f"Phone: số điện thoại di động không hợp lệ {phone!r}", retry=False, code="phone")
        body = build_request(
            api_key=self.api_key,
            secret_key=self.secret_key,
            brandname=self.brandname,
            phone=number,
            content=content,
            request_id=request_id,
            callback_url=callback_url,
            unicode=self.unicode,
            sandbox=self.sandbox,
        )
        try:
            status, data = self.transport(self.url + SEND_PATH, body, {"Content-Type": "application/json"})
        except OSError as exc:  # timeout, refused connection: try again later
            raise SmsError(f"eSMS không trả lời: {exc}", retry=True) from None
        return parse_response(status, data)


def urllib_transport(timeout: float = 10.0) -> Transport:
    def post(url: str, body: dict, headers: dict) -> tuple[int, dict]:
        import urllib.error
        import urllib.request

        req = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - configured https URL
                return resp.status, json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, {}
        except ValueError:  # not JSON: the provider answered something else
            return 502, {}

    return post


class FakeEsms:
    """Local fake of eSMS's send API and callback, same fields and codes. Deterministic outcome by number:
    ending in 99 → the carrier fails it (callback SendFailed=1); anything else → delivered (SendSuccess=1).
    `down` > 0 makes the next calls time out (OSError), to exercise retries."""

    API_KEY, SECRET_KEY, BRANDNAME = "fake-esms-key", "fake-esms-secret", "CCHC"

    def __init__(self):
        self.received: dict[str, dict] = {}  # RequestId → {"SMSID", body}
        self.down = 0

    def __call__(self, url: str, body: dict, headers: dict) -> tuple[int, dict]:
        if self.down > 0:
            self.down -= 1
            raise TimeoutError("fake eSMS: timed out")
        if not url.endswith(SEND_PATH):
            return 404, {}
        if body.get("ApiKey") != self.API_KEY or body.get("SecretKey") != self.SECRET_KEY:
            return 200, {"CodeResult": "101", "ErrorMessage": CODES["101"]}
        if body.get("Brandname") != self.BRANDNAME:
            return 200, {"CodeResult": "104", "ErrorMessage": CODES["104"]}
        if str(body.get("SmsType", "")) != SMS_TYPE_CSKH:
            return 200, {"CodeResult": "300", "ErrorMessage": CODES["300"]}
        content = str(body.get("Content") or "")
        if not content or (str(body.get("IsUnicode")) == "0" and not content.isascii()):
            return 200, {"CodeResult": "146", "ErrorMessage": CODES["146"]}
        rid = str(body.get("RequestId") or "")
        if rid and rid in self.received:
            return 200, {"CodeResult": "124", "ErrorMessage": CODES["124"]}
        sms_id = hashlib.sha256(f"{rid}|{body.get('Phone')}|{len(self.received)}".encode()).hexdigest()[:36]
        self.received[rid or sms_id] = {"SMSID": sms_id, "body": body}
        return 200, {"CodeResult": OK, "CountRegenerate": 0, "SMSID": sms_id}

    def callback_params(self, request_id: str) -> dict:
        """The GET parameters eSMS would call CallbackUrl with, once the carrier answered."""
        got = self.received[request_id]
        failed = str(got["body"]["Phone"]).endswith("99")
        return {
            "SMSID": got["SMSID"],
            "SendFailed": int(failed),
            "SendStatus": STATUS_DONE,
            "SendSuccess": int(not failed),
            "TotalPrice": "0.0000",
            "TotalReceiver": 1,
            "TotalSent": 1,
            "RequestId": request_id,
            "TypeId": SMS_TYPE_CSKH,
            "telcoid": 1,
            "phonenumber": got["body"]["Phone"],
        }

    def callback_query(self, request_id: str) -> str:
        return urlencode(self.callback_params(request_id))
