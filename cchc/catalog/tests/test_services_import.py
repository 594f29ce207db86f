"""Importing the national catalogue: idempotent, reports data problems instead of importing garbage."""

import csv

import pytest
from openpyxl import Workbook

from cchc.catalog.importing import KNOWN_COLUMNS
from cchc.catalog.models import Procedure
from cchc.catalog.reference import CATALOGUE_FILE
from cchc.catalog.services import procedure_import
from cchc.core.errors import DomainError
from cchc.core.models import AuditEvent

from .conftest import write_slice

pytestmark = pytest.mark.django_db

BAD_ROWS = [
    {"ma_thu_tuc": "", "ten_thu_tuc": "Thủ tục không có mã"},
    {"ma_thu_tuc": "ABC", "ten_thu_tuc": "Mã sai định dạng"},
    {"ma_thu_tuc": "9.999999", "ten_thu_tuc": ""},
    {"ma_thu_tuc": "1.001193", "ten_thu_tuc": "Thủ tục đăng ký khai sinh (dòng lặp)"},
]


def test_shipped_catalogue_imports_once_and_rejects_the_17_misaligned_records():
    first = procedure_import(path=CATALOGUE_FILE)
    assert first["rows"] == 2642
    assert first["created"] == 2625
    assert len(first["rejected"]) == 17
    assert all("thuộc trang khác" in r["reason"] for r in first["rejected"])
    assert {"row", "code", "reason"} <= set(first["rejected"][0])
    assert first["flagged_time"] > 900
    second = procedure_import(path=CATALOGUE_FILE)
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 2625)
    assert Procedure.objects.count() == 2625


def test_birth_registration_keeps_its_raw_time_and_is_flagged_as_a_bare_number():
    procedure_import(path=CATALOGUE_FILE)
    birth = Procedure.objects.get(code="1.001193")
    assert birth.name == "Thủ tục đăng ký khai sinh"
    assert birth.time_raw == "1"
    assert birth.time_unit == "unknown" and birth.time_ambiguous
    assert birth.time_display == "1 (không ghi đơn vị)"
    assert birth.search_text == " thu tuc dang ky khai sinh "
    assert birth.field == "Hộ tịch"
    assert "trực tiếp" in birth.channel_list


def test_rejected_rows_are_listed_with_spreadsheet_row_numbers_and_reasons(tmp_path):
    path = write_slice(tmp_path / "bad.csv", extra_rows=BAD_ROWS, words=("khai sinh",))
    summary = procedure_import(path=path)
    reasons = {r["code"]: r["reason"] for r in summary["rejected"]}
    assert reasons[""] == "thiếu mã thủ tục"
    assert "không hợp lệ" in reasons["ABC"]
    assert reasons["9.999999"] == "thiếu tên thủ tục"
    assert reasons["1.001193"].startswith("mã thủ tục trùng với dòng")
    assert not Procedure.objects.filter(code__in=["ABC", "9.999999"]).exists()
    assert Procedure.objects.get(code="1.001193").name == "Thủ tục đăng ký khai sinh"
    rows = [r["row"] for r in summary["rejected"]]
    assert rows == sorted(rows) and min(rows) >= 2


def test_reimport_with_a_changed_row_updates_only_that_row(tmp_path):
    path = write_slice(tmp_path / "a.csv", words=("khai sinh",))
    first = procedure_import(path=path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[0]["thoi_han_so"], rows[0]["thoi_han_don_vi"] = "3", "Ngày làm việc"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    second = procedure_import(path=path)
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 1, first["created"] - 1)
    changed = Procedure.objects.get(code=rows[0]["ma_thu_tuc"])
    assert (changed.time_value, changed.time_unit, changed.time_ambiguous) == (3, "working_days", False)
    assert AuditEvent.objects.filter(action="catalog.import").count() == 2


def test_xlsx_with_the_same_headers_imports_the_same_way(tmp_path):
    csv_path = write_slice(tmp_path / "a.csv", words=("khai tử",))
    book = Workbook()
    sheet = book.active
    rows = list(csv.reader(csv_path.open(encoding="utf-8")))
    for row in rows:
        sheet.append(row)
    xlsx_path = tmp_path / "a.xlsx"
    book.save(xlsx_path)
    summary = procedure_import(path=xlsx_path)
    assert summary["created"] == len(rows) - 1
    again = procedure_import(path=csv_path)
    assert again["unchanged"] == len(rows) - 1 and again["updated"] == 0


@pytest.mark.parametrize("content", ["", "ma,ten\n1.0,x\n"])
def test_a_file_without_the_required_columns_is_refused_and_nothing_is_written(tmp_path, content):
    path = tmp_path / "x.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DomainError) as err:
        procedure_import(path=path)
    assert err.value.code == "bad_file"
    assert Procedure.objects.count() == 0


def test_unknown_file_type_and_missing_file_are_refused(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    for path in (tmp_path / "a.pdf", tmp_path / "missing.csv"):
        with pytest.raises(DomainError):
            procedure_import(path=path)


def test_known_columns_match_the_shipped_file_header():
    header = next(csv.reader(CATALOGUE_FILE.open(encoding="utf-8")))
    assert tuple(header) == KNOWN_COLUMNS


def test_xlsx_codes_typed_as_numbers_keep_their_six_decimals(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["ma_thu_tuc", "ten_thu_tuc", "thoi_han_so", "thoi_han_don_vi"])
    sheet.append([1.00001, "Đánh giá, chứng nhận năng lực cơ sở thử nghiệm", 1, "Ngày làm việc"])
    path = tmp_path / "numbers.xlsx"
    book.save(path)
    summary = procedure_import(path=path)
    assert summary["created"] == 1
    proc = Procedure.objects.get(code="1.000010")
    assert (proc.time_value, proc.time_unit) == (1, "working_days")


def test_semicolon_separated_csv_from_excel_is_read(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text("\ufeffma_thu_tuc;ten_thu_tuc;thoi_han_so;thoi_han_don_vi\n"
                    "1.001193;Thủ tục đăng ký khai sinh;Trong ngày;\n", encoding="utf-8")
    summary = procedure_import(path=path)
    assert summary["created"] == 1 and summary["rejected"] == []
    assert Procedure.objects.get(code="1.001193").time_unit == "same_day"


FEE_ROWS = [
    {"ma_thu_tuc": "9.000001", "ten_thu_tuc": "Thủ tục phí thật", "phi_le_phi": "1,000 VNĐ"},
    {"ma_thu_tuc": "9.000002", "ten_thu_tuc": "Thủ tục phí đọc sai", "phi_le_phi": "999 VNĐ"},
    {"ma_thu_tuc": "9.000003", "ten_thu_tuc": "Thủ tục phí khoảng", "phi_le_phi": "100.000 - 200.000 đồng"},
    {"ma_thu_tuc": "9.000004", "ten_thu_tuc": "Thủ tục miễn phí", "phi_le_phi": "Miễn phí"},
    {"ma_thu_tuc": "9.000005", "ten_thu_tuc": "Thủ tục không có phí", "phi_le_phi": ""},
]


def test_implausible_fees_are_flagged_in_the_import_report_and_the_data_note(tmp_path):
    path = write_slice(tmp_path / "fees.csv", extra_rows=FEE_ROWS, words=("không có từ này",))
    summary = procedure_import(path=path)
    assert summary["created"] == 5 and summary["flagged_fee"] == 2
    assert [(f["row"], f["code"]) for f in summary["flagged_fees"]] == [(3, "9.000002"), (4, "9.000003")]
    assert "dưới 1.000 đồng" in summary["flagged_fees"][0]["reason"]
    assert "Phí, lệ phí cần xác minh" in Procedure.objects.get(code="9.000002").data_note
    assert "Phí" not in Procedure.objects.get(code="9.000001").data_note
    assert AuditEvent.objects.filter(action="catalog.import").last().data["flagged_fee"] == 2
    assert procedure_import(path=path)["unchanged"] == 5  # the note is stable: a re-import changes nothing
