"""The audit chain in several streams (luồng): appends of different objects wait on different heads, every stream
is numbered without gaps and linked on its own, and `cchc audit verify` still catches every tamper, including
one that removes a whole stream or moves an event from one stream into another."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from cchc.core import audit
from cchc.core.audit import GENESIS, audit_record, audit_verify, stream_for
from cchc.core.models import AuditChainHead, AuditEvent

STREAMS = 4


def _ids_in_distinct_streams(count: int, streams: int = STREAMS) -> list[str]:
    """Object ids whose first events land in `count` different streams."""
    found: dict[int, str] = {}
    i = 0
    while len(found) < count:
        found.setdefault(stream_for("thing", str(i), streams), str(i))
        i += 1
    return list(found.values())


def _write(object_id: str, n: int = 1) -> None:
    with transaction.atomic():
        for k in range(n):
            audit_record(actor=None, action="test.change", object_type="thing", object_id=object_id, reason=f"#{k}")
    connection._cchc_audit_stream = None  # the next write is another transaction (tests never commit)


@pytest.fixture
def streams(settings):
    settings.AUDIT_STREAMS = STREAMS
    connection._cchc_audit_stream = None
    return STREAMS


@pytest.fixture
def chain(db, streams):
    """Four objects, each in its own stream, two or three events each."""
    ids = _ids_in_distinct_streams(STREAMS)
    for n, oid in enumerate(ids):
        _write(oid, 2 + n % 2)
    return ids


def test_objects_spread_over_the_streams_each_numbered_from_one_without_gaps(chain):
    rows = list(AuditEvent.objects.values_list("stream", "seq"))
    by_stream: dict[int, list[int]] = {}
    for s, seq in rows:
        by_stream.setdefault(s, []).append(seq)
    assert sorted(by_stream) == [1, 2, 3, 4]
    assert all(sorted(seqs) == list(range(1, len(seqs) + 1)) for seqs in by_stream.values())
    assert audit_verify().as_dict() == {"ok": True, "checked": len(rows), "first_bad_seq": None, "problem": ""}
    assert AuditChainHead.objects.get(pk=1).streams == STREAMS


def test_one_transaction_keeps_to_the_stream_of_its_first_event(db, streams):
    a, b = _ids_in_distinct_streams(2)
    with transaction.atomic():
        audit_record(actor=None, action="test.change", object_type="thing", object_id=a)
        audit_record(actor=None, action="test.change", object_type="thing", object_id=b)
    assert set(AuditEvent.objects.values_list("stream", flat=True)) == {stream_for("thing", a, STREAMS)}
    assert audit_verify().ok


def test_deleting_a_whole_stream_with_its_head_is_detected(chain):
    victim = max(stream_for("thing", oid, STREAMS) for oid in chain)  # not stream 1, which signs the count
    AuditEvent.objects.filter(stream=victim).delete()
    AuditChainHead.objects.filter(pk=victim).delete()
    report = audit_verify()
    assert not report.ok and f"thiếu đầu luồng {victim}" in report.problem


def test_hiding_a_stream_by_lowering_the_signed_count_is_detected(chain):
    AuditChainHead.objects.filter(pk=1).update(streams=STREAMS - 1)
    AuditEvent.objects.filter(stream=STREAMS).delete()
    AuditChainHead.objects.filter(pk=STREAMS).delete()
    assert not audit_verify().ok


def test_moving_an_event_into_another_stream_is_detected(chain):
    first = stream_for("thing", chain[0], STREAMS)
    other = stream_for("thing", chain[1], STREAMS)
    last_other = AuditEvent.objects.filter(stream=other).order_by("-seq").first()
    ev = AuditEvent.objects.filter(stream=first).order_by("-seq").first()
    AuditEvent.objects.filter(pk=ev.pk).update(stream=other, seq=last_other.seq + 1, prev_hash=last_other.hash)
    assert not audit_verify().ok


def test_swapping_two_heads_is_detected(chain):
    h2, h3 = AuditChainHead.objects.get(pk=2), AuditChainHead.objects.get(pk=3)
    AuditChainHead.objects.filter(pk=2).update(last_seq=h3.last_seq, last_hash=h3.last_hash, signature=h3.signature)
    AuditChainHead.objects.filter(pk=3).update(last_seq=h2.last_seq, last_hash=h2.last_hash, signature=h2.signature)
    report = audit_verify()
    assert not report.ok and "chữ ký" in report.problem


def test_a_deleted_first_head_is_detected(chain):
    AuditChainHead.objects.filter(pk=1).delete()
    assert not audit_verify().ok


def test_editing_an_event_names_its_stream_and_its_number_there(chain):
    s = stream_for("thing", chain[3], STREAMS)
    AuditEvent.objects.filter(stream=s, seq=2).update(reason="sửa lén")
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == 2
    assert report.problem == ("" if s == 1 else f"luồng {s}: ") + "nội dung bản ghi bị thay đổi"


def test_a_one_stream_chain_grows_into_several_and_still_verifies(db, settings):
    settings.AUDIT_STREAMS = 1
    connection._cchc_audit_stream = None
    for i in range(3):
        _write(str(i))
    assert set(AuditEvent.objects.values_list("stream", flat=True)) == {1}
    head = AuditChainHead.objects.get(pk=1)
    assert head.streams == 1 and head.signature == audit.sign_checkpoint(3, head.last_hash, head.keyed_from_seq)
    settings.AUDIT_STREAMS = STREAMS
    for oid in _ids_in_distinct_streams(STREAMS):
        _write(oid)
    assert AuditChainHead.objects.get(pk=1).streams == STREAMS
    assert audit_verify().as_dict()["ok"] is True and AuditEvent.objects.count() == 3 + STREAMS


def test_an_empty_database_with_all_heads_verifies(db, streams):
    with transaction.atomic():
        audit._create_heads(STREAMS)
    assert AuditChainHead.objects.count() == STREAMS
    assert audit_verify().as_dict() == {"ok": True, "checked": 0, "first_bad_seq": None, "problem": ""}
    assert AuditChainHead.objects.get(pk=2).last_hash == GENESIS


@pytest.mark.django_db(transaction=True)
def test_two_streams_are_written_at_the_same_time_without_waiting_for_each_other(settings):
    """PostgreSQL: a transaction holding stream A's head does not block an append to stream B (one global head
    did). SQLite has one writer for the whole file, so there the second append waits by design."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writers of a file; streams only help a server database")
    settings.AUDIT_STREAMS = STREAMS
    a, b = _ids_in_distinct_streams(2)
    with transaction.atomic():
        audit._create_heads(STREAMS)
    holding, release, done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold_a():
        try:
            with transaction.atomic():
                audit_record(actor=None, action="test.change", object_type="thing", object_id=a)
                holding.set()
                release.wait(20)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    def write_b():
        try:
            holding.wait(20)
            with transaction.atomic():
                audit_record(actor=None, action="test.change", object_type="thing", object_id=b)
            done.set()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    t1, t2 = threading.Thread(target=hold_a), threading.Thread(target=write_b)
    t1.start()
    t2.start()
    finished_while_a_held = done.wait(15)
    release.set()
    t1.join(20)
    t2.join(20)
    assert not errors
    assert finished_while_a_held, "an append to stream B waited for the transaction holding stream A"
    assert audit_verify().ok and AuditEvent.objects.count() == 2
