"""Postal return use cases: hand-over to the post (bàn giao bưu chính) and status updates from the carrier.

Every status change is a PostalEvent (at most one per status) plus an audit event, in one transaction; polling
twice, or a webhook replaying an event, changes nothing."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.accounts.permissions import can
from cchc.core.audit import audit_record
from cchc.core.errors import ConflictError, DomainError, ForbiddenError
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import Dossier, ResultChannel
from cchc.integrations import registry
from cchc.integrations.models import SHIPMENT_FINAL, PostalEvent, PostalShipment, ShipmentState

from . import carrier

ORDER = [ShipmentState.ACCEPTED, ShipmentState.IN_TRANSIT, ShipmentState.FAILED, ShipmentState.DELIVERED, ShipmentState.RETURNED]


def postal_handover(*, dossier: Dossier, actor, now=None) -> PostalShipment:
    """Bàn giao kết quả cho bưu chính: result ready, result channel "post", staff who may process at the unit."""
    now = now or timezone.now()
    conf = registry.config("postal")
    if conf["backend"] != registry.FAKE:
        raise DomainError(f"postal.backend: “{conf['backend']}” chưa hỗ trợ (API VNPost chưa công bố; chỉ có fake).",
                          code="unsupported_backend", field="backend")
    with transaction.atomic():
        d = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if not can(actor, "process", d.unit):
            raise ForbiddenError("Bạn không có quyền bàn giao kết quả của hồ sơ này.", code="forbidden")
        if d.result_channel != ResultChannel.POST:
            raise ConflictError("result_channel: hồ sơ không đăng ký nhận kết quả qua bưu chính.", code="not_postal")
        if d.status not in wf.SETTLED_STATES:
            raise ConflictError("status: chỉ bàn giao khi đã có kết quả.", code="no_result")
        if PostalShipment.objects.filter(dossier=d).exclude(status=ShipmentState.RETURNED).exists():
            raise ConflictError("Kết quả của hồ sơ đã được bàn giao cho bưu chính.", code="already_handed_over")
        try:
            waybill, fee = carrier.create(d.code, d.applicant_address, salt=str(PostalShipment.objects.filter(dossier=d).count()))
        except ValueError as exc:
            raise DomainError(f"applicant_address: {exc}", code="required", field="applicant_address") from None
        s = PostalShipment.objects.create(dossier=d, carrier="fake", waybill=waybill, fee=fee, handed_over_at=now, status_at=now,
                                          handed_over_by=actor if getattr(actor, "pk", None) else None)
        PostalEvent.objects.create(shipment=s, status=ShipmentState.ACCEPTED, at=now, note="Bàn giao tại bộ phận một cửa")
        audit_record(actor=actor, action="postal.handover", obj=s, to_state=s.status, data={"dossier": d.code, "waybill": waybill, "fee": str(fee)})
    return s


def postal_apply(*, shipment: PostalShipment, status: str, at, note: str = "") -> bool:
    """Apply one carrier event (poll or webhook). Returns True when something changed; replays change nothing."""
    if status not in ShipmentState.values:
        raise DomainError(f"status: trạng thái bưu gửi không hợp lệ {status!r}.", code="invalid", field="status")
    with transaction.atomic():
        s = PostalShipment.objects.select_for_update().get(pk=shipment.pk)
        if PostalEvent.objects.filter(shipment=s, status=status).exists():
            return False
        try:
            with transaction.atomic():
                PostalEvent.objects.create(shipment=s, status=status, at=at, note=note[:200])
        except IntegrityError:
            return False
        if s.status in SHIPMENT_FINAL or ORDER.index(status) < ORDER.index(s.status):
            return True  # a late event is kept in the journey, the current state stays
        before = s.status
        s.status, s.status_at = status, at
        s.save(update_fields=["status", "status_at"])
        audit_record(actor=None, action="postal.status", obj=s, from_state=before, to_state=status, data={"waybill": s.waybill, "note": note})
    return True


def postal_poll(now=None) -> dict:
    """Hỏi trạng thái từ đơn vị bưu chính for every shipment not yet final (the scheduler's job)."""
    now = now or timezone.now()
    changed = 0
    open_ = PostalShipment.objects.exclude(status__in=SHIPMENT_FINAL)
    for s in open_:
        for status, at, note in carrier.track(s.waybill, s.handed_over_at, now):
            changed += postal_apply(shipment=s, status=status, at=at, note=note)
    return {"polled": len(open_), "changed": changed}


def _check_fake_journey():
    from datetime import datetime, timedelta

    t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.get_current_timezone())
    ok_bill, bad_bill = "EB000000001VN", "EB000000010VN"
    done = [e[0] for e in carrier.track(ok_bill, t0, t0 + timedelta(days=3))]
    failed = [e[0] for e in carrier.track(bad_bill, t0, t0 + timedelta(days=6))]
    ok = done == ["accepted", "in_transit", "delivered"] and failed == ["accepted", "in_transit", "failed", "returned"]
    return ok, f"hành trình giả lập: {done} / {failed}"


def _check_create():
    waybill, fee = carrier.create("SELFTEST", "Số 1 Trần Phú")
    ok = len(waybill) == 13 and waybill.startswith("EB") and waybill.endswith("VN") and fee > 0
    return ok, f"số hiệu {waybill}, cước {fee}"


def _check_config():
    conf = registry.config("postal")
    if conf["backend"] != registry.FAKE:
        return False, f"backend “{conf['backend']}”: chưa hỗ trợ (API VNPost chưa công bố)"
    return True, "backend fake"


def register_adapter() -> None:
    from cchc.integrations.registry import Adapter, Check

    registry.register(Adapter(name="postal", endpoint=lambda: registry.config("postal")["backend"] + ":local", description="Bưu chính công ích (giả lập)",
                              checks=[Check("config", _check_config), Check("create_waybill", _check_create), Check("tracking_journey", _check_fake_journey)]))
