"""Audit services: append an event inside the caller's transaction; verify the chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC

from django.db import transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEvent


def _digest(*, seq, at, actor_id, actor_label, action, object_type, object_id, from_state, to_state, reason, data, prev_hash) -> str:
    payload = json.dumps(
        [seq, at.astimezone(UTC).isoformat(timespec="microseconds"), actor_id, actor_label, action, object_type, str(object_id), from_state, to_state, reason, data, prev_hash],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _lock_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def _actor_fields(actor) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "pk", None):
        return None, (str(actor) if isinstance(actor, str) else "system")
    return actor.pk, actor.get_username()


def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
    at=None,
) -> AuditEvent:
    """Append one audit event. Must run inside the transaction that makes the change."""
    return audit_record_many(
        [
            dict(
                actor=actor, action=action, obj=obj, object_type=object_type, object_id=object_id,
                from_state=from_state, to_state=to_state, reason=reason, data=data, at=at,
            )
        ]
    )[0]


def audit_record_many(events: Iterable[dict]) -> list[AuditEvent]:
    """Append several events in one lock of the chain head (bulk imports, demo data)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside transaction.atomic()")
    head = _lock_head()
    rows = []
    seq, prev = head.last_seq, head.last_hash
    now = timezone.now()
    for ev in events:
        obj = ev.get("obj")
        object_type = ev.get("object_type") or (obj._meta.label_lower if obj is not None else "")
        object_id = ev.get("object_id")
        if object_id is None and obj is not None:
            object_id = getattr(obj, "code", None) or obj.pk
        actor_id, actor_label = _actor_fields(ev.get("actor"))
        seq += 1
        fields = dict(
            seq=seq, at=ev.get("at") or now, actor_id=actor_id, actor_label=actor_label, action=ev["action"],
            object_type=object_type, object_id=str(object_id or ""), from_state=ev.get("from_state") or "",
            to_state=ev.get("to_state") or "", reason=ev.get("reason") or "",
            data=json.loads(json.dumps(ev.get("data") or {}, default=str)), prev_hash=prev,
        )
        digest = _digest(**fields)
        rows.append(AuditEvent(hash=digest, **fields))
        prev = digest
    AuditEvent.objects.bulk_create(rows, batch_size=2000)
    head.last_seq, head.last_hash = seq, prev
    head.save(update_fields=["last_seq", "last_hash"])
    return rows


@dataclass
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""

    def as_dict(self) -> dict:
        return {"ok": self.ok, "checked": self.checked, "first_bad_seq": self.first_bad_seq, "problem": self.problem}


def audit_verify(batch: int = 5000) -> ChainReport:
    """Recompute every hash in order; report the first row whose content or link was changed."""
    prev = "0" * 64
    expected_seq = 1
    checked = 0
    qs = AuditEvent.objects.order_by("seq").values_list(
        "seq", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "from_state", "to_state",
        "reason", "data", "prev_hash", "hash",
    )
    for row in qs.iterator(chunk_size=batch):
        seq, at, actor_id, actor_label, action, otype, oid, fs, ts, reason, data, prev_hash, digest = row
        if seq != expected_seq:
            return ChainReport(False, checked, seq, f"thiếu bản ghi: mong đợi #{expected_seq}, gặp #{seq}")
        if prev_hash != prev:
            return ChainReport(False, checked, seq, "liên kết với bản ghi trước bị thay đổi")
        recomputed = _digest(
            seq=seq, at=at, actor_id=actor_id, actor_label=actor_label, action=action, object_type=otype,
            object_id=oid, from_state=fs, to_state=ts, reason=reason, data=data, prev_hash=prev_hash,
        )
        if recomputed != digest:
            return ChainReport(False, checked, seq, "nội dung bản ghi bị thay đổi")
        prev = digest
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and head.last_seq != checked:
        return ChainReport(False, checked, checked + 1, f"đầu chuỗi ghi #{head.last_seq} nhưng chỉ có {checked} bản ghi")
    return ChainReport(True, checked)
