"""Sao lưu và khôi phục (backup and restore): `cchc backup -o FILE`, `cchc restore FILE`.

One archive holds the database and the uploaded files, consistent with each other, in a format that does not
depend on the database engine (a backup of SQLite restores into PostgreSQL and back):

    manifest.json                 format, versions, applied migrations, per-table row counts and sha256,
                                  content types, files (name, size, sha256), audit chain heads (one per stream)
    db/<app_label>.<model>.jsonl  first line {"fields": [column attnames]}, then one JSON array per row
    files/<storage name>          every file under MEDIA_ROOT

Consistency: every table is read inside one read-only transaction (REPEATABLE READ on PostgreSQL; on SQLite
in WAL mode a read transaction sees one snapshot), so rows that point at each other, the rollups and the
audit chain agree. Files are copied after the snapshot: a file written meanwhile is an extra (harmless, the
orphan purge removes it), and the dossier engine never deletes a file a committed row still names, except
the nightly purge of expired pending uploads — run backups outside the purge window (docs/deploy.md).

Restore goes into an empty database (only `cchc migrate` run on it: no user, no audit event, no unit) at the
same migration state as the backup; it loads every table in one transaction (foreign keys are checked at
commit on both engines), remaps content-type and permission ids by their natural keys, resets PostgreSQL
sequences, puts the files in place only after the database commit, then checks row counts, the audit chain
and every file's sha256 against the manifest. Nothing is half-written: a failure before the commit leaves the
database and MEDIA_ROOT as they were.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.duration import duration_iso_string

from .errors import DomainError

FORMAT = "cchc-backup"
VERSION = 1
# tables a backup leaves out: rebuilt by `migrate` (content types, permissions: remapped by natural key) or
# worthless after a restore (sessions)
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
BATCH = 2000


class BackupError(DomainError):
    """A backup or restore refused: the message names the file, table or rule."""

    def __init__(self, message: str, *, field: str = "file", code: str = "invalid"):
        super().__init__(message, field=field, code=code)


def dumped_models() -> list[type[models.Model]]:
    """Every concrete managed table (auto-created many-to-many tables included), in a stable order."""
    out = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.label_lower in SKIPPED:
            continue
        out.append(model)
    return sorted(out, key=lambda m: m._meta.label_lower)


def _columns(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


def _encode(value):
    """A column value as JSON; `_decode` with the field turns it back into the same Python value."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _applied_migrations() -> list[list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


# ------------------------------------------------------------------------------------------------- backup


@dataclass
class BackupReport:
    file: str
    tables: int = 0
    rows: int = 0
    files: int = 0
    file_bytes: int = 0
    archive_bytes: int = 0
    audit_events: int = 0

    def as_dict(self) -> dict:
        return {"file": self.file, "tables": self.tables, "rows": self.rows, "files": self.files,
                "file_bytes": self.file_bytes, "archive_bytes": self.archive_bytes, "audit_events": self.audit_events}


def backup(output: str | os.PathLike) -> BackupReport:
    """Write the archive to `output` (written beside it under a temporary name, renamed when complete)."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from .models import AuditChainHead

    out = Path(output)
    if out.is_dir():
        raise BackupError(f"-o {out}: là một thư mục, cần đường dẫn tệp", field="-o")
    if not out.parent.exists():
        raise BackupError(f"-o {out}: thư mục {out.parent} không tồn tại", field="-o")
    report = BackupReport(file=str(out))
    manifest: dict = {"format": FORMAT, "version": VERSION, "created_at": timezone.now().isoformat(),
                      "database": connection.vendor, "tables": {}, "files": []}
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".cchc-backup-") as tmp:
        tmpdir = Path(tmp)
        (tmpdir / "db").mkdir()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            manifest["migrations"] = _applied_migrations()
            if not manifest["migrations"]:
                raise BackupError("cơ sở dữ liệu chưa được khởi tạo (chưa chạy `cchc migrate`): không có gì để sao lưu",
                                  field="database", code="not_set_up")
            manifest["contenttypes"] = {str(ct.pk): [ct.app_label, ct.model] for ct in ContentType.objects.all()}
            manifest["permissions"] = {str(p.pk): [p.content_type.app_label, p.content_type.model, p.codename]
                                       for p in Permission.objects.select_related("content_type")}
            heads = {h.pk: h for h in AuditChainHead.objects.all()}
            head = heads.get(1)
            manifest["audit"] = {"last_seq": head.last_seq if head else 0, "last_hash": head.last_hash if head else "",
                                 "events": sum(h.last_seq for h in heads.values()),
                                 "streams": {str(n): [h.last_seq, h.last_hash] for n, h in sorted(heads.items())}}
            for model in dumped_models():
                label = model._meta.label_lower
                cols = _columns(model)
                path = tmpdir / "db" / f"{label}.jsonl"
                count = 0
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(json.dumps({"fields": [f.attname for f in cols]}) + "\n")
                    qs = model._base_manager.order_by("pk").values_list(*[f.attname for f in cols])
                    for row in qs.iterator(chunk_size=BATCH):
                        fh.write(json.dumps([_encode(v) for v in row], ensure_ascii=False) + "\n")
                        count += 1
                manifest["tables"][label] = {"rows": count, "sha256": _sha256_file(path)}
                report.tables += 1
                report.rows += count
        report.audit_events = manifest["audit"]["events"]
        media = _media_root()
        if media.exists():
            for root, dirs, names in os.walk(media):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".cchc-restore-"))
                for name in sorted(names):
                    p = Path(root) / name
                    if not p.is_file() or p.is_symlink():
                        continue
                    rel = p.relative_to(media).as_posix()
                    size = p.stat().st_size
                    manifest["files"].append({"name": rel, "size": size, "sha256": _sha256_file(p)})
                    report.files += 1
                    report.file_bytes += size
        partial = out.with_name(f".{out.name}.partial")
        with tarfile.open(partial, "w:gz", compresslevel=1) as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            for label in manifest["tables"]:
                tar.add(tmpdir / "db" / f"{label}.jsonl", arcname=f"db/{label}.jsonl")
            for entry in manifest["files"]:
                tar.add(media / entry["name"], arcname=f"files/{entry['name']}")
        os.replace(partial, out)
    report.archive_bytes = out.stat().st_size
    return report


# ------------------------------------------------------------------------------------------------ restore


@dataclass
class RestoreReport:
    file: str
    tables: int = 0
    rows: int = 0
    files: int = 0
    audit: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"file": self.file, "tables": self.tables, "rows": self.rows, "files": self.files, "audit": self.audit}


def _safe_member_name(name: str) -> str:
    p = PurePosixPath(name)
    if p.is_absolute() or ".." in p.parts or not p.parts:
        raise BackupError(f"tệp sao lưu chứa đường dẫn không hợp lệ: {name!r}")
    return p.as_posix()


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember("manifest.json")
    except KeyError:
        raise BackupError("không phải tệp sao lưu cchc: thiếu manifest.json") from None
    try:
        manifest = json.loads(tar.extractfile(member).read().decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"manifest.json hỏng: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("không phải tệp sao lưu cchc (format)")
    if manifest.get("version") != VERSION:
        raise BackupError(f"phiên bản sao lưu {manifest.get('version')} không được hỗ trợ (cần {VERSION})")
    return manifest


def _check_empty() -> None:
    from django.contrib.auth import get_user_model

    from .models import AuditEvent

    # core sits below every app: the user model through Django, the units table through the app registry
    counts = {"người dùng": get_user_model().objects.count(), "sự kiện nhật ký": AuditEvent.objects.count(),
              "đơn vị hành chính": apps.get_model("units", "Unit").objects.count()}
    held = [f"{n} {what}" for what, n in counts.items() if n]
    if held:
        raise BackupError(
            "cơ sở dữ liệu đích không trống (" + ", ".join(held) + "): chỉ khôi phục vào một cơ sở dữ liệu mới, "
            "mới chạy `cchc migrate`", field="database", code="not_empty")


def _check_migrations(manifest: dict) -> None:
    have = {tuple(x) for x in _applied_migrations()}
    want = {tuple(x) for x in manifest.get("migrations", [])}
    if have != want:
        newer = sorted(want - have)[:5]
        older = sorted(have - want)[:5]
        parts = []
        if newer:
            parts.append("bản sao lưu có migration mà mã nguồn này không có: " + ", ".join(".".join(m) for m in newer))
        if older:
            parts.append("mã nguồn có migration mà bản sao lưu chưa có: " + ", ".join(".".join(m) for m in older))
        raise BackupError("phiên bản không khớp — " + "; ".join(parts)
                          + ". Khôi phục bằng đúng phiên bản đã sao lưu, rồi chạy `cchc migrate`.",
                          field="migrations", code="version_mismatch")


def _id_maps(manifest: dict) -> tuple[dict[int, int], dict[int, int]]:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    ct_map, perm_map = {}, {}
    for old, (app_label, model) in manifest.get("contenttypes", {}).items():
        ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        ct_map[int(old)] = ct.pk
    perms = {(p.content_type.app_label, p.content_type.model, p.codename): p.pk
             for p in Permission.objects.select_related("content_type")}
    for old, key in manifest.get("permissions", {}).items():
        pk = perms.get(tuple(key))
        if pk is not None:
            perm_map[int(old)] = pk
    return ct_map, perm_map


def _decoder(fld: models.Field, ct_map: dict, perm_map: dict):
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    remote = fld.related_model if fld.is_relation else None
    if remote is ContentType:
        return lambda v: None if v is None else ct_map[v]
    if remote is Permission:
        return lambda v: None if v is None else perm_map[v]
    target = fld.target_field if fld.is_relation else fld
    if isinstance(target, models.JSONField):
        return lambda v: fld.get_db_prep_save(v, connection)
    return lambda v: None if v is None else fld.get_db_prep_save(target.to_python(v), connection)


def _lines(fh, h):
    """The decoded lines of a member, feeding the hash as they go (a table is never held whole in memory)."""
    for line in fh:
        h.update(line)
        yield line.decode("utf-8")


def _load_table(model, lines, ct_map, perm_map) -> int:
    header = json.loads(next(lines))
    by_attname = {f.attname: f for f in _columns(model)}
    names = header.get("fields", [])
    unknown = [n for n in names if n not in by_attname]
    if unknown:
        raise BackupError(f"bảng {model._meta.label_lower}: cột {', '.join(unknown)} không có trong mã nguồn này")
    fields = [by_attname[n] for n in names]
    decoders = [_decoder(f, ct_map, perm_map) for f in fields]
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    count, batch = 0, []
    with connection.cursor() as cur:
        for line in lines:
            row = json.loads(line)
            batch.append([dec(v) for dec, v in zip(decoders, row, strict=True)])
            if len(batch) >= BATCH:
                cur.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cur.executemany(sql, batch)
            count += len(batch)
    return count


def restore(archive: str | os.PathLike, *, actor=None) -> RestoreReport:
    from .audit import audit_record, audit_verify

    path = Path(archive)
    if not path.is_file():
        raise BackupError(f"{path}: không có tệp này")
    report = RestoreReport(file=str(path))
    try:
        tar = tarfile.open(path, "r:*")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path}: không đọc được tệp sao lưu ({exc})") from None
    media = _media_root()
    staging = media / f".cchc-restore-{uuid.uuid4().hex}"
    with tar:
        manifest = _read_manifest(tar)
        _check_migrations(manifest)
        _check_empty()
        by_label = {m._meta.label_lower: m for m in dumped_models()}
        missing = sorted(set(manifest["tables"]) - set(by_label))
        if missing:
            raise BackupError("bản sao lưu có bảng mà mã nguồn này không có: " + ", ".join(missing))
        # 1. files into a staging folder beside their place, each checked against the manifest
        wanted = {}
        for entry in manifest.get("files", []):
            wanted[_safe_member_name(entry["name"])] = entry
        try:
            for name, entry in wanted.items():
                try:
                    member = tar.getmember(f"files/{name}")
                except KeyError:
                    raise BackupError(f"tệp {name}: có trong manifest nhưng thiếu trong tệp sao lưu") from None
                if not member.isfile():
                    raise BackupError(f"tệp {name}: không phải tệp thường")
                dest = staging / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                h, size = hashlib.sha256(), 0
                with tar.extractfile(member) as src, open(dest, "wb") as fh:
                    for chunk in iter(lambda s=src: s.read(1 << 20), b""):
                        h.update(chunk)
                        size += len(chunk)
                        fh.write(chunk)
                if h.hexdigest() != entry["sha256"] or size != entry["size"]:
                    raise BackupError(f"tệp {name}: mã băm không khớp với manifest (tệp sao lưu hỏng)")
                final = media / name
                if final.exists() and _sha256_file(final) != entry["sha256"]:
                    raise BackupError(f"tệp {name} đã có trong thư mục tệp với nội dung khác", field="media", code="not_empty")
            # 2. the database, in one transaction
            with transaction.atomic():
                ct_map, perm_map = _id_maps(manifest)
                for model in by_label.values():  # rows seeded by migrations go: the backup has them
                    model._base_manager.all()._raw_delete(connection.alias)
                for label, info in manifest["tables"].items():
                    try:
                        member = tar.extractfile(f"db/{label}.jsonl")
                    except KeyError:
                        raise BackupError(f"bảng {label}: thiếu trong tệp sao lưu") from None
                    h = hashlib.sha256()
                    n = _load_table(by_label[label], _lines(member, h), ct_map, perm_map)
                    if h.hexdigest() != info["sha256"]:
                        raise BackupError(f"bảng {label}: mã băm không khớp với manifest (tệp sao lưu hỏng)")
                    if n != info["rows"]:
                        raise BackupError(f"bảng {label}: {n} dòng, manifest ghi {info['rows']}")
                    report.tables += 1
                    report.rows += n
                if connection.vendor == "postgresql":
                    with connection.cursor() as cur:
                        for stmt in connection.ops.sequence_reset_sql(no_style(), list(by_label.values())):
                            cur.execute(stmt)
                verdict = audit_verify()
                if not verdict.ok:
                    raise BackupError(f"chuỗi nhật ký sau khôi phục không hợp lệ tại #{verdict.first_bad_seq}: "
                                      f"{verdict.problem} (khóa AUDIT_KEY khác với máy đã sao lưu?)",
                                      field="audit", code="audit_broken")
                audit_record(actor=actor, action="core.restore", object_type="backup", object_id=path.name[:100],
                             data={"tables": report.tables, "rows": report.rows, "files": len(wanted),
                                   "created_at": manifest.get("created_at"), "database": manifest.get("database")})
            # 3. files into place only after the commit
            for name in wanted:
                final = media / name
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / name, final)
                report.files += 1
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    verdict = audit_verify()
    report.audit = {"ok": verdict.ok, "checked": verdict.checked}
    return report
