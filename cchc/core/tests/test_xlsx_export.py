"""XLSX exports: text that looks like a formula stays inert text in every writer (OWASP CSV/formula injection)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from openpyxl import Workbook, load_workbook

from cchc.core.xlsx import looks_like_formula, neutralise_workbook, workbook_bytes

CITIZEN = '=HYPERLINK("http://x","y")'
UNIT = "@SUM(1)"
NASTY = [CITIZEN, UNIT, "+1+1", "-2+3", "\t=1", "\r=1"]


def assert_inert(data: bytes, *texts: str) -> None:
    """No sheet of the file holds a formula, and each text is present as a quote-prefixed string cell."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    wb = load_workbook(io.BytesIO(data))
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    for t in texts:
                        if cell.value == t:
                            found[t] = cell
    assert set(found) == set(texts), f"missing in export: {set(texts) - set(found)}"
    for cell in found.values():
        assert cell.data_type == "s" and cell.quotePrefix


@pytest.mark.parametrize("value", NASTY)
def test_text_starting_with_a_formula_character_is_flagged(value):
    assert looks_like_formula(value)


@pytest.mark.parametrize("value", ["Nguyễn Văn A", "", "a=b", " =1", 5, -5, 1.5, None, date(2026, 1, 1)])
def test_ordinary_text_and_every_number_are_left_alone(value):
    assert not looks_like_formula(value)


def test_the_helper_keeps_numbers_numbers_and_text_exact():
    wb = Workbook()
    wb.active.append([*NASTY, -5, 3.25, "Nguyễn Văn A"])
    assert neutralise_workbook(wb) == len(NASTY)
    data = workbook_bytes(wb)
    assert_inert(data, *NASTY)
    row = next(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert list(row) == [*NASTY, -5, 3.25, "Nguyễn Văn A"]


def test_the_register_writer_neutralises_a_citizen_name():
    from cchc.dossiers.registers import read_register, write_register

    data = write_register([{"code": "H99.01-260101-0001", "applicant": CITIZEN, "handling_unit": UNIT, "quantity": 1}],
                          unit_name=UNIT, parent_name=CITIZEN)
    assert_inert(data, CITIZEN, UNIT, CITIZEN.upper(), UNIT.upper())
    assert read_register(data)[0]["applicant"] == CITIZEN  # our own reader gets the text back unchanged


def test_the_dashboard_writer_neutralises_a_unit_name():
    from cchc.dossiers.dashboard_views import COLUMNS, _xlsx

    row = {key: 1 for _, key, _, _ in COLUMNS}
    row["name"] = UNIT
    data = _xlsx(CITIZEN, "Tháng 3/2026", [("Theo đơn vị", "Đơn vị", [row], {key: 1 for _, key, _, _ in COLUMNS})])
    assert_inert(data, CITIZEN, UNIT)
    values = list(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=5, max_row=5, values_only=True))[0]
    assert values[0] == 1 and values[2] == 1  # counts stay numbers


def test_the_procedure_control_report_writer_neutralises_procedure_names():
    from cchc.catalog.staff_services import REPORT_ROWS, simplification_report_xlsx

    report = {key: 0 for key, _ in REPORT_ROWS} | {"province_name": UNIT, "from": "2026-01-01", "to": "2026-12-31"}
    event = SimpleNamespace(procedure=SimpleNamespace(code="1.000001", name=CITIZEN, field="-Hộ tịch"),
                            get_kind_display=lambda: "Ban hành mới", decision_no="+12/QĐ", decision_date=date(2026, 2, 1),
                            time_before=Decimal("5"), time_after=None, note="@ghi chú")
    data = simplification_report_xlsx(report=report, events=[event])
    assert_inert(data, CITIZEN, "-Hộ tịch", "+12/QĐ", "@ghi chú")


def _cycle():
    return SimpleNamespace(name=CITIZEN, state="appraisal_1", get_state_display=lambda: "Thẩm định lần 1")


def test_the_lost_points_writer_neutralises_unit_names_and_explanations(monkeypatch):
    from cchc.indices import reports

    rows = [{"unit": UNIT, "code": "1.1", "title": "Tiêu chí", "max": 1, "points": 0.5, "lost": 0.5,
             "responsible": "-Sở Nội vụ", "explanation": CITIZEN}]
    results = [{"group": "department", "rank": 1, "unit": UNIT, "total": 80, "max": 100, "index_pct": 80.0}]
    monkeypatch.setattr(reports, "_data", lambda cycle_id, user=None, unit=None: (_cycle(), rows, results))
    data = reports.lost_points_xlsx(cycle_id=1)
    assert_inert(data, CITIZEN, UNIT, "-Sở Nội vụ")
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.cell(row=5, column=7).value == 0.5  # points stay numbers


def test_the_ranking_writer_neutralises_unit_names_and_field_titles(monkeypatch):
    from cchc.indices import reports

    rows = [{"group": "department", "rank": 1, "group_size": 1, "unit": UNIT, "total": 80, "max": 100, "index_pct": 80.0,
             "fields": {"F1": {"title": CITIZEN, "max": 10, "points": 8, "rank": 1}}}]
    monkeypatch.setattr(reports, "cycle_get", lambda cycle_id, user=None: _cycle())
    monkeypatch.setattr(reports, "cycle_results", lambda cycle, user=None: rows)
    assert_inert(reports.ranking_xlsx(cycle_id=1), CITIZEN, UNIT)


def test_the_criteria_writer_neutralises_titles_and_reads_them_back(monkeypatch):
    from cchc.indices import criteria_io, services

    tree = [{"code": "1", "parent": "", "title": CITIZEN, "max_points": Decimal("10"), "method": "", "rule": {},
             "responsible": UNIT, "evidence_required": "", "effort": "", "confirmed": True}]
    monkeypatch.setattr(services, "criteria_set_rows", lambda criteria_set: tree)
    data = criteria_io.export_criteria_xlsx(object())
    assert_inert(data, CITIZEN, UNIT)
    back = criteria_io.read_criteria_xlsx(data)
    assert back[0]["title"] == CITIZEN and back[0]["max_points"] == "10"


def test_the_national_lost_points_writer_neutralises_causes_and_remedies(monkeypatch):
    from cchc.indices import lost_selectors, reports
    from cchc.indices.lost_workflow import STATES

    row = {"field_code": "1", "field_title": UNIT, "code": "1.1", "title": "Tiêu chí", "max": Decimal("1"),
           "points": Decimal("0.5"), "lost": Decimal("0.5"), "department_name": "-Sở Nội vụ", "department_id": 1,
           "cooperating": [], "status": STATES[0], "status_label": "Chưa giải trình", "deadline": None, "overdue": False,
           "cause": CITIZEN, "remedy": "+khắc phục", "review_note": "@xem lại"}
    monkeypatch.setattr(reports, "cycle_get", lambda cycle_id, user=None: _cycle())
    monkeypatch.setattr(lost_selectors, "national_lost_points", lambda **kw: [row])
    data = reports.national_lost_points_xlsx(cycle_id=1)
    assert_inert(data, CITIZEN, "-Sở Nội vụ", "+khắc phục", "@xem lại")
