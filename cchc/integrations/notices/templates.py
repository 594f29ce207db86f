"""Mẫu thông báo (Vietnamese) per notice kind and channel. Pure: no database, no Django import.

- e-mail: subject + body, full Vietnamese.
- SMS: one short line. Sent WITHOUT diacritics by default (`unaccent`): a GSM 7-bit segment holds 160 characters,
  a Unicode (UCS-2) one only 70, so a notice with diacritics costs 2–3 segments instead of 1. eSMS accepts Unicode
  (`IsUnicode=1`); `CCHC_INTEGRATION_SMS_UNICODE=1` switches it on. Every rendered SMS is cut to ONE segment
  (160 GSM / 70 UCS-2 characters) by shortening the free-text part (the supplement reason) first.
- Zalo (ZNS): a template registered and approved by Zalo beforehand; we send only its id and `template_data`.
  ZNS_TEMPLATES holds the text to register and each parameter's maximum length (ZNS parameter types: code 30,
  customer name 30, custom label 30, date …); values are cut to those lengths.
"""

from __future__ import annotations

import unicodedata

KINDS = ("received", "supplement", "result_ready", "apology")

GSM_SINGLE, GSM_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67
# GSM 03.38 basic set (the characters a 7-bit segment carries without escape); extension chars count 2
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXT = set("^{}\\[~]|€")

EMAIL = {
    "received": (
        "Hồ sơ {code} đã được tiếp nhận",
        "Kính gửi {name},\n\nHồ sơ {code} ({procedure}) đã được tiếp nhận lúc {received}.\n"
        "Ngày hẹn trả kết quả: {due}.\n\nÔng/bà có thể tra cứu tình trạng hồ sơ bằng mã hồ sơ trên Cổng dịch vụ công.",
    ),
    "supplement": (
        "Hồ sơ {code} cần bổ sung",
        "Kính gửi {name},\n\nHồ sơ {code} ({procedure}) cần bổ sung, hoàn thiện: {reason}\n"
        "Thời hạn giải quyết tạm dừng cho đến khi nhận đủ hồ sơ bổ sung.",
    ),
    "result_ready": (
        "Hồ sơ {code} đã có kết quả",
        "Kính gửi {name},\n\nHồ sơ {code} ({procedure}) đã có kết quả giải quyết.\n"
        "Mời ông/bà nhận kết quả theo hình thức đã đăng ký.",
    ),
    "apology": (
        "Thư xin lỗi: hồ sơ {code} hẹn lại ngày trả kết quả",
        "Kính gửi {name},\n\nCơ quan giải quyết xin lỗi vì hồ sơ {code} ({procedure}) chưa có kết quả đúng hẹn.\n"
        "Lý do: {reason}\nNgày hẹn trả kết quả mới: {new_due}.",
    ),
}

SMS = {
    "received": "Hồ sơ {code} đã được tiếp nhận. Hẹn trả kết quả: {due}.",
    "supplement": "Hồ sơ {code} cần bổ sung: {reason}",
    "result_ready": "Hồ sơ {code} đã có kết quả. Mời ông/bà nhận kết quả theo hình thức đã đăng ký.",
    "apology": "Xin lỗi ông/bà: hồ sơ {code} chưa có kết quả đúng hẹn. Hẹn trả kết quả mới: {new_due}.",
}

# ZNS templates to register with Zalo (text, then parameters with their ZNS maximum lengths)
ZNS_TEMPLATES = {
    "received": (
        "Hồ sơ <dossier_code> của <customer_name> đã được tiếp nhận. Ngày hẹn trả kết quả: <due_date>.",
        {"customer_name": 30, "dossier_code": 30, "due_date": 20},
    ),
    "supplement": (
        "Hồ sơ <dossier_code> của <customer_name> cần bổ sung: <reason>.",
        {"customer_name": 30, "dossier_code": 30, "reason": 30},
    ),
    "result_ready": (
        "Hồ sơ <dossier_code> của <customer_name> đã có kết quả. Mời nhận kết quả theo hình thức đã đăng ký.",
        {"customer_name": 30, "dossier_code": 30},
    ),
    "apology": (
        "Cơ quan giải quyết xin lỗi <customer_name>: hồ sơ <dossier_code> chưa có kết quả đúng hẹn. Hẹn lại: <due_date>.",
        {"customer_name": 30, "dossier_code": 30, "due_date": 20},
    ),
}


def unaccent(text: str) -> str:
    """Vietnamese without diacritics, case kept: "Hồ sơ Đã" → "Ho so Da" (đ/Đ → d/D)."""
    text = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in text if unicodedata.category(ch) != "Mn"))


def is_gsm(text: str) -> bool:
    return all(ch in _GSM_BASIC or ch in _GSM_EXT for ch in text)


def sms_length(text: str) -> tuple[int, bool]:
    """(length in the encoding's units, is_gsm): GSM extension characters count 2."""
    if is_gsm(text):
        return sum(2 if ch in _GSM_EXT else 1 for ch in text), True
    return len(text), False


def segments(text: str) -> int:
    """Number of SMS segments: GSM 160 (153 each when split), UCS-2 70 (67 each when split); 0 for empty."""
    n, gsm = sms_length(text)
    single, multi = (GSM_SINGLE, GSM_MULTI) if gsm else (UCS2_SINGLE, UCS2_MULTI)
    if n == 0:
        return 0
    return 1 if n <= single else -(-n // multi)


def _fmt(template: str, ctx: dict) -> str:
    return template.format(**{k: ("" if v is None else str(v)) for k, v in ctx.items()})


def render_email(kind: str, ctx: dict) -> tuple[str, str]:
    subject, body = EMAIL[kind]
    return _fmt(subject, ctx), _fmt(body, ctx)


def render_sms(kind: str, ctx: dict, *, unicode: bool = False) -> str:
    """One segment: shorten `reason` (the only free text) with "…"/"...", then, if still too long, the whole text."""
    template = SMS[kind]
    fit = UCS2_SINGLE if unicode else GSM_SINGLE

    def make(c):
        text = _fmt(template, c)
        return " ".join((text if unicode else unaccent(text)).split())

    text = make(ctx)
    reason = str(ctx.get("reason") or "")
    while segments(text) > 1 and reason:
        reason = reason[: max(0, len(reason) - max(1, sms_length(text)[0] - fit))].rstrip()
        text = make({**ctx, "reason": (reason + ("…" if unicode else "...")) if reason else ""})
        if not reason:
            break
    while segments(text) > 1:
        text = text[: fit - (1 if unicode else 3)].rstrip() + ("…" if unicode else "...")
    return text


def render_zns(kind: str, ctx: dict) -> dict:
    """template_data for the kind's ZNS template: each parameter cut to its ZNS maximum length."""
    _, params = ZNS_TEMPLATES[kind]
    values = {
        "customer_name": ctx.get("name"),
        "dossier_code": ctx.get("code"),
        "reason": ctx.get("reason"),
        "due_date": ctx.get("new_due") if kind == "apology" else ctx.get("due"),
    }
    return {p: str(values.get(p) or "")[:limit] for p, limit in params.items()}
