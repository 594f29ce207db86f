"""Audit services: append an event inside the caller's transaction; verify the chain.

Integrity (docs/security_review.md, "Audit chain"): every event's hash is an HMAC-SHA256 of its content and
of the previous event's hash, keyed with the audit key — the setting AUDIT_KEY (environment variable of the
same name), by default derived from SECRET_KEY — which never enters the database. The head row
(AuditChainHead) is a checkpoint: last sequence number and hash, signed with the same key and rewritten in
the same transaction as each append. Someone who can write to the database but does not hold the key can
therefore neither recompute a hash after editing an event, nor re-hash the whole chain, nor move the
checkpoint after deleting or emptying events: `audit_verify` recomputes the chain and compares it with the
signed checkpoint. Keep AUDIT_KEY stable (a new key makes every keyed event fail verification).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .errors import DomainError
from .models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
MAX_REASON_LENGTH = 10_000  # a net under every service: no free text of megabytes is written into the chain


def audit_key() -> bytes:
    """The secret the chain is keyed with: AUDIT_KEY, else derived from SECRET_KEY (documented)."""
    configured = getattr(settings, "AUDIT_KEY", "") or ""
    if configured:
        return configured.encode("utf-8")
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), b"cchc.audit-chain.v1", hashlib.sha256).digest()


def _digest(*, seq, at, actor_id, actor_label, action, object_type, object_id, from_state, to_state, reason, data, prev_hash,
            key: bytes | None) -> str:
    """HMAC-SHA256 of one event with `key`; plain SHA-256 for events written before keys (key=None)."""
    payload = json.dumps(
        [seq, at.astimezone(UTC).isoformat(timespec="microseconds"), actor_id, actor_label, action, object_type, str(object_id), from_state, to_state, reason, data, prev_hash],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    ).encode("utf-8")
    if key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def sign_checkpoint(last_seq: int, last_hash: str, keyed_from_seq: int, key: bytes | None = None) -> str:
    """Signature of a chain head (count, last hash, where keyed hashes start)."""
    message = f"cchc-audit-head|{int(last_seq)}|{last_hash}|{int(keyed_from_seq)}".encode()
    return hmac.new(key or audit_key(), message, hashlib.sha256).hexdigest()


def _lock_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # a database flushed by tests; a migrated database always has the row
        AuditChainHead.objects.get_or_create(pk=1, defaults={"signature": sign_checkpoint(0, GENESIS, 1)})
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
    events = list(events)
    for ev in events:
        if len(ev.get("reason") or "") > MAX_REASON_LENGTH:
            raise DomainError(f"reason: tối đa {MAX_REASON_LENGTH:_} ký tự.".replace("_", "."), code="max_length", field="reason")
    head = _lock_head()
    key = audit_key()
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
        digest = _digest(**fields, key=key if seq >= head.keyed_from_seq else None)
        rows.append(AuditEvent(hash=digest, **fields))
        prev = digest
    AuditEvent.objects.bulk_create(rows, batch_size=2000)
    head.last_seq, head.last_hash = seq, prev
    head.signature = sign_checkpoint(seq, prev, head.keyed_from_seq, key)
    head.save(update_fields=["last_seq", "last_hash", "signature"])
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
    """Recompute every hash in order, then compare the end of the chain with the signed checkpoint; report
    the first row whose content, link or place was changed, or the checkpoint that does not match."""
    key = audit_key()
    head = AuditChainHead.objects.filter(pk=1).first()
    keyed_from = head.keyed_from_seq if head is not None else 1
    prev = GENESIS
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
            key=key if seq >= keyed_from else None,
        )
        if not hmac.compare_digest(recomputed, digest):
            return ChainReport(False, checked, seq, "nội dung bản ghi bị thay đổi")
        prev = digest
        expected_seq += 1
        checked += 1
    if head is None:
        if checked:
            return ChainReport(False, checked, checked, "mất đầu chuỗi (điểm kiểm tra đã ký) trong khi còn bản ghi")
        return ChainReport(True, 0)  # a database flushed or never written: nothing to compare
    signed = sign_checkpoint(head.last_seq, head.last_hash, head.keyed_from_seq, key)
    if not hmac.compare_digest(signed, head.signature or ""):
        return ChainReport(False, checked, head.last_seq or None, "chữ ký đầu chuỗi không hợp lệ (đầu chuỗi bị sửa hoặc sai khóa AUDIT_KEY)")
    if head.last_seq != checked:
        return ChainReport(False, checked, checked + 1, f"đầu chuỗi ghi #{head.last_seq} nhưng chỉ có {checked} bản ghi")
    if not hmac.compare_digest(head.last_hash, prev):
        return ChainReport(False, checked, checked or None, "bản ghi cuối không khớp mã băm của đầu chuỗi đã ký")
    return ChainReport(True, checked)
