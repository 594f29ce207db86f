"""Catalogue services (writes): import the national catalogue, publish a procedure in a province,
record simplification events, load the synonym table, save a checklist version."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from cchc.accounts.permissions import can
from cchc.calendar.workdays import UNIT_LABELS_VI
from cchc.calendar.workdays import UNITS as COMPUTABLE_TIME_UNITS
from cchc.core.audit import audit_record
from cchc.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError

from .feeparse import MIN_VND
from .importing import ImportFileError, read_rows, row_to_fields
from .models import (
    Checklist,
    ChecklistItem,
    DocumentKind,
    EventKind,
    OnlineLevel,
    Procedure,
    ProcedureEvent,
    ProvinceProcedure,
    SearchSynonym,
    TimeUnit,
)

PUBLISH_LEVELS = ("province", "commune")
COMPARED_FIELDS = (
    "name", "field", "levels", "issuing_agency", "implementing_agency", "decision_no", "kind", "channels",
    "has_online_channel", "fee_text", "time_raw", "time_value", "time_unit", "time_ambiguous", "data_note",
    "detail_url", "source_url",
)


def _same(old, new) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is None and new is None
        return Decimal(old) == Decimal(new)
    return old == new


@transaction.atomic
def procedure_import(*, path: str | Path, actor=None) -> dict:
    """Nhập danh mục TTHC from CSV/XLSX; idempotent (update by mã thủ tục, never duplicate).

    Rows whose crawled details belong to another page (flagged in ghi_chu_du_lieu), rows without a valid
    code or name, and repeated codes are rejected with a reason; nothing is imported from them.
    """
    try:
        rows = list(read_rows(path))
    except ImportFileError as exc:
        raise DomainError(str(exc), code="bad_file", field="file") from exc

    existing = {p.code: p for p in Procedure.objects.all()}
    seen: dict[str, int] = {}
    to_create: list[Procedure] = []
    to_update: list[Procedure] = []
    changed_fields: set[str] = set()
    rejected: list[dict] = []
    flagged_fees: list[dict] = []
    unchanged = flagged = unknown = 0
    now = timezone.now()

    for row_no, cells in rows:
        result = row_to_fields(row_no, cells)
        if not result.reject_reason and result.code in seen:
            result.reject_reason = f"mã thủ tục trùng với dòng {seen[result.code]}"
        if result.reject_reason:
            rejected.append({"row": row_no, "code": result.code, "reason": result.reject_reason})
            continue
        seen[result.code] = row_no
        fields = result.fields
        flagged += int(result.time_ambiguous)
        if result.fee_problems:
            flagged_fees.append({"row": row_no, "code": result.code, "fee": fields["fee_text"],
                                 "reason": "; ".join(result.fee_problems)})
        unknown += int(fields["time_value"] is None and not result.time_ambiguous)
        current = existing.get(result.code)
        if current is None:
            proc = Procedure(code=result.code, updated_at=now, **fields)
            proc.fill_search_fields()
            to_create.append(proc)
            continue
        diff = [name for name in COMPARED_FIELDS if not _same(getattr(current, name), fields[name])]
        if not diff and current.is_active:
            unchanged += 1
            continue
        for name in diff:
            setattr(current, name, fields[name])
        current.is_active = True
        current.updated_at = now
        current.fill_search_fields()
        changed_fields.update(diff)
        to_update.append(current)

    Procedure.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Procedure.objects.bulk_update(
            to_update,
            sorted(changed_fields | {"is_active", "updated_at", "name_folded", "search_text"}),
            batch_size=500,
        )
    if connection.vendor == "postgresql" and len(to_create) + len(to_update) > 100:
        with connection.cursor() as cursor:  # fresh statistics, so the planner uses the trigram index
            cursor.execute("ANALYZE catalog_procedure")
    summary = {
        "file": str(path),
        "rows": len(rows),
        "created": len(to_create),
        "updated": len(to_update),
        "unchanged": unchanged,
        "flagged_time": flagged,
        "time_unknown": unknown,
        "flagged_fee": len(flagged_fees),
        "flagged_fees": flagged_fees,
        "rejected": rejected,
        "total_in_catalogue": Procedure.objects.count(),
    }
    audit_record(
        actor=actor, action="catalog.import", object_type="catalog.procedure", object_id=Path(path).name,
        data={k: v for k, v in summary.items() if k not in ("rejected", "flagged_fees")} | {"rejected": len(rejected)},
    )
    return summary


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise DomainError("Thời hạn phải là một số.", code="invalid_time", field=field) from exc
    if not number.is_finite() or number < 0:
        raise DomainError("Giá trị phải là số không âm.", code="invalid_number", field=field)
    return number


def _date(value, field: str) -> dt.date:
    """A date from a date, a datetime (its date) or an ISO text; anything else names the field."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DomainError("Ngày không hợp lệ (định dạng YYYY-MM-DD).", code="invalid_date", field=field) from exc


@transaction.atomic
def procedure_publish(
    *,
    province,
    procedure: Procedure,
    desk=None,
    handling_unit=None,
    level: str,
    time_value,
    time_unit: str,
    online_level: str,
    fee_amount=0,
    decision_no: str = "",
    effective_from: dt.date,
    actor=None,
) -> ProvinceProcedure:
    """Công bố TTHC áp dụng tại tỉnh: a new version from `effective_from`; the previous one is closed.

    The open version for (province, procedure, level) gets effective_to = effective_from − 1 day. A version
    starting on or after `effective_from` already exists → ConflictError (versions are only appended).
    `actor` None means the system (import, demo); a user needs the "manage" right on the province.
    """
    from cchc.units.models import UnitKind

    if actor is not None and getattr(actor, "pk", None) and not can(actor, "manage", province):
        raise ForbiddenError("Bạn không có quyền công bố thủ tục của tỉnh này.", code="forbidden")
    if province is None or province.kind != UnitKind.PROVINCE:
        raise DomainError("Đơn vị công bố phải là một tỉnh/thành phố.", code="not_a_province", field="province")
    if level not in PUBLISH_LEVELS:
        raise DomainError("Cấp thực hiện phải là 'province' (cấp tỉnh) hoặc 'commune' (cấp xã).",
                          code="invalid_level", field="level")
    if time_unit not in COMPUTABLE_TIME_UNITS:
        raise DomainError(
            f"time_unit: đơn vị thời hạn “{time_unit}” không tính được hạn giải quyết; chỉ công bố với một trong: "
            + ", ".join(f"{u} ({UNIT_LABELS_VI[u]})" for u in COMPUTABLE_TIME_UNITS) + ".",
            code="invalid_time_unit", field="time_unit",
        )
    if online_level not in OnlineLevel.values:
        raise DomainError("Mức độ trực tuyến không hợp lệ (none / partial / full).",
                          code="invalid_online_level", field="online_level")
    value = _decimal(time_value, "time_value")
    if time_unit != TimeUnit.SAME_DAY and value == 0:
        raise DomainError("Thời hạn giải quyết phải lớn hơn 0.", code="invalid_time", field="time_value")
    if time_unit == TimeUnit.MONTHS and value != value.to_integral_value():
        raise DomainError("time_value: thời hạn tính bằng tháng phải là số tháng nguyên (nửa tháng: công bố 15 ngày).",
                          code="invalid_time", field="time_value")
    fee = _decimal(fee_amount or 0, "fee_amount")
    if 0 < fee < MIN_VND:
        raise DomainError(f"Phí, lệ phí: 0 (không thu) hoặc từ {MIN_VND:,} đồng trở lên; {fee} đồng không phải một mức "
                          "phí thật (thường là “1.000” bị đọc thành 1).".replace(",", "."),
                          code="implausible_fee", field="fee_amount")
    effective_from = _date(effective_from, "effective_from")
    for unit, name in ((desk, "desk"), (handling_unit, "handling_unit")):
        if unit is not None and unit.pk != province.pk and unit.province_id != province.pk:
            raise DomainError("Đơn vị phải thuộc tỉnh công bố.", code="unit_outside_province", field=name)

    versions = list(
        ProvinceProcedure.objects.select_for_update()
        .filter(province=province, procedure=procedure, level=level)
        .order_by("effective_from")
    )
    if any(v.effective_from >= effective_from for v in versions):
        raise ConflictError(
            "Đã có phiên bản công bố có hiệu lực từ ngày này hoặc muộn hơn; chỉ được thêm phiên bản mới hơn.",
            code="version_exists", field="effective_from",
        )
    previous = None
    for version in versions:
        if version.effective_to is None or version.effective_to >= effective_from:
            previous = version
            version.effective_to = effective_from - dt.timedelta(days=1)
            version.save(update_fields=["effective_to"])
    created = ProvinceProcedure.objects.create(
        province=province, procedure=procedure, desk=desk, handling_unit=handling_unit, level=level,
        time_value=value, time_unit=time_unit, online_level=online_level, fee_amount=fee,
        decision_no=(decision_no or "")[:120], effective_from=effective_from,
    )
    audit_record(
        actor=actor, action="catalog.publish", obj=created, object_id=f"{province.code}:{procedure.code}:{level}",
        from_state=str(previous.effective_from) if previous else "", to_state=str(effective_from),
        reason=decision_no or "",
        data={
            "time_value": str(value), "time_unit": time_unit, "online_level": online_level, "fee_amount": str(fee),
            "desk": getattr(desk, "code", None), "closed_version": previous.pk if previous else None,
        },
    )
    return created


@transaction.atomic
def procedure_event_ensure(
    *, procedure: Procedure, kind: str, decision_no: str, decision_date: dt.date, province=None,
    time_before=None, time_after=None, note: str = "", actor=None,
) -> ProcedureEvent:
    """Bảo đảm có sự kiện của thủ tục (ban hành mới, sửa đổi, bãi bỏ, đơn giản hóa, cắt giảm thời gian).

    Lenient and idempotent, for imports and scripts: the same (procedure, province, kind, decision number,
    decision date) again returns the existing row (no second audit event); `province=None` is a national
    event; no actor = the system. The staff form uses the strict `staff_services.procedure_event_record`
    (decision number required, time-cut checks, 409 on a duplicate, optional closing of versions).
    """
    if kind not in EventKind.values:
        raise DomainError("Loại sự kiện không hợp lệ.", code="invalid_kind", field="kind")
    decision_date = _date(decision_date, "decision_date")
    if actor is not None and getattr(actor, "pk", None) and not can(actor, "manage", province):
        raise ForbiddenError("Bạn không có quyền ghi sự kiện thủ tục.", code="forbidden")
    event, created = ProcedureEvent.objects.get_or_create(
        procedure=procedure, province=province, kind=kind, decision_no=decision_no or "",
        decision_date=decision_date,
        defaults={"time_before": time_before, "time_after": time_after, "note": note},
    )
    if created:
        audit_record(
            actor=actor, action="catalog.event", obj=procedure, to_state=kind, reason=decision_no or "",
            data={"decision_date": decision_date.isoformat(), "province": getattr(province, "code", None)},
        )
    return event


@transaction.atomic
def synonyms_load(*, rows: list[tuple[str, str]], replace: bool = False) -> dict:
    """Nạp bảng từ đồng nghĩa: add missing terms; with replace=True also overwrite changed expansions."""
    existing = {s.term: s for s in SearchSynonym.objects.all()}
    created = updated = 0
    for term, expansion in rows:
        term, expansion = term.strip(), expansion.strip()
        if not term or not expansion:
            continue
        current = existing.get(term)
        if current is None:
            SearchSynonym.objects.create(term=term, expansion=expansion)
            created += 1
        elif replace and current.expansion != expansion:
            current.expansion = expansion
            current.save()
            updated += 1
    return {"created": created, "updated": updated}


# ------------------------------------------------------------------------------ thành phần hồ sơ

CHECKLIST_MAX_ITEMS = 60
CHECKLIST_KEYS = ("name", "kind", "original_copies", "photocopies", "mandatory", "form_name", "note")
NOTE_MAX = 2000


def _may_edit_checklist(actor) -> bool:
    """PAR office of its province (Sở Nội vụ) or a system admin; None is the system (reference data)."""
    from cchc.accounts.models import Role

    if actor is None:
        return True
    if getattr(actor, "is_superuser", False) or getattr(actor, "role", None) == Role.SYSTEM_ADMIN:
        return True
    return getattr(actor, "role", None) == Role.PAR_OFFICE and actor.unit_id is not None and can(actor, "manage", actor.unit)


def _checklist_item(i: int, item) -> dict:
    """One validated line: a clear Vietnamese error naming items[i].field otherwise."""
    if not isinstance(item, dict):
        raise DomainError(f"items[{i}]: phải là đối tượng có 'name'.", code="invalid", field=f"items[{i}]")
    name = " ".join(str(item.get("name") or "").split())
    if not name or len(name) > 500:
        raise DomainError(f"items[{i}].name: bắt buộc, tối đa 500 ký tự.", code="invalid", field=f"items[{i}].name")
    kind = item.get("kind") or DocumentKind.SUBMIT
    if kind not in DocumentKind.values:
        raise DomainError(f"items[{i}].kind: phải là 'submit' (phải nộp) hoặc 'present' (phải xuất trình).",
                          code="invalid", field=f"items[{i}].kind")
    row = {"name": name, "kind": str(kind)}
    for key, default in (("original_copies", 1), ("photocopies", 0)):
        value = item.get(key, default)
        if value is None:
            value = default
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 20:
            raise DomainError(f"items[{i}].{key}: số bản từ 0 đến 20.", code="out_of_range", field=f"items[{i}].{key}")
        row[key] = value
    mandatory = item.get("mandatory", True)
    if not isinstance(mandatory, bool):
        raise DomainError(f"items[{i}].mandatory: phải là true hoặc false.", code="invalid", field=f"items[{i}].mandatory")
    row["mandatory"] = mandatory
    form_name = " ".join(str(item.get("form_name") or "").split())
    if len(form_name) > 255:
        raise DomainError(f"items[{i}].form_name: tối đa 255 ký tự.", code="invalid", field=f"items[{i}].form_name")
    row["form_name"] = form_name
    note = str(item.get("note") or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(f"items[{i}].note: tối đa {NOTE_MAX} ký tự.", code="invalid", field=f"items[{i}].note")
    row["note"] = note
    return row


def _item_key(row) -> tuple:
    get = row.get if isinstance(row, dict) else (lambda key: getattr(row, key))
    return tuple(get(key) for key in CHECKLIST_KEYS)


@transaction.atomic
def checklist_save(*, procedure_code: str, items: list, actor, effective_from=None, decision_no: str = "",
                   source: str = "") -> Checklist:
    """Lưu thành phần hồ sơ: append a new checklist version of the procedure (never edit rows in place).

    `items`: [{"name", "kind"="submit", "original_copies"=1, "photocopies"=0, "mandatory"=True,
    "form_name"="", "note"=""}, ...] in display order. The version applies from `effective_from` (default today);
    it may not start before the newest existing version (history is only appended: ConflictError). The
    same lines and date as the newest version → that version is returned, nothing is written (idempotent).
    Dossiers received earlier keep pointing at the rows of the version they were received against.
    Permission: PAR office or system admin (actor None = the system loading reference data). Audited.
    """
    if not _may_edit_checklist(actor):
        raise ForbiddenError("Chỉ cơ quan thường trực CCHC (Sở Nội vụ) được sửa thành phần hồ sơ.", code="forbidden")
    procedure = Procedure.objects.select_for_update().filter(code=str(procedure_code or "").strip()).first()
    if procedure is None:
        raise NotFoundError(f"Không có thủ tục mã “{procedure_code}”.", code="not_found", field="procedure_code")
    if not isinstance(items, list):
        raise DomainError("items: phải là danh sách thành phần hồ sơ.", code="invalid", field="items")
    if len(items) > CHECKLIST_MAX_ITEMS:
        raise DomainError(f"items: tối đa {CHECKLIST_MAX_ITEMS} thành phần.", code="out_of_range", field="items")
    rows, seen = [], set()
    for i, item in enumerate(items):
        row = _checklist_item(i, item)
        if row["name"].casefold() in seen:
            raise DomainError(f"items[{i}].name: trùng thành phần “{row['name']}”.", code="duplicate", field=f"items[{i}].name")
        seen.add(row["name"].casefold())
        rows.append(row)
    start = timezone.localdate() if effective_from in (None, "") else _date(effective_from, "effective_from")
    decision_no = str(decision_no or "").strip()
    if len(decision_no) > 120:
        raise DomainError("decision_no: tối đa 120 ký tự.", code="invalid", field="decision_no")
    latest = Checklist.objects.filter(procedure=procedure).order_by("-version").first()
    if latest is not None:
        if start < latest.effective_from:
            raise ConflictError(
                f"effective_from: phiên bản {latest.version} đã áp dụng từ {latest.effective_from:%d/%m/%Y}; "
                "phiên bản mới phải áp dụng từ ngày đó trở về sau.", code="version_exists", field="effective_from")
        same_lines = [_item_key(r) for r in latest.items.order_by("order", "id")] == [_item_key(r) for r in rows]
        if same_lines and start == latest.effective_from:
            return latest
    checklist = Checklist.objects.create(
        procedure=procedure, version=(latest.version + 1) if latest else 1, effective_from=start,
        decision_no=decision_no, source=str(source or "")[:500],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    ChecklistItem.objects.bulk_create([ChecklistItem(checklist=checklist, order=i + 1, **row) for i, row in enumerate(rows)])
    audit_record(actor=actor, action="catalog.checklist_save", obj=checklist, to_state=f"v{checklist.version}",
                 data={"procedure": procedure.code, "version": checklist.version, "effective_from": start.isoformat(),
                       "previous_version": latest.version if latest else None, "items": [r["name"] for r in rows]})
    return checklist


SHIPPED_CHECKLIST_SOURCE = "Danh mục TTHC quốc gia (dichvucong.gov.vn)"


@transaction.atomic
def checklists_load(*, rows: list[dict], effective_from: dt.date, source_prefix: str = SHIPPED_CHECKLIST_SOURCE) -> dict:
    """Nạp thành phần hồ sơ đi kèm (cchc/catalog/data/checklists.csv) as version 1 of each procedure without one.

    Idempotent: a procedure that already has any checklist version (shipped earlier, edited by the PAR office,
    migrated) is left alone; codes not in the catalogue are counted in `unknown`. `rows` are the CSV's dicts
    (ma_thu_tuc, thu_tu, ten_giay_to, loai nop|xuat_trinh, ban_chinh, ban_sao, bat_buoc 1|0, mau_don,
    ghi_chu, nguon). Each line goes through the same validation as an edit (`_checklist_item`). One audit event.
    """
    by_code: dict[str, list[dict]] = {}
    for row in rows:
        by_code.setdefault(row["ma_thu_tuc"].strip(), []).append(row)
    procedures = {p.code: p for p in Procedure.objects.filter(code__in=list(by_code))}
    has_checklist = set(Checklist.objects.filter(procedure__in=procedures.values()).values_list("procedure_id", flat=True))
    unknown = sorted(set(by_code) - set(procedures))
    versions, lines = [], {}
    for code, code_rows in sorted(by_code.items()):
        procedure = procedures.get(code)
        if procedure is None or procedure.pk in has_checklist:
            continue
        code_rows.sort(key=lambda r: int(r["thu_tu"]))
        items = [_checklist_item(i, {
            "name": r["ten_giay_to"], "kind": DocumentKind.PRESENT if r["loai"] == "xuat_trinh" else DocumentKind.SUBMIT,
            "original_copies": int(r["ban_chinh"]), "photocopies": int(r["ban_sao"]), "mandatory": r["bat_buoc"] == "1",
            "form_name": r.get("mau_don", ""), "note": r.get("ghi_chu", ""),
        }) for i, r in enumerate(code_rows)]
        paths = sorted({r.get("nguon", "") for r in code_rows} - {""})
        versions.append(Checklist(procedure=procedure, version=1, effective_from=effective_from,
                                  source=f"{source_prefix}: {'; '.join(paths)}"[:500]))
        lines[procedure.pk] = items
    Checklist.objects.bulk_create(versions)
    created = {c.procedure_id: c.pk for c in Checklist.objects.filter(procedure_id__in=list(lines), version=1)}
    ChecklistItem.objects.bulk_create([
        ChecklistItem(checklist_id=created[pid], order=i + 1, **item)
        for pid, items in lines.items() for i, item in enumerate(items)
    ], batch_size=500)
    summary = {"procedures": len(versions), "lines": sum(len(v) for v in lines.values()),
               "skipped_existing": len(has_checklist), "unknown": len(unknown)}
    if versions:
        audit_record(actor=None, action="catalog.checklists_load", object_type="catalog.checklist", object_id="shipped",
                     data=summary)
    return summary
