"""The two nightly purges (abandoned online-form files, orphan files): what they remove, the age boundary,
the audit event with the counts, and the tasks the scheduler runs."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.accounts.models import User
from cchc.core.audit import audit_verify
from cchc.core.models import AuditEvent
from cchc.dossiers import online, services, storage
from cchc.dossiers.models import PendingUpload

from .factories import PDF_BYTES, applicant

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 5, 2, 0, tzinfo=VN)


def pdf(name="giay.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def keep(user, token, *, age: timedelta) -> PendingUpload:
    row = online.pending_upload_store(user=user, form_token=token, slot=PendingUpload.SLOT_OTHER, name="Giấy tờ",
                                      uploaded_file=pdf())
    PendingUpload.objects.filter(pk=row.pk).update(created_at=NOW - age)
    return row


def test_pending_uploads_older_than_the_ttl_are_purged_with_their_files_and_audited(
        world, django_capture_on_commit_callbacks):
    citizen = User.objects.create_user(username="congdan", password="x")
    token = online.new_form_token()
    ttl = online.PENDING_TTL
    at_ttl = keep(citizen, token, age=ttl)                              # exactly the TTL: kept
    just_over = keep(citizen, token, age=ttl + timedelta(seconds=1))    # one second more: purged
    old = keep(citizen, online.new_form_token(), age=timedelta(days=30))
    young = keep(citizen, token, age=timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert online.pending_uploads_purge(now=NOW) == 2
    assert set(PendingUpload.objects.values_list("pk", flat=True)) == {at_ttl.pk, young.pk}
    assert storage.exists(at_ttl.file_path) and storage.exists(young.file_path)
    assert not storage.exists(just_over.file_path) and not storage.exists(old.file_path)
    event = AuditEvent.objects.get(action="dossiers.pending_uploads_purged")
    assert event.data["count"] == 2 and event.data["bytes"] == 2 * len(PDF_BYTES)
    assert event.data["older_than_hours"] == ttl.total_seconds() / 3600 and event.actor_label == "system"
    # nothing left to purge: no new audit event
    with django_capture_on_commit_callbacks(execute=True):
        assert online.pending_uploads_purge(now=NOW) == 0
    assert AuditEvent.objects.filter(action="dossiers.pending_uploads_purged").count() == 1
    assert audit_verify().ok


def test_a_rolled_back_purge_keeps_the_files(world, monkeypatch):
    citizen = User.objects.create_user(username="congdan", password="x")
    row = keep(citizen, online.new_form_token(), age=timedelta(days=3))

    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr("cchc.core.audit.audit_record", broken)
    with pytest.raises(RuntimeError):
        online.pending_uploads_purge(now=NOW)
    assert PendingUpload.objects.filter(pk=row.pk).exists() and storage.exists(row.file_path)


def age_file(name: str, age: timedelta) -> None:
    stamp = (NOW - age).timestamp()
    os.utime(Path(settings.MEDIA_ROOT) / name, (stamp, stamp))


def test_orphan_files_purge_removes_only_unreferenced_files_strictly_older_than_the_grace(world):
    grace = storage.ORPHAN_GRACE
    d = services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"],
                                 applicant=applicant())
    doc = services.dossier_attach_document(dossier=d, actor=world["officer"], uploaded_file=pdf())
    citizen = User.objects.create_user(username="congdan", password="x")
    pending = online.pending_upload_store(user=citizen, form_token=online.new_form_token(), slot="other", name="x",
                                          uploaded_file=pdf())
    at_grace = storage.save_bytes(PDF_BYTES, folder="dossiers", ext="pdf")
    over = storage.save_bytes(PDF_BYTES, folder="results", ext="pdf")
    over_pending = storage.save_bytes(PDF_BYTES, folder="pending", ext="pdf")
    young = storage.save_bytes(PDF_BYTES, folder="dossiers", ext="pdf")
    elsewhere = storage.save_bytes(PDF_BYTES, folder="khac", ext="pdf")  # not a managed folder: never touched
    for name in (doc.file_path, pending.file_path, elsewhere.name):
        age_file(name, timedelta(days=90))
    age_file(at_grace.name, grace)
    age_file(over.name, grace + timedelta(seconds=1))
    age_file(over_pending.name, grace + timedelta(days=1))
    age_file(young.name, timedelta(minutes=1))

    deleted = storage.orphan_files_purge(now=NOW)
    assert sorted(deleted) == sorted([over.name, over_pending.name])
    for kept in (doc.file_path, pending.file_path, at_grace.name, young.name, elsewhere.name):
        assert storage.exists(kept), kept
    event = AuditEvent.objects.get(action="dossiers.orphan_files_purged")
    assert event.data["count"] == 2 and sorted(event.data["names"]) == sorted(deleted)
    assert storage.orphan_files_purge(now=NOW) == []
    assert AuditEvent.objects.filter(action="dossiers.orphan_files_purged").count() == 1


def test_the_nightly_tasks_run_the_purges(world, django_capture_on_commit_callbacks):
    from cchc.dossiers import tasks

    citizen = User.objects.create_user(username="congdan", password="x")
    row = online.pending_upload_store(user=citizen, form_token=online.new_form_token(), slot="other", name="x",
                                      uploaded_file=pdf())
    PendingUpload.objects.filter(pk=row.pk).update(created_at=datetime.now(tz=VN) - online.PENDING_TTL - timedelta(hours=1))
    orphan = storage.save_bytes(PDF_BYTES, folder="dossiers", ext="pdf")
    stamp = (datetime.now(tz=VN) - storage.ORPHAN_GRACE - timedelta(hours=1)).timestamp()
    os.utime(Path(settings.MEDIA_ROOT) / orphan.name, (stamp, stamp))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.purge_pending_uploads.call()["purged"] == 1
    assert tasks.purge_orphan_files.call()["deleted"] == 1
    assert not PendingUpload.objects.exists() and not storage.exists(row.file_path) and not storage.exists(orphan.name)
