"""Idempotent creation (chống tạo trùng): one code path for the API's Idempotency-Key and the portal's form token.

`idempotent_create` runs `create()` at most once per (user, scope, key): a retry, a double click or a
concurrent twin with the same key gets the first answer back (`replayed=True`) and creates nothing.
The first answer is stored in `IdempotencyRecord` in the same transaction as the dossier; a twin that
loses the race hits the unique constraint, its whole transaction (dossier, rows and files written
through `storage.files_atomic`) rolls back, and it returns the winner's record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError

from cchc.core.errors import DomainError

from .models import IdempotencyRecord
from .storage import files_atomic

MAX_KEY_LENGTH = 200


class IdempotencyKeyReused(DomainError):
    """The key was used before for a request with different content (HTTP 422)."""

    status_code = 422
    default_code = "idempotency_key_reused"


@dataclass(frozen=True)
class Outcome:
    dossier_id: int | None
    status: int
    body: dict
    replayed: bool


def _replay(user, scope: str, key: str, request_hash: str) -> Outcome | None:
    record = IdempotencyRecord.objects.filter(user=user, scope=scope, key=key).first()
    if record is None:
        return None
    if record.request_hash != request_hash:
        raise IdempotencyKeyReused(
            "Idempotency-Key này đã được dùng cho một yêu cầu có nội dung khác; hãy dùng khoá mới.",
            field="Idempotency-Key",
        )
    return Outcome(dossier_id=record.dossier_id, status=record.response_status, body=record.response_body, replayed=True)


def idempotent_create(*, user, scope: str, key: str, request_hash: str, create) -> Outcome:
    """Run `create()` → (dossier, status, body) once per key; without a key it simply runs once."""
    key = (key or "").strip()
    if len(key) > MAX_KEY_LENGTH:
        raise DomainError(f"Idempotency-Key: tối đa {MAX_KEY_LENGTH} ký tự.", code="invalid", field="Idempotency-Key")
    if any(not ch.isprintable() for ch in key):  # NUL, control characters: PostgreSQL text cannot hold U+0000
        raise DomainError("Idempotency-Key: chỉ gồm ký tự in được (không có NUL hay ký tự điều khiển).", code="invalid",
                          field="Idempotency-Key")
    if not key:
        dossier, status, body = create()
        return Outcome(dossier_id=dossier.pk, status=status, body=body, replayed=False)
    found = _replay(user, scope, key, request_hash)
    if found is not None:
        return found
    try:
        with files_atomic():
            # under the write lock now (SQLite IMMEDIATE): a twin may have committed meanwhile
            found = _replay(user, scope, key, request_hash)
            if found is not None:
                return found
            dossier, status, body = create()
            with files_atomic():
                IdempotencyRecord.objects.create(
                    user=user, key=key, scope=scope, request_hash=request_hash,
                    response_status=status, response_body=body, dossier=dossier,
                )
    except IntegrityError:
        found = _replay(user, scope, key, request_hash)
        if found is not None:
            return found
        raise
    return Outcome(dossier_id=dossier.pk, status=status, body=body, replayed=False)
