"""The postal carrier's contract (minimal, because VNPost's API is not public) and the local fake carrier.

Contract: `create(dossier_code, address) -> (waybill, fee)`; `track(waybill, handed_over_at, now) -> [(status, at, note)]`
in order, each status at most once. The fake is deterministic: accepted at hand-over, in transit after 4 hours,
delivered after 2 days — except a waybill whose number is divisible by 10: failed after 2 days (nobody home),
returned to the sender after 5 days.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal

FAKE_FEE = Decimal("22000")  # the fake's flat in-province tariff for a document (đồng)


def fake_waybill(dossier_code: str, salt: str = "") -> str:
    digits = int(hashlib.sha256(f"{dossier_code}|{salt}".encode()).hexdigest()[:12], 16) % 10**9
    return f"EB{digits:09d}VN"


def create(dossier_code: str, address: str, salt: str = "") -> tuple[str, Decimal]:
    if not (address or "").strip():
        raise ValueError("address: thiếu địa chỉ nhận")
    return fake_waybill(dossier_code, salt), FAKE_FEE


def track(waybill: str, handed_over_at, now) -> list[tuple[str, object, str]]:
    number = int(waybill[2:11])
    plan = [("accepted", handed_over_at, "Bưu cục nhận bưu gửi"), ("in_transit", handed_over_at + timedelta(hours=4), "Đang chuyển đến bưu cục phát")]
    if number % 10 == 0:
        plan += [("failed", handed_over_at + timedelta(days=2), "Phát không thành công: người nhận vắng nhà"),
                 ("returned", handed_over_at + timedelta(days=5), "Chuyển hoàn về cơ quan giải quyết")]
    else:
        plan += [("delivered", handed_over_at + timedelta(days=2), "Phát thành công")]
    return [e for e in plan if e[1] <= now]
