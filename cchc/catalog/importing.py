"""Read a catalogue file (CSV or XLSX with the national-catalogue headers) and turn rows into field dicts.

Pure except for the file reading: no Django import, so the row rules have table-driven tests.
Column names: /work/shared/data/README.md (copied to cchc/catalog/data/SOURCE.md).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .feeparse import parse_fee
from .timeparse import compose_time_text, parse_processing_time

REQUIRED_COLUMNS = ("ma_thu_tuc", "ten_thu_tuc")
KNOWN_COLUMNS = (
    "ma_thu_tuc", "ten_thu_tuc", "linh_vuc", "cap_thuc_hien", "co_quan_ban_hanh", "co_quan_thuc_hien",
    "so_quyet_dinh_cong_bo", "loai_thu_tuc", "kenh_nop", "co_kenh_nop_truc_tuyen", "thoi_han_so",
    "thoi_han_don_vi", "thoi_han_ngay_lam_viec", "thoi_han_cac_kenh", "phi_le_phi", "muc_do_dvc_truc_tuyen",
    "ghi_chu_du_lieu", "detail_url_dichvucong", "source_url",
)
CODE_RE = re.compile(r"^\d+(\.\d+)+$")
CHANNELS = {  # crawled channel label -> stored label (Vietnamese, as shown to people)
    "truc tiep": "trực tiếp",
    "dich vu buu chinh": "bưu chính",
    "buu chinh": "bưu chính",
    "buu chinh cong ich": "bưu chính",
    "truc tuyen": "trực tuyến",
}
CHANNEL_ORDER = ["trực tiếp", "bưu chính", "trực tuyến"]
MISALIGNED_MARK = "crawl lệch"


class ImportFileError(Exception):
    """The file itself cannot be read (format, encoding, missing columns)."""


@dataclass
class RowResult:
    row: int
    code: str
    fields: dict = field(default_factory=dict)
    reject_reason: str = ""
    time_ambiguous: bool = False
    fee_problems: list = field(default_factory=list)


def _nfc(value) -> str:
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower().strip()


def read_rows(path: str | Path) -> Iterator[tuple[int, dict]]:
    """Yield (row number as in a spreadsheet: header = 1, first data row = 2, dict of cells)."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(f"Không tìm thấy tệp: {path}")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        yield from _read_xlsx(path)
    elif suffix in {".csv", ".txt", ""}:
        yield from _read_csv(path)
    else:
        raise ImportFileError(f"Định dạng tệp không hỗ trợ: {suffix} (chỉ nhận .csv hoặc .xlsx)")


def _check_header(header: list[str]) -> list[str]:
    header = [_nfc(h).lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFileError(f"Thiếu cột bắt buộc: {', '.join(missing)}")
    return header


def _read_csv(path: Path) -> Iterator[tuple[int, dict]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first_line = handle.readline()
            handle.seek(0)
            # Excel with Vietnamese regional settings saves "CSV" with semicolons
            delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
            reader = csv.reader(handle, delimiter=delimiter)
            try:
                header = _check_header(next(reader))
            except StopIteration as exc:
                raise ImportFileError("Tệp rỗng") from exc
            try:
                for index, cells in enumerate(reader, start=2):
                    if not any(c.strip() for c in cells):
                        continue
                    yield index, {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)}
            except csv.Error as exc:  # a cell over csv.field_size_limit() (131.072 ký tự), a broken quote
                line = reader.line_num
                if "field larger than field limit" in str(exc):
                    raise ImportFileError(
                        f"Dòng {line}: một ô dài quá {csv.field_size_limit():_} ký tự (giới hạn một ô CSV); ".replace("_", ".")
                        + "kiểm tra dấu ngoặc kép không đóng hoặc rút gọn nội dung") from exc
                raise ImportFileError(f"Dòng {line}: tệp CSV không đúng định dạng ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise ImportFileError("Tệp CSV phải mã hóa UTF-8 (lưu lại bằng \"CSV UTF-8\"); không đoán bảng mã khác") from exc


def _read_xlsx(path: Path) -> Iterator[tuple[int, dict]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a bad file
        raise ImportFileError(f"Không đọc được tệp XLSX: {exc}") from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        try:
            header = _check_header([_nfc(h) for h in next(rows)])
        except StopIteration as exc:
            raise ImportFileError("Tệp rỗng") from exc
        for index, cells in enumerate(rows, start=2):
            if not any(_nfc(c) for c in cells):
                continue
            yield index, {
                name: _cell(cells[i], code=name == "ma_thu_tuc") if i < len(cells) else ""
                for i, name in enumerate(header)
            }
    finally:
        book.close()


def _cell(value, *, code: bool = False) -> str:
    if code and isinstance(value, float):
        return f"{value:.6f}"  # a code typed as a number: 1.00001 was 1.000010 (national codes have 6 decimals)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def channels_of(text: str) -> list[str]:
    found = set()
    for part in re.split(r"[|;,]", text or ""):
        label = CHANNELS.get(_fold(part))
        if label:
            found.add(label)
    return [c for c in CHANNEL_ORDER if c in found]


def levels_of(text: str) -> str:
    parts = [p.strip() for p in re.split(r"[,;|]", text or "") if p.strip()]
    return ", ".join(dict.fromkeys(parts))


def row_to_fields(row_no: int, cells: dict) -> RowResult:
    """Validate one row; return the Procedure field values or the reason to reject it."""
    code = _nfc(cells.get("ma_thu_tuc"))
    name = re.sub(r"\s+", " ", _nfc(cells.get("ten_thu_tuc")))
    note = _nfc(cells.get("ghi_chu_du_lieu"))
    result = RowResult(row=row_no, code=code)
    if not code:
        result.reject_reason = "thiếu mã thủ tục"
        return result
    if not CODE_RE.match(code):
        result.reject_reason = f"mã thủ tục không hợp lệ: {code!r}"
        return result
    if not name:
        result.reject_reason = "thiếu tên thủ tục"
        return result
    if MISALIGNED_MARK in note:
        result.reject_reason = f"dữ liệu chi tiết thuộc trang khác ({note})"
        return result
    nul_column = next((name for name, value in cells.items() if "\x00" in str(value or "")), None)
    if nul_column:  # PostgreSQL text cannot hold U+0000: refuse the row instead of failing the whole import
        result.reject_reason = f"cột {nul_column}: chứa ký tự NUL (U+0000), không được chấp nhận"
        return result

    time_text = compose_time_text(cells.get("thoi_han_so"), cells.get("thoi_han_don_vi"))
    time_all = _nfc(cells.get("thoi_han_cac_kenh")) or time_text
    parsed = parse_processing_time(time_text)
    if parsed.invalid:
        result.reject_reason = f"cột thoi_han_so: {parsed.reason} (cần một số không âm, viết thường, ví dụ 5)"
        return result
    channels = channels_of(_nfc(cells.get("kenh_nop")))
    online_flag = _fold(_nfc(cells.get("co_kenh_nop_truc_tuyen")))
    notes = [note] if note else []
    if parsed.ambiguous:
        notes.append(f"Thời hạn cần xác minh: {parsed.reason}")
    fee = parse_fee(_nfc(cells.get("phi_le_phi")))
    if fee.flagged:
        notes.append("Phí, lệ phí cần xác minh: " + "; ".join(fee.problems))
        result.fee_problems = fee.problems
    source_url = _nfc(cells.get("source_url")).split(" ; ")[0][:500]
    result.time_ambiguous = parsed.ambiguous
    result.fields = {
        "name": name,
        "field": _nfc(cells.get("linh_vuc"))[:255],
        "levels": levels_of(_nfc(cells.get("cap_thuc_hien")))[:255],
        "issuing_agency": _nfc(cells.get("co_quan_ban_hanh"))[:255],
        "implementing_agency": _nfc(cells.get("co_quan_thuc_hien")),
        "decision_no": _nfc(cells.get("so_quyet_dinh_cong_bo"))[:255],
        "kind": _nfc(cells.get("loai_thu_tuc"))[:120],
        "channels": "; ".join(channels),
        "has_online_channel": "trực tuyến" in channels or online_flag == "co",
        "fee_text": _nfc(cells.get("phi_le_phi")),
        "time_raw": time_all,
        "time_value": parsed.value,
        "time_unit": parsed.unit,
        "time_ambiguous": parsed.ambiguous,
        "data_note": "; ".join(notes),
        "detail_url": _nfc(cells.get("detail_url_dichvucong"))[:500],
        "source_url": source_url,
    }
    return result
