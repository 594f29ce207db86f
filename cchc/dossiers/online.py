"""Nộp hồ sơ trực tuyến (online filing by citizens): where to file, files kept across a refused form, idempotent.

- The place is decided BEFORE the form: `filing_place` answers "which unit receives this publication for
  this citizen" with the one rule `cchc.catalog.selectors.procedure_offered_at` (online service required).
  Commune-level procedures are received at any commune of the province (Decree 118/2025/NĐ-CP); the
  citizen picks one (default: their commune of residence, `User.home_unit`).
- Files are kept: every file sent with the form is stored at once as a `PendingUpload` tied to the form's
  token, so a form sent back with an error keeps what was typed (re-rendered) and what was uploaded.
- One dossier per form: the form token is the idempotency key of `idempotency.idempotent_create`, the
  same code path as the API's Idempotency-Key; a double click returns the first dossier.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from cchc.core.errors import DomainError, ForbiddenError
from cchc.units.models import COMMUNE_KINDS

from . import services, storage
from .idempotency import idempotent_create
from .models import Dossier, DossierDocument, PendingUpload

log = logging.getLogger(__name__)
SCOPE = "portal_online_filing"
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
PENDING_TTL = timedelta(days=2)


def new_form_token() -> str:
    """Mã biểu mẫu: a random token rendered into each online form (idempotency key and pending-file group)."""
    return secrets.token_hex(16)


def clean_form_token(value) -> str:
    token = str(value or "").strip().lower()
    if not TOKEN_RE.match(token):
        raise DomainError("form_token: biểu mẫu không hợp lệ hoặc đã hết hạn; hãy tải lại trang.", code="invalid_token",
                          field="form_token")
    return token


# ---------------------------------------------------------------------------------------------- the place

def filing_place(*, pp, chosen=None, on_date=None):
    """(receiving unit, commune chosen or None) for an online filing of publication `pp`, or DomainError.

    `chosen` is the commune/ward the citizen picked (Unit or code) for a commune-level publication without
    a fixed desk. The receiving unit is that commune's one-stop desk (or the commune itself); for a
    province-level publication, its desk or the province's service centre. The unit must offer the
    procedure online on `on_date` (procedure_offered_at), else DomainError naming the field "noi_nop".
    """
    from cchc.catalog import selectors as catalog
    from cchc.units.models import Unit

    on_date = on_date or timezone.localdate()
    commune = None
    if catalog.publication_needs_place_choice(pp):
        if chosen in (None, ""):
            raise DomainError("noi_nop: hãy chọn xã, phường nơi nộp hồ sơ.", code="place_required", field="noi_nop")
        commune = chosen if isinstance(chosen, Unit) else Unit.objects.filter(code=str(chosen).strip()).first()
        if commune is None or commune.kind not in COMMUNE_KINDS or commune.province_unit != pp.province \
                or not commune.is_active:
            raise DomainError(
                f"noi_nop: “{chosen}” không phải xã, phường, đặc khu của {pp.province.name}.",
                code="unknown_place", field="noi_nop",
            )
        unit = catalog.receiving_desk(commune)
    else:
        unit = catalog.publication_fixed_desk(pp)
        if unit is None:
            raise DomainError(
                f"noi_nop: {pp.province.name} chưa có nơi tiếp nhận hồ sơ trực tuyến cho thủ tục này.",
                code="no_desk", field="noi_nop",
            )
    if catalog.procedure_offered_at(unit=unit, procedure=pp.procedure, on_date=on_date, online=True) is None:
        place = commune.name if commune is not None else unit.name
        raise DomainError(
            f"noi_nop: thủ tục {pp.procedure.code} không được tiếp nhận trực tuyến tại {place} vào ngày {on_date:%d/%m/%Y}.",
            code="not_offered_here", field="noi_nop",
        )
    return unit, commune


def default_commune(*, user, pp):
    """Nơi nộp mặc định: the citizen's commune of residence when it lies in the publication's province."""

    home = getattr(user, "home_unit", None)
    if home is not None and home.kind in COMMUNE_KINDS and home.province_unit == pp.province and home.is_active:
        return home
    return None


# ---------------------------------------------------------------------------------------------- pending files

def pending_uploads(*, user, form_token: str) -> list[PendingUpload]:
    return list(PendingUpload.objects.filter(user=user, form_token=form_token).order_by("id"))


def pending_upload_store(*, user, form_token: str, slot: str, name: str, uploaded_file, required_document_id=None) -> PendingUpload:
    """Keep one file of an online form (size ≤ MAX_UPLOAD_BYTES, type by content) under the form token.

    A new file for a checklist slot replaces the one kept before (its file is deleted after the commit).
    """
    ext, content_type = services.upload_check(uploaded_file, field="documents")
    label = getattr(uploaded_file, "name", "") or "tệp"
    replaced: list[str] = []
    with storage.files_atomic():
        stored = storage.save_stream(uploaded_file, folder="pending", ext=ext, max_bytes=services.MAX_UPLOAD_BYTES)
        if slot != PendingUpload.SLOT_OTHER:
            old = PendingUpload.objects.select_for_update().filter(user=user, form_token=form_token, slot=slot)
            replaced = list(old.values_list("file_path", flat=True))
            old.delete()
        row = PendingUpload.objects.create(
            user=user, form_token=form_token, slot=slot, required_document_id=required_document_id, name=name[:500],
            original_name=Path(label).name[:255], file_path=stored.name, content_type=content_type,
            size=stored.size, sha256=stored.sha256,
        )
        _delete_files_on_commit(replaced)
    return row


def _delete_files_on_commit(names) -> None:
    from django.db import transaction

    names = [n for n in names if n]
    if names:
        transaction.on_commit(lambda: [storage.delete(n) for n in names])


def pending_upload_remove(*, user, form_token: str, pk: int) -> None:
    from django.db import transaction

    with transaction.atomic():
        rows = PendingUpload.objects.select_for_update().filter(user=user, form_token=form_token, pk=pk)
        names = list(rows.values_list("file_path", flat=True))
        rows.delete()
        _delete_files_on_commit(names)


def pending_uploads_purge(*, older_than: timedelta = PENDING_TTL, now=None) -> int:
    """Dọn tệp chờ nộp: drop the files of online forms kept for longer than `older_than` (rows and files).

    Strictly older: a row created exactly `older_than` before `now` is kept. Audited
    ("dossiers.pending_uploads_purged", with the count and the cut-off) and logged when anything was purged;
    the files are deleted after the commit. Run nightly by `cchc dossiers scheduler` (tasks.purge_pending_uploads).
    """
    from django.db import transaction

    from cchc.core.audit import audit_record

    now = now or timezone.now()
    cutoff = now - older_than
    with transaction.atomic():
        rows = PendingUpload.objects.select_for_update().filter(created_at__lt=cutoff)
        found = list(rows.values_list("pk", "file_path", "size"))
        if found:
            PendingUpload.objects.filter(pk__in=[pk for pk, _, _ in found]).delete()
            audit_record(actor=None, action="dossiers.pending_uploads_purged", object_type="dossiers.pendingupload",
                         object_id="", data={"count": len(found), "bytes": sum(size for _, _, size in found),
                                             "created_before": cutoff.isoformat(),
                                             "older_than_hours": older_than.total_seconds() / 3600})
            _delete_files_on_commit([name for _, name, _ in found])
    log.info("pending_uploads_purge: %d tệp chờ nộp tạo trước %s đã xoá", len(found), cutoff.isoformat())
    return len(found)


# ---------------------------------------------------------------------------------------------- submit

def _form_hash(*, pp, unit) -> str:
    return hashlib.sha256(f"{pp.pk}:{unit.code}".encode()).hexdigest()


def online_filing_submit(*, user, pp, unit, applicant: dict, result_channel: str, form_token: str, checklist) -> tuple[Dossier, bool]:
    """Nộp hồ sơ trực tuyến from a form whose files are already kept; returns (dossier, replayed).

    Idempotent by the form token (the same `idempotent_create` as the API): a second POST of the same form
    returns the first dossier and creates nothing. Mandatory checklist lines must have a kept file
    (DomainError field "documents"); the dossier is filed by `services.dossier_submit_online` and each kept
    file becomes one of its documents in the same transaction.
    """
    if getattr(user, "pk", None) is None:
        raise ForbiddenError("Hãy đăng nhập để nộp hồ sơ trực tuyến.", code="login_required")
    form_token = clean_form_token(form_token)

    def create():
        kept = list(PendingUpload.objects.select_for_update().filter(user=user, form_token=form_token).order_by("id"))
        have = {p.required_document_id for p in kept if p.required_document_id}
        missing = [r.name for r in checklist if r.mandatory and r.pk not in have]
        if missing:
            raise DomainError("documents: chưa đính kèm thành phần bắt buộc: " + "; ".join(missing),
                              code="missing_documents", field="documents")
        d = services.dossier_submit_online(
            applicant_user=user, procedure=pp.procedure, unit=unit, applicant=applicant,
            result_channel=result_channel, documents=[],
        )
        d = Dossier.objects.select_for_update().get(pk=d.pk)
        for p in kept:
            services.document_record(
                dossier=d, kind=DossierDocument.KIND_INPUT, name=p.name, file_path=p.file_path,
                original_name=p.original_name, content_type=p.content_type, size=p.size, sha256=p.sha256, user=user,
                audit_data={"by": "applicant"}, required_document_id=p.required_document_id,
            )
        PendingUpload.objects.filter(pk__in=[p.pk for p in kept]).delete()
        return d, 201, {"code": d.code}

    outcome = idempotent_create(user=user, scope=SCOPE, key=form_token, request_hash=_form_hash(pp=pp, unit=unit),
                                create=create)
    if outcome.replayed:
        # files a twin request kept under the same token are not needed: the first dossier has its own
        from django.db import transaction

        with transaction.atomic():
            leftovers = PendingUpload.objects.select_for_update().filter(user=user, form_token=form_token)
            names = list(leftovers.values_list("file_path", flat=True))
            leftovers.delete()
            _delete_files_on_commit(names)
    return Dossier.objects.get(pk=outcome.dossier_id), outcome.replayed
