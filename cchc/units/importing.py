"""Reading a commune/ward list (danh sách xã, phường) from CSV or XLSX into plain rows.

Pure module (no Django): recognises English or Vietnamese headers, with or without diacritics,
and gives each data row its line number in the file (the header is line 1).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cchc.core.textfile import TextEncodingError, decode_text
from cchc.core.textfold import fold, nfc

# canonical field -> accepted header spellings, folded (no diacritics, lower case, "_" and "-" as spaces)
HEADER_ALIASES: dict[str, set[str]] = {
    "code": {"code", "ma", "ma xa", "ma don vi", "ma dvhc", "commune code", "ward code", "ma xa phuong"},
    "name": {"name", "ten", "ten xa", "ten don vi", "ten dvhc", "commune name", "ten xa phuong"},
    "type": {"type", "loai", "kind", "cap", "loai don vi", "loai dvhc"},
    "province_code": {"province code", "province", "ma tinh", "province_code", "tinh", "ma tinh thanh"},
}
REQUIRED = ("code", "name", "type", "province_code")


class TableError(Exception):
    """The file cannot be used at all: missing, unreadable, or without a recognisable header."""


@dataclass
class Row:
    line: int
    values: dict[str, str]


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", fold(text)).strip()


def map_header(cells: list[str]) -> dict[str, int]:
    """Canonical field -> column index; raises TableError naming the missing columns."""
    found: dict[str, int] = {}
    for idx, cell in enumerate(cells):
        key = _header_key(cell or "")
        for field, names in HEADER_ALIASES.items():
            if key in names and field not in found:
                found[field] = idx
    missing = [f for f in REQUIRED if f not in found]
    if missing:
        raise TableError(
            "không nhận ra dòng tiêu đề: thiếu cột " + ", ".join(missing)
            + " (chấp nhận: code/ma, name/ten, type/loai, province_code/ma_tinh)"
        )
    return found


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _read_csv(path: Path, encoding: str | None = None) -> list[list[str]]:
    try:
        text = decode_text(path.read_bytes(), encoding=encoding, field="file")
    except TextEncodingError as exc:
        raise TableError(str(exc)) from exc
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    return [[_cell_text(c) for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        rows = []
        for row in ws.iter_rows(values_only=True):
            rows.append([_cell_text(c) for c in row])
        return rows
    finally:
        wb.close()


def read_table(path: str | Path, *, encoding: str | None = None) -> list[Row]:
    """Rows of the first sheet/table under a recognisable header; blank lines are skipped.

    A CSV must be UTF-8 (or UTF-16 with its mark) unless ``encoding`` names another one (cchc.core.textfile).
    """
    path = Path(path)
    if not path.exists() or not path.is_file():
        raise TableError(f"không tìm thấy tệp {path}")
    try:
        raw = path.read_bytes()[:8]
        if raw.startswith(b"PK") or path.suffix.lower() in {".xlsx", ".xlsm"}:
            table = _read_xlsx(path)
        else:
            table = _read_csv(path, encoding)
    except TableError:
        raise
    except Exception as exc:  # any parser failure means the file is unreadable for us
        raise TableError(f"không đọc được tệp {path.name}: {exc.__class__.__name__}") from exc
    header_at = next((i for i, r in enumerate(table) if any(c for c in r)), None)
    if header_at is None:
        raise TableError("tệp rỗng: không có dòng tiêu đề")
    columns = map_header(table[header_at])
    rows = []
    for offset, cells in enumerate(table[header_at + 1:], start=header_at + 2):
        if not any(c for c in cells):
            continue
        values = {f: nfc(cells[i]) if i < len(cells) else "" for f, i in columns.items()}
        rows.append(Row(line=offset, values=values))
    return rows
