"""Page forms of the PAR office (plan, inspection + team, conducted, finding, action, recommendation) and the unit's
follow-up: happy path through the services (audited), invalid input → the form again with the error under the field
it names (never a 500), and who may post."""

import datetime as dt

import pytest
from django.utils import timezone

from cchc.core.models import AuditEvent
from cchc.inspections.models import Finding, Inspection, InspectionPlan, Recommendation

from .conftest import D

pytestmark = pytest.mark.django_db


def _error_under(page: str, field_id: str) -> bool:
    return f'id="{field_id}_error"' in page


def _team(world, **extra):
    data = {"m0_name": "Nguyễn Văn A", "m0_position": "Phó Giám đốc", "m0_unit": world["home_affairs"].pk, "leader": "0",
            "m1_name": "Trần Thị B", "m1_unit": world["justice"].pk}
    data.update(extra)
    return data


def test_par_office_issues_a_plan_and_a_duplicate_year_is_named(client, world):
    client.force_login(world["par"])
    page = client.get("/kiem-tra/").content.decode()
    assert "Lập kế hoạch kiểm tra CCHC năm mới" in page and 'name="year"' in page
    resp = client.post("/kiem-tra/", {"year": "2027", "title": "Kế hoạch kiểm tra CCHC 2027", "document_number": "9/KH-UBND",
                                      "issued_on": "2026-12-01"})
    assert resp.status_code == 302 and resp["Location"].endswith("?nam=2027")
    plan = InspectionPlan.objects.get(year=2027)
    assert plan.province == world["province"] and plan.created_by == world["par"]
    assert AuditEvent.objects.filter(action="inspections.plan_created", object_id=str(plan.pk)).exists()
    resp = client.post("/kiem-tra/", {"year": "2027", "title": "Lần hai"})
    page = resp.content.decode()
    assert resp.status_code == 400 and _error_under(page, "id_year") and "đã có kế hoạch kiểm tra năm 2027" in page
    resp = client.post("/kiem-tra/", {"year": "1999", "title": ""})
    page = resp.content.decode()
    assert resp.status_code == 400 and _error_under(page, "id_year") and _error_under(page, "id_title")
    assert InspectionPlan.objects.count() == 2


def test_only_the_par_office_sees_and_posts_the_plan_form(client, world):
    client.force_login(world["head"])
    assert 'name="year"' not in client.get("/kiem-tra/").content.decode()
    assert client.post("/kiem-tra/", {"year": "2028", "title": "X"}).status_code == 403
    client.force_login(world["outsider"])  # PAR office of another province
    assert client.get(f"/kiem-tra/ke-hoach/{world['plan'].pk}/them-cuoc/").status_code == 404
    assert not InspectionPlan.objects.filter(year=2028).exists()


def test_inspection_with_an_interdisciplinary_team(client, world):
    url = f"/kiem-tra/ke-hoach/{world['plan'].pk}/them-cuoc/"
    client.force_login(world["head"])
    assert client.get(url).status_code == 403
    client.force_login(world["par"])
    assert "Đoàn kiểm tra liên ngành" in client.get(url).content.decode()
    base = {"unit": world["commune2"].pk, "scope": "Kiểm tra niêm yết TTHC", "planned_start": "2026-06-01", "planned_end": "2026-06-01"}
    # one body only → the interdisciplinary rule, under the team
    resp = client.post(url, {**base, **_team(world, m1_unit=world["home_affairs"].pk)})
    page = resp.content.decode()
    assert resp.status_code == 400 and "ít nhất hai cơ quan" in page and "members:" not in page
    # no leader chosen
    resp = client.post(url, {**base, **_team(world, leader="")})
    assert resp.status_code == 400 and "đúng một trưởng đoàn (đang có 0)" in resp.content.decode()
    # a half-filled row names its missing cell
    resp = client.post(url, {**base, **_team(world), "m2_name": "Lê C"})
    assert resp.status_code == 400 and "Chọn cơ quan của thành viên" in resp.content.decode()
    # end before start, outside the plan's year
    resp = client.post(url, {**base, **_team(world), "planned_end": "2026-05-31"})
    assert resp.status_code == 400 and _error_under(resp.content.decode(), "id_planned_end")
    resp = client.post(url, {**base, **_team(world), "planned_start": "2027-01-01", "planned_end": "2027-01-02"})
    assert resp.status_code == 400 and "trong năm 2026" in resp.content.decode()
    assert Inspection.objects.count() == 1  # nothing half-written
    resp = client.post(url, {**base, **_team(world)})
    insp = Inspection.objects.exclude(pk=world["insp"].pk).get()
    assert resp.status_code == 302 and resp["Location"] == f"/kiem-tra/{insp.pk}/"
    assert [(m.name, m.is_leader) for m in insp.members.all()] == [("Nguyễn Văn A", True), ("Trần Thị B", False)]
    assert AuditEvent.objects.filter(action="inspections.inspection_created", object_id=str(insp.pk)).exists()


def test_conducted_finding_about_an_official_and_recommendation(client, world):
    from cchc.inspections import services

    planned = services.inspection_create(plan=world["plan"], unit=world["commune2"], scope="Kiểm tra", planned_start=D(2026, 4, 1),
                                         planned_end=D(2026, 4, 2), members=world["team"], actor=world["par"])
    client.force_login(world["par"])
    page = client.get(f"/kiem-tra/{planned.pk}/").content.decode()
    assert "Ghi nhận đã kiểm tra" in page and "Ghi phát hiện" not in page
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    resp = client.post(f"/kiem-tra/{planned.pk}/da-kiem-tra/", {"actual_start": "2026-04-01", "actual_end": tomorrow.isoformat()})
    assert resp.status_code == 400 and _error_under(resp.content.decode(), "id_actual_end")
    resp = client.post(f"/kiem-tra/{planned.pk}/da-kiem-tra/", {"actual_start": "2026-04-01", "actual_end": "2026-04-02",
                                                               "conclusion_number": "12/TB-SNV"})
    assert resp.status_code == 302
    planned.refresh_from_db()
    assert planned.status == "conducted" and planned.conclusion_number == "12/TB-SNV"

    url = f"/kiem-tra/{planned.pk}/phat-hien/"
    # about an official but no conduct → named under "Hành vi"
    resp = client.post(url, {"text": "Yêu cầu bổ sung giấy tờ", "severity": "major", "official_name": "Lê Văn K."})
    assert resp.status_code == 400 and _error_under(resp.content.decode(), "id_conduct")
    resp = client.post(url, {"text": "Yêu cầu bổ sung giấy tờ", "severity": "major", "official_name": "Lê Văn K.",
                             "official_position": "Công chức tư pháp", "conduct": "extra_papers"})
    assert resp.status_code == 302
    finding = Finding.objects.get(inspection=planned)
    assert finding.action_taken == "" and AuditEvent.objects.filter(action="inspections.finding_added", object_id=str(finding.pk)).exists()
    resp = client.post(f"/kiem-tra/{planned.pk}/phat-hien/{finding.pk}/xu-ly/", {"action_taken": "reminder", "action_note": "QĐ 5"})
    finding.refresh_from_db()
    assert resp.status_code == 302 and finding.action_taken == "reminder"
    # the access rule of officials' findings is unchanged: the inspected unit's head sees it, its specialist does not
    client.force_login(world["head2"])
    assert "Lê Văn K." in client.get(f"/kiem-tra/{planned.pk}/").content.decode()
    client.force_login(world["spec2"])
    assert "Lê Văn K." not in client.get(f"/kiem-tra/{planned.pk}/").content.decode()

    client.force_login(world["par"])
    url = f"/kiem-tra/{planned.pk}/kien-nghi/"
    rec = {"text": "Rà soát, chấm dứt yêu cầu giấy tờ ngoài quy định", "responsible_unit": world["commune2"].pk, "finding": finding.pk}
    resp = client.post(url, {**rec, "deadline": "2026-04-01"})  # the day before the inspection's last day
    assert resp.status_code == 400 and _error_under(resp.content.decode(), "id_deadline")
    resp = client.post(url, {**rec, "deadline": "2026-04-02"})  # exactly the last day: allowed
    assert resp.status_code == 302
    saved = Recommendation.objects.get(inspection=planned)
    assert saved.finding == finding and saved.deadline == D(2026, 4, 2)
    assert AuditEvent.objects.filter(action="inspections.recommendation_added", object_id=str(saved.pk)).exists()
    resp = client.post(url, {**rec, "responsible_unit": world["foreign"].pk, "deadline": "2026-05-01"})
    assert resp.status_code == 400 and _error_under(resp.content.decode(), "id_responsible_unit")


def test_another_units_staff_cannot_post(client, world):
    from cchc.inspections import services

    rec = services.recommendation_add(inspection=world["insp"], text="Cập nhật niêm yết", responsible_unit=world["commune"],
                                      deadline=D(2026, 4, 30), actor=world["par"])
    insp = world["insp"].pk
    for who, status in (("head", 403), ("spec", 403), ("head2", 404), ("outsider", 404)):
        client.force_login(world[who])
        assert client.post(f"/kiem-tra/{insp}/phat-hien/", {"text": "x", "severity": "minor"}).status_code == status, who
        assert client.post(f"/kiem-tra/{insp}/kien-nghi/", {"text": "x", "responsible_unit": world["commune"].pk,
                                                             "deadline": "2026-05-01"}).status_code == status, who
        assert client.post(f"/kiem-tra/{insp}/ket-thuc/").status_code == status, who
    for who, status in (("head2", 404), ("spec2", 404), ("officer", 403), ("par", 403)):
        client.force_login(world[who])
        assert client.post(f"/kiem-tra/kien-nghi/{rec.pk}/bao-cao/", {"text": "Đã xong"}).status_code == status, who
    assert Finding.objects.count() == 0 and Recommendation.objects.count() == 1 and not rec.follow_ups.exists()
    client.force_login(world["head"])
    resp = client.post(f"/kiem-tra/kien-nghi/{rec.pk}/bao-cao/", {"text": "  "})
    assert resp.status_code == 400 and _error_under(resp.content.decode(), "id_text")
    assert client.post(f"/kiem-tra/kien-nghi/{rec.pk}/bao-cao/", {"text": "Đã cập nhật niêm yết"}).status_code == 302
    assert rec.follow_ups.count() == 1
