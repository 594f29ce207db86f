"""Nhập/xuất bộ tiêu chí: CSV and XLSX import/export of criteria trees.

Columns (header row, case-insensitive): code, parent, title, max_points (required); method, rule
(JSON), responsible, evidence_required, effort, confirmed (optional). A parent's max_points may be
empty (= sum of its children's). Errors name the line of the file (header = line 1).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from cchc.core.errors import DomainError
from cchc.core.xlsx import workbook_bytes

REQUIRED = ["code", "parent", "title", "max_points"]
OPTIONAL = ["method", "rule", "responsible", "evidence_required", "effort", "confirmed"]
COLUMNS = REQUIRED + OPTIONAL


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_from_table(table: list[list], source: str) -> list[dict]:
    if not table:
        raise DomainError(f"{source}: tệp trống, thiếu cột 'code'", code="missing_column", field="code", extra={"row": 1})
    header = [_cell(h).lstrip("\ufeff").lower() for h in table[0]]
    for col in REQUIRED:
        if col not in header:
            raise DomainError(f"{source}: dòng 1: thiếu cột {col!r}", code="missing_column", field=col, extra={"row": 1})
    idx = {name: header.index(name) for name in COLUMNS if name in header}
    rows = []
    for line, values in enumerate(table[1:], start=2):
        if not any(_cell(v) for v in values):
            continue
        rec = {name: (_cell(values[i]) if i < len(values) else "") for name, i in idx.items()}
        rule = rec.get("rule") or ""
        if rule:
            try:
                rec["rule"] = json.loads(rule)
            except json.JSONDecodeError:
                raise DomainError(f"{source}: dòng {line}: quy tắc tính điểm không phải JSON hợp lệ", code="invalid_row", field="rule", extra={"row": line}) from None
        else:
            rec["rule"] = {}
        rec["row"] = line
        rows.append(rec)
    return rows


def read_criteria_csv(data: bytes | str, *, source: str = "criteria.csv") -> list[dict]:
    """Rows of a criteria CSV (UTF-8, BOM accepted)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DomainError(f"{source}: tệp không phải UTF-8", code="encoding") from None
    data = data.lstrip("\ufeff")
    return _rows_from_table(list(csv.reader(io.StringIO(data))), source)


def read_criteria_xlsx(data: bytes, *, source: str = "criteria.xlsx") -> list[dict]:
    """Rows of the first sheet of a criteria XLSX."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable upload is a 400, not a 500
        raise DomainError(f"{source}: không đọc được tệp XLSX", code="invalid_file") from None
    ws = wb.worksheets[0]
    table = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return _rows_from_table(table, source)


def read_criteria(data: bytes, *, filename: str) -> list[dict]:
    """Dispatch on the file name (.xlsx → XLSX, anything else → CSV)."""
    if filename.lower().endswith(".xlsx"):
        return read_criteria_xlsx(data, source=filename)
    return read_criteria_csv(data, source=filename)


def _export_rows(criteria_set) -> list[list]:
    from .services import criteria_set_rows

    out = [COLUMNS]
    for r in criteria_set_rows(criteria_set):
        out.append([
            r["code"], r["parent"], r["title"],
            ("" if r["parent"] == "" and False else _fmt(r["max_points"])),
            r["method"], json.dumps(r["rule"], ensure_ascii=False) if r["rule"] else "", r["responsible"],
            r["evidence_required"], r["effort"], "có" if r["confirmed"] else "không",
        ])
    return out


def _fmt(value: Decimal) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text


def export_criteria_csv(criteria_set) -> bytes:
    """The tree as CSV (UTF-8 with BOM so spreadsheet programs read Vietnamese correctly)."""
    buf = io.StringIO()
    csv.writer(buf).writerows(_export_rows(criteria_set))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def export_criteria_xlsx(criteria_set) -> bytes:
    """The tree as XLSX (one sheet, same columns as CSV; maxima as numbers)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Bộ tiêu chí"
    for i, row in enumerate(_export_rows(criteria_set)):
        if i:
            row = list(row)
            row[3] = float(row[3]) if row[3] != "" else None
        ws.append(row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.column_dimensions["C"].width = 70
    return workbook_bytes(wb)
