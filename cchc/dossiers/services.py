"""Dossier services (writes). One transaction per use case, the row locked, the audit event inside.

Public functions (stable names, keyword-only):
- dossier_receive(...)            tiếp nhận at the desk (counter / post / online entered by staff): clock starts
- dossier_submit_online(...)      nộp trực tuyến: waits for the desk (chờ tiếp nhận), no clock yet
- dossier_transition(...)         any workflow action by name (accept, assign, handover, request_supplement,
                                  supply, pause, resume, apologise, complete, return, return_late, reject, withdraw)
- dossier_accept / dossier_assign / dossier_handover / dossier_request_supplement / dossier_supply /
  dossier_pause / dossier_resume / dossier_apologise / dossier_complete / dossier_return / dossier_reject /
  dossier_withdraw                thin named wrappers over dossier_transition
- dossier_record_payment(...)     phí, lệ phí paid / exempt
- dossier_attach_document(...)    upload a file (size/type checked by content, sha256, uuid name)
- electronic_result_record(...)   register an (e-signed) result file (used by results.py)
- dossier_rate(...)               citizen's rating after return (public, token)
- dossiers_watch(...)             flag due-today / overdue / late steps, queue notifications
- notifications_send_pending(...) send the outbox through the `channels` registry
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cchc.accounts.permissions import can
from cchc.calendar.services import calendar_for
from cchc.calendar.workdays import UNITS as COMPUTABLE_TIME_UNITS
from cchc.catalog.selectors import checklist_in_force, checklist_items
from cchc.core.audit import audit_record
from cchc.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError

from . import rollups, storage
from . import workflow as wf
from .models import (
    PAYMENT_RECORDABLE,
    ApologyLetter,
    ApplicantKind,
    Channel,
    Dossier,
    DossierCounter,
    DossierDocument,
    DossierPause,
    DossierRating,
    DossierStep,
    ElectronicResult,
    Notification,
    NotificationStatus,
    PauseKind,
    PaymentStatus,
    ResultChannel,
)
from .selectors import is_settled_late, step_finished_on_time
from .signals import dossier_changed

LOCAL_TZ = ZoneInfo(getattr(settings, "TIME_ZONE", "Asia/Ho_Chi_Minh"))
TOKEN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed without confusion
TOKEN_LENGTH = 10
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_UPLOAD_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "tif": "image/tiff",
}
CLOCK_SKEW = timedelta(minutes=2)
# Limits on what a person may write (docs/security_review.md, "Limits"): refused with a 400 naming the field,
# never cut silently — a reason is written into the audit chain and printed on the letters.
MAX_REASON_LENGTH = 2000  # lý do (reject, supplement, pause, apology, withdraw …)
MAX_NOTE_LENGTH = 2000  # ghi chú of a step
MAX_TASK_LENGTH = 255  # nội dung công việc of a step (the column holds 255)
MAX_DOCUMENTS_PER_INTAKE = 100  # thành phần hồ sơ received at once (the longest checklist has ~40 lines)
MAX_APOLOGY_POSTPONE_DAYS = 180  # new promised date ≤ 180 calendar days after the current one (or the letter, if later)


# ---------------------------------------------------------------------------------------------- helpers

def get_calendar(province):
    """The province's working calendar (cchc.calendar.services.calendar_for)."""
    return calendar_for(province)


def calendar_stamp(cal) -> str:
    """Which calendar produced a due time (stored on the dossier with the procedure version)."""
    for attr in ("fingerprint", "stamp", "version"):
        value = getattr(cal, attr, None)
        if value is not None:
            value = value() if callable(value) else value
            return str(value)[:80]
    return type(cal).__name__


def local_date(t: datetime) -> date:
    return timezone.localtime(t, LOCAL_TZ).date()


def as_aware(value, *, field: str) -> datetime:
    """Parse an ISO 8601 string or datetime; naive values are local (Asia/Ho_Chi_Minh) time."""
    if isinstance(value, datetime):
        t = value
    elif isinstance(value, str) and value.strip():
        try:
            t = parse_datetime(value.strip())
        except ValueError:
            t = None
        if t is None:
            try:
                d = date.fromisoformat(value.strip())
            except ValueError:
                raise DomainError(
                    f"{field}: thời điểm không hợp lệ, dùng định dạng ISO 8601 (vd. 2026-03-02T09:00:00+07:00).",
                    code="invalid_datetime", field=field,
                ) from None
            t = datetime(d.year, d.month, d.day)
    else:
        raise DomainError(f"{field}: thiếu thời điểm.", code="required", field=field)
    if timezone.is_naive(t):
        t = t.replace(tzinfo=LOCAL_TZ)
    return t


def _new_token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


def _agency_id(unit) -> str:
    return (unit.agency_id or unit.code).strip()


def next_dossier_code(*, unit, day: date) -> str:
    """Mã hồ sơ `{mã định danh cơ quan}-{yymmdd}-{số thứ tự 4 chữ số}` from a locked counter row.

    Must run inside the caller's transaction. The counter row is created without a race
    (INSERT ... ON CONFLICT DO NOTHING) and then locked with select_for_update.
    """
    agency = _agency_id(unit)
    DossierCounter.objects.bulk_create([DossierCounter(agency_id=agency, day=day, last_seq=0)], ignore_conflicts=True)
    counter = DossierCounter.objects.select_for_update().get(agency_id=agency, day=day)
    counter.last_seq += 1
    counter.save(update_fields=["last_seq"])
    return f"{agency}-{day:%y%m%d}-{counter.last_seq:04d}"


def unit_level(unit) -> str:
    """'commune' for a commune/ward or a desk under one; 'province' otherwise (one rule: units.selectors)."""
    from cchc.units.selectors import unit_level as _unit_level

    return _unit_level(unit)



def published_procedure_for(*, unit, procedure, on_date: date, online: bool = False):
    """The publication row that applies at `unit` on `on_date`, or None: the one rule,
    cchc.catalog.selectors.procedure_offered_at (kept under this name for callers in this app)."""
    from cchc.catalog.selectors import procedure_offered_at

    return procedure_offered_at(unit=unit, procedure=procedure, on_date=on_date, online=online)


def default_handling_unit(*, unit, pp):
    """Cơ quan giải quyết when a dossier is received: for a commune-level dossier, the commune (UBND xã) that
    received it (Decree 118/2025: received and settled regardless of boundary); else the publication's
    handling unit; None means the receiving unit itself."""
    from cchc.units.selectors import commune_of

    commune = commune_of(unit)
    if commune is not None and (pp.level or "commune") == "commune":
        return commune
    return pp.handling_unit


def _validate_applicant(applicant) -> dict:
    if not isinstance(applicant, dict):
        raise DomainError("applicant: phải là một đối tượng (name, kind, id_number, ...).", code="invalid", field="applicant")
    name = str(applicant.get("name") or "").strip()
    if not name:
        raise DomainError("applicant.name: bắt buộc nhập họ tên / tên tổ chức người nộp.", code="required", field="applicant.name")
    if len(name) > 255:
        raise DomainError("applicant.name: tối đa 255 ký tự.", code="max_length", field="applicant.name")
    kind = str(applicant.get("kind") or ApplicantKind.PERSON).strip()
    if kind not in ApplicantKind.values:
        raise DomainError("applicant.kind: chỉ nhận 'person' (cá nhân) hoặc 'organisation' (tổ chức).", code="invalid_choice", field="applicant.kind")
    id_number = str(applicant.get("id_number") or "").strip().replace(" ", "")
    if id_number:
        digits = id_number.replace("-", "")
        if kind == ApplicantKind.PERSON:
            if not re.fullmatch(r"\d{9}|\d{12}|[A-Z]\d{7,8}", id_number.upper()):
                raise DomainError(
                    "applicant.id_number: số định danh cá nhân gồm 12 chữ số (CMND cũ 9 chữ số, hộ chiếu 1 chữ cái + 7–8 chữ số).",
                    code="invalid_id_number", field="applicant.id_number",
                )
        elif not re.fullmatch(r"\d{10}(-?\d{3})?", id_number) or len(digits) not in (10, 13):
            raise DomainError(
                "applicant.id_number: mã số doanh nghiệp/tổ chức gồm 10 chữ số (hoặc 10-3 chữ số cho chi nhánh).",
                code="invalid_id_number", field="applicant.id_number",
            )
    phone = re.sub(r"[\s.\-()]", "", str(applicant.get("phone") or ""))
    if phone and not re.fullmatch(r"(\+84|0)\d{8,10}", phone):
        raise DomainError("applicant.phone: số điện thoại không hợp lệ (vd. 0912345678 hoặc +84912345678).", code="invalid_phone", field="applicant.phone")
    email = str(applicant.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            raise DomainError("applicant.email: địa chỉ thư điện tử không hợp lệ.", code="invalid_email", field="applicant.email") from None
    address = str(applicant.get("address") or "").strip()
    if len(address) > 500:
        raise DomainError("applicant.address: tối đa 500 ký tự.", code="max_length", field="applicant.address")
    return {
        "applicant_kind": kind, "applicant_name": name, "applicant_id_number": id_number,
        "applicant_phone": phone, "applicant_email": email, "applicant_address": address,
    }


def _resolve_unit(unit=None, unit_code: str | None = None, *, field: str = "unit_code"):
    from cchc.units.models import Unit

    if unit is not None:
        return unit
    code = str(unit_code or "").strip()
    if not code:
        raise DomainError(f"{field}: bắt buộc nhập mã đơn vị.", code="required", field=field)
    found = Unit.objects.filter(code=code).first()
    if found is None:
        raise DomainError(f"{field}: không có đơn vị mã “{code}”.", code="unknown_unit", field=field)
    return found


def _resolve_procedure(procedure=None, procedure_code: str | None = None):
    from cchc.catalog.models import Procedure

    if procedure is not None:
        return procedure
    code = str(procedure_code or "").strip()
    if not code:
        raise DomainError("procedure_code: bắt buộc nhập mã thủ tục.", code="required", field="procedure_code")
    found = Procedure.objects.filter(code=code).first()
    if found is None:
        raise DomainError(f"procedure_code: không có thủ tục mã “{code}” trong danh mục.", code="unknown_procedure", field="procedure_code")
    return found


def _choice(value, choices, *, field: str, default=None) -> str:
    if value in (None, ""):
        if default is None:
            raise DomainError(f"{field}: bắt buộc chọn một trong {', '.join(choices)}.", code="required", field=field)
        return default
    if value not in choices:
        raise DomainError(f"{field}: chỉ nhận một trong {', '.join(choices)}.", code="invalid_choice", field=field)
    return value


def _set_due(dossier: Dossier, due_at: datetime) -> None:
    dossier.due_at = due_at
    dossier.due_date = local_date(due_at)


def clock_time_unit(unit: str) -> str:
    """Đơn vị thời hạn tính được hạn: `unit` itself when the calendar computes it (cchc.calendar.workdays.UNITS:
    working days, working hours, same day, calendar days, months), else ConflictError naming `time_unit`.

    The one time-unit rule of the engine: intake (`_start_clock`) and the demo generator use it; there is no
    fallback to working days (a 2-month procedure is never due in 2 working days).
    """
    if unit not in COMPUTABLE_TIME_UNITS:
        raise ConflictError(
            f"time_unit: thủ tục công bố với đơn vị thời hạn “{unit}” không tính được hạn; "
            "đề nghị công bố lại thủ tục với đơn vị hợp lệ.", code="invalid_time_unit", field="time_unit")
    return unit


def _start_clock(dossier: Dossier, pp, at: datetime) -> None:
    """Start the clock: counted_from and due_at by the calendar rule of the published unit (no fallback).

    A published version whose unit the calendar cannot compute (only possible for rows written before
    publication refused such units) is refused with 409 naming `time_unit`: a wrong due date is worse.
    """
    cal = get_calendar(dossier.province)
    unit = clock_time_unit(pp.time_unit)
    dossier.received_at = at
    dossier.counted_from = cal.counted_from(at)
    due = cal.due(at, pp.time_value, unit)
    _set_due(dossier, due)
    dossier.original_due_at = due
    dossier.time_value = pp.time_value
    dossier.time_unit = unit
    dossier.calendar_stamp = calendar_stamp(cal)


def _record_documents(dossier: Dossier, names, actor) -> list[str]:
    """Paper documents received, by name; returns the mandatory checklist lines not received.

    Names are matched (case-insensitively) against the lines of `dossier.checklist`, the version in force
    when the dossier was filed, so each received document keeps its link to that version's row.
    """
    if names in (None, ""):
        names = []
    if not isinstance(names, (list, tuple)):
        raise DomainError("documents: phải là danh sách tên thành phần hồ sơ.", code="invalid", field="documents")
    if len(names) > MAX_DOCUMENTS_PER_INTAKE:
        raise DomainError(f"documents: tối đa {MAX_DOCUMENTS_PER_INTAKE} thành phần hồ sơ trong một lần tiếp nhận "
                          f"(gửi {len(names)}).", code="too_many", field="documents")
    checklist = checklist_items(checklist=dossier.checklist_id)
    by_name = {r.name.strip().casefold(): r for r in checklist}
    rows = []
    received = set()
    for raw in names:
        name = str(raw.get("name") if isinstance(raw, dict) else raw or "").strip()
        if not name:
            raise DomainError("documents: tên thành phần hồ sơ không được để trống.", code="invalid", field="documents")
        req = by_name.get(name.casefold())
        if req:
            received.add(req.pk)
        rows.append(DossierDocument(dossier=dossier, required_document=req, name=name[:500], uploaded_by=actor if getattr(actor, "pk", None) else None))
    DossierDocument.objects.bulk_create(rows)
    return [r.name for r in checklist if r.mandatory and r.pk not in received]


def processing_units(dossier: Dossier) -> list:
    """Đơn vị được xử lý hồ sơ: the receiving unit and the handling unit (for a commune dossier stored
    without one, the commune that received it: default_handling_unit)."""
    units = [dossier.unit]
    handling = dossier.handling_unit if dossier.handling_unit_id else None
    if handling is None and dossier.province_procedure_id:
        handling = default_handling_unit(unit=dossier.unit, pp=dossier.province_procedure)
    if handling is not None and handling.pk != dossier.unit_id:
        units.append(handling)
    return units


def can_process_dossier(actor, dossier: Dossier) -> bool:
    """May `actor` work on this dossier ("process" at its receiving or handling unit)? Pages, API and services."""
    return any(can(actor, "process", unit) for unit in processing_units(dossier))


def _check_process_permission(actor, dossier: Dossier) -> None:
    if not can_process_dossier(actor, dossier):
        raise ForbiddenError("Bạn không có quyền xử lý hồ sơ này.", code="forbidden")


# ---------------------------------------------------------------------------------------------- intake

def _create(*, unit, procedure, channel, applicant, actor, at, status, result_channel, documents, payment,
            applicant_user=None, received_at_given: bool = False) -> tuple[Dossier, list[str]]:
    fields = _validate_applicant(applicant)
    channel = _choice(channel, Channel.values, field="channel")
    result_channel = _choice(result_channel, ResultChannel.values, field="result_channel",
                             default=ResultChannel.ONLINE if channel == Channel.ONLINE else ResultChannel.COUNTER)
    on_date = local_date(at)
    pp = published_procedure_for(unit=unit, procedure=procedure, on_date=on_date)
    if pp is None:
        from cchc.catalog.models import ProvinceProcedure

        later = ProvinceProcedure.objects.filter(province=unit.province_unit, procedure=procedure, effective_from__gt=on_date).exists()
        if received_at_given and later:
            raise DomainError(
                f"received_at: ngày tiếp nhận {on_date:%d/%m/%Y} trước ngày thủ tục được công bố áp dụng.",
                code="before_publication", field="received_at",
            )
        raise DomainError(
            f"procedure_code: thủ tục {procedure.code} chưa được công bố áp dụng tại {unit.name} vào ngày {on_date:%d/%m/%Y}.",
            code="not_published", field="procedure_code",
        )
    if status == wf.WAITING_ACCEPTANCE and pp.online_level == "none":
        raise DomainError(
            f"channel: thủ tục {procedure.code} không cung cấp dịch vụ công trực tuyến tại đơn vị này.",
            code="channel_not_offered", field="channel",
        )
    dossier = Dossier(
        code=next_dossier_code(unit=unit, day=on_date), lookup_token=_new_token(), status=status,
        procedure=procedure, province_procedure=pp, unit=unit, province=unit.province_unit,
        handling_unit=default_handling_unit(unit=unit, pp=pp), channel=channel, result_channel=result_channel,
        fee_amount=pp.fee_amount, payment_status=PaymentStatus.UNPAID if pp.fee_amount else PaymentStatus.NOT_REQUIRED,
        applicant_user=applicant_user, created_by=actor if getattr(actor, "pk", None) else None,
        updated_by=actor if getattr(actor, "pk", None) else None,
        checklist=checklist_in_force(procedure=procedure, on_date=on_date), **fields,
    )
    if status == wf.WAITING_ACCEPTANCE:
        dossier.submitted_at = at
    else:
        _start_clock(dossier, pp, at)
    if payment:
        _apply_payment(dossier, payment, at)
    dossier.save()
    rollups.sync(dossier)
    missing = _record_documents(dossier, documents, actor)
    return dossier, missing


def dossier_receive(
    *,
    actor,
    procedure_code: str | None = None,
    unit_code: str | None = None,
    procedure=None,
    unit=None,
    channel: str = Channel.COUNTER,
    applicant: dict,
    received_at=None,
    result_channel: str | None = None,
    documents=None,
    payment: dict | None = None,
    now: datetime | None = None,
) -> Dossier:
    """Tiếp nhận hồ sơ (status RECEIVED): code, lookup token and due time from the calendar rule.

    `received_at` (paper dossiers entered later) may not be in the future nor before the procedure's
    publication at that unit. Raises DomainError (400) naming the field, ForbiddenError (403) when the
    actor may not "process" at the unit. The returned dossier has `missing_documents` (mandatory
    checklist lines not received) as a plain attribute.
    """
    now = now or timezone.now()
    unit = _resolve_unit(unit, unit_code)
    if not can(actor, "process", unit):
        raise ForbiddenError(f"Bạn không có quyền tiếp nhận hồ sơ tại {unit.name}.", code="forbidden")
    procedure = _resolve_procedure(procedure, procedure_code)
    given = received_at not in (None, "")
    at = as_aware(received_at, field="received_at") if given else now
    if at > now + CLOCK_SKEW:
        raise DomainError("received_at: thời điểm tiếp nhận không được ở tương lai.", code="in_future", field="received_at")
    with transaction.atomic():
        dossier, missing = _create(
            unit=unit, procedure=procedure, channel=channel, applicant=applicant, actor=actor, at=at,
            status=wf.RECEIVED, result_channel=result_channel, documents=documents, payment=payment,
            received_at_given=given,
        )
        audit_record(
            actor=actor, action="dossier.receive", obj=dossier, from_state="", to_state=dossier.status,
            data={"procedure": procedure.code, "unit": unit.code, "channel": dossier.channel,
                  "received_at": dossier.received_at, "due_at": dossier.due_at,
                  "province_procedure": dossier.province_procedure_id, "calendar": dossier.calendar_stamp},
        )
        from .issuance import document_snapshot

        document_snapshot(dossier, "receipt", actor=actor, at=dossier.received_at)
        dossier_changed.send(sender=Dossier, dossier=dossier, action="receive", from_state="", to_state=dossier.status,
                             at=dossier.received_at, actor=actor)
    dossier.missing_documents = missing
    return dossier


def dossier_submit_online(
    *,
    applicant_user=None,
    procedure_code: str | None = None,
    unit_code: str | None = None,
    procedure=None,
    unit=None,
    applicant: dict,
    result_channel: str | None = None,
    documents=None,
    now: datetime | None = None,
) -> Dossier:
    """Nộp hồ sơ trực tuyến: status WAITING_ACCEPTANCE (chờ tiếp nhận); the clock starts at `accept`."""
    now = now or timezone.now()
    unit = _resolve_unit(unit, unit_code)
    procedure = _resolve_procedure(procedure, procedure_code)
    with transaction.atomic():
        dossier, missing = _create(
            unit=unit, procedure=procedure, channel=Channel.ONLINE, applicant=applicant, actor=applicant_user, at=now,
            status=wf.WAITING_ACCEPTANCE, result_channel=result_channel, documents=documents, payment=None,
            applicant_user=applicant_user,
        )
        audit_record(actor=applicant_user, action="dossier.submit_online", obj=dossier, to_state=dossier.status,
                     data={"procedure": procedure.code, "unit": unit.code})
    dossier.missing_documents = missing
    return dossier


# ---------------------------------------------------------------------------------------------- transitions

def _lock(dossier_or_code) -> Dossier:
    code = dossier_or_code.code if isinstance(dossier_or_code, Dossier) else str(dossier_or_code)
    found = Dossier.objects.select_for_update().filter(code=code).first()
    if found is None:
        raise NotFoundError(f"Không tìm thấy hồ sơ {code}.", code="not_found")
    return found


def _check_version(dossier: Dossier, version) -> None:
    if version is None:
        return
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise DomainError("version: phải là số nguyên (phiên bản hồ sơ đã đọc).", code="invalid", field="version") from None
    if version != dossier.version:
        who = dossier.updated_by.get_username() if dossier.updated_by_id else "hệ thống"
        when = timezone.localtime(dossier.updated_at, LOCAL_TZ).strftime("%H:%M:%S %d/%m/%Y") if dossier.updated_at else ""
        raise ConflictError(
            f"Hồ sơ {dossier.code} vừa được {who} cập nhật lúc {when} (phiên bản {dossier.version}, "
            f"bạn gửi phiên bản {version}). Hãy tải lại hồ sơ rồi thao tác lại.",
            code="stale_version",
            extra={"current_version": dossier.version, "updated_by": who, "updated_at": dossier.updated_at.isoformat() if dossier.updated_at else None},
        )


def _open_pause(dossier: Dossier) -> DossierPause | None:
    return dossier.pauses.filter(ended_at__isnull=True).order_by("-started_at").first()


def _open_step(dossier: Dossier) -> DossierStep | None:
    return dossier.steps.filter(finished_at__isnull=True).order_by("-seq").first()


def _finish_step(dossier: Dossier, at: datetime) -> DossierStep | None:
    step = _open_step(dossier)
    if step is not None:
        step.finished_at = at
        step.on_time = step_finished_on_time(at, step.due_at)
        step.save(update_fields=["finished_at", "on_time"])
    return step


def _end_pause(dossier: Dossier, actor, at: datetime) -> dict:
    pause = _open_pause(dossier)
    if pause is None:
        return {}
    cal = get_calendar(dossier.province)
    seconds = cal.working_seconds_between(pause.started_at, at) if at > pause.started_at else 0
    pause.ended_at = at
    pause.ended_by = actor if getattr(actor, "pk", None) else None
    pause.working_seconds = seconds
    pause.due_before = dossier.due_at
    if dossier.due_at is not None and seconds:
        _set_due(dossier, cal.add_working_seconds(dossier.due_at, seconds))
        step = _open_step(dossier)
        if step is not None:
            step.due_at = cal.add_working_seconds(step.due_at, seconds)
            step.save(update_fields=["due_at"])
    pause.due_after = dossier.due_at
    pause.save()
    dossier.paused_since = None
    return {"paused_working_seconds": seconds, "due_before": pause.due_before, "due_after": pause.due_after}


def _resolve_user(value, *, field: str):
    from cchc.accounts.models import User

    if value in (None, ""):
        return None
    if isinstance(value, User):
        return value
    user = User.objects.filter(username=str(value)).first()
    if user is None and str(value).isdigit():
        user = User.objects.filter(pk=int(value)).first()
    if user is None:
        raise DomainError(f"{field}: không có cán bộ “{value}”.", code="unknown_user", field=field)
    return user


def _decimal(value, *, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(f"{field}: phải là số.", code="invalid", field=field) from None
    if d <= 0 or d > 1000:
        raise DomainError(f"{field}: phải lớn hơn 0 và không quá 1000.", code="out_of_range", field=field)
    return d


def _check_length(text: str, limit: int, field: str) -> None:
    if len(text) > limit:
        raise DomainError(f"{field}: tối đa {limit:_} ký tự (đã nhập {len(text):_}).".replace("_", "."),
                          code="max_length", field=field)


def _check_handling_unit(dossier: Dossier, unit) -> None:
    """Cơ quan giải quyết: an active, current unit of the dossier's own province (the province itself, its
    departments, centre, communes and their desks). A unit of another province, a unit merged away
    (old province, district, old commune) or one no longer active cannot receive the dossier."""
    from cchc.units.models import HISTORICAL_KINDS

    province_id = unit.pk if unit.province_id is None else unit.province_id
    if province_id != dossier.province_id:
        raise DomainError(
            f"handling_unit_code: {unit.name} ({unit.code}) không thuộc {dossier.province.name}; "
            "chỉ chuyển hồ sơ cho cơ quan, đơn vị trong tỉnh nơi hồ sơ được tiếp nhận.",
            code="handling_unit_other_province", field="handling_unit_code",
        )
    if unit.kind in HISTORICAL_KINDS or not unit.is_active:
        raise DomainError(
            f"handling_unit_code: {unit.name} ({unit.code}) không còn hoạt động (đơn vị trước sắp xếp hoặc đã ngừng); "
            "chọn đơn vị hiện hành.",
            code="handling_unit_inactive", field="handling_unit_code",
        )


def _new_step(dossier: Dossier, *, actor, at: datetime, params: dict) -> DossierStep:
    handling_unit = None
    if params.get("handling_unit") is not None or params.get("handling_unit_code"):
        handling_unit = _resolve_unit(params.get("handling_unit"), params.get("handling_unit_code"), field="handling_unit_code")
        _check_handling_unit(dossier, handling_unit)
    if handling_unit is None:
        # no unit chosen: the current handling unit; for a commune dossier without one, the commune that
        # received it (its specialists may process there), never the one-stop desk itself
        handling_unit = dossier.handling_unit or default_handling_unit(unit=dossier.unit, pp=dossier.province_procedure) \
            or dossier.unit
    assignee = _resolve_user(params.get("assignee"), field="assignee")
    if assignee is not None and not can(assignee, "process", handling_unit):
        raise DomainError(
            f"assignee: cán bộ {assignee.get_username()} không có quyền xử lý hồ sơ tại {handling_unit.name}.",
            code="assignee_not_in_unit", field="assignee",
        )
    cal = get_calendar(dossier.province)
    days = _decimal(params.get("step_allowance"), field="step_allowance")
    hours = _decimal(params.get("step_allowance_hours"), field="step_allowance_hours")
    if days is not None:
        step_due = cal.due(at, days, "working_days")
        field = "step_allowance"
    elif hours is not None:
        step_due = cal.due(at, hours, "working_hours")
        field = "step_allowance_hours"
    else:
        step_due, field = dossier.due_at, None
    if field and dossier.due_at is not None and step_due > dossier.due_at:
        raise DomainError(
            f"{field}: thời gian của bước vượt quá thời hạn còn lại của hồ sơ (hạn {timezone.localtime(dossier.due_at, LOCAL_TZ):%H:%M %d/%m/%Y}); "
            "tổng thời gian các bước không được vượt thời hạn giải quyết.",
            code="step_exceeds_due", field=field,
        )
    previous = _finish_step(dossier, at)
    seq = (previous.seq if previous else dossier.steps.count()) + 1
    step = DossierStep.objects.create(
        dossier=dossier, seq=seq,
        from_unit=previous.to_unit if previous else dossier.unit,
        from_user=actor if getattr(actor, "pk", None) else None,
        to_unit=handling_unit, to_user=assignee, task=str(params.get("task") or ""),
        note=str(params.get("note") or ""), sent_at=at,
        allowance_seconds=max(0, cal.working_seconds_between(at, step_due)) if step_due > at else 0,
        due_at=step_due,
    )
    dossier.handling_unit = handling_unit
    dossier.assignee = assignee
    return step


def _apply_payment(dossier: Dossier, payment: dict, at: datetime) -> None:
    status = payment.get("status") or payment.get("method")
    status = _choice(status, [value for value, _label in PAYMENT_RECORDABLE], field="payment.status")
    dossier.payment_status = status
    dossier.payment_reference = str(payment.get("reference") or "")[:80]
    dossier.paid_at = at if status in (PaymentStatus.PAID_COUNTER, PaymentStatus.PAID_ONLINE) else None


def is_late(dossier: Dossier) -> bool:
    """Settled after its due time (selectors.is_settled_late; never the apology's promise)."""
    return is_settled_late(dossier)


def dossier_transition(
    *,
    dossier=None,
    code: str | None = None,
    action: str,
    actor,
    version: int | None = None,
    reason: str = "",
    at: datetime | None = None,
    **params,
) -> Dossier:
    """Apply one workflow action in one transaction, returning the updated dossier.

    Params per action: assign/handover — handling_unit_code (or handling_unit), assignee (username),
    step_allowance (working days) or step_allowance_hours, task, note; apologise — new_due_at (after the
    current due/promised time, issued before it); complete — electronic_result (bool).
    Errors: NotFoundError 404; ForbiddenError 403; ConflictError 409 (stale version, action not allowed
    from the state, supplement already requested, apology after the due time); DomainError 400 (bad params).
    """
    now = timezone.now()
    at = as_aware(at, field="at") if at is not None else now
    reason = str(reason or "").strip()
    _check_length(reason, MAX_REASON_LENGTH, "reason")
    _check_length(str(params.get("task") or ""), MAX_TASK_LENGTH, "task")
    _check_length(str(params.get("note") or ""), MAX_NOTE_LENGTH, "note")
    with transaction.atomic():
        d = rollups.track(_lock(dossier if dossier is not None else code))
        _check_process_permission(actor, d)
        _check_version(d, version)
        if action == wf.RETURN and is_late(d):
            action = wf.RETURN_LATE
        open_pause = _open_pause(d) if d.status in wf.PAUSED_STATES else None
        try:
            tr = wf.check_transition(d.status, action, previous_state=open_pause.resume_state if open_pause else None)
        except wf.TransitionError as exc:
            raise ConflictError(exc.message, code=exc.code, extra={"status": d.status, "allowed_actions": wf.allowed_actions(d.status)}) from None
        if action in wf.REASON_REQUIRED and not reason:
            raise DomainError(f"reason: thao tác “{wf.ACTION_LABELS[action]}” phải ghi rõ lý do.", code="required", field="reason")
        start = d.received_at or d.submitted_at
        if start and at < start:
            raise DomainError("at: thời điểm thao tác trước thời điểm tiếp nhận hồ sơ.", code="before_intake", field="at")
        data: dict = {}
        letter = None
        if action == wf.ACCEPT:
            _start_clock(d, d.province_procedure, at)
            data = {"received_at": d.received_at, "due_at": d.due_at}
        elif action in (wf.ASSIGN, wf.HANDOVER):
            step = _new_step(d, actor=actor, at=at, params=params)
            data = {"step": step.seq, "to_unit": step.to_unit.code, "to_user": step.to_user.get_username() if step.to_user_id else None,
                    "step_due_at": step.due_at}
        elif action in (wf.REQUEST_SUPPLEMENT, wf.PAUSE):
            if action == wf.REQUEST_SUPPLEMENT and d.supplement_count >= wf.MAX_SUPPLEMENT_REQUESTS:
                raise ConflictError(
                    "Hồ sơ đã được yêu cầu bổ sung một lần; theo quy định chỉ yêu cầu bổ sung, hoàn thiện hồ sơ một lần.",
                    code="supplement_already_requested",
                )
            DossierPause.objects.create(
                dossier=d, kind=PauseKind.SUPPLEMENT if action == wf.REQUEST_SUPPLEMENT else PauseKind.LEGAL,
                reason=reason, started_at=at, started_by=actor if getattr(actor, "pk", None) else None,
                resume_state=d.status,
            )
            d.paused_since = at
            if action == wf.REQUEST_SUPPLEMENT:
                d.supplement_count += 1
            d.status_reason = reason
        elif action in (wf.SUPPLY, wf.RESUME):
            data = _end_pause(d, actor, at)
        elif action == wf.APOLOGISE:
            data, letter = _apologise(d, actor=actor, at=at, reason=reason, params=params)
        elif action == wf.COMPLETE:
            if d.paused_since:
                data = _end_pause(d, actor, at)
            _finish_step(d, at)
            d.settled_at = at
            d.settled_on = local_date(at)
            d.closed_at = at
            if params.get("electronic_result"):
                d.has_electronic_result = True
            data.update({"settled_at": at, "due_at": d.due_at, "late": is_late(d)})
        elif action in (wf.RETURN, wf.RETURN_LATE):
            if action == wf.RETURN_LATE and not is_late(d):
                raise ConflictError("Hồ sơ được giải quyết đúng hạn; dùng thao tác “Trả kết quả”.", code="not_late")
            d.returned_at = at
            data = {"late": action == wf.RETURN_LATE}
        elif action in (wf.REJECT, wf.WITHDRAW):
            if open_pause is not None:
                _end_pause(d, actor, at)
            _finish_step(d, at)
            d.closed_at = at
            d.status_reason = reason or ("Người nộp rút hồ sơ" if action == wf.WITHDRAW else "")
        d.status = tr.to_state
        d.version += 1
        d.updated_by = actor if getattr(actor, "pk", None) else None
        d.save()
        rollups.sync(d)
        audit_record(actor=actor, action=f"dossier.{action}", obj=d, from_state=tr.from_state, to_state=tr.to_state,
                     reason=reason, data=data, at=at if at < now else None)
        _snapshot_issued(d, action, actor=actor, at=at, apology=letter if action == wf.APOLOGISE else None)
        dossier_changed.send(sender=Dossier, dossier=d, action=action, from_state=tr.from_state, to_state=tr.to_state,
                             at=at, actor=actor)
    return d


# The form each action issues (Mẫu 01 at acceptance, 02, 03, 04): frozen at issue, reprinted as issued.
ISSUED_BY_ACTION = {wf.ACCEPT: "receipt", wf.REQUEST_SUPPLEMENT: "supplement", wf.REJECT: "rejection", wf.APOLOGISE: "apology"}


def _snapshot_issued(d: Dossier, action: str, *, actor, at: datetime, apology=None) -> None:
    kind = ISSUED_BY_ACTION.get(action)
    if kind is None:
        return
    from .issuance import document_snapshot

    document_snapshot(d, kind, actor=actor, at=at, apology=apology)


def _apologise(d: Dossier, *, actor, at: datetime, reason: str, params: dict) -> tuple[dict, ApologyLetter]:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả, before the due time or after it (the dossier already late:
    `issued_late`, printed "đã quá hạn"; `due_at` never moves, so lateness stays in the statistics).

    Signed by a head of the competent agency (handling unit, else the desk's unit): `signatory` (username) or
    its head by default; no head recorded → 409 `no_signatory`. The drafter is the actor.
    """
    from .issuance import signatory_resolve

    current = d.promised_at or d.due_at
    if current is None:
        raise ConflictError("Hồ sơ chưa có hạn giải quyết.", code="no_due")
    new_due = params.get("new_due_at")
    if new_due in (None, ""):
        raise DomainError("new_due_at: bắt buộc ghi ngày hẹn trả kết quả mới.", code="required", field="new_due_at")
    new_due = as_aware(new_due, field="new_due_at")
    floor = max(current, at)
    if new_due <= floor:
        what = "hạn hiện tại" if floor == current else "thời điểm lập phiếu"
        raise DomainError(
            f"new_due_at: ngày hẹn mới phải sau {what} ({timezone.localtime(floor, LOCAL_TZ):%H:%M %d/%m/%Y}).",
            code="not_after_due", field="new_due_at",
        )
    ceiling = floor + timedelta(days=MAX_APOLOGY_POSTPONE_DAYS)
    if new_due > ceiling:
        raise DomainError(
            f"new_due_at: ngày hẹn mới tối đa {MAX_APOLOGY_POSTPONE_DAYS} ngày sau "
            f"{'hạn hiện tại' if floor == current else 'thời điểm lập phiếu'} "
            f"(đến {timezone.localtime(ceiling, LOCAL_TZ):%H:%M %d/%m/%Y}).",
            code="too_far", field="new_due_at",
        )
    issuer = d.handling_unit or d.unit
    signer = signatory_resolve(unit=issuer, chosen=params.get("signatory"), what="apology")
    late = bool(d.due_at and at > d.due_at)
    letter = ApologyLetter.objects.create(
        dossier=d, issued_at=at, issued_by=actor if getattr(actor, "pk", None) else None,
        issuing_unit=issuer, reason=reason, due_at=current, new_due_at=new_due, issued_late=late, signatory=signer,
    )
    d.promised_at = new_due
    d.apology_count += 1
    return {"due_at": d.due_at, "previous_promise": current, "new_due_at": new_due, "issued_late": late,
            "signatory": signer.get_username(), "issuing_unit": issuer.code}, letter


def _wrapper(action: str):
    def run(*, dossier=None, code=None, actor, version=None, reason="", at=None, **params) -> Dossier:
        return dossier_transition(dossier=dossier, code=code, action=action, actor=actor, version=version,
                                  reason=reason, at=at, **params)

    run.__name__ = f"dossier_{action}"
    run.__doc__ = f"{wf.ACTION_LABELS[action]}: dossier_transition(action={action!r}, ...)."
    return run


dossier_accept = _wrapper(wf.ACCEPT)
dossier_assign = _wrapper(wf.ASSIGN)
dossier_handover = _wrapper(wf.HANDOVER)
dossier_request_supplement = _wrapper(wf.REQUEST_SUPPLEMENT)
dossier_supply = _wrapper(wf.SUPPLY)
dossier_pause = _wrapper(wf.PAUSE)
dossier_resume = _wrapper(wf.RESUME)
dossier_apologise = _wrapper(wf.APOLOGISE)
dossier_complete = _wrapper(wf.COMPLETE)
dossier_return = _wrapper(wf.RETURN)
dossier_reject = _wrapper(wf.REJECT)
dossier_withdraw = _wrapper(wf.WITHDRAW)


# ---------------------------------------------------------------------------------------------- other writes

def dossier_record_payment(*, dossier=None, code=None, actor, status: str, reference: str = "", version=None) -> Dossier:
    """Ghi nhận phí, lệ phí: status paid_counter | paid_online | exempt | unpaid, with a payment reference."""
    with transaction.atomic():
        d = rollups.track(_lock(dossier if dossier is not None else code))
        _check_process_permission(actor, d)
        _check_version(d, version)
        before = d.payment_status
        _apply_payment(d, {"status": status, "reference": reference}, timezone.now())
        d.version += 1
        d.updated_by = actor if getattr(actor, "pk", None) else None
        d.save()
        rollups.sync(d)
        audit_record(actor=actor, action="dossier.payment", obj=d, from_state=d.status, to_state=d.status,
                     data={"from": before, "to": d.payment_status, "reference": d.payment_reference})
    return d


def _detect_type(head: bytes) -> tuple[str, str] | None:
    import filetype

    kind = filetype.guess(head)
    if kind is None:
        return None
    ext = "jpg" if kind.extension in ("jpg", "jpeg") else kind.extension
    return (ext, ALLOWED_UPLOAD_TYPES[ext]) if ext in ALLOWED_UPLOAD_TYPES else None


def upload_check(uploaded_file, *, field: str = "file") -> tuple[str, str]:
    """The one check of an uploaded file (tệp tải lên): present, 1 byte ≤ size ≤ MAX_UPLOAD_BYTES, type by content.

    Returns (extension, content type); raises a DomainError naming `field` and the rule. Used by staff attachments,
    the citizen's own uploads and the online form's kept files.
    """
    if uploaded_file is None:
        raise DomainError(f"{field}: chưa chọn tệp.", code="required", field=field)
    label = getattr(uploaded_file, "name", "") or "tệp"
    size = getattr(uploaded_file, "size", None) or 0
    if size > MAX_UPLOAD_BYTES:
        raise DomainError(f"{field}: tệp “{label}” quá lớn ({size:,} byte); tối đa {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
                          code="too_large", field=field)
    if size == 0:
        raise DomainError(f"{field}: tệp “{label}” rỗng.", code="empty", field=field)
    uploaded_file.seek(0)
    detected = _detect_type(uploaded_file.read(8192))
    if detected is None:
        raise DomainError(
            f"{field}: tệp “{label}” không đúng loại (xác định theo nội dung); chỉ nhận PDF, JPG, PNG, DOCX, XLSX, TIFF.",
            code="bad_type", field=field,
        )
    return detected


def dossier_attach_document(*, dossier=None, code=None, actor, uploaded_file, name: str = "", kind: str = DossierDocument.KIND_INPUT) -> DossierDocument:
    """Attach an uploaded file (số hóa): ≤ 10 MB, type by content (pdf, jpg, png, docx, xlsx, tif).

    Stored through the Storage API under dossiers/<yyyy>/<mm>/<uuid>.<ext>; sha256 recorded; the dossier counts as digitised.
    """
    ext, content_type = upload_check(uploaded_file, field="file")
    if kind not in (DossierDocument.KIND_INPUT, DossierDocument.KIND_RESULT):
        raise DomainError("kind: chỉ nhận 'input' hoặc 'result'.", code="invalid_choice", field="kind")
    with storage.files_atomic():
        d = _lock(dossier if dossier is not None else code)
        _check_process_permission(actor, d)
        if d.status in wf.FINAL_STATES:
            raise ConflictError("Hồ sơ đã kết thúc; không bổ sung tệp.", code="dossier_closed")
        doc = document_store(dossier=d, uploaded_file=uploaded_file, ext=ext, content_type=content_type, name=name,
                             kind=kind, user=actor if getattr(actor, "pk", None) else None, audit_data={"kind": kind})
    return doc


def document_store(*, dossier: Dossier, uploaded_file, ext: str, content_type: str, name: str, kind: str, user,
                   audit_data: dict) -> DossierDocument:
    """Lưu tệp đính kèm of a dossier already locked by the caller (staff or applicant upload, one code path).

    Streams the file through the Storage API to dossiers/<yyyy>/<mm>/<uuid>.<ext> (≤ MAX_UPLOAD_BYTES, sha256),
    records the DossierDocument, marks the dossier digitised (input) or with an electronic result (result),
    bumps its version and writes the "dossier.attach" audit event (`audit_data` is added to it). The write is
    tied to the transaction (storage.files_atomic): when this or an enclosing use case rolls back, the file
    is deleted.
    """
    with storage.files_atomic():
        stored = storage.save_stream(uploaded_file, folder="dossiers", ext=ext, max_bytes=MAX_UPLOAD_BYTES)
        original = Path(getattr(uploaded_file, "name", "") or "").name[:255]
        doc_name = (name or original or "Tệp đính kèm")[:500]
        required = None
        if kind == DossierDocument.KIND_INPUT and dossier.checklist_id:
            required = next((r for r in checklist_items(checklist=dossier.checklist_id)
                             if r.name.strip().casefold() == doc_name.strip().casefold()), None)
        return document_record(
            dossier=dossier, kind=kind, name=doc_name, file_path=stored.name, original_name=original,
            content_type=content_type, size=stored.size, sha256=stored.sha256, user=user, audit_data=audit_data,
            required_document_id=required.pk if required is not None else None,
        )


def document_record(*, dossier: Dossier, kind: str, name: str, file_path: str, original_name: str, content_type: str,
                    size: int, sha256: str, user, audit_data: dict, required_document_id=None) -> DossierDocument:
    """The DossierDocument row for a file already in storage, the dossier's flags and version, the audit event."""
    if not hasattr(dossier, "_rollup_before"):
        rollups.track(dossier)
    doc = DossierDocument.objects.create(
        dossier=dossier, kind=kind, name=(name or original_name or "Tệp đính kèm")[:500], is_electronic=True,
        file_path=file_path, original_name=original_name, content_type=content_type, size=size,
        sha256=sha256, uploaded_by=user, required_document_id=required_document_id,
    )
    if kind == DossierDocument.KIND_INPUT:
        dossier.has_electronic_documents = True
    else:
        dossier.has_electronic_result = True
    dossier.version += 1
    dossier.updated_by = user
    dossier.save()
    rollups.sync(dossier)
    audit_record(actor=user, action="dossier.attach", obj=dossier, from_state=dossier.status, to_state=dossier.status,
                 data={"document": doc.pk, "sha256": sha256, "size": size, "type": content_type, **audit_data})
    return doc


def electronic_result_record(*, dossier, actor, file_path: str, sha256: str, size: int = 0, signed: bool = False,
                             signer: str = "", issued_at: datetime | None = None, signatory=None) -> ElectronicResult:
    """Register a result file (kết quả điện tử) already written under MEDIA_ROOT; marks the dossier."""
    with transaction.atomic():
        d = rollups.track(_lock(dossier))
        _check_process_permission(actor, d)
        result = ElectronicResult.objects.create(
            dossier=d, file_path=file_path, sha256=sha256, size=size, signed=signed, signer=signer[:255],
            issued_by=actor if getattr(actor, "pk", None) else None, issued_at=issued_at or timezone.now(),
            signatory=signatory,
        )
        d.has_electronic_result = True
        d.version += 1
        d.updated_by = actor if getattr(actor, "pk", None) else None
        d.save()
        rollups.sync(d)
        audit_record(actor=actor, action="dossier.electronic_result", obj=d, from_state=d.status, to_state=d.status,
                     data={"sha256": sha256, "signed": signed, "signer": signer,
                           "signatory": signatory.get_username() if signatory is not None else None})
    return result


def _rating_value(value, *, field: str, required: bool) -> int | None:
    if value in (None, ""):
        if required:
            raise DomainError(f"{field}: bắt buộc chấm điểm từ 1 đến 5.", code="required", field=field)
        return None
    if isinstance(value, bool):
        raise DomainError(f"{field}: điểm phải là số nguyên từ 1 đến 5.", code="out_of_range", field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError(f"{field}: điểm phải là số nguyên từ 1 đến 5.", code="out_of_range", field=field) from None
    if str(number) != str(value).strip() and not isinstance(value, int):
        raise DomainError(f"{field}: điểm phải là số nguyên từ 1 đến 5.", code="out_of_range", field=field)
    if not 1 <= number <= 5:
        raise DomainError(f"{field}: điểm phải từ 1 đến 5.", code="out_of_range", field=field)
    return number


def dossier_rate(*, code: str, token: str, overall, aspects: dict | None = None, comment: str = "") -> DossierRating:
    """Đánh giá sau khi nhận kết quả (public, with the lookup token): once per dossier.

    Wrong token → NotFoundError exactly as an unknown code; not yet returned / already rated → 409.
    """
    from .selectors import public_dossier

    aspects = aspects or {}
    if not isinstance(aspects, dict):
        raise DomainError("aspects: phải là đối tượng {access, procedure, officials, result, feedback}.", code="invalid", field="aspects")
    unknown = set(aspects) - set(DossierRating.ASPECTS)
    if unknown:
        raise DomainError(f"aspects: không có tiêu chí {', '.join(sorted(unknown))}.", code="invalid", field="aspects")
    values = {name: _rating_value(aspects.get(name), field=f"aspects.{name}", required=False) for name in DossierRating.ASPECTS}
    overall_value = _rating_value(overall, field="overall", required=True)
    comment = str(comment or "").strip()
    if len(comment) > 2000:
        raise DomainError("comment: tối đa 2000 ký tự.", code="max_length", field="comment")
    with transaction.atomic():
        found = public_dossier(code=code, token=token)
        d = rollups.track(Dossier.objects.select_for_update().get(pk=found.pk))
        if d.status not in (wf.RETURNED, wf.RETURNED_LATE):
            raise ConflictError("Chỉ đánh giá được sau khi đã nhận kết quả.", code="not_returned")
        if DossierRating.objects.filter(dossier=d).exists():
            raise ConflictError("Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần.", code="already_rated")
        rating = DossierRating.objects.create(dossier=d, overall=overall_value, comment=comment, **values)
        rollups.sync(d)  # 766 indicator 5.4 counts dissatisfied dossiers from the rollups
        audit_record(actor="citizen", action="dossier.rate", obj=d, from_state=d.status, to_state=d.status,
                     data={"overall": overall_value, **{k: v for k, v in values.items() if v is not None}})
    return rating


# ---------------------------------------------------------------------------------------------- overdue watch

def _recipients(d: Dossier) -> list[str]:
    emails = []
    if d.assignee_id and d.assignee.email:
        emails.append(d.assignee.email)
    if not emails:
        from cchc.accounts.models import Role, User

        unit_id = d.handling_unit_id or d.unit_id
        emails = list(
            User.objects.filter(unit_id=unit_id, is_active=True, role__in=[Role.UNIT_HEAD, Role.ONE_STOP_OFFICER, Role.SPECIALIST])
            .exclude(email="").values_list("email", flat=True)[:5]
        )
    return emails


def queue_notification(*, kind: str, dedup: str, subject: str, body: str, recipients: list[str], dossier=None) -> int:
    """Xếp thư vào hàng đợi: one e-mail per recipient in the outbox (dossiers.Notification, sent by
    `send_pending_notifications`), at most once per `dedup` key and recipient; the number newly queued. Used by
    the dossier watch and by the other apps' deadline reminders (plan tasks, inspection recommendations)."""
    created = 0
    for to in recipients:
        _, new = Notification.objects.get_or_create(
            dedup_key=f"{dedup}:{to}"[:200],
            defaults=dict(dossier=dossier, kind=kind, channel="email", recipient=to, subject=subject[:255], body=body),
        )
        created += int(new)
    return created


def dossiers_watch(*, now: datetime | None = None, units=None) -> dict:
    """Theo dõi hồ sơ: flag dossiers due today, overdue, and late steps; queue one notification each per day.

    Idempotent per day (notification dedup keys include the local date). Returns counts and codes.
    """
    from .selectors import active_dossiers, q_due_today, q_overdue_at, q_step_late_open_at

    now = now or timezone.now()
    today = local_date(now)
    qs = active_dossiers().select_related("assignee", "unit")
    if units is not None:
        qs = qs.filter(Q(unit__in=units) | Q(handling_unit__in=units))
    # the same definitions as the statistics: a dossier paused before its due time is not overdue
    due_today = list(qs.filter(q_due_today(now, today)))
    overdue = list(qs.filter(q_overdue_at(now)))
    late_steps = list(
        DossierStep.objects.filter(q_step_late_open_at(now), dossier__status__in=wf.ACTIVE_STATES)
        .select_related("dossier", "to_unit", "to_user")
    )
    queued = 0
    with transaction.atomic():
        for d in due_today:
            queued += queue_notification(
                dossier=d, kind="due_today", dedup=f"due_today:{d.pk}:{today}",
                subject=f"[CCHC] Hồ sơ {d.code} đến hạn hôm nay",
                body=f"Hồ sơ {d.code} ({d.applicant_name}) đến hạn trả kết quả lúc {timezone.localtime(d.due_at, LOCAL_TZ):%H:%M %d/%m/%Y}.",
                recipients=_recipients(d),
            )
        for d in overdue:
            queued += queue_notification(
                dossier=d, kind="overdue", dedup=f"overdue:{d.pk}:{today}",
                subject=f"[CCHC] Hồ sơ {d.code} đã quá hạn",
                body=f"Hồ sơ {d.code} ({d.applicant_name}) quá hạn từ {timezone.localtime(d.due_at, LOCAL_TZ):%H:%M %d/%m/%Y}. "
                     "Cần phát hành phiếu xin lỗi và hẹn lại ngày trả kết quả.",
                recipients=_recipients(d),
            )
        for s in late_steps:
            to = [s.to_user.email] if s.to_user_id and s.to_user.email else _recipients(s.dossier)
            queued += queue_notification(
                dossier=s.dossier, kind="step_late", dedup=f"step_late:{s.pk}:{today}",
                subject=f"[CCHC] Bước {s.seq} của hồ sơ {s.dossier.code} quá hạn",
                body=f"Bước {s.seq} ({s.to_unit.name}) của hồ sơ {s.dossier.code} quá hạn từ {timezone.localtime(s.due_at, LOCAL_TZ):%H:%M %d/%m/%Y}.",
                recipients=to,
            )
    return {
        "at": now.isoformat(),
        "due_today": [d.code for d in due_today],
        "overdue": [d.code for d in overdue],
        "late_steps": [{"code": s.dossier.code, "step": s.seq, "unit": s.to_unit.code,
                        "user": s.to_user.get_username() if s.to_user_id else None} for s in late_steps],
        "notifications_queued": queued,
    }


def _send_email(notification: Notification) -> None:
    from django.core.mail import send_mail

    send_mail(notification.subject, notification.body, None, [notification.recipient], fail_silently=False)


# Channel registry: name → callable(notification) raising on failure. Other channels (SMS, Zalo) plug in here.
channels: dict = {"email": _send_email}


def notifications_send_pending(*, limit: int = 500, max_attempts: int = 5) -> dict:
    """Send pending notifications through `channels`; failures are retried up to `max_attempts`."""
    sent = failed = 0
    ids = list(Notification.objects.filter(status=NotificationStatus.PENDING).order_by("id").values_list("id", flat=True)[:limit])
    for pk in ids:
        with transaction.atomic():
            n = Notification.objects.select_for_update().filter(pk=pk, status=NotificationStatus.PENDING).first()
            if n is None:
                continue
            sender = channels.get(n.channel)
            n.attempts += 1
            try:
                if sender is None:
                    raise RuntimeError(f"không có kênh gửi {n.channel!r}")
                sender(n)
            except Exception as exc:  # noqa: BLE001 - any channel failure is recorded and retried
                n.last_error = str(exc)[:2000]
                if n.attempts >= max_attempts:
                    n.status = NotificationStatus.FAILED
                failed += 1
            else:
                n.status = NotificationStatus.SENT
                n.sent_at = timezone.now()
                n.last_error = ""
                sent += 1
            n.save()
    return {"sent": sent, "failed": failed}
