"""/api/v1/inspections/: role scopes, 4xx bodies naming the field and rule, 409 on closure, evidence upload check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.inspections import services
from cchc.inspections.models import FollowUp, Inspection, RecommendationStatus

from .conftest import D

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_par_office_creates_an_inspection_through_the_api(api_client, world):
    api_client.force_authenticate(world["par"])
    body = {"plan": world["plan"].pk, "unit": "T1-X2", "scope": "Kiểm tra CCHC", "planned_start": "2026-06-01", "planned_end": "2026-06-02",
            "members": [{"name": "A", "unit": "T1-SNV", "is_leader": True}, {"name": "B", "unit": "T1-STP"}]}
    resp = api_client.post("/api/v1/inspections/", body, format="json")
    assert resp.status_code == 201, resp.json()
    assert [m["is_leader"] for m in resp.json()["members"]] == [True, False]
    bad = api_client.post("/api/v1/inspections/", {**body, "planned_end": "2026-13-01"}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "planned_end"
    api_client.force_authenticate(world["head"])
    assert api_client.post("/api/v1/inspections/", body, format="json").status_code in (403, 404)
    assert Inspection.objects.count() == 2


def test_lists_show_only_what_each_role_may_see(api_client, world):
    api_client.force_authenticate(world["par"])
    assert len(api_client.get("/api/v1/inspections/").json()) == 1
    assert len(api_client.get("/api/v1/inspections/plans/").json()) == 1
    api_client.force_authenticate(world["head"])
    assert len(api_client.get("/api/v1/inspections/").json()) == 1
    for name in ("head2", "outsider"):
        api_client.force_authenticate(world[name])
        assert api_client.get("/api/v1/inspections/").json() == [], name
        assert api_client.get(f"/api/v1/inspections/{world['insp'].pk}/").status_code == 404
    api_client.force_authenticate(world["citizen"])
    assert api_client.get("/api/v1/inspections/").status_code == 403


def test_findings_about_officials_only_for_par_office_and_the_units_head(api_client, world):
    api_client.force_authenticate(world["par"])
    url = f"/api/v1/inspections/{world['insp'].pk}/findings/"
    assert api_client.post(url, {"text": "Gây phiền hà", "official_name": "Trần Văn H.", "conduct": "harassment", "action_taken": "reminder"},
                           format="json").status_code == 201
    assert api_client.post(url, {"text": "Niêm yết cũ", "severity": "bogus"}, format="json").json()["field"] == "severity"
    assert api_client.post(url, {"text": "Niêm yết cũ"}, format="json").status_code == 201
    assert len(api_client.get(url).json()) == 2
    api_client.force_authenticate(world["head"])
    assert len(api_client.get(url).json()) == 2
    api_client.force_authenticate(world["spec"])
    rows = api_client.get(url).json()
    assert [r["text"] for r in rows] == ["Niêm yết cũ"] and "Trần" not in str(rows)


def test_close_with_an_open_recommendation_is_409_naming_the_rule(api_client, world):
    api_client.force_authenticate(world["par"])
    rec = api_client.post(f"/api/v1/inspections/{world['insp'].pk}/recommendations/",
                          {"text": "Cập nhật niêm yết", "responsible_unit": "T1-X1", "deadline": "2026-04-30"}, format="json")
    assert rec.status_code == 201 and rec.json()["state"] == "overdue"
    resp = api_client.post(f"/api/v1/inspections/{world['insp'].pk}/close/", {}, format="json")
    assert resp.status_code == 409
    assert resp.json()["code"] == "open_recommendations" and resp.json()["open"] == [rec.json()["id"]]
    ok = api_client.post(f"/api/v1/inspections/{world['insp'].pk}/close/", {"carry_over": {str(rec.json()["id"]): "Chờ kinh phí"}}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "closed"


def test_follow_up_with_evidence_by_the_unit_and_the_upload_check(api_client, world):
    rec = services.recommendation_add(inspection=world["insp"], text="x", responsible_unit=world["commune"], deadline=D(2099, 1, 1),
                                      actor=world["par"])
    url = f"/api/v1/inspections/recommendations/{rec.pk}/follow-ups/"
    api_client.force_authenticate(world["spec2"])
    assert api_client.post(url, {"text": "x"}, format="multipart").status_code == 404
    api_client.force_authenticate(world["spec"])
    bad = api_client.post(url, {"text": "Xong", "evidence": SimpleUploadedFile("a.pdf", b"not a pdf at all")}, format="multipart")
    assert bad.status_code == 400 and bad.json()["field"] == "evidence" and bad.json()["code"] == "bad_type"
    assert FollowUp.objects.count() == 0
    ok = api_client.post(url, {"text": "Xong", "completes": "true", "evidence": SimpleUploadedFile("bb.pdf", PDF)}, format="multipart")
    assert ok.status_code == 201, ok.json()
    assert ok.json()["evidence_name"] == "bb.pdf" and len(ok.json()["evidence_sha256"]) == 64
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.DONE_ON_TIME
    assert len(api_client.get(url).json()) == 1


def test_overdue_list_endpoint_is_for_par_office_and_heads(api_client, world):
    services.recommendation_add(inspection=world["insp"], text="x", responsible_unit=world["commune"], deadline=D(2026, 4, 1), actor=world["par"])
    api_client.force_authenticate(world["par"])
    assert len(api_client.get("/api/v1/inspections/recommendations/?overdue=1").json()) == 1
    api_client.force_authenticate(world["head"])
    assert len(api_client.get("/api/v1/inspections/recommendations/?overdue=1").json()) == 1
    api_client.force_authenticate(world["spec"])
    assert api_client.get("/api/v1/inspections/recommendations/?overdue=1").status_code == 403
    assert len(api_client.get("/api/v1/inspections/recommendations/").json()) == 1
