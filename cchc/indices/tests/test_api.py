"""Index API: the cycle end to end, scoping, errors as 4xx, downloads."""

import io

import pytest
from openpyxl import load_workbook

from cchc.indices import services

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(api_client):
    prov = f.province()
    a = f.unit(parent=prov, name="Sở Alpha")
    b = f.unit(parent=prov, name="Sở Beta")
    office = f.par_office(prov)
    cs = services.criteria_set_create(code="api-set", name="Bộ API", year=2025, target_group="department", rows=f.SMALL_TREE, owner=prov, actor=office)
    return {"client": api_client, "prov": prov, "a": a, "b": b, "office": office, "cs": cs, "head_a": f.unit_head(a)}


def as_user(client, user):
    client.force_authenticate(user=user)
    return client


def test_whole_cycle_through_the_api(setup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploaded evidence must not land in var/
    w = setup
    c = as_user(w["client"], w["office"])
    r = c.post("/api/v1/indices/cycles/", {"criteria_set": "api-set", "organiser": w["prov"].code, "year": 2025,
                                           "units": [w["a"].code, w["b"].code]}, format="json")
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    base = f"/api/v1/indices/cycles/{cid}"
    assert c.post(f"{base}/transition/", {"to_state": "self_assessment", "version": 1}, format="json").status_code == 200
    # stale version → 409
    assert c.post(f"{base}/transition/", {"to_state": "appraisal_1", "version": 1}, format="json").status_code == 409

    c = as_user(w["client"], w["head_a"])
    r = c.post(f"{base}/self-assess/", {"unit": w["a"].code, "criterion": "1.1", "points": "4", "explanation": "Đạt",
                                        "evidence": [{"title": "Kế hoạch", "document_number": "5/KH", "document_date": "2025-02-01"}]}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["evidence"][0]["document_number"] == "5/KH"
    assert c.post(f"{base}/self-assess/", {"unit": w["b"].code, "criterion": "1.1", "points": "4"}, format="json").status_code == 403
    assert c.post(f"{base}/self-assess/", {"unit": w["a"].code, "criterion": "1.1", "points": "9"}, format="json").status_code == 400
    assert c.post(f"{base}/self-assess/", {"unit": w["a"].code, "criterion": "zz", "points": "1"}, format="json").status_code == 404
    assert c.post(f"{base}/self-assess/", {"unit": w["a"].code, "criterion": "1.1", "points": "abc"}, format="json").status_code == 400
    c.post(f"{base}/self-assess/", {"unit": w["a"].code, "criterion": "1.2", "points": "6"}, format="json")
    upload = io.BytesIO(b"%PDF-1.4 bao cao")
    upload.name = "bao-cao.pdf"
    r = c.post(f"{base}/evidence/", {"unit": w["a"].code, "criterion": "1.2", "file": upload, "document_number": "7/BC"}, format="multipart")
    assert r.status_code == 201 and r.json()["has_file"] and r.json()["title"] == "bao-cao.pdf"
    assert c.post(f"{base}/evidence/", {"unit": w["a"].code, "criterion": "2.1", "title": "x"}, format="multipart").status_code == 404
    assert c.post(f"{base}/transition/", {"to_state": "appraisal_1"}, format="json").status_code == 403

    c = as_user(w["client"], w["office"])
    assert c.post(f"{base}/survey-scores/", {"rows": [{"unit": w["a"].code, "code": "2.2", "points": 3}]}, format="json").status_code == 200
    assert c.post(f"{base}/transition/", {"to_state": "appraisal_1", "confirm": True}, format="json").status_code == 200
    r = c.post(f"{base}/appraise/", {"unit": w["a"].code, "criterion": "1.2", "points": "2", "reason": "Thiếu báo cáo quý"}, format="json")
    assert r.status_code == 200 and r.json()["appraisal1_points"] == "2.00"
    c.post(f"{base}/transition/", {"to_state": "explanation", "confirm": True}, format="json")
    c = as_user(w["client"], w["head_a"])
    assert c.post(f"{base}/explain/", {"unit": w["a"].code, "criterion": "1.2", "explanation": "Đã nộp đủ 4 báo cáo"}, format="json").status_code == 200
    assert c.post(f"{base}/explain/", {"unit": w["a"].code, "criterion": "1.2", "explanation": "Lần hai"}, format="json").status_code == 409
    c = as_user(w["client"], w["office"])
    c.post(f"{base}/transition/", {"to_state": "appraisal_2"}, format="json")
    c.post(f"{base}/appraise/", {"unit": w["a"].code, "criterion": "1.2", "points": "4", "reason": "Chấp nhận một phần"}, format="json")
    assert c.post(f"{base}/transition/", {"to_state": "published"}, format="json").json()["state"] == "published"
    assert c.post(f"{base}/appraise/", {"unit": w["a"].code, "criterion": "1.2", "points": "6", "reason": "x"}, format="json").status_code == 409

    rows = c.get(f"{base}/assessments/?unit={w['a'].code}").json()
    r12 = next(x for x in rows if x["criterion"] == "1.2")
    assert (r12["self_points"], r12["appraisal1_points"], r12["appraisal2_points"], r12["final_points"]) == ("6.00", "2.00", "4.00", "4.00")

    results = c.get(f"{base}/results/").json()
    assert [(x["unit"], x["rank"]) for x in results] == [("Sở Alpha", 1), ("Sở Beta", 2)]
    assert results[0]["total"] == 11.0 and results[0]["stage_totals"] == {"self": 13.0, "appraisal_1": 9.0, "appraisal_2": 11.0}
    lost = c.get(f"{base}/lost-points/").json()
    assert lost[0]["lost"] >= lost[-1]["lost"]
    plan = c.post(f"{base}/path-to-target/", {"unit": w["b"].code, "target_rank": 1}, format="json").json()
    assert plan["needed_score"] == 55.0 and plan["reachable"]
    figs = c.get(f"{base}/group-figures/").json()
    assert figs["department"]["count"] == 2

    xlsx = c.get(f"{base}/lost-points/?format=xlsx")
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb["Điểm bị trừ"]["D5"].value  # first lost sub-criterion title
    pdf = c.get(f"{base}/lost-points/?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # the unit head sees only its own unit's results
    c = as_user(w["client"], w["head_a"])
    assert [x["unit"] for x in c.get(f"{base}/results/").json()] == ["Sở Alpha"]
    # another province's PAR office does not see the cycle at all
    c = as_user(w["client"], f.par_office(f.province("Tỉnh Khác")))
    assert c.get(f"{base}/").status_code == 404
    assert c.get("/api/v1/indices/cycles/").json() == []


def test_criteria_set_import_export_and_copy(setup):
    w = setup
    c = as_user(w["client"], w["office"])
    bad = io.BytesIO(b"code,parent,title,max_points\nA,,a,5\nA.1,A,b,4\n")
    bad.name = "bad.csv"
    r = c.post("/api/v1/indices/criteria-sets/import/", {"file": bad, "code": "bad", "name": "x", "year": 2025, "target_group": "commune"}, format="multipart")
    assert r.status_code == 400 and r.json()["row"] == 2
    good = io.BytesIO("\ufeffcode,parent,title,max_points,method,rule\nA,,Lĩnh vực,,,\nA.1,A,Đúng hạn,4,data_threshold,\"{\"\"type\"\": \"\"threshold_linear\"\", \"\"target\"\": 98}\"\nA.2,A,b,6,,\n".encode())
    good.name = "good.csv"
    r = c.post("/api/v1/indices/criteria-sets/import/", {"file": good, "code": "good", "name": "Bộ nhập", "year": 2025, "target_group": "commune"}, format="multipart")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    detail = c.get(f"/api/v1/indices/criteria-sets/{pk}/").json()
    assert detail["max_total"] == "10.00" and detail["tree"][0]["children"][0]["rule"]["target"] == 98
    csv_body = c.get(f"/api/v1/indices/criteria-sets/{pk}/export/").content.decode("utf-8-sig")
    assert csv_body.splitlines()[0].startswith("code,parent,title,max_points")
    xlsx = c.get(f"/api/v1/indices/criteria-sets/{pk}/export/?format=xlsx")
    assert xlsx.status_code == 200
    # the exported XLSX imports again as an identical tree
    again = io.BytesIO(xlsx.content)
    again.name = "again.xlsx"
    r = c.post("/api/v1/indices/criteria-sets/import/", {"file": again, "code": "again", "name": "Lại", "year": 2026, "target_group": "commune"}, format="multipart")
    assert r.status_code == 201 and r.json()["max_total"] == "10.00"
    r = c.post(f"/api/v1/indices/criteria-sets/{pk}/copy/", {"year": 2026}, format="json")
    assert r.status_code == 201 and r.json()["owner"] == w["prov"].code
    codes = {x["code"] for x in c.get("/api/v1/indices/criteria-sets/").json()}
    assert {"good", "again", "api-set"} <= codes
    # unit heads cannot create criteria sets
    c = as_user(w["client"], w["head_a"])
    good.seek(0)
    r = c.post("/api/v1/indices/criteria-sets/import/", {"file": good, "code": "nope", "name": "x", "year": 2025, "target_group": "commune"}, format="multipart")
    assert r.status_code == 403


def test_anonymous_users_get_401_not_data(api_client):
    assert api_client.get("/api/v1/indices/cycles/").status_code in (401, 403)
