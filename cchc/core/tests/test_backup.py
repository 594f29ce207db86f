"""`cchc backup` / `cchc restore`: a populated instance round-trips into an empty database — every table's rows,
the dossier statistics, the audit chain (hash by hash) and the uploaded files byte for byte — and a refused
restore writes nothing."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from cchc.core import backup as bk
from cchc.core.errors import DomainError
from cchc.core.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _populate():
    from cchc.dossiers import services, storage
    from cchc.dossiers.tests.factories import applicant, make_world

    w = make_world()
    d1 = services.dossier_receive(actor=w["officer"], procedure=w["procedure"], unit=w["centre"], applicant=applicant())
    services.dossier_receive(actor=w["officer"], procedure=w["procedure"], unit=w["centre"],
                             applicant=applicant(name="Trần Thị Ánh Đào", id_number="079190000001"))
    with transaction.atomic(), storage.files_atomic():
        stored = storage.save_bytes(b"%PDF-1.7\n\x00\xff binary \xe1\xba\xa1 content\n%%EOF", folder="results", ext="pdf")
    # a permission through the user_permissions table: its content type id must be remapped on restore
    w["officer"].user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    return w, d1, stored


def _snapshot(media):
    from cchc.dossiers.selectors import dossier_statistics
    from cchc.units.models import Unit

    counts = {m._meta.label_lower: m._base_manager.count() for m in bk.dumped_models()}
    chain = list(AuditEvent.objects.order_by("stream", "seq").values_list("stream", "seq", "hash", "action", "object_id"))
    stats = list(dossier_statistics(units=list(Unit.objects.all()), date_from=date(2000, 1, 1), date_to=date(2100, 1, 1)))
    files = {p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()}
    return counts, chain, stats, files


def _wipe(media):
    """What a fresh `cchc migrate` leaves: no rows (the seeds of migrations do not matter, restore replaces
    them), content types renumbered, no files."""
    import shutil

    with transaction.atomic():
        for model in bk.dumped_models():
            model._base_manager.all()._raw_delete(connection.alias)
        # renumber one content type (and its permissions): restore must map ids by natural key, not copy them
        ct = ContentType.objects.get(app_label="core", model="auditevent")
        perms = list(Permission.objects.filter(content_type=ct).values_list("codename", "name"))
        ct.delete()
        ct = ContentType.objects.create(app_label="core", model="auditevent")
        for codename, name in perms:
            Permission.objects.create(content_type=ct, codename=codename, name=name)
    shutil.rmtree(media, ignore_errors=True)


def test_a_populated_instance_round_trips_tables_statistics_audit_chain_and_files(settings, tmp_path):
    from cchc.accounts.models import User
    from cchc.core.audit import audit_verify

    media = tmp_path / "media"
    w, d1, stored = _populate()
    before = _snapshot(media)
    assert before[0]["dossiers.dossier"] == 2 and len(before[1]) >= 2 and before[3]  # populated, with a file
    archive = tmp_path / "b.tar.gz"
    made = bk.backup(archive)
    assert made.rows == sum(before[0].values()) and made.files == len(before[3])

    _wipe(media)
    assert User.objects.count() == 0 and not media.exists()
    report = bk.restore(archive)

    after = _snapshot(media)
    assert report.audit["ok"] is True
    assert after[0] == {**before[0], "core.auditevent": before[0]["core.auditevent"] + 1}  # + the restore's own event
    restored = [ev for ev in after[1] if ev[3] == "core.restore"]
    assert [ev for ev in after[1] if ev[3] != "core.restore"] == before[1]  # the chain, stream by stream, hash by hash
    assert len(restored) == 1 and restored[0][1] == 1 + max((ev[1] for ev in before[1] if ev[0] == restored[0][0]), default=0)
    assert after[2] == before[2]  # statistics from the restored rows
    assert after[3] == before[3]  # files byte for byte
    assert audit_verify().ok
    officer = User.objects.get(username="motcua")
    assert officer.has_perm("core.view_auditevent")  # content type remapped through the permission
    # new rows get fresh ids after a restore (PostgreSQL sequences were reset)
    from cchc.dossiers import services
    from cchc.dossiers.tests.factories import applicant

    d3 = services.dossier_receive(actor=officer, procedure_code=w["procedure"].code, unit_code=w["centre"].code,
                                  applicant=applicant(name="Lê Văn Mới"))
    assert d3.pk > d1.pk


def test_restore_refuses_a_database_that_is_not_empty_and_writes_nothing(tmp_path):
    media = tmp_path / "media"
    _populate()
    archive = tmp_path / "b.tar.gz"
    bk.backup(archive)
    before = _snapshot(media)
    with pytest.raises(DomainError) as err:
        bk.restore(archive)
    assert err.value.code == "not_empty" and "người dùng" in err.value.message
    assert _snapshot(media) == before


def _rewrite(archive, out, change):
    """Copy the archive, passing each member's bytes through change(name, data) -> data."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for m in src.getmembers():
            data = change(m.name, src.extractfile(m).read())
            info = tarfile.TarInfo(m.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize("tamper, words", [
    ("row", "mã băm không khớp"),
    ("file", "mã băm không khớp"),
    ("traversal", "đường dẫn không hợp lệ"),
    ("migrations", "phiên bản không khớp"),
])
def test_a_damaged_or_foreign_archive_is_refused_before_anything_is_written(tmp_path, tamper, words):
    from cchc.accounts.models import User

    media = tmp_path / "media"
    _populate()
    archive = tmp_path / "b.tar.gz"
    bk.backup(archive)
    bad = tmp_path / "bad.tar.gz"

    def change(name, data):
        if tamper == "row" and name == "db/accounts.user.jsonl":
            return data.replace(b"motcua", b"motcuA")
        if tamper == "file" and name.startswith("files/"):
            return data[:-1] + b"!"
        if name == "manifest.json" and tamper in ("traversal", "migrations"):
            manifest = json.loads(data)
            if tamper == "traversal":
                manifest["files"][0]["name"] = "../../etc/evil"
            else:
                manifest["migrations"].append(["core", "9999_from_the_future"])
            return json.dumps(manifest).encode()
        return data

    _rewrite(archive, bad, change)
    _wipe(media)
    with pytest.raises(DomainError) as err:
        bk.restore(bad)
    assert words in err.value.message
    assert User.objects.count() == 0 and AuditEvent.objects.count() == 0
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    assert not (tmp_path / "etc").exists()


def test_cli_contract_json_and_errors(tmp_path, capsys):
    from cchc.cli import main

    _populate()
    assert main(["backup", "-o", str(tmp_path / "no" / "such" / "dir" / "b.tar.gz")]) == 2
    assert "-o" in capsys.readouterr().err
    assert main(["backup", "-o", str(tmp_path / "b.tar.gz"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(out) == {"file", "tables", "rows", "files", "file_bytes", "archive_bytes", "audit_events"}
    assert out["files"] == 1 and out["rows"] > 0
    assert main(["restore", str(tmp_path / "b.tar.gz"), "--json"]) == 2  # this database is not empty
    assert "không trống" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "missing.tar.gz")]) == 2
    not_tar = tmp_path / "x.tar.gz"
    not_tar.write_bytes(b"not an archive")
    assert main(["restore", str(not_tar)]) == 2
