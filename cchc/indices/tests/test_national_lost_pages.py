"""National lost points through the pages, the API (with the OpenAPI schema), the CLI and the exports."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.utils import timezone

from .. import lost_services as svc
from .. import reference
from ..models import LostPointAssignment, LostPointExplanation
from . import national_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    world = national_world.build()
    reference.load_lost_point_defaults()
    return world


def _in_a_week():
    return (timezone.localdate() + dt.timedelta(days=7)).isoformat()


def _assign_default(w):
    return svc.lost_points_assign_default(cycle=w["cycle"], deadline=_in_a_week(), actor=w["u"]["par"])


# ------------------------------------------------------------------------------------------- pages


def test_status_page_shows_fields_counts_filters_and_decimal_commas(client, w):
    _assign_default(w)
    client.force_login(w["u"]["par"])
    url = f"/chi-so/ky/{w['cycle'].pk}/giai-trinh-diem-bi-tru/"
    html = client.get(url).content.decode()
    assert "Lĩnh vực 2. Cải cách thể chế" in html and "−0,25" in html and "1,25" in html and "0.25" not in html
    assert "Đã giao" in html and "Giao lại" in html and "Sở Tư pháp" in html
    assert "3.2" in html and "chưa có điểm" in html  # counted apart, not a row
    only = client.get(url, {"co_quan": w["d"]["vpubnd"].pk}).content.decode()
    assert 'id="tc-3.1"' in only and 'id="tc-2.1"' not in only
    # the lost-points page of the cycle links here
    assert f"/chi-so/ky/{w['cycle'].pk}/giai-trinh-diem-bi-tru/" in client.get(f"/chi-so/ky/{w['cycle'].pk}/diem-bi-tru/").content.decode()


def test_assign_by_default_from_the_page_and_a_bad_deadline_is_a_400_naming_the_rule(client, w):
    client.force_login(w["u"]["par"])
    url = f"/chi-so/ky/{w['cycle'].pk}/giai-trinh-diem-bi-tru/"
    bad = client.post(url, {"deadline": "2020-01-01"})
    assert bad.status_code == 400 and "không được trước hôm nay" in bad.content.decode()
    assert not LostPointAssignment.objects.exists()
    ok = client.post(url, {"deadline": _in_a_week()}, follow=True)
    assert "Đã giao theo mặc định 3 tiêu chí thành phần" in ok.content.decode()


def test_htmx_assign_swaps_the_row(client, w):
    client.force_login(w["u"]["par"])
    r = client.post(f"/chi-so/ky/{w['cycle'].pk}/giai-trinh-diem-bi-tru/giao/",
                    {"criterion": "2.2", "department": w["d"]["xaydung"].pk, "deadline": _in_a_week()}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200 and html.startswith('<tr id="tc-2.2"') and "Sở Xây dựng" in html and "Đã lưu" in html
    r = client.post(f"/chi-so/ky/{w['cycle'].pk}/giai-trinh-diem-bi-tru/giao/",
                    {"criterion": "2.2", "department": w["commune"].pk, "deadline": _in_a_week()}, HTTP_HX_REQUEST="true")
    assert "không phải sở, ban, ngành" in r.content.decode()


@pytest.mark.parametrize("who,status", [("par", 200), ("leader", 200), ("tuphap_head", 404), ("xaydung_head", 404)])
def test_the_status_page_is_for_the_par_office_and_leaders(client, w, who, status):
    client.force_login(w["u"][who])
    assert client.get(f"/chi-so/ky/{w['cycle'].pk}/giai-trinh-diem-bi-tru/").status_code == status


def test_leaders_read_but_have_no_assign_form(client, w):
    _assign_default(w)
    client.force_login(w["u"]["leader"])
    html = client.get(f"/chi-so/ky/{w['cycle'].pk}/giai-trinh-diem-bi-tru/").content.decode()
    assert "Giao theo mặc định" not in html and "Giao lại" not in html
    r = client.post(f"/chi-so/ky/{w['cycle'].pk}/giai-trinh-diem-bi-tru/", {"deadline": _in_a_week()})
    assert r.status_code == 400 and "cơ quan thường trực CCHC" in r.content.decode()


def test_department_worklist_and_explanation_form(client, w):
    _assign_default(w)
    client.force_login(w["u"]["tuphap_staff"])
    home = client.get("/chi-so/").content.decode()
    assert "Điểm bị trừ cần giải trình (2)" in home
    wl = client.get("/chi-so/giai-trinh-diem-bi-tru/").content.decode()
    assert "2.1" in wl and "2.2" in wl and "3.1" not in wl and "−0,25" in wl
    a = LostPointAssignment.objects.get(criterion__code="2.1")
    page = client.get(f"/chi-so/giai-trinh-diem-bi-tru/{a.pk}/").content.decode()
    assert 'name="cause"' in page and "Chấp nhận" not in page
    bad = client.post(f"/chi-so/giai-trinh-diem-bi-tru/{a.pk}/", {"action": "explain", "cause": "Chậm", "remedy": ""})
    assert bad.status_code == 400 and "Giải pháp khắc phục không được để trống" in bad.content.decode()
    assert "Chậm" in bad.content.decode()  # what was typed is kept
    ok = client.post(f"/chi-so/giai-trinh-diem-bi-tru/{a.pk}/", {"action": "explain", "cause": "Chậm ban hành",
                                                                 "remedy": "Lập lịch", "version": a.version}, follow=True)
    assert "Đã gửi giải trình" in ok.content.decode() and LostPointExplanation.objects.count() == 1
    # another department cannot even open it
    client.force_login(w["u"]["xaydung_head"])
    assert client.get(f"/chi-so/giai-trinh-diem-bi-tru/{a.pk}/").status_code == 404
    # the PAR office reviews on the same page
    client.force_login(w["u"]["par"])
    page = client.get(f"/chi-so/giai-trinh-diem-bi-tru/{a.pk}/").content.decode()
    assert "Xem xét giải trình" in page and 'name="cause"' not in page
    client.post(f"/chi-so/giai-trinh-diem-bi-tru/{a.pk}/", {"action": "accept", "note": "Đồng ý"})
    assert LostPointAssignment.objects.get(pk=a.pk).status == "accepted"


# --------------------------------------------------------------------------------------------- exports


def test_status_xlsx_holds_every_row_with_department_status_and_explanation(client, w):
    from openpyxl import load_workbook

    _assign_default(w)
    a = LostPointAssignment.objects.get(criterion__code="2.1")
    svc.lost_point_explain(assignment=a, cause="Văn bản chậm", remedy="Theo dõi hằng tháng", actor=w["u"]["tuphap_head"])
    client.force_login(w["u"]["par"])
    r = client.get(f"/chi-so/ky/{w['cycle'].pk}/giai-trinh-diem-bi-tru/", {"format": "xlsx"})
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb["Giải trình điểm bị trừ"]
    assert [c.value for c in ws[4]][:7] == ["Lĩnh vực", "Mã", "Tiêu chí thành phần", "Điểm tối đa", "Điểm đạt", "Điểm bị trừ", "Cơ quan chủ trì"]
    rows = {row[1]: row for row in ws.iter_rows(min_row=5, values_only=True)}
    assert set(rows) == {"2.1", "2.2", "3.1"}
    assert rows["2.2"][3:6] == (1.5, 1.25, 0.25) and rows["2.1"][8] == "Đã giải trình" and rows["2.1"][11] == "Văn bản chậm"
    assert rows["3.1"][6].startswith("Văn phòng Ủy ban nhân dân") and rows["3.1"][7] == "Trung tâm Phục vụ hành chính công"
    summary = {row[0]: row[1] for row in wb["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert summary["Đã giao"] == 2 and summary["Đã giải trình"] == 1 and summary["Tổng"] == 3


def test_the_lost_points_report_includes_the_departments_explanations(client, w):
    from openpyxl import load_workbook

    from ..reports import lost_points_html

    _assign_default(w)
    a = LostPointAssignment.objects.get(criterion__code="2.1")
    svc.lost_point_explain(assignment=a, cause="Văn bản chậm", remedy="Theo dõi hằng tháng", actor=w["u"]["tuphap_head"])
    client.force_login(w["u"]["par"])
    wb = load_workbook(io.BytesIO(client.get(f"/chi-so/ky/{w['cycle'].pk}/diem-bi-tru/", {"format": "xlsx"}).content))
    ws = wb["Điểm bị trừ"]
    head = [c.value for c in ws[4]]
    assert head[-5:] == ["Cơ quan chủ trì giải trình", "Trạng thái", "Hạn", "Nguyên nhân", "Giải pháp khắc phục"]
    rows = {row[2]: row for row in ws.iter_rows(min_row=5, values_only=True)}
    assert rows["2.1"][9].startswith("Sở Tư pháp") and rows["2.1"][12] == "Văn bản chậm" and rows["2.1"][13] == "Theo dõi hằng tháng"
    html = lost_points_html(cycle_id=w["cycle"].pk)
    assert "Nguyên nhân: Văn bản chậm" in html and "Giải pháp: Theo dõi hằng tháng" in html and "0,25" in html


def test_an_internal_cycle_report_keeps_its_columns(w):
    from openpyxl import load_workbook

    from .. import services
    from ..reports import lost_points_xlsx
    from . import factories as f

    cs = services.criteria_set_create(code="dep", name="Sở", year=2025, target_group="department", rows=f.SMALL_TREE)
    cycle = services.cycle_open(criteria_set=cs, organiser=w["prov"], year=2025, units=[w["d"]["tuphap"]], actor=w["u"]["par"])
    ws = load_workbook(io.BytesIO(lost_points_xlsx(cycle_id=cycle.pk)))["Điểm bị trừ"]
    assert [c.value for c in ws[4]][-1] == "Giải trình của đơn vị"


# ------------------------------------------------------------------------------------------------ API


def test_api_flow_assign_explain_review_with_4xx_naming_the_field(api_client, w):
    base = f"/api/v1/indices/cycles/{w['cycle'].pk}/national-lost-points/"
    api_client.force_authenticate(user=w["u"]["par"])
    r = api_client.post(base + "assign-default/", {"deadline": "hôm nay"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "deadline"
    r = api_client.post(base + "assign/", {"criterion": "2.1", "department": "KHÔNG-CÓ", "deadline": _in_a_week()}, format="json")
    assert r.status_code == 404 and r.json()["field"] == "department"
    r = api_client.post(base + "assign/", {"criterion": "2.1", "department": w["d"]["tuphap"].code, "deadline": _in_a_week(),
                                           "cooperating": [w["d"]["vpubnd"].code]}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "assigned" and r.json()["lost"] == "1.00"
    aid = r.json()["assignment_id"]
    # the PAR office cannot explain for Sở Tư pháp
    r = api_client.post(f"/api/v1/indices/lost-point-assignments/{aid}/explain/", {"cause": "x", "remedy": "y"}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "not_writer"
    api_client.force_authenticate(user=w["u"]["tuphap_head"])
    assert [x["code"] for x in api_client.get(base).json()] == ["2.1"]
    assert [x["code"] for x in api_client.get("/api/v1/indices/lost-point-assignments/").json()] == ["2.1"]
    r = api_client.post(f"/api/v1/indices/lost-point-assignments/{aid}/explain/", {"cause": "", "remedy": "y"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "cause"
    r = api_client.post(f"/api/v1/indices/lost-point-assignments/{aid}/explain/", {"cause": "Chậm", "remedy": "Sửa"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "explained" and r.json()["cause"] == "Chậm"
    api_client.force_authenticate(user=w["u"]["par"])
    r = api_client.post(f"/api/v1/indices/lost-point-assignments/{aid}/review/", {"decision": "maybe"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "decision"
    r = api_client.post(f"/api/v1/indices/lost-point-assignments/{aid}/review/", {"decision": "request_more"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "note"
    r = api_client.post(f"/api/v1/indices/lost-point-assignments/{aid}/review/", {"decision": "accept"}, format="json")
    assert r.json()["status"] == "accepted"
    # another province's staff see no such cycle
    api_client.force_authenticate(user=w["u"]["xaydung_head"])
    assert api_client.get(base).status_code == 404


def test_api_defaults_get_and_put_replace_the_provinces_rows(api_client, w):
    api_client.force_authenticate(user=w["u"]["par"])
    rows = api_client.get("/api/v1/indices/lost-point-defaults/").json()
    assert [r["criterion_prefix"] for r in rows] == ["1", "2", "3", "4", "5", "6", "7", "8"] and rows[1]["department_kind"] == "tu_phap"
    r = api_client.put("/api/v1/indices/lost-point-defaults/", {"rows": [{"criterion_prefix": "2.2", "department": w["d"]["xaydung"].code}]},
                       format="json")
    assert r.status_code == 200 and any(x["criterion_prefix"] == "2.2" and x["province"] == w["prov"].code for x in r.json())
    r = api_client.put("/api/v1/indices/lost-point-defaults/", {"rows": [{"criterion_prefix": "2", "department_kind": "không-có"}]}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "department_kind"
    api_client.force_authenticate(user=w["u"]["tuphap_head"])
    r = api_client.put("/api/v1/indices/lost-point-defaults/", {"rows": []}, format="json")
    assert r.status_code == 403


# ------------------------------------------------------------------------------------------------ CLI


def test_cli_lost_points_json_contract(w, capsys):
    from cchc.cli import main

    _assign_default(w)
    a = LostPointAssignment.objects.get(criterion__code="2.1")
    svc.lost_point_explain(assignment=a, cause="Văn bản chậm", remedy="Theo dõi", actor=w["u"]["tuphap_head"])
    assert main(["index", "lost-points", "--cycle", str(w["cycle"].pk), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["criterion_code"] for r in rows] == ["2.1", "2.2", "3.1"]
    assert set(rows[0]) == {"criterion_code", "criterion_name", "max", "points", "lost", "unit_in_charge", "status", "cause", "remedy", "deadline"}
    assert rows[0] == {"criterion_code": "2.1", "criterion_name": "Ban hành văn bản QPPL đúng hạn", "max": 2.0, "points": 1.0, "lost": 1.0,
                       "unit_in_charge": w["d"]["tuphap"].name, "status": "explained", "cause": "Văn bản chậm", "remedy": "Theo dõi",
                       "deadline": _in_a_week()}
    assert rows[1]["lost"] == 0.25 and rows[1]["status"] == "assigned" and rows[1]["cause"] == ""


def test_cli_lost_points_refuses_an_unknown_or_internal_cycle(w, capsys):
    from cchc.cli import main

    assert main(["index", "lost-points", "--cycle", "999999", "--json"]) == 2
    assert "lỗi: --cycle 999999" in capsys.readouterr().err
