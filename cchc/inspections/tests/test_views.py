"""Pages: plan + list, detail (officials' findings hidden from other staff), follow-up form, overdue list."""

import pytest

from cchc.inspections import services
from cchc.inspections.models import RecommendationStatus

from .conftest import D

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def filled(world):
    services.finding_add(inspection=world["insp"], text="Gây phiền hà cho người dân", official_name="Trần Văn H.", conduct="harassment",
                         action_taken="criticism", actor=world["par"])
    services.finding_add(inspection=world["insp"], text="Niêm yết thủ tục chưa cập nhật", actor=world["par"])
    world["rec"] = services.recommendation_add(inspection=world["insp"], text="Cập nhật niêm yết", responsible_unit=world["commune"],
                                               deadline=D(2026, 4, 30), actor=world["par"])
    return world


def test_home_lists_the_plan_and_inspections(client, filled):
    client.force_login(filled["par"])
    page = client.get("/kiem-tra/").content.decode()
    assert "Kế hoạch kiểm tra CCHC 2026" in page and "Xã Một" in page and "1/1" in page and "quá hạn" in page
    client.force_login(filled["citizen"])
    assert client.get("/kiem-tra/").status_code == 403


def test_detail_hides_officials_findings_from_specialists(client, filled):
    url = f"/kiem-tra/{filled['insp'].pk}/"
    client.force_login(filled["head"])
    assert "Trần Văn H." in client.get(url).content.decode()
    client.force_login(filled["spec"])
    page = client.get(url).content.decode()
    assert "Trần Văn H." not in page and "Niêm yết thủ tục" in page and "Báo cáo kết quả" in page
    client.force_login(filled["head2"])
    assert client.get(url).status_code == 404


def test_follow_up_form_submits_with_evidence(client, filled):
    url = f"/kiem-tra/kien-nghi/{filled['rec'].pk}/bao-cao/"
    client.force_login(filled["officer"])
    assert client.get(url).status_code == 403
    client.force_login(filled["spec"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": ""}).status_code == 400
    from django.core.files.uploadedfile import SimpleUploadedFile

    resp = client.post(url, {"text": "Đã cập nhật niêm yết", "completes": "1", "evidence": SimpleUploadedFile("anh.pdf", PDF)})
    assert resp.status_code == 302
    filled["rec"].refresh_from_db()
    assert filled["rec"].status in (RecommendationStatus.DONE_LATE, RecommendationStatus.DONE_ON_TIME)


def test_close_from_the_page_shows_the_rule_then_carries_over(client, filled):
    client.force_login(filled["par"])
    url = f"/kiem-tra/{filled['insp'].pk}/ket-thuc/"
    resp = client.post(url)
    page = resp.content.decode()
    # the rule (409 open_recommendations) is shown on the inspection page itself, in Vietnamese, next to the form
    assert resp.status_code == 409 and page.count("hưa thể kết thúc cuộc kiểm tra") == 1 and "recommendations:" not in page
    assert 'id="ket-thuc"' in page and "Ghi phát hiện" in page
    rec = filled["rec"].pk
    resp = client.post(url, {f"use_{rec}": "1", f"carry_{rec}": "  "})  # ticked, no reason → the reason rule, nothing written
    assert resp.status_code == 400 and "chuyển tiếp phải nêu lý do" in resp.content.decode()
    client.post(url, {f"carry_{rec}": "Chờ kinh phí"})  # a typed reason carries over even when the box was not ticked
    filled["insp"].refresh_from_db()
    assert filled["insp"].status == "closed"


def test_overdue_page(client, filled):
    client.force_login(filled["head"])
    page = client.get("/kiem-tra/kien-nghi-qua-han/").content.decode()
    assert "Cập nhật niêm yết" in page and "ngày" in page
    client.force_login(filled["spec"])
    assert client.get("/kiem-tra/kien-nghi-qua-han/").status_code == 403
