"""Audit services: append an event inside the caller's transaction; verify the chain.

Integrity (docs/security_review.md, "Audit chain"): every event's hash is an HMAC-SHA256 of its content and
of the previous event's hash, keyed with the audit key — the setting AUDIT_KEY (environment variable of the
same name), by default derived from SECRET_KEY — which never enters the database. The head row
(AuditChainHead) is a checkpoint: last sequence number and hash, signed with the same key and rewritten in
the same transaction as each append. Someone who can write to the database but does not hold the key can
therefore neither recompute a hash after editing an event, nor re-hash the whole chain, nor move the
checkpoint after deleting or emptying events: `audit_verify` recomputes the chain and compares it with the
signed checkpoint. Keep AUDIT_KEY stable (a new key makes every keyed event fail verification).

Streams (luồng): the chain is split into AUDIT_STREAMS parallel chains (default 16) so that appends do not
serialise the whole province on one lock. A transaction's events all go to one stream, chosen from its first
event's object (the same object always starts in the same stream); each stream has its own head row (pk =
stream number), its own numbering `seq` (1, 2, 3… without gaps) and its own links. Head 1 also signs how many
streams exist, so deleting a whole stream (its events and its head) is detected too. Events of stream 1 hash
exactly as before streams existed, so an older database verifies unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import zlib
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
            key: bytes | None, stream: int = 1) -> str:
    """HMAC-SHA256 of one event with `key`; plain SHA-256 for events written before keys (key=None). The stream
    number is hashed too (from stream 2 on), so an event cannot be moved into another stream."""
    content = [seq, at.astimezone(UTC).isoformat(timespec="microseconds"), actor_id, actor_label, action, object_type,
               str(object_id), from_state, to_state, reason, data, prev_hash]
    if stream != 1:
        content.append(["stream", int(stream)])
    payload = json.dumps(
        content,
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    ).encode("utf-8")
    if key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def sign_checkpoint(last_seq: int, last_hash: str, keyed_from_seq: int, key: bytes | None = None, *,
                    stream: int = 1, streams: int = 1) -> str:
    """Signature of a stream's head (count, last hash, where keyed hashes start); head 1 also signs the number
    of streams. Stream 1 of a one-stream chain signs exactly what the chain signed before streams existed."""
    if stream == 1:
        message = f"cchc-audit-head|{int(last_seq)}|{last_hash}|{int(keyed_from_seq)}"
        if streams > 1:
            message += f"|n{int(streams)}"
    else:
        message = f"cchc-audit-head|s{int(stream)}|{int(last_seq)}|{last_hash}|{int(keyed_from_seq)}"
    return hmac.new(key or audit_key(), message.encode(), hashlib.sha256).hexdigest()


def _sign(head: AuditChainHead, key: bytes | None = None) -> str:
    return sign_checkpoint(head.last_seq, head.last_hash, head.keyed_from_seq, key, stream=head.pk,
                           streams=head.streams if head.pk == 1 else 1)


def configured_streams() -> int:
    """AUDIT_STREAMS: how many parallel chains new events spread over (1…1000)."""
    return max(1, min(1000, int(getattr(settings, "AUDIT_STREAMS", 16) or 1)))


def stream_for(object_type: str, object_id: str, streams: int | None = None) -> int:
    """The stream an object's first event of a transaction goes to: a stable hash of the object (1…streams)."""
    n = streams or configured_streams()
    return 1 + zlib.crc32(f"{object_type}:{object_id}".encode()) % n


def _create_heads(upto: int) -> None:
    """Create the heads of streams 1…upto that are missing (a new database, a flushed test database, or a larger
    AUDIT_STREAMS), under the lock of head 1, and re-sign head 1 with the new number of streams."""
    if not AuditChainHead.objects.filter(pk=1).exists():
        AuditChainHead.objects.get_or_create(pk=1, defaults={"signature": sign_checkpoint(0, GENESIS, 1)})
    first = AuditChainHead.objects.select_for_update().get(pk=1)
    have = set(AuditChainHead.objects.values_list("pk", flat=True))
    missing = [n for n in range(2, upto + 1) if n not in have]
    if missing:
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(pk=n, signature=sign_checkpoint(0, GENESIS, 1, stream=n)) for n in missing],
            ignore_conflicts=True)
    count = max(have | set(range(1, upto + 1)))
    if count != first.streams:
        first.streams = count
        first.signature = _sign(first)
        first.save(update_fields=["streams", "signature"])


def _lock_head(stream: int = 1) -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=stream).first()
    if head is None:  # a new or flushed database, or more streams configured: create the missing heads
        _create_heads(max(stream, configured_streams()))
        head = AuditChainHead.objects.select_for_update().get(pk=stream)
    return head


def _transaction_stream(first_event: dict) -> int:
    """One stream per transaction (so a transaction never holds two stream locks and two transactions cannot
    wait on each other's streams): the stream of the transaction's first event, kept until it commits. The
    choice is tied to the outermost atomic block, so one rolled back or never committed (tests) does not carry
    it into the next transaction; a kept choice above AUDIT_STREAMS is made again."""
    conn = transaction.get_connection()
    marker = id(conn.atomic_blocks[0]) if conn.atomic_blocks else None
    kept = getattr(conn, "_cchc_audit_stream", None)
    if kept is not None and kept[0] == marker and kept[1] <= configured_streams():
        return kept[1]
    obj = first_event.get("obj")
    otype = first_event.get("object_type") or (obj._meta.label_lower if obj is not None else "")
    oid = first_event.get("object_id")
    if oid is None and obj is not None:
        oid = getattr(obj, "code", None) or obj.pk
    stream = stream_for(otype, str(oid or ""))
    conn._cchc_audit_stream = (marker, stream)

    def forget():
        conn._cchc_audit_stream = None

    transaction.on_commit(forget)
    return stream


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
    if not events:
        return []
    stream = _transaction_stream(events[0])
    head = _lock_head(stream)
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
            stream=stream, seq=seq, at=ev.get("at") or now, actor_id=actor_id, actor_label=actor_label, action=ev["action"],
            object_type=object_type, object_id=str(object_id or ""), from_state=ev.get("from_state") or "",
            to_state=ev.get("to_state") or "", reason=ev.get("reason") or "",
            data=json.loads(json.dumps(ev.get("data") or {}, default=str)), prev_hash=prev,
        )
        digest = _digest(**fields, key=key if seq >= head.keyed_from_seq else None)
        rows.append(AuditEvent(hash=digest, **fields))
        prev = digest
    AuditEvent.objects.bulk_create(rows, batch_size=2000)
    head.last_seq, head.last_hash = seq, prev
    head.signature = _sign(head, key)
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
    """Recompute every hash of every stream in order, then compare each stream's end with its signed head and the
    number of streams with the one head 1 signs; report the first row whose content, link or place was changed,
    or the head that does not match. `first_bad_seq` is the number within its stream; the problem names the
    stream from stream 2 on."""
    key = audit_key()
    heads = {h.pk: h for h in AuditChainHead.objects.all()}

    def fail(stream, checked, seq, problem):
        return ChainReport(False, checked, seq, problem if stream == 1 else f"luồng {stream}: {problem}")

    checked = 0
    seen: dict[int, tuple[int, str]] = {}  # stream -> (count, last hash)
    stream, prev, expected_seq = None, GENESIS, 1
    qs = AuditEvent.objects.order_by("stream", "seq").values_list(
        "stream", "seq", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "from_state", "to_state",
        "reason", "data", "prev_hash", "hash",
    )
    for row in qs.iterator(chunk_size=batch):
        s, seq, at, actor_id, actor_label, action, otype, oid, fs, ts, reason, data, prev_hash, digest = row
        if s != stream:
            stream, prev, expected_seq = s, GENESIS, 1
            if s not in heads:
                return fail(s, checked, seq, "mất đầu chuỗi (điểm kiểm tra đã ký) trong khi còn bản ghi")
        head = heads[s]
        keyed_from = head.keyed_from_seq
        if seq != expected_seq:
            return fail(s, checked, seq, f"thiếu bản ghi: mong đợi #{expected_seq}, gặp #{seq}")
        if prev_hash != prev:
            return fail(s, checked, seq, "liên kết với bản ghi trước bị thay đổi")
        recomputed = _digest(
            seq=seq, at=at, actor_id=actor_id, actor_label=actor_label, action=action, object_type=otype,
            object_id=oid, from_state=fs, to_state=ts, reason=reason, data=data, prev_hash=prev_hash,
            key=key if seq >= keyed_from else None, stream=s,
        )
        if not hmac.compare_digest(recomputed, digest):
            return fail(s, checked, seq, "nội dung bản ghi bị thay đổi")
        prev = digest
        expected_seq += 1
        checked += 1
        seen[s] = (expected_seq - 1, prev)
    if not heads:
        return ChainReport(True, 0)  # a database flushed or never written: nothing to compare
    if 1 not in heads:
        return ChainReport(False, checked, None, "mất đầu chuỗi 1 (nơi ký số luồng)")
    first = heads[1]
    if not hmac.compare_digest(_sign(first, key), first.signature or ""):
        return ChainReport(False, checked, first.last_seq or None, "chữ ký đầu chuỗi không hợp lệ (đầu chuỗi bị sửa hoặc sai khóa AUDIT_KEY)")
    missing = [n for n in range(1, first.streams + 1) if n not in heads]
    if missing:
        return ChainReport(False, checked, None, f"thiếu đầu luồng {missing[0]} (đã ký {first.streams} luồng)")
    for n in sorted(heads):
        head = heads[n]
        if n > first.streams:
            return fail(n, checked, None, f"đầu luồng ngoài số luồng đã ký ({first.streams})")
        if not hmac.compare_digest(_sign(head, key), head.signature or ""):
            return fail(n, checked, head.last_seq or None, "chữ ký đầu chuỗi không hợp lệ (đầu chuỗi bị sửa hoặc sai khóa AUDIT_KEY)")
        count, last = seen.get(n, (0, GENESIS))
        if head.last_seq != count:
            return fail(n, checked, count + 1, f"đầu chuỗi ghi #{head.last_seq} nhưng chỉ có {count} bản ghi")
        if not hmac.compare_digest(head.last_hash, last):
            return fail(n, checked, count or None, "bản ghi cuối không khớp mã băm của đầu chuỗi đã ký")
    return ChainReport(True, checked)
