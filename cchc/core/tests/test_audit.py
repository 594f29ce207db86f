import json

import pytest
from django.db import transaction

from cchc.cli import main
from cchc.core.audit import audit_record, audit_verify
from cchc.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_stream(settings):
    """These tampers are written against one chain (numbers 1…n); several streams: test_audit_streams.py."""
    settings.AUDIT_STREAMS = 1


def _write(n):
    for i in range(n):
        with transaction.atomic():
            audit_record(actor=None, action="test.change", object_type="thing", object_id=i, from_state="a", to_state="b", data={"i": i})


def test_an_untouched_chain_verifies():
    _write(5)
    report = audit_verify()
    assert report.ok and report.checked == 5


def test_editing_a_row_breaks_the_chain_at_that_row():
    _write(4)
    AuditEvent.objects.filter(seq=3).update(reason="sửa lén")
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == 3


def test_deleting_a_row_breaks_the_chain():
    _write(4)
    AuditEvent.objects.filter(seq=2).delete()
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == 3


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="x", object_type="t", object_id=1)


def test_cli_audit_verify_prints_json_and_fails_on_tampering(capsys):
    _write(2)
    assert main(["audit", "verify", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"ok": True, "checked": 2, "first_bad_seq": None, "problem": ""}
    AuditEvent.objects.filter(seq=1).update(action="other")
    assert main(["audit", "verify", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["first_bad_seq"] == 1
