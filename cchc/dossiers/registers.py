"""Sổ theo dõi hồ sơ (dossier register) as XLSX, columns as the official form (Mẫu 06 of
TT 01/2018/TT-VPCP, Mẫu 07 of TT 03/2025/TT-VPCP; see docs/forms.md).

`write_register(rows, ...)` takes plain dicts (keys of REGISTER_COLUMNS) so it is testable without a
database; `register_rows(dossiers)` turns dossiers into such dicts.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from cchc.core.xlsx import workbook_bytes


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    kind: str = "text"  # text | int | datetime | date


REGISTER_COLUMNS: list[Column] = [
    Column("stt", "STT", 6, "int"),
    Column("code", "Mã hồ sơ", 24),
    Column("procedure", "Tên thủ tục hành chính", 40),
    Column("quantity", "Số lượng hồ sơ (bộ)", 9, "int"),
    Column("applicant", "Tên cá nhân, tổ chức", 24),
    Column("contact", "Địa chỉ, số điện thoại", 30),
    Column("handling_unit", "Cơ quan chủ trì giải quyết", 24),
    Column("received_at", "Ngày, tháng, năm tiếp nhận", 16, "datetime"),
    Column("due_at", "Ngày, tháng, năm hẹn trả kết quả", 16, "datetime"),
    Column("transferred_at", "Chuyển hồ sơ đến cơ quan giải quyết (ngày, tháng)", 16, "datetime"),
    Column("result_at", "Ngày, tháng có kết quả / yêu cầu bổ sung", 16, "datetime"),
    Column("returned_at", "Ngày, tháng, năm trả kết quả", 16, "datetime"),
    Column("signed_by", "Ký nhận", 14),
    Column("note", "Ghi chú", 24),
]
COLUMN_KEYS = [c.key for c in REGISTER_COLUMNS]

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "Times New Roman"


def _excel_value(value, kind: str):
    """Datetimes go to Excel as naive local time (Excel has no time zones)."""
    if value in (None, ""):
        return None
    if kind == "datetime" and isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None)
    if kind in ("datetime", "date") and isinstance(value, date) and not isinstance(value, datetime):
        return value
    if kind == "int":
        try:
            return int(value)
        except (TypeError, ValueError):
            return value
    return str(value)


def write_register(
    rows: Iterable[dict],
    *,
    unit_name: str,
    parent_name: str = "",
    period_from: date | None = None,
    period_to: date | None = None,
    form_number: str = "",
    circular: str = "",
) -> bytes:
    """Build the register workbook and return the XLSX bytes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "So theo doi ho so"
    ncols = len(REGISTER_COLUMNS)
    last = get_column_letter(ncols)

    def merged(row: int, text: str, *, bold=False, italic=False, size=12, align="center") -> None:
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = Font(name=_FONT, bold=bold, italic=italic, size=size)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)

    row = 1
    if form_number:
        merged(row, f"Mẫu số {form_number}" + (f" – Thông tư {circular}" if circular else ""), italic=True, size=10, align="right")
        row += 1
    if parent_name:
        merged(row, parent_name.upper(), size=12, align="left")
        row += 1
    merged(row, unit_name.upper(), bold=True, size=12, align="left")
    row += 1
    merged(row, "SỔ THEO DÕI HỒ SƠ", bold=True, size=15)
    ws.row_dimensions[row].height = 24
    row += 1
    if period_from or period_to:
        text = "Từ ngày {} đến ngày {}".format(
            period_from.strftime("%d/%m/%Y") if period_from else "…",
            period_to.strftime("%d/%m/%Y") if period_to else "…",
        )
        merged(row, text, italic=True)
        row += 1
    row += 1
    header_row = row
    for idx, col in enumerate(REGISTER_COLUMNS, start=1):
        cell = ws.cell(row=header_row, column=idx, value=col.header)
        cell.font = Font(name=_FONT, bold=True, size=11)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
        ws.column_dimensions[get_column_letter(idx)].width = col.width
        num = ws.cell(row=header_row + 1, column=idx, value=f"({idx})")
        num.font = Font(name=_FONT, italic=True, size=10)
        num.alignment = Alignment(horizontal="center")
        num.border = _BORDER
    ws.row_dimensions[header_row].height = 60
    first_data = header_row + 2
    count = 0
    for count, data in enumerate(rows, start=1):
        r = first_data + count - 1
        values = dict(data)
        values.setdefault("stt", count)
        for idx, col in enumerate(REGISTER_COLUMNS, start=1):
            cell = ws.cell(row=r, column=idx, value=_excel_value(values.get(col.key), col.kind))
            cell.font = Font(name=_FONT, size=11)
            cell.border = _BORDER
            if col.kind == "datetime":
                cell.number_format = "dd/mm/yyyy hh:mm"
                cell.alignment = Alignment(horizontal="center", vertical="top")
            elif col.kind == "date":
                cell.number_format = "dd/mm/yyyy"
                cell.alignment = Alignment(horizontal="center", vertical="top")
            elif col.kind == "int":
                cell.alignment = Alignment(horizontal="center", vertical="top")
            else:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = ws.cell(row=first_data, column=3)
    ws.print_title_rows = f"{header_row}:{header_row + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if count:
        ws.auto_filter.ref = f"A{header_row}:{last}{first_data + count - 1}"
    wb.properties.title = "Sổ theo dõi hồ sơ"
    wb.properties.creator = "Nền tảng CCHC"
    return workbook_bytes(wb)


def read_register(data: bytes) -> list[dict]:
    """Read back the data rows of a register written by write_register (tests, imports)."""
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(data)).active
    header_row = None
    for row in ws.iter_rows(min_row=1, max_row=12):
        if row[0].value == "STT":
            header_row = row[0].row
            break
    if header_row is None:
        return []
    out = []
    for row in ws.iter_rows(min_row=header_row + 2, values_only=True):
        if all(v is None for v in row):
            continue
        out.append(dict(zip(COLUMN_KEYS, row, strict=False)))
    return out


def register_rows(dossiers) -> list[dict]:
    """Rows of the register from Dossier objects (prefetch steps/pauses for large periods)."""
    from . import workflow as wf
    from .selectors import is_settled_late

    rows = []
    for d in dossiers:
        steps = sorted(d.steps.all(), key=lambda s: s.seq)
        pauses = sorted((p for p in d.pauses.all() if p.kind == "supplement"), key=lambda p: p.started_at)
        result_at = d.settled_at or (pauses[0].started_at if pauses else None)
        notes = []
        if d.status in (wf.REJECTED, wf.WITHDRAWN):
            notes.append(d.status_label + (f": {d.status_reason}" if d.status_reason else ""))
        if pauses:
            notes.append("Yêu cầu bổ sung")
        if is_settled_late(d):
            notes.append("Quá hạn")
        if d.apology_count:
            notes.append(f"Đã xin lỗi, hẹn lại {d.apology_count} lần")
        contact = ", ".join(x for x in (d.applicant_address, d.applicant_phone) if x)
        rows.append({
            "code": d.code,
            "procedure": d.procedure.name,
            "quantity": 1,
            "applicant": d.applicant_name,
            "contact": contact,
            "handling_unit": d.handling_unit.name if d.handling_unit_id else d.unit.name,
            "received_at": d.received_at or d.submitted_at,
            "due_at": d.due_at,
            "transferred_at": steps[0].sent_at if steps else None,
            "result_at": result_at,
            "returned_at": d.returned_at,
            "signed_by": "",
            "note": "; ".join(notes),
        })
    return rows
