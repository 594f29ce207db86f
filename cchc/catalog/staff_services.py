"""Staff side of the catalogue (quản lý thủ tục hành chính của tỉnh): the PAR office's writes and the reads
behind its pages.

Writes follow the project's service rules (keyword-only, one transaction, the changed row locked, audit in
the same transaction, DomainError naming the field). Reads are kept here rather than in selectors.py
because the staff pages were added as their own module (issue 3 §5); they never write.

- `procedure_event_record` — ghi sự kiện của thủ tục (ban hành mới, sửa đổi, bãi bỏ, đơn giản hóa, cắt
  giảm thời gian) by a province's decision, strictly validated for a person typing it in a form;
- `staff_publication_list` — the province's publications in force on a day, filtered (level, field,
  online level, desk) and optionally narrowed by the catalogue search;
- `staff_version_history` — every version a province published of one procedure, newest first;
- `simplification_report_xlsx` — the simplification report as an XLSX workbook.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q

from cchc.accounts.permissions import can
from cchc.core.audit import audit_record
from cchc.core.errors import ConflictError, DomainError, ForbiddenError
from cchc.core.numbers import format_vn
from cchc.core.xlsx import workbook_bytes

from .models import EventKind, OnlineLevel, Procedure, ProcedureEvent, ProvinceProcedure
from .selectors import in_force_q

DECISION_NO_MAX = 120
NOTE_MAX = 2000
COMMUNE_DESKS = "xa"  # desk filter value for "every commune one-stop desk" (publication without a desk)


# --------------------------------------------------------------------------------------------- writes

def _optional_decimal(value, field: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise DomainError("Thời hạn phải là một số.", code="invalid_time", field=field) from exc
    if not number.is_finite() or number < 0 or number >= Decimal("1000000"):
        raise DomainError("Thời hạn phải là số không âm, nhỏ hơn 1.000.000.", code="invalid_time", field=field)
    return number.quantize(Decimal("0.01"))


def _as_date(value, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except (ValueError, TypeError) as exc:
        raise DomainError("Ngày không hợp lệ (định dạng YYYY-MM-DD).", code="invalid_date", field=field) from exc


@transaction.atomic
def procedure_event_record(
    *,
    province,
    procedure: Procedure,
    kind: str,
    decision_no: str,
    decision_date,
    time_before=None,
    time_after=None,
    note: str = "",
    close_publications: bool = False,
    actor,
) -> ProcedureEvent:
    """Ghi sự kiện của thủ tục theo quyết định của tỉnh (staff form), audited as `catalog.event`.

    Rules (each failure is a DomainError naming the field; nothing is written):
    - the actor must `manage` the province (PAR office of that province, system admin) → ForbiddenError;
    - `kind` ∈ EventKind; `decision_no` required (≤ 120 characters); `decision_date` a date;
    - cắt giảm thời gian (time_cut): time before and after are required and after < before; for other
      kinds they are optional, and when both are given after ≤ before is not required (an amendment may
      lengthen a time) but both must be non-negative numbers;
    - the same (procedure, province, kind, decision number, decision date) twice → ConflictError;
    - bãi bỏ (abolished) with `close_publications`: every version of the province in force on the decision
      date is closed the day before it (no longer counted "đang có hiệu lực"); a version that starts on or
      after the decision date → ConflictError (history is only appended).
    """
    from cchc.units.models import UnitKind

    if province is None or getattr(province, "kind", None) != UnitKind.PROVINCE:
        raise DomainError("Đơn vị ghi sự kiện phải là một tỉnh/thành phố.", code="not_a_province", field="province")
    if not can(actor, "manage", province):
        raise ForbiddenError("Bạn không có quyền ghi sự kiện thủ tục của tỉnh này.", code="forbidden")
    if kind not in EventKind.values:
        raise DomainError("Loại sự kiện không hợp lệ.", code="invalid_kind", field="kind")
    decision_no = (decision_no or "").strip()
    if not decision_no:
        raise DomainError("Số quyết định là bắt buộc.", code="required", field="decision_no")
    if len(decision_no) > DECISION_NO_MAX:
        raise DomainError(f"Số quyết định tối đa {DECISION_NO_MAX} ký tự.", code="too_long", field="decision_no")
    decision_date = _as_date(decision_date, "decision_date")
    before = _optional_decimal(time_before, "time_before")
    after = _optional_decimal(time_after, "time_after")
    if kind == EventKind.TIME_CUT:
        if before is None:
            raise DomainError("Cắt giảm thời gian: nhập thời hạn trước khi cắt giảm.", code="required", field="time_before")
        if after is None:
            raise DomainError("Cắt giảm thời gian: nhập thời hạn sau khi cắt giảm.", code="required", field="time_after")
        if after >= before:
            raise DomainError("Thời hạn sau cắt giảm phải nhỏ hơn thời hạn trước.", code="not_a_cut", field="time_after")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(f"Ghi chú tối đa {NOTE_MAX} ký tự.", code="too_long", field="note")

    # Lock the procedure row: two clerks recording the same decision at once cannot both pass the check.
    Procedure.objects.select_for_update().filter(pk=procedure.pk).first()
    duplicate = ProcedureEvent.objects.filter(
        procedure=procedure, province=province, kind=kind, decision_no=decision_no, decision_date=decision_date,
    ).exists()
    if duplicate:
        raise ConflictError("Sự kiện này (cùng loại, số và ngày quyết định) đã được ghi.", code="event_exists",
                            field="decision_no")

    closed: list[int] = []
    if kind == EventKind.ABOLISHED and close_publications:
        versions = list(
            ProvinceProcedure.objects.select_for_update()
            .filter(province=province, procedure=procedure).order_by("level", "effective_from")
        )
        if any(v.effective_from >= decision_date for v in versions):
            raise ConflictError(
                "Có phiên bản công bố có hiệu lực từ ngày quyết định bãi bỏ trở về sau; không thể đóng tự động.",
                code="version_after_decision", field="decision_date",
            )
        for version in versions:
            if version.effective_to is None or version.effective_to >= decision_date:
                version.effective_to = decision_date - dt.timedelta(days=1)
                version.save(update_fields=["effective_to"])
                closed.append(version.pk)

    event = ProcedureEvent.objects.create(
        procedure=procedure, province=province, kind=kind, decision_no=decision_no, decision_date=decision_date,
        time_before=before, time_after=after, note=note,
    )
    audit_record(
        actor=actor, action="catalog.event", obj=procedure, to_state=kind, reason=decision_no,
        data={
            "event": event.pk, "decision_date": decision_date.isoformat(), "province": province.code,
            "time_before": None if before is None else str(before),
            "time_after": None if after is None else str(after), "closed_versions": closed,
        },
    )
    return event


# ---------------------------------------------------------------------------------------------- reads

def staff_publication_list(
    *,
    province,
    on_date: dt.date,
    level: str = "",
    field: str = "",
    online_level: str = "",
    desk: str = "",
    query: str = "",
):
    """Các TTHC tỉnh đang áp dụng: publication rows of `province` in force on `on_date`, filtered.

    `desk` is a unit code or COMMUNE_DESKS ("every commune desk", i.e. no desk set). With a `query` the rows
    are those of the catalogue search (`search_procedures`, restricted to the province, best 100) in the
    search's order (a list); otherwise a queryset by procedure code then level (pages slice it in SQL).
    """
    qs = (
        ProvinceProcedure.objects.select_related("procedure", "desk", "handling_unit")
        .filter(in_force_q(on_date), province=province)
    )
    if level:
        qs = qs.filter(level=level)
    if field:
        qs = qs.filter(procedure__field=field)
    if online_level in OnlineLevel.values:
        qs = qs.filter(online_level=online_level)
    if desk == COMMUNE_DESKS:
        qs = qs.filter(desk__isnull=True)
    elif desk:
        qs = qs.filter(desk__code=desk)
    if not query:
        return qs.order_by("procedure__code", "level", "pk")
    from .search import search_procedures

    hits = search_procedures(query, limit=100, province=province)
    rank = {hit.code: i for i, hit in enumerate(hits)}
    rows = list(qs.filter(procedure__code__in=list(rank)))
    rows.sort(key=lambda row: (rank[row.procedure.code], row.level))
    return rows


def staff_filter_choices(*, province, on_date: dt.date) -> dict:
    """Values the filters of the list offer: fields and desks of the province's publications in force."""
    from cchc.units.models import Unit

    in_force = ProvinceProcedure.objects.filter(in_force_q(on_date), province=province)
    fields = sorted(
        {f for f in in_force.values_list("procedure__field", flat=True).distinct() if f},
    )
    desk_ids = set(in_force.exclude(desk__isnull=True).values_list("desk_id", flat=True).distinct())
    desks = [(u.code, u.name) for u in Unit.objects.filter(pk__in=desk_ids).order_by("name")]
    if in_force.filter(desk__isnull=True).exists():
        desks.append((COMMUNE_DESKS, "Bộ phận một cửa cấp xã (mọi xã, phường)"))
    return {"fields": fields, "desks": desks}


def staff_version_history(*, province, procedure: Procedure) -> list[ProvinceProcedure]:
    """Lịch sử công bố: every version the province published of the procedure, newest first."""
    return list(
        ProvinceProcedure.objects.select_related("desk", "handling_unit")
        .filter(province=province, procedure=procedure)
        .order_by("-effective_from", "level")
    )


def staff_events(*, province, procedure: Procedure | None = None, date_from=None, date_to=None):
    """Sự kiện của tỉnh (and national ones when a procedure is given), newest first."""
    qs = ProcedureEvent.objects.select_related("procedure", "province")
    if procedure is not None:
        qs = qs.filter(procedure=procedure).filter(Q(province=province) | Q(province__isnull=True))
    else:
        qs = qs.filter(province=province)
    if date_from is not None:
        qs = qs.filter(decision_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(decision_date__lte=date_to)
    return qs.order_by("-decision_date", "-id")


# -------------------------------------------------------------------------------------------- exports

def vn_int(n: int) -> str:
    """1937 → "1.937" (Vietnamese thousands separator)."""
    return format_vn(int(n))


def vn_pct(value: float) -> str:
    """57.41 → "57,41%" (Vietnamese decimal comma, two decimals)."""
    return format_vn(value, 2) + "%"


def report_sentence(report: dict) -> str:
    """The line a province writes in its report: "1.937 TTHC đang có hiệu lực; 1.132 đã đơn giản hóa (57,41%); ..."."""
    text = (
        f"{vn_int(report['in_force'])} TTHC đang có hiệu lực; {vn_int(report['simplified'])} đã đơn giản hóa "
        f"({vn_pct(report['simplified_pct'])}); {vn_int(report['new'])} ban hành mới, "
        f"{vn_int(report['amended'])} sửa đổi, {vn_int(report['abolished'])} bãi bỏ"
    )
    if report.get("new_or_amended"):
        text += (
            f"; cắt giảm thời gian giải quyết {vn_int(report['time_cut_of_new_or_amended'])}/"
            f"{vn_int(report['new_or_amended'])} TTHC ban hành mới, sửa đổi"
        )
    return text


REPORT_ROWS = (
    ("in_force", "TTHC đang có hiệu lực (tại ngày cuối kỳ)"),
    ("simplified", "TTHC đã đơn giản hóa (lũy kế đến cuối kỳ)"),
    ("simplified_pct", "Tỷ lệ đã đơn giản hóa (%)"),
    ("new", "Ban hành mới trong kỳ"),
    ("amended", "Sửa đổi, bổ sung trong kỳ"),
    ("abolished", "Bãi bỏ trong kỳ"),
    ("simplified_in_period", "Quyết định đơn giản hóa trong kỳ"),
    ("time_cut", "Quyết định cắt giảm thời gian trong kỳ"),
    ("new_or_amended", "TTHC ban hành mới hoặc sửa đổi trong kỳ"),
    ("time_cut_of_new_or_amended", "…trong đó được cắt giảm thời gian trong kỳ"),
)


def simplification_report_xlsx(*, report: dict, events) -> bytes:
    """Báo cáo kiểm soát TTHC as XLSX: sheet "Tổng hợp" (figures) and sheet "Sự kiện" (the period's events)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Tổng hợp"
    sheet.append([f"Báo cáo kiểm soát thủ tục hành chính — {report['province_name']}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"Kỳ báo cáo: {dt.date.fromisoformat(report['from']):%d/%m/%Y} – "
                  f"{dt.date.fromisoformat(report['to']):%d/%m/%Y}"])
    sheet.append([])
    sheet.append(["Chỉ tiêu", "Số liệu"])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for key, label in REPORT_ROWS:
        sheet.append([label, report[key]])
        if key == "simplified_pct":
            sheet.cell(row=sheet.max_row, column=2).number_format = "0.00"
    sheet.append([])
    sheet.append([report_sentence(report)])
    sheet.column_dimensions["A"].width = 52
    sheet.column_dimensions["B"].width = 14

    detail = book.create_sheet("Sự kiện")
    detail.append(["Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Loại sự kiện", "Số quyết định", "Ngày quyết định",
                   "Thời hạn trước", "Thời hạn sau", "Ghi chú"])
    for cell in detail[1]:
        cell.font = Font(bold=True)
    for ev in events:
        detail.append([
            ev.procedure.code, ev.procedure.name, ev.procedure.field, ev.get_kind_display(), ev.decision_no,
            ev.decision_date, None if ev.time_before is None else float(ev.time_before),
            None if ev.time_after is None else float(ev.time_after), ev.note,
        ])
        detail.cell(row=detail.max_row, column=6).number_format = "DD/MM/YYYY"
    for col, width in zip("ABCDEFGHI", (12, 60, 30, 26, 18, 14, 12, 12, 30), strict=True):
        detail.column_dimensions[col].width = width
    return workbook_bytes(book)
