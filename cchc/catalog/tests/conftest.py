"""Fixtures for catalogue tests: a small, real slice of the shipped national catalogue."""

import csv
from pathlib import Path

import pytest

from cchc.catalog.reference import CATALOGUE_FILE, synonym_rows

SLICE_WORDS = (
    "khai sinh", "khai tử", "kết hôn", "giấy phép lái xe", "căn cước", "hộ chiếu", "tạm trú",
    "giấy phép xây dựng", "đăng ký xe", "lý lịch tư pháp", "chứng thực", "hộ kinh doanh",
    "quyền sử dụng đất", "đăng ký đất đai", "đăng ký doanh nghiệp",
)


def write_slice(path: Path, *, extra_rows: list[dict] | None = None, words=SLICE_WORDS) -> Path:
    with CATALOGUE_FILE.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames
        rows = [r for r in reader if any(w in r["ten_thu_tuc"].lower() for w in words)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for row in rows + (extra_rows or []):
            writer.writerow({k: row.get(k, "") for k in header})
    return path


@pytest.fixture
def catalog_slice(tmp_path, db):
    """About 200 real procedures (civil status, ID, passports, land, building, vehicles...) and the synonyms."""
    from cchc.catalog.services import procedure_import, synonyms_load

    summary = procedure_import(path=write_slice(tmp_path / "slice.csv"))
    synonyms_load(rows=synonym_rows())
    return summary


@pytest.fixture
def province(db):
    from cchc.units.models import Unit, UnitKind

    prov = Unit.objects.create(code="T99", name="Tỉnh Thử Nghiệm", kind=UnitKind.PROVINCE)
    centre = Unit.objects.create(code="T99-TTPVHCC", name="Trung tâm Phục vụ hành chính công tỉnh Thử Nghiệm",
                                 kind=UnitKind.SERVICE_CENTRE, parent=prov)
    prov.centre = centre
    return prov
