"""The audit chain against someone who can write to the database but does not hold AUDIT_KEY: ten tampers,
each detected by `cchc audit verify`; the keyed hash and the signed checkpoint; events from before keys."""

from __future__ import annotations

import json

import pytest
from django.db import connection, transaction

from cchc.cli import main
from cchc.core import audit
from cchc.core.audit import GENESIS, audit_record, audit_verify, sign_checkpoint
from cchc.core.errors import DomainError
from cchc.core.models import AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_stream(settings):
    """These tampers are written against one chain (numbers 1…n); several streams: test_audit_streams.py."""
    settings.AUDIT_STREAMS = 1

FIELDS = ["seq", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "from_state", "to_state", "reason",
          "data", "prev_hash"]


def _write(n):
    for i in range(n):
        with transaction.atomic():
            audit_record(actor=None, action="test.change", object_type="thing", object_id=i, from_state="a", to_state="b",
                         reason=f"lý do {i}", data={"i": i})


def _plain(ev) -> str:
    """What an attacker without the key can compute: the old unkeyed SHA-256."""
    return audit._digest(**{f: getattr(ev, f) for f in FIELDS}, key=None)


def _guessed_key(ev) -> str:
    return audit._digest(**{f: getattr(ev, f) for f in FIELDS}, key=b"doan-khoa")


def _rehash_from(seq: int, digest=_plain):
    """Recompute hashes and links from `seq` on, as an attacker would, and move the head to match."""
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS
    for ev in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        ev.prev_hash = prev
        ev.hash = digest(ev)
        AuditEvent.objects.filter(pk=ev.pk).update(prev_hash=ev.prev_hash, hash=ev.hash)
        prev = ev.hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev, last_seq=AuditEvent.objects.count())


def edit_middle():
    AuditEvent.objects.filter(seq=3).update(reason="sửa lén")


def edit_middle_and_rehash_the_rest():
    AuditEvent.objects.filter(seq=3).update(reason="sửa lén")
    _rehash_from(3)


def edit_last_and_recompute_its_hash():
    AuditEvent.objects.filter(seq=5).update(to_state="z")
    _rehash_from(5)


def edit_last_with_a_guessed_key():
    AuditEvent.objects.filter(seq=5).update(to_state="z")
    _rehash_from(5, _guessed_key)


def delete_last():
    AuditEvent.objects.filter(seq=5).delete()


def delete_last_and_move_the_head_back():
    last = AuditEvent.objects.get(seq=4)
    AuditEvent.objects.filter(seq=5).delete()
    AuditChainHead.objects.filter(pk=1).update(last_seq=4, last_hash=last.hash)


def delete_middle():
    AuditEvent.objects.filter(seq=2).delete()


def rehash_everything():
    _rehash_from(1)


def empty_the_table():
    AuditEvent.objects.all().delete()


def empty_the_table_and_reset_the_head():
    AuditEvent.objects.all().delete()
    AuditChainHead.objects.filter(pk=1).update(last_seq=0, last_hash=GENESIS)


def reorder():
    a, b = AuditEvent.objects.get(seq=2), AuditEvent.objects.get(seq=4)
    AuditEvent.objects.filter(pk=a.pk).update(seq=-1)
    AuditEvent.objects.filter(pk=b.pk).update(seq=2)
    AuditEvent.objects.filter(pk=a.pk).update(seq=4)


def insert_at_the_end():
    last = AuditEvent.objects.get(seq=5)
    forged = AuditEvent(seq=6, at=last.at, actor_label="ke-gian", action="test.change", object_type="thing", object_id="9",
                        reason="chèn", data={}, prev_hash=last.hash)
    forged.hash = _plain(forged)
    forged.save()
    AuditChainHead.objects.filter(pk=1).update(last_seq=6, last_hash=forged.hash)


def insert_in_the_middle():
    for ev in AuditEvent.objects.filter(seq__gte=3).order_by("-seq"):
        AuditEvent.objects.filter(pk=ev.pk).update(seq=ev.seq + 1)
    two = AuditEvent.objects.get(seq=2)
    forged = AuditEvent(seq=3, at=two.at, actor_label="ke-gian", action="test.change", object_type="thing", object_id="9",
                        reason="chèn", data={}, prev_hash=two.hash, hash="f" * 64)
    forged.save()
    _rehash_from(3)


def downgrade_to_unkeyed_hashes():
    """Claim every event predates keys, re-hash with plain SHA-256 and keep the old signature."""
    AuditChainHead.objects.filter(pk=1).update(keyed_from_seq=99)
    _rehash_from(1)


TAMPERS = [edit_middle, edit_middle_and_rehash_the_rest, edit_last_and_recompute_its_hash, edit_last_with_a_guessed_key,
           delete_last, delete_last_and_move_the_head_back, delete_middle, rehash_everything, empty_the_table,
           empty_the_table_and_reset_the_head, reorder, insert_at_the_end, insert_in_the_middle, downgrade_to_unkeyed_hashes]


def test_an_untouched_chain_verifies_and_its_checkpoint_is_signed():
    _write(5)
    assert audit_verify().as_dict() == {"ok": True, "checked": 5, "first_bad_seq": None, "problem": ""}
    head = AuditChainHead.objects.get(pk=1)
    assert head.last_seq == 5 and head.last_hash == AuditEvent.objects.get(seq=5).hash
    assert head.signature == sign_checkpoint(5, head.last_hash, head.keyed_from_seq)


@pytest.mark.parametrize("tamper", TAMPERS, ids=lambda t: t.__name__)
def test_every_tamper_is_detected(tamper, capsys):
    _write(5)
    tamper()
    report = audit_verify()
    assert not report.ok, tamper.__name__
    assert report.problem
    assert main(["audit", "verify", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"ok", "checked", "first_bad_seq", "problem"} and out["ok"] is False


def test_a_hash_is_keyed_not_the_plain_sha256_of_the_event():
    _write(1)
    ev = AuditEvent.objects.get(seq=1)
    assert ev.hash != _plain(ev) and ev.hash == audit._digest(**{f: getattr(ev, f) for f in FIELDS}, key=audit.audit_key())


def test_a_different_audit_key_fails_verification(settings):
    _write(2)
    settings.AUDIT_KEY = "mot-khoa-khac"
    assert not audit_verify().ok


def test_the_key_comes_from_the_setting_or_is_derived_from_the_secret_key(settings):
    settings.AUDIT_KEY = "khoa-rieng"
    assert audit.audit_key() == b"khoa-rieng"
    settings.AUDIT_KEY = ""
    derived = audit.audit_key()
    assert derived != settings.SECRET_KEY.encode() and len(derived) == 32
    settings.SECRET_KEY = settings.SECRET_KEY + "x"
    assert audit.audit_key() != derived


def test_events_written_before_keys_stay_verifiable_and_protected():
    """What migration 0003 leaves behind: plain SHA-256 events, then keyed ones, one signed head."""
    _write(3)
    for ev in AuditEvent.objects.order_by("seq"):  # turn the first three into pre-key events
        prev = AuditEvent.objects.get(seq=ev.seq - 1).hash if ev.seq > 1 else GENESIS
        ev.prev_hash = prev
        AuditEvent.objects.filter(pk=ev.pk).update(prev_hash=prev, hash=_plain(ev))
    last = AuditEvent.objects.get(seq=3).hash
    AuditChainHead.objects.filter(pk=1).update(last_seq=3, last_hash=last, keyed_from_seq=4,
                                               signature=sign_checkpoint(3, last, 4))
    assert audit_verify().ok
    _write(2)  # keyed from #4 on
    assert audit_verify().as_dict()["checked"] == 5 and audit_verify().ok
    AuditEvent.objects.filter(seq=2).update(reason="sửa lén")
    _rehash_from(2)  # a consistent plain re-hash of the old part still breaks the keyed #4
    assert not audit_verify().ok


def test_the_migration_signs_the_head_as_it_stands(settings):
    from importlib import import_module

    from django.apps import apps

    _write(2)
    AuditChainHead.objects.filter(pk=1).update(signature="", keyed_from_seq=1)
    import_module("cchc.core.migrations.0003_audit_keyed_checkpoint").sign_existing_head(apps, connection.schema_editor())
    head = AuditChainHead.objects.get(pk=1)
    assert head.keyed_from_seq == 3 and head.signature == sign_checkpoint(2, head.last_hash, 3)


def test_a_reason_of_megabytes_never_enters_the_chain():
    with pytest.raises(DomainError) as exc, transaction.atomic():
        audit_record(actor=None, action="x", object_type="t", object_id=1, reason="x" * (audit.MAX_REASON_LENGTH + 1))
    assert exc.value.field == "reason"
    assert not AuditEvent.objects.exists()
    with transaction.atomic():
        audit_record(actor=None, action="x", object_type="t", object_id=1, reason="x" * audit.MAX_REASON_LENGTH)
    assert audit_verify().ok


def test_the_write_and_the_checkpoint_roll_back_together():
    _write(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="x", object_type="t", object_id=2)
        raise RuntimeError("the change failed")
    head = AuditChainHead.objects.get(pk=1)
    assert head.last_seq == 1 and audit_verify().ok
    assert head.signature == sign_checkpoint(1, AuditEvent.objects.get(seq=1).hash, head.keyed_from_seq)
