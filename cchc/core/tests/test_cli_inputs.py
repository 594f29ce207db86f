"""Probes of issue 11 on the import commands: every bad file is a message naming the line, column and rule
(exit 2) or a rejected row, never a traceback — on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from cchc.cli import main

pytestmark = pytest.mark.django_db

CATALOG_HEADER = "ma_thu_tuc,ten_thu_tuc,thoi_han_so,thoi_han_don_vi\n"
RESULTS_HEADER = "nam,loai_don_vi,don_vi,chi_so_pct,thu_hang,tong_so_don_vi,nguon_tin,source_url\n"


@pytest.fixture(autouse=True)
def _no_setup(monkeypatch):
    import cchc.core.setup

    monkeypatch.setattr(cchc.core.setup, "ensure_ready", lambda stdout=None: None)
    monkeypatch.setattr(cchc.core.setup, "migrate_if_needed", lambda stdout=None: None)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_units_lookup_of_70_000_codes_runs_in_batches():
    """One IN (…) of this size exceeds SQLite's 32.766 variables and PostgreSQL's 65.535 parameters."""
    from cchc.units.services import units_by_code
    from cchc.units.tests.factories import make_province

    p = make_province()
    codes = [f"{i:05d}" for i in range(70_000)] + [p.code]
    assert list(units_by_code(codes)) == [p.code]


def test_units_import_of_many_rows_does_not_hit_the_variable_limit(capsys, tmp_path, monkeypatch):
    from cchc.units import services

    monkeypatch.setattr(services, "LOOKUP_BATCH", 7)  # many batches over a small file: same code path as 250.000 rows
    lines = "".join(f"{i:05d},Xã Thử {i},xa,99\n" for i in range(40))
    (tmp_path / "xa.csv").write_text("code,name,type,province_code\n" + lines, encoding="utf-8")
    code, out, _ = run(capsys, "units", "import", str(tmp_path / "xa.csv"), "--json")
    assert code == 0 and len(json.loads(out)["rejected"]) == 40  # province 99 unknown: every row accounted for


def test_a_latin_1_units_file_is_refused_unless_the_encoding_is_named(capsys, tmp_path):
    path = tmp_path / "xa.csv"
    path.write_bytes("code,name,type,province_code\n00001,Xã Ñandú,xa,99\n".encode("latin-1"))
    code, _, err = run(capsys, "units", "import", str(path), "--json")
    assert code == 2 and "không phải UTF-8" in err and "--encoding" in err
    code, out, _ = run(capsys, "units", "import", str(path), "--encoding", "latin-1", "--json")
    assert code == 0 and json.loads(out)["rejected"][0]["field"] == "province_code"
    code, _, err = run(capsys, "units", "import", str(path), "--encoding", "khong-co", "--json")
    assert code == 2 and "bảng mã" in err


@pytest.mark.parametrize(("size", "ok"), [(131_072, True), (131_073, False)])
def test_a_catalogue_cell_over_the_csv_field_limit_is_a_clear_error(capsys, tmp_path, size, ok):
    path = tmp_path / "tthc.csv"
    path.write_text(CATALOG_HEADER + f"1.000001,{'a' * size},5,Ngày làm việc\n", encoding="utf-8")
    code, out, err = run(capsys, "catalog", "import", str(path), "--json")
    if ok:
        assert code == 0 and json.loads(out)["created"] == 1
    else:
        assert code == 2 and "Dòng 2" in err and "131.072" in err and "Traceback" not in err


def test_a_nul_in_a_catalogue_cell_rejects_the_row_naming_the_column(capsys, tmp_path):
    path = tmp_path / "tthc.csv"
    path.write_text(CATALOG_HEADER + "1.000001,Tên\x00lạ,5,Ngày làm việc\n1.000002,Cấp bản sao,5,Ngày làm việc\n",
                    encoding="utf-8")
    code, out, _ = run(capsys, "catalog", "import", str(path), "--json")
    summary = json.loads(out)
    assert code == 0 and summary["created"] == 1
    assert summary["rejected"] == [{"row": 2, "code": "1.000001",
                                    "reason": "cột ten_thu_tuc: chứa ký tự NUL (U+0000), không được chấp nhận"}]


@pytest.mark.parametrize("number", ["-5", "-0.5", "1e308", "1E5", "− 5"])
def test_a_negative_or_exponent_time_rejects_the_row(capsys, tmp_path, number):
    path = tmp_path / "tthc.csv"
    path.write_text(CATALOG_HEADER + f"1.000001,Cấp bản sao,{number},Ngày làm việc\n", encoding="utf-8")
    code, out, _ = run(capsys, "catalog", "import", str(path), "--json")
    summary = json.loads(out)
    assert code == 0 and summary["created"] == 0
    assert summary["rejected"][0]["reason"].startswith("cột thoi_han_so:")


@pytest.mark.parametrize("number", ["0", "5", "3-5"])
def test_ordinary_times_still_import(capsys, tmp_path, number):
    path = tmp_path / "tthc.csv"
    path.write_text(CATALOG_HEADER + f"1.000001,Cấp bản sao,{number},Ngày làm việc\n", encoding="utf-8")
    code, out, _ = run(capsys, "catalog", "import", str(path), "--json")
    assert code == 0 and json.loads(out)["created"] == 1


def test_a_nul_in_published_results_rejects_the_row(capsys, tmp_path):
    path = tmp_path / "par_index.csv"
    path.write_text(RESULTS_HEADER + "2024,tỉnh,Hà\x00Nội,90,3,63,Bộ Nội vụ,https://s.example\n"
                    "2024,tỉnh,Huế,80,4,63,Bộ Nội vụ,https://s.example\n", encoding="utf-8")
    code, out, _ = run(capsys, "index", "import-results", str(path), "--json")
    summary = json.loads(out)
    assert code == 0 and summary["imported"] == 1
    assert summary["rejected"] == [{"row": 2, "reason": "Cột don_vi: chứa ký tự NUL (U+0000), không được chấp nhận."}]


def test_published_results_over_the_field_limit_or_in_latin_1_are_clear_errors(capsys, tmp_path):
    path = tmp_path / "par_index.csv"
    path.write_text(RESULTS_HEADER + f"2024,tỉnh,{'a' * 131_073},90,3,63,x,https://s.example\n", encoding="utf-8")
    code, _, err = run(capsys, "index", "import-results", str(path), "--json")
    assert code == 2 and "Dòng 2" in err and "Traceback" not in err
    # "Huế" as Windows-1258 writes it: ê (0xEA) and a combining acute (0xEC); not valid UTF-8
    path.write_bytes(RESULTS_HEADER.encode() + b"2024,province,Hu\xea\xec,90,3,63,x,https://s.example\n")
    code, _, err = run(capsys, "index", "import-results", str(path), "--json")
    assert code == 2 and "không phải UTF-8" in err
    code, out, _ = run(capsys, "index", "import-results", str(path), "--encoding", "cp1258", "--json")
    assert code == 0 and json.loads(out)["imported"] == 1
