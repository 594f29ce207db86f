"""Phát hành văn bản: who signs a dossier's documents, what each printed when issued, and public apologies.

- `signatory_resolve` / `signature_for`: the signatory of an apology letter or an electronic result is a head
  of the issuing unit (selectors.unit_signatories), never the specialist who drafted it; no head recorded →
  a 409 naming what is missing, nothing printed.
- `document_snapshot`: at issue (receipt at intake/acceptance, supplement request, rejection, each apology)
  the form's fields are frozen in `IssuedDocument.content` with its number and time, inside the caller's
  transaction. `document_for_print` renders that snapshot (reprints marked "BẢN IN LẠI"), never the
  dossier's current state.
- `apology_publication_set`: a unit's choice to publish its apology letters on the public page, audited.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cchc.core.audit import audit_record
from cchc.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from cchc.units.models import ADMINISTRATIVE_KINDS

from .models import ApologyPublication, IssuedDocument
from .signatory import signature_block

COLLECTIVE_BODY = "Ủy ban nhân dân"
SNAPSHOT_KINDS = ("receipt", "supplement", "rejection", "apology")
WHAT = {"apology": "phiếu xin lỗi", "result": "kết quả điện tử"}


# ---------------------------------------------------------------------------------------------- signatory

def _user_label(user) -> str:
    return user.display_name() if hasattr(user, "display_name") else str(user)


def signatory_resolve(*, unit, chosen=None, what: str = "apology"):
    """The head (or deputy) of `unit` who signs; `chosen` (a User or username) must be one of them.

    Raises ConflictError 409 `no_signatory` when the unit has no head recorded (the message names the unit
    and what to record), DomainError 400 `signatory` when the chosen person is not one of its heads.
    """
    from cchc.accounts.models import Role

    from .selectors import unit_signatories

    heads = unit_signatories(unit)
    label = WHAT.get(what, what)
    if not heads:
        name = unit.name if unit is not None else "cơ quan giải quyết"
        raise ConflictError(
            f"Không lập được {label}: {name} chưa có người đứng đầu trên hệ thống (tài khoản vai trò "
            f"“{Role.UNIT_HEAD.label}” thuộc đơn vị này, có ghi chức vụ), nên không có người ký. Quản trị hệ thống cần "
            "khai báo người đứng đầu (và cấp phó được ký thay, nếu có); văn bản không được ký bằng tên chuyên viên.",
            code="no_signatory",
        )
    if chosen in (None, ""):
        return heads[0]
    key = chosen.pk if hasattr(chosen, "pk") else str(chosen)
    for head in heads:
        if head.pk == key or head.get_username() == key:
            return head
    names = ", ".join(f"{_user_label(h)} ({h.position or 'người đứng đầu'})" for h in heads)
    raise DomainError(
        f"signatory: người ký phải là người đứng đầu hoặc cấp phó của {unit.name} ({names}).",
        code="not_a_signatory", field="signatory",
    )


def signature_for(unit, user) -> dict:
    """The signature block (lines, name, mode) of `user` signing for `unit`, as a plain dict for templates."""
    collective = COLLECTIVE_BODY if unit is not None and unit.kind in ADMINISTRATIVE_KINDS else ""
    block = signature_block(signer_name=_user_label(user), signer_position=getattr(user, "position", ""),
                            collective_body=collective)
    return {"lines": list(block.lines), "name": block.name, "mode": block.mode, "username": user.get_username()}


# ---------------------------------------------------------------------------------------------- snapshots

_DATETIME_KEYS = {"issued_at", "received_at", "due_at", "new_due_at", "original_due_at", "sent_at", "done_at",
                  "previous_due_at"}


def _freeze(ctx: dict) -> dict:
    return json.loads(json.dumps(ctx, cls=DjangoJSONEncoder))


def _thaw(value, key: str = ""):
    if isinstance(value, dict):
        return {k: _thaw(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_thaw(v, key) for v in value]
    if key in _DATETIME_KEYS and isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return value


def document_number(dossier, kind: str, *, apology=None) -> str:
    from .documents import NUMBER_SUFFIX

    suffix = dossier.code.rsplit("-", 1)[-1] if dossier.code else ""
    if not suffix:
        return ""
    if kind == "apology" and apology is not None:
        n = dossier.apologies.filter(issued_at__lte=apology.issued_at).count()
        return f"{suffix}.{n:02d}/{NUMBER_SUFFIX[kind]}" if n > 1 else f"{suffix}/{NUMBER_SUFFIX[kind]}"
    return f"{suffix}/{NUMBER_SUFFIX[kind]}"


def document_snapshot(dossier, kind: str, *, actor=None, at=None, apology=None, extra: dict | None = None) -> IssuedDocument:
    """Freeze what a form prints now, at issue (call inside the issuing transaction)."""
    from .documents import dossier_form_context

    if kind not in SNAPSHOT_KINDS:
        raise ValueError(f"no snapshot for form kind {kind}")
    at = at or timezone.now()
    ctx = dossier_form_context(dossier, kind, issued_at=at, apology=apology, extra=extra)
    ctx["number"] = document_number(dossier, kind, apology=apology)
    ctx.pop("lookup_url", None)  # the site's address is added when printing
    return IssuedDocument.objects.create(
        dossier=dossier, kind=kind, number=ctx["number"], issued_at=at, apology=apology,
        issued_by=actor if getattr(actor, "pk", None) else None, content=_freeze(ctx),
    )


def issued_document(dossier, kind: str, *, doc_id=None) -> IssuedDocument | None:
    qs = dossier.issued_documents.filter(kind=kind)
    if doc_id not in (None, ""):
        try:
            return qs.get(pk=int(doc_id))
        except (ValueError, IssuedDocument.DoesNotExist):
            raise NotFoundError("Không có văn bản này trong hồ sơ.", code="not_found") from None
    return qs.order_by("-issued_at", "-id").first()


def document_for_print(dossier, kind: str, *, actor, lookup_url: str = "", doc_id=None) -> dict:
    """The context to print a form: the issue snapshot (each print counted and audited; every print after the
    first is marked "BẢN IN LẠI"), or, for a dossier issued before snapshots existed, the form rebuilt from the
    dossier with the values of its issue (the receipt's original appointment), marked as rebuilt."""
    from .documents import dossier_form_context

    doc = issued_document(dossier, kind, doc_id=doc_id)
    now = timezone.now()
    if doc is None:
        ctx = dossier_form_context(dossier, kind, lookup_url=lookup_url)
        if kind == "receipt" and dossier.original_due_at:
            ctx["dossier"]["due_at"] = dossier.original_due_at
        ctx["reprint"] = {"rebuilt": True, "printed_at": now}
        return ctx
    with transaction.atomic():
        IssuedDocument.objects.filter(pk=doc.pk).update(prints=F("prints") + 1, last_printed_at=now)
        doc.refresh_from_db(fields=["prints", "last_printed_at"])
        audit_record(actor=actor, action="dossier.document_print", obj=dossier, from_state=dossier.status,
                     to_state=dossier.status, data={"document": doc.pk, "kind": kind, "number": doc.number, "print": doc.prints})
    ctx = _thaw(doc.content)
    ctx["lookup_url"] = lookup_url
    if doc.prints > 1:
        ctx["reprint"] = {"rebuilt": False, "printed_at": now, "issued_at": doc.issued_at, "count": doc.prints}
    return ctx


# ---------------------------------------------------------------------------------------------- publication

def apology_publication_set(*, unit, enabled: bool, actor) -> ApologyPublication:
    """Công khai (or stop publishing) the unit's apology letters on the public page; only its head or the system
    admin; audited with before/after. Publishing covers letters issued from the moment it is switched on."""
    from cchc.accounts.models import Role
    from cchc.accounts.permissions import can

    allowed = getattr(actor, "is_superuser", False) or getattr(actor, "role", None) == Role.SYSTEM_ADMIN or (
        getattr(actor, "role", None) == Role.UNIT_HEAD and can(actor, "manage", unit))
    if not allowed:
        raise ForbiddenError(f"Chỉ người đứng đầu {unit.name} được quyết định công khai phiếu xin lỗi của đơn vị.",
                             code="forbidden")
    with transaction.atomic():
        ApologyPublication.objects.get_or_create(unit=unit)
        row = ApologyPublication.objects.select_for_update().get(unit=unit)
        before = row.enabled
        if bool(enabled) != before:
            row.enabled = bool(enabled)
            row.enabled_since = timezone.now() if enabled else None
        row.updated_by = actor if getattr(actor, "pk", None) else None
        row.save()
        audit_record(actor=actor, action="dossiers.apology_publication", object_type="units.unit", object_id=unit.code,
                     data={"before": before, "after": row.enabled})
    return row
