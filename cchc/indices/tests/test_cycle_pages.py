"""The page that opens a new cycle (validation naming the field) and the ranking export (XLSX/PDF)."""

import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from cchc.accounts.models import Role
from cchc.indices import services
from cchc.indices.models import AssessmentCycle
from cchc.units.models import UnitKind

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    prov = f.province(name="Tỉnh Mở Kỳ")
    deps = [f.unit(parent=prov, name=n) for n in ("Sở Alpha", "Sở Beta", "Sở Gamma")]
    for u in deps:
        u.province = prov
        u.save()
    commune = f.unit(kind=UnitKind.COMMUNE, parent=prov, name="Xã Một")
    commune.province = prov
    commune.save()
    office = f.par_office(prov)
    cs = services.criteria_set_create(code="open-set", name="Bộ mở kỳ", year=2026, target_group="department", rows=f.SMALL_TREE,
                                      owner=prov, actor=office)
    return {"prov": prov, "deps": deps, "commune": commune, "office": office, "cs": cs}


def post(client, **data):
    base = {"criteria_set": "", "year": "2026", "name": "", "group": "department", "previous": "",
            "self_assessment_due": "", "explanation_due": "", "publication_due": ""}
    return client.post("/chi-so/ky/mo-ky/", {**base, **data})


def test_the_par_office_opens_a_cycle_for_a_whole_group_with_deadlines(client, w):
    client.force_login(w["office"])
    page = client.get("/chi-so/ky/mo-ky/")
    assert page.status_code == 200 and "Bộ mở kỳ (2026)" in page.content.decode() and "Sở, ban, ngành (3 đơn vị)" in page.content.decode()
    r = post(client, criteria_set=str(w["cs"].pk), self_assessment_due="2026-12-15", explanation_due="2027-01-10", publication_due="2027-01-10")
    cycle = AssessmentCycle.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/chi-so/ky/{cycle.pk}/"
    assert sorted(cycle.units.values_list("name", flat=True)) == ["Sở Alpha", "Sở Beta", "Sở Gamma"]
    assert str(cycle.self_assessment_due) == "2026-12-15" and str(cycle.publication_due) == "2027-01-10"  # equal dates allowed
    assert cycle.organiser == w["prov"] and cycle.state == "draft"
    assert "Hạn: nộp tự đánh giá 15/12/2026" in client.get(r["Location"]).content.decode()


def test_some_units_and_the_previous_years_cycle(client, w):
    client.force_login(w["office"])
    prev = services.cycle_open(criteria_set=w["cs"], organiser=w["prov"], year=2025, units=w["deps"], actor=w["office"])
    r = post(client, criteria_set=str(w["cs"].pk), units=[str(w["deps"][0].pk), str(w["deps"][2].pk)], previous=str(prev.pk), name="Kỳ thử")
    assert r.status_code == 302
    cycle = AssessmentCycle.objects.get(name="Kỳ thử")
    assert cycle.previous == prev and sorted(cycle.units.values_list("name", flat=True)) == ["Sở Alpha", "Sở Gamma"]


@pytest.mark.parametrize("data, field, text", [
    ({"criteria_set": ""}, "criteria_set", "Chọn bộ tiêu chí."),
    ({"year": "abc"}, "year", "Năm đánh giá phải là số"),
    ({"year": "1999"}, "year", "từ 2000 đến 2100"),
    ({"self_assessment_due": "2025-12-31"}, "self_assessment_due", "Hạn nộp tự đánh giá phải nằm trong năm 2026 hoặc năm 2027"),
    ({"self_assessment_due": "2028-01-01"}, "self_assessment_due", "năm 2026 hoặc năm 2027"),
    ({"self_assessment_due": "2026-12-15", "explanation_due": "2026-12-14"}, "explanation_due",
     "Hạn giải trình (14/12/2026) không được trước hạn nộp tự đánh giá (15/12/2026)"),
    ({"explanation_due": "31/12/2026"}, "explanation_due", "Hạn giải trình không phải ngày hợp lệ"),
    ({"group": "x"}, "group", "Chọn nhóm đơn vị"),
])
def test_errors_name_the_field_keep_the_input_and_write_nothing(client, w, data, field, text):
    client.force_login(w["office"])
    data = {"criteria_set": str(w["cs"].pk), **data}
    r = post(client, **data)
    html = r.content.decode()
    assert r.status_code == 400 and text in html
    assert not AssessmentCycle.objects.exists()
    if field in ("self_assessment_due", "explanation_due"):
        assert f'name="{field}" value="{data[field]}"' in html


def test_a_unit_of_another_group_and_a_later_previous_cycle_are_refused(client, w):
    client.force_login(w["office"])
    r = post(client, criteria_set=str(w["cs"].pk), units=[str(w["commune"].pk)])
    assert r.status_code == 400 and "không thuộc nhóm đã chọn" in r.content.decode()
    later = services.cycle_open(criteria_set=w["cs"], organiser=w["prov"], year=2026, units=w["deps"], actor=w["office"])
    r = post(client, criteria_set=str(w["cs"].pk), previous=str(later.pk))
    assert r.status_code == 400 and "Kỳ năm trước phải thuộc năm trước 2026" in r.content.decode()


def test_only_the_par_office_may_open_a_cycle(client, w):
    client.force_login(f.unit_head(w["deps"][0]))
    assert client.get("/chi-so/ky/mo-ky/").status_code == 403
    client.force_login(f.user(Role.PROVINCE_LEADER, w["prov"]))
    assert client.get("/chi-so/ky/mo-ky/").status_code == 403


# ------------------------------------------------------------------------------------ ranking export


def _published(w):
    cycle = services.cycle_open(criteria_set=w["cs"], organiser=w["prov"], year=2026, units=w["deps"][:2], actor=w["office"])
    cycle = services.cycle_transition(cycle=cycle, to_state="self_assessment", actor=w["office"])
    for u, pts in zip(w["deps"][:2], ("3.25", "4"), strict=True):
        head = f.unit_head(u)
        services.assessment_self_assess(cycle=cycle, unit=u, criterion="1.1", points=pts, actor=head)
        services.assessment_self_assess(cycle=cycle, unit=u, criterion="1.2", points="6", actor=head)
    for state in ("appraisal_1", "explanation", "appraisal_2", "published"):
        cycle = services.cycle_transition(cycle=cycle, to_state=state, actor=w["office"], confirm=True)
    return cycle


def test_the_ranking_downloads_as_xlsx_with_the_figures_of_the_page(client, w):
    cycle = _published(w)
    client.force_login(w["office"])
    page = client.get(f"/chi-so/ky/{cycle.pk}/ket-qua/").content.decode()
    assert "?format=xlsx" in page and "?format=pdf" in page
    r = client.get(f"/chi-so/ky/{cycle.pk}/ket-qua/", {"format": "xlsx"})
    assert r.status_code == 200 and r["Content-Disposition"].endswith(f'xep-hang-ky-{cycle.pk}.xlsx"')
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb["Sở, ban, ngành"]
    rows = [row for row in ws.iter_rows(min_row=5, values_only=True)]
    assert [(row[0], row[2]) for row in rows] == [(1, "Sở Beta"), (2, "Sở Alpha")]
    beta = rows[0]
    assert D(str(beta[3])) == D("10") and D(str(beta[4])) == D("20") and D(str(beta[5])) == D("50")  # 4 + 6 of 20 → 50 %
    assert ws.cell(row=5, column=6).number_format == "#,##0.00"
    assert [r[0] for r in wb["Lĩnh vực"].iter_rows(min_row=2, values_only=True)] == ["1", "2"]


def test_the_ranking_pdf_writes_numbers_with_a_decimal_comma(client, w):
    from cchc.indices.reports import ranking_html

    cycle = _published(w)
    html = ranking_html(cycle_id=cycle.pk)
    assert "9,25/20" in html and "46,25" in html and "9.25" not in html
    client.force_login(w["office"])
    r = client.get(f"/chi-so/ky/{cycle.pk}/ket-qua/", {"format": "pdf"})
    assert r.status_code == 200 and r.content[:4] == b"%PDF"


def test_the_lost_points_pdf_and_xlsx_use_vietnamese_number_formats(client, w):
    from cchc.indices.reports import lost_points_html, lost_points_xlsx

    cycle = _published(w)
    html = lost_points_html(cycle_id=cycle.pk)
    assert ">0,75<" in html and ">3,25<" in html and "3.25" not in html
    wb = load_workbook(io.BytesIO(lost_points_xlsx(cycle_id=cycle.pk)))
    ws = wb["Điểm bị trừ"]
    assert ws.cell(row=5, column=7).number_format == "#,##0.00"
