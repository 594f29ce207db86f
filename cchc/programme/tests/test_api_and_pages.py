"""/api/v1/plans/ and the Kế hoạch CCHC pages: scope, roles, 4xx naming the field (both databases)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cchc.programme import services
from cchc.programme.models import Plan, ProgressReport

from . import factories as f

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def w():
    w = f.world()
    w["plan"], w["task"] = f.plan_with_task(w, deadline=date(2026, 3, 31), responsible=w["head_a"])
    w["plan_b"] = services.plan_create(unit=w["b"], year=2026, actor=w["head_b"])
    return w


def client(user):
    c = Client()
    c.force_login(user)
    return c


def test_list_shows_only_what_you_may_see(w):
    assert Client().get("/api/v1/plans/").status_code in (401, 403)
    ids = {p["id"] for p in client(w["head_a"]).get("/api/v1/plans/").json()}
    assert ids == {w["plan"].pk}
    ids = {p["id"] for p in client(w["office"]).get("/api/v1/plans/?year=2026").json()}
    assert ids == {w["plan"].pk, w["plan_b"].pk}
    assert client(w["other_office"]).get(f"/api/v1/plans/{w['plan'].pk}/").status_code == 404
    assert client(w["citizen"]).get("/api/v1/plans/").json() == []


def test_create_plan_and_task_by_role_with_4xx_naming_the_field(w):
    c = client(w["office"])
    r = c.post("/api/v1/plans/", {"unit": w["a"].code, "year": 2027, "title": "KH 2027"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["issue_deadline"] == "2026-12-31"
    r = c.post("/api/v1/plans/", {"unit": w["a"].code}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "year"
    r = client(w["head_a"]).post("/api/v1/plans/", {"unit": w["prov"].code, "year": 2027}, content_type="application/json")
    assert r.status_code == 403
    r = c.post(f"/api/v1/plans/{w['plan'].pk}/tasks/", {"content": "Họp báo", "unit": w["b"].code, "deadline": "2026-13-01"},
               content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "deadline"
    r = c.post(f"/api/v1/plans/{w['plan'].pk}/tasks/", {"content": "Họp báo", "kind": "press_briefing", "unit": w["b"].code,
                                                        "deadline": "2026-05-31", "cooperating": [w["a"].code]},
               content_type="application/json")
    assert r.status_code == 201 and r.json()["cooperating"] == [w["a"].code] and r.json()["timeliness"] in ("open", "overdue")
    r = c.post(f"/api/v1/plans/{w['plan'].pk}/issue/", {"number": "1/KH-UBND", "issued_on": "2025-12-31"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["issued_on_time"] is True
    assert c.post(f"/api/v1/plans/{w['plan'].pk}/issue/", {"number": "1/KH-UBND", "issued_on": "2025-12-31"},
                  content_type="application/json").status_code == 409


def test_unit_head_reports_progress_with_a_file_and_sets_done(w):
    c = client(w["head_a"])
    url = f"/api/v1/plans/tasks/{w['task'].pk}/progress/"
    r = c.post(url, {"content": "Đã hoàn thành dự thảo", "percent": 80, "file": SimpleUploadedFile("kq.pdf", PDF)})
    assert r.status_code == 201 and r.json()["has_file"] is True
    assert client(w["head_b"]).post(url, {"content": "x"}).status_code == 403   # B's head reads the province plan, may not report on A's task
    r = c.post(f"/api/v1/plans/tasks/{w['task'].pk}/status/", {"status": "done", "completed_on": "2026-03-31"},
               content_type="application/json")
    assert r.status_code == 200 and r.json()["timeliness"] == "on_time"
    r = c.post(f"/api/v1/plans/tasks/{w['task'].pk}/status/", {"status": "flying"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "status"
    rep = ProgressReport.objects.get()
    assert client(w["office"]).get(f"/ke-hoach-cchc/minh-chung/{rep.pk}/").status_code == 200
    assert client(w["other_office"]).get(f"/ke-hoach-cchc/minh-chung/{rep.pk}/").status_code == 404


def test_pages_render_for_staff_and_refuse_citizens(w):
    c = client(w["office"])
    for url in ("/ke-hoach-cchc/", f"/ke-hoach-cchc/{w['plan'].pk}/", f"/ke-hoach-cchc/{w['plan'].pk}/?tinh_trang=overdue&sap_xep=han",
                f"/ke-hoach-cchc/nhiem-vu/{w['task'].pk}/", "/ke-hoach-cchc/cua-don-vi/"):
        r = c.get(url)
        assert r.status_code == 200, url
        assert "Kế hoạch CCHC" in r.content.decode()
    assert client(w["citizen"]).get("/ke-hoach-cchc/").status_code == 403
    assert client(w["head_b"]).get(f"/ke-hoach-cchc/{w['plan_b'].pk}/").status_code == 200
    assert client(w["head_a"]).get(f"/ke-hoach-cchc/{w['plan_b'].pk}/").status_code == 404
    x = c.get("/ke-hoach-cchc/xuat-ca-nhan/?nam=2026")
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats")
    assert c.get("/ke-hoach-cchc/xuat-ca-nhan/?nam=abc").status_code == 400


def test_forms_create_issue_and_report_through_the_pages(w):
    c = client(w["head_a"])
    r = c.post("/ke-hoach-cchc/", {"unit": w["a"].code, "year": "2026"})
    plan = Plan.objects.get(unit=w["a"], year=2026)
    assert r.status_code == 302 and r["Location"].endswith(f"/ke-hoach-cchc/{plan.pk}/")
    c.post(f"/ke-hoach-cchc/{plan.pk}/", {"action": "issue", "number": "9/KH-SA", "issued_on": "2025-12-30", "version": plan.version})
    plan.refresh_from_db()
    assert plan.status == "issued"
    c.post(f"/ke-hoach-cchc/{plan.pk}/", {"action": "task", "content": "Niêm yết TTHC", "unit": w["a"].code, "deadline": "2026-03-31"})
    assert plan.tasks.count() == 1
    r = c.post(f"/ke-hoach-cchc/{plan.pk}/", {"action": "task", "content": "", "unit": w["a"].code, "deadline": "2026-03-31"}, follow=True)
    assert "content: bắt buộc nhập" in r.content.decode() and plan.tasks.count() == 1
