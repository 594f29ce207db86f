"""The shipped checklists (cchc/catalog/data/checklists.csv) load as version 1, once, and are hand-checked."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from cchc.catalog import reference
from cchc.catalog.models import Checklist, Procedure
from cchc.catalog.selectors import procedure_checklist
from cchc.catalog.services import checklist_save, checklists_load

EVERYDAY = ["1.001193", "1.000894", "1.000656", "1.004873", "2.000635", "2.000815", "2.000884", "2.001035",
            "1.004222", "1.004194", "1.012753", "1.013831", "1.001612", "1.013225"]


def test_the_csv_names_its_source_and_covers_the_everyday_procedures():
    with reference.CHECKLISTS_FILE.open(encoding="utf-8") as handle:
        first = handle.readline()
    assert "github.com/chatbot-tthc/chatbot_tthc" in first and "53229487610b07e0d7127f529b87c333f19aeb1e" in first
    rows = reference.checklist_rows()
    codes = {r["ma_thu_tuc"] for r in rows}
    assert len(codes) >= 50 and set(EVERYDAY) <= codes
    from cchc.catalog.data.build_checklists import EVERYDAY as BUILT_EVERYDAY

    assert len(BUILT_EVERYDAY) >= 50 and set(BUILT_EVERYDAY) <= codes
    for r in rows:
        assert r["loai"] in ("nop", "xuat_trinh") and r["bat_buoc"] in ("0", "1") and r["nguon"].startswith("scripts/")
        assert 0 < len(r["ten_giay_to"]) <= 500 and 0 <= int(r["ban_chinh"]) <= 10 and 0 <= int(r["ban_sao"]) <= 10


@pytest.mark.django_db
def test_loading_is_idempotent_and_keeps_edited_checklists():
    birth = Procedure.objects.create(code="1.001193", name="Thủ tục đăng ký khai sinh")
    marriage = Procedure.objects.create(code="1.000894", name="Thủ tục đăng ký kết hôn")
    Procedure.objects.create(code="2.000815", name="Chứng thực bản sao từ bản chính")
    checklist_save(procedure_code="2.000815", items=[{"name": "Bản chính và bản sao cần chứng thực"}], actor=None)
    rows = reference.checklist_rows()
    first = checklists_load(rows=rows, effective_from=dt.date(2025, 7, 1))
    assert first["procedures"] == 2 and first["skipped_existing"] == 1 and first["unknown"] > 1000
    again = checklists_load(rows=rows, effective_from=dt.date(2025, 7, 1))
    assert again["procedures"] == 0 and Checklist.objects.count() == 3
    # hand-checked birth registration: the form and the birth certificate are required, cases are not
    version, lines = procedure_checklist(procedure=birth, on_date=dt.date(2026, 3, 2))
    assert version.version == 1 and version.effective_from == dt.date(2025, 7, 1)
    assert "1.001193.json" in version.source
    required = [(li.name, li.kind) for li in lines if li.mandatory]
    assert required[:2] == [("Tờ khai đăng ký khai sinh", "submit"), ("Giấy chứng sinh", "submit")]
    assert required[2][1] == "present" and required[2][0].startswith("Hộ chiếu, thẻ Căn cước công dân")
    assert any(li.name.startswith("Biên bản về việc trẻ bị bỏ rơi") and not li.mandatory for li in lines)
    assert procedure_checklist(procedure=birth, on_date=dt.date(2025, 6, 30)) == (None, [])
    _, marriage_lines = procedure_checklist(procedure=marriage)
    assert marriage_lines[0].name == "Tờ khai đăng ký kết hôn"
    # an edited checklist stays edited
    _, copy_lines = procedure_checklist(procedure="2.000815")
    assert [li.name for li in copy_lines] == ["Bản chính và bản sao cần chứng thực"]


@pytest.mark.django_db
def test_reference_load_loads_checklists_once():
    Procedure.objects.create(code="1.001193", name="Thủ tục đăng ký khai sinh")
    summary = reference.load()
    assert summary["checklists"]["procedures"] == 1
    assert "checklists" not in reference.load()


def test_every_csv_line_reads_back():
    with reference.CHECKLISTS_FILE.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    assert len(list(csv.DictReader(lines))) == len(reference.checklist_rows())
