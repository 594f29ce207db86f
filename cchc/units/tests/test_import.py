import json

import pytest
from openpyxl import Workbook

from cchc.cli import main
from cchc.core.models import AuditEvent
from cchc.units import reference
from cchc.units.importing import TableError, read_table
from cchc.units.models import Unit, UnitKind
from cchc.units.services import unit_import_communes

from .factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def provinces(monkeypatch):
    reference.load()
    # the CLI calls ensure_ready(); here the provinces are enough and the other apps' data is not needed
    monkeypatch.setattr("cchc.core.setup.ensure_ready", lambda stdout=None: reference.load())


def write_csv(tmp_path, text, name="xa.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run_cli(capsys, *argv):
    code = main(["units", *argv])
    out = capsys.readouterr()
    return code, out


GOOD = (
    "code,name,type,province_code\n"
    "25001,Phường Tân Ninh,phuong,80\n"
    "25002,Xã Hưng Điền,xa,80\n"
    "25003,Đặc khu Côn Đảo,dac_khu,79\n"
)


def test_good_rows_are_created_under_their_province(tmp_path):
    result = unit_import_communes(rows=read_table(write_csv(tmp_path, GOOD)))
    assert result == {"created": 3, "updated": 0, "unchanged": 0, "rejected": []}
    ward = Unit.objects.get(code="25001")
    assert ward.kind == UnitKind.WARD and ward.province.code == "80" and ward.parent.code == "80"
    assert Unit.objects.get(code="25002").kind == UnitKind.COMMUNE
    assert Unit.objects.get(code="25003").kind == UnitKind.SPECIAL_ZONE
    assert AuditEvent.objects.filter(action="units.commune_created").count() == 3


def test_vietnamese_headers_and_type_labels_are_accepted(tmp_path):
    text = "Mã,Tên,Loại,Mã tỉnh\n26001,Xã A,Xã,80\n26002,Phường B,Phường,80\n26003,Đặc khu C,Đặc khu,80\n"
    result = unit_import_communes(rows=read_table(write_csv(tmp_path, text)))
    assert result["created"] == 3
    text = "ma;ten;loai;ma_tinh\n27001;Xã D;commune;80\n27002;Phường E;ward;80\n27003;Đặc khu F;special_zone;80\n"
    result = unit_import_communes(rows=read_table(write_csv(tmp_path, text, "b.csv")))
    assert result["created"] == 3
    assert set(Unit.objects.filter(code__startswith="27").values_list("kind", flat=True)) == {
        UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE}


def test_reimporting_the_same_file_is_idempotent(tmp_path):
    path = write_csv(tmp_path, GOOD)
    unit_import_communes(rows=read_table(path))
    again = unit_import_communes(rows=read_table(path))
    assert again == {"created": 0, "updated": 0, "unchanged": 3, "rejected": []}
    assert Unit.objects.filter(code__in=["25001", "25002", "25003"]).count() == 3


def test_a_changed_name_type_or_province_is_an_update(tmp_path):
    unit_import_communes(rows=read_table(write_csv(tmp_path, GOOD)))
    text = GOOD.replace("Xã Hưng Điền,xa,80", "Phường Hưng Điền,phuong,92")
    result = unit_import_communes(rows=read_table(write_csv(tmp_path, text, "v2.csv")))
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 1, 2)
    unit = Unit.objects.get(code="25002")
    assert (unit.name, unit.kind, unit.province.code) == ("Phường Hưng Điền", UnitKind.WARD, "92")


REJECTIONS = [
    # (row text, field, rule)
    (",Xã Không Mã,xa,80", "code", "required"),
    ("25#01,Xã Mã Lạ,xa,80", "code", "format"),
    ("28001,,xa,80", "name", "required"),
    ("28002,Xã Loại Lạ,thon,80", "type", "choice"),
    ("28003,Xã Không Loại,,80", "type", "choice"),
    ("28004,Xã Không Tỉnh,xa,", "province_code", "required"),
    ("28005,Xã Tỉnh Lạ,xa,99", "province_code", "unknown"),
    ("28006,Xã Tỉnh Cũ,xa,72", "province_code", "not_current"),
]


@pytest.mark.parametrize("line, field, rule", REJECTIONS)
def test_each_bad_row_is_rejected_with_line_field_and_rule(tmp_path, line, field, rule):
    text = "code,name,type,province_code\n25001,Phường Tốt,phuong,80\n" + line + "\n"
    result = unit_import_communes(rows=read_table(write_csv(tmp_path, text)))
    assert result["created"] == 1
    [rej] = result["rejected"]
    assert rej["row"] == 3 and rej["field"] == field and rej["rule"] == rule
    assert rej["reason"]


def test_a_code_repeated_in_the_file_is_rejected_on_its_second_line(tmp_path):
    text = "code,name,type,province_code\n25001,Xã A,xa,80\n25002,Xã B,xa,80\n25001,Xã C,xa,80\n"
    result = unit_import_communes(rows=read_table(write_csv(tmp_path, text)))
    assert result["created"] == 2
    assert result["rejected"][0]["row"] == 4 and result["rejected"][0]["rule"] == "duplicate"
    assert Unit.objects.get(code="25001").name == "Xã A"


def test_a_code_used_by_an_agency_is_not_overwritten(tmp_path):
    make_unit(code="SNV", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT)
    text = "code,name,type,province_code\nSNV,Xã Chiếm Mã,xa,80\n"
    result = unit_import_communes(rows=read_table(write_csv(tmp_path, text)))
    assert result["rejected"][0]["rule"] == "conflict"
    assert Unit.objects.get(code="SNV").kind == UnitKind.DEPARTMENT


def test_the_code_of_an_old_province_is_not_taken_by_a_commune(tmp_path):
    text = "code,name,type,province_code\nold-80,Xã Trùng Mã Tỉnh,xa,80\n"
    result = unit_import_communes(rows=read_table(write_csv(tmp_path, text)))
    assert result["rejected"][0]["field"] == "code" and result["rejected"][0]["rule"] == "conflict"


def test_blank_lines_are_skipped_and_line_numbers_stay_true(tmp_path):
    text = "code,name,type,province_code\n\n25001,Xã A,xa,80\n\n,Xã B,xa,80\n"
    result = unit_import_communes(rows=read_table(write_csv(tmp_path, text)))
    assert result["created"] == 1 and result["rejected"][0]["row"] == 5


def test_xlsx_with_numeric_codes_keeps_leading_zeros(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["ma", "ten", "loai", "ma_tinh"])
    ws.append([1234, "Phường Phúc Xá", "Phường", 1])
    ws.append(["00004", "Phường Trúc Bạch", "phuong", "01"])
    ws.append([None, None, None, None])
    ws.append([5, "Xã Sai Loại", "huyện", 1])
    path = tmp_path / "xa.xlsx"
    wb.save(path)
    result = unit_import_communes(rows=read_table(path))
    assert result["created"] == 2
    assert Unit.objects.get(code="01234").province.code == "01"
    assert Unit.objects.get(code="00004").kind == UnitKind.WARD
    assert result["rejected"] == [
        {"row": 5, "code": "00005", "field": "type", "rule": "choice",
         "reason": result["rejected"][0]["reason"]}
    ]


def test_utf8_bom_and_nfd_text_are_normalised(tmp_path):
    import unicodedata

    text = "\ufeffcode,name,type,province_code\n25009," + unicodedata.normalize("NFD", "Xã Hưng Điền") + ",Xã,80\n"
    unit_import_communes(rows=read_table(write_csv(tmp_path, text)))
    assert Unit.objects.get(code="25009").name == unicodedata.normalize("NFC", "Xã Hưng Điền")


def test_file_without_recognisable_header_is_an_error(tmp_path):
    with pytest.raises(TableError):
        read_table(write_csv(tmp_path, "a,b,c\n1,2,3\n"))
    with pytest.raises(TableError):
        read_table(write_csv(tmp_path, "", "empty.csv"))
    with pytest.raises(TableError):
        read_table(tmp_path / "missing.csv")


def test_cli_prints_the_json_contract(tmp_path, capsys):
    path = write_csv(tmp_path, GOOD + "28005,Xã Tỉnh Lạ,xa,99\n")
    code, out = run_cli(capsys, "import", str(path), "--json")
    assert code == 0
    data = json.loads(out.out)
    assert (data["created"], data["updated"], data["unchanged"]) == (3, 0, 0)
    assert data["rejected"][0]["row"] == 5 and data["rejected"][0]["code"] == "28005"
    assert "reason" in data["rejected"][0]
    code, out = run_cli(capsys, "import", str(path), "--json")
    assert json.loads(out.out)["unchanged"] == 3


def test_cli_exits_0_when_every_row_is_rejected_but_the_file_was_read(tmp_path, capsys):
    code, out = run_cli(capsys, "import", str(write_csv(tmp_path, "code,name,type,province_code\nx,,xa,80\n")), "--json")
    assert code == 0 and len(json.loads(out.out)["rejected"]) == 1


@pytest.mark.parametrize("content", [None, "khong,phai,tieu,de\n1,2,3,4\n", b"PK\x03\x04garbage"])
def test_cli_exits_2_on_missing_unreadable_or_headerless_file(tmp_path, capsys, content):
    path = tmp_path / ("bad.xlsx" if isinstance(content, bytes) else "bad.csv")
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    code, out = run_cli(capsys, "import", str(path), "--json")
    assert code == 2
    assert out.err.startswith("lỗi:")
    assert out.out == ""
