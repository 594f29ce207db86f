"""Tệp của hồ sơ: uploaded and generated files written through Django's Storage API, tied to the transaction.

A file is written before the database row that names it (the row needs its sha256 and size), so a
rollback after the write would leave an orphan. Two mechanisms prevent that:

1. `files_atomic()` wraps a use case's transaction: every file written inside it (by `save_stream` /
   `save_bytes`) is deleted again when the block exits with an exception, i.e. when its rows roll back.
   Nested blocks hand their files to the enclosing block, so an outer failure removes them too.
2. Files written inside a plain `transaction.atomic()` of a caller that later rolls back are found by
   `orphan_files_purge()`: files under the managed folders older than a grace period that no row names.

Names are relative to the storage root (MEDIA_ROOT for the default FileSystemStorage), the same value
stored in `DossierDocument.file_path` / `ElectronicResult.file_path` / `PendingUpload.file_path`.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from cchc.core.errors import DomainError

MANAGED_FOLDERS = ("dossiers", "results", "pending")
ORPHAN_GRACE = timedelta(hours=6)
AUDIT_NAMES = 100  # names listed in the audit event; the count is always complete
log = logging.getLogger(__name__)
_written: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("cchc_files_written", default=None)


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    sha256: str


def new_name(folder: str, ext: str) -> str:
    now = timezone.now()
    return f"{folder}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{ext}"


def _track(name: str) -> None:
    written = _written.get()
    if written is not None:
        written.append(name)


def save_stream(uploaded_file, *, folder: str, ext: str, max_bytes: int) -> StoredFile:
    """Write an uploaded file (chunks) to storage under `folder`, ≤ `max_bytes`, computing its sha256."""
    digest = hashlib.sha256()
    size = 0
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks() if hasattr(uploaded_file, "chunks") else [uploaded_file.read()]:
        size += len(chunk)
        if size > max_bytes:
            raise DomainError(f"file: tệp quá lớn; tối đa {max_bytes // (1024 * 1024)} MB.", code="too_large", field="file")
        digest.update(chunk)
    uploaded_file.seek(0)
    name = default_storage.save(new_name(folder, ext), File(uploaded_file))
    _track(name)
    return StoredFile(name=name, size=size, sha256=digest.hexdigest())


def save_bytes(data: bytes, *, folder: str, ext: str) -> StoredFile:
    name = default_storage.save(new_name(folder, ext), ContentFile(data))
    _track(name)
    return StoredFile(name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def delete(name: str) -> None:
    if name:
        default_storage.delete(name)


def open_file(name: str):
    return default_storage.open(name, "rb")


def exists(name: str) -> bool:
    return bool(name) and default_storage.exists(name)


@contextmanager
def files_atomic() -> Iterator[None]:
    """`transaction.atomic()` whose files are deleted when it rolls back (see the module docstring)."""
    parent = _written.get()
    mine: list[str] = []
    token = _written.set(mine)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for name in mine:
            delete(name)
        raise
    finally:
        _written.reset(token)
    if parent is not None:
        parent.extend(mine)


def _referenced_names() -> set[str]:
    from .models import DossierDocument, ElectronicResult, PendingUpload

    names = set(DossierDocument.objects.exclude(file_path="").values_list("file_path", flat=True))
    names |= set(ElectronicResult.objects.values_list("file_path", flat=True))
    names |= set(PendingUpload.objects.values_list("file_path", flat=True))
    return names


def _walk(folder: str) -> Iterator[str]:
    if not default_storage.exists(folder):
        return
    dirs, files = default_storage.listdir(folder)
    for f in files:
        yield f"{folder}/{f}"
    for d in dirs:
        yield from _walk(f"{folder}/{d}")


def orphan_files_purge(*, older_than: timedelta = ORPHAN_GRACE, now=None) -> list[str]:
    """Dọn tệp mồ côi: delete files under the managed folders that no row names and that were last modified
    strictly more than `older_than` before `now` (a file exactly `older_than` old is kept).

    The grace period protects files of transactions still running. Returns the deleted names; audited
    ("dossiers.orphan_files_purged", count and the first names) and logged when anything was deleted. Run
    nightly by `cchc dossiers scheduler` (tasks.purge_orphan_files).
    """
    from cchc.core.audit import audit_record

    now = now or timezone.now()
    referenced = _referenced_names()
    deleted = []
    for folder in MANAGED_FOLDERS:
        for name in list(_walk(folder)):
            if name in referenced:
                continue
            try:
                modified = default_storage.get_modified_time(name)
            except (OSError, NotImplementedError):
                continue
            if now - modified > older_than:
                delete(name)
                deleted.append(name)
    if deleted:
        with transaction.atomic():
            audit_record(actor=None, action="dossiers.orphan_files_purged", object_type="dossiers.file", object_id="",
                         data={"count": len(deleted), "names": deleted[:AUDIT_NAMES],
                               "older_than_hours": older_than.total_seconds() / 3600})
    log.info("orphan_files_purge: %d tệp không hồ sơ nào dùng đã xoá", len(deleted))
    return deleted
