"""Contract checks of the national-portal adapter for `cchc integrations selftest`.

Against the local fake (inside a rolled-back transaction): an event is accepted, the same event id again is a
duplicate (idempotency), an older event never overwrites a newer status, the snapshot shows it. Against the real
portal (PORTALSYNC_MODE=http): the snapshot is readable (no probe event is ever sent to the real portal).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import transaction

from .adapters import FakePortal, portal


class _Rollback(Exception):
    pass


def _adapter():
    adapter = portal()
    if adapter is None:
        raise RuntimeError("PORTALSYNC_MODE=off: chưa cấu hình kết nối Cổng DVC quốc gia")
    return adapter


def check_idempotency_and_order():
    adapter = _adapter()
    if not isinstance(adapter, FakePortal):
        return True, "bỏ qua: không gửi sự kiện thử tới Cổng thật"
    result = (False, "")
    try:
        with transaction.atomic():
            base = {"dossier_code": "SELFTEST-000000-0001", "province_code": "SELFTEST", "occurred_at": "2026-01-01T00:00:00+07:00"}
            e2 = {**base, "event_id": str(uuid.uuid4()), "seq": 2, "status": "in_process"}
            e1 = {**base, "event_id": str(uuid.uuid4()), "seq": 1, "status": "received"}
            answers = [adapter.send(e2), adapter.send(e2), adapter.send(e1)]
            held = adapter.snapshot("SELFTEST")
            result = (answers == ["accepted", "duplicate", "accepted"] and held == {"SELFTEST-000000-0001": "in_process"},
                      f"trả lời {answers}; Cổng giữ {held}")
            raise _Rollback
    except _Rollback:
        pass
    return result


def check_snapshot():
    adapter = _adapter()
    held = adapter.snapshot("__none__")
    return isinstance(held, dict), f"đọc được ({len(held)} hồ sơ)"


def register(registry) -> None:
    registry.register(registry.Adapter(
        name="national_portal",
        endpoint=lambda: (getattr(portal(), "endpoint", None) or f"off ({settings.PORTALSYNC_MODE})"),
        description="Đồng bộ hồ sơ với Cổng Dịch vụ công quốc gia",
        checks=[registry.Check("snapshot", check_snapshot),
                registry.Check("idempotency_and_order", check_idempotency_and_order)],
    ))
