import pytest
from rest_framework.test import APIClient

from cchc.feedback.models import Feedback

from .conftest import routed


def client_for(user=None):
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


BODY = {"kind": "phan_anh", "title": "Cán bộ hẹn lại nhiều lần", "content": "Tôi phải đi lại ba lần.", "province": "T1"}


def test_anonymous_cannot_file(world):
    r = client_for().post("/api/v1/feedback/", BODY, format="json")
    assert r.status_code in (401, 403)
    assert Feedback.objects.count() == 0


def test_citizen_files_and_lists_only_their_own(world):
    r = client_for(world["citizen"]).post("/api/v1/feedback/", BODY, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["sender_phone"] == "0912345678" and r.json()["status"] == "received"
    client_for(world["citizen2"]).post("/api/v1/feedback/", BODY, format="json")
    codes = [x["code"] for x in client_for(world["citizen"]).get("/api/v1/feedback/").json()["results"]]
    assert codes == [r.json()["code"]]
    other = Feedback.objects.exclude(code=r.json()["code"]).get()
    assert client_for(world["citizen"]).get(f"/api/v1/feedback/{other.pk}/").status_code == 404


@pytest.mark.parametrize("body,field", [
    ({**BODY, "kind": "to_cao"}, "kind"), ({**BODY, "title": ""}, "title"), ({**BODY, "province": "ZZ"}, "province"),
    ({**BODY, "procedure": "9.999999"}, "procedure"), ({**BODY, "dossier": "KHONG-CO"}, "dossier"),
])
def test_bad_input_is_a_400_naming_the_field(world, body, field):
    r = client_for(world["citizen"]).post("/api/v1/feedback/", body, format="json")
    assert r.status_code in (400, 404) and r.json()["field"] == field


def test_staff_flow_and_masking(world):
    fb_id = client_for(world["citizen"]).post("/api/v1/feedback/", BODY, format="json").json()["id"]
    par = client_for(world["par"])
    assert par.post(f"/api/v1/feedback/{fb_id}/classify/", {"subject": "conduct"}, format="json").status_code == 200
    r = par.post(f"/api/v1/feedback/{fb_id}/route/", {"unit": "NOPE"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "unit"
    assert par.post(f"/api/v1/feedback/{fb_id}/route/", {"unit": "T1-TP"}, format="json").json()["status"] == "routed"
    assert client_for(world["builder"]).get(f"/api/v1/feedback/{fb_id}/").status_code == 404
    leader_view = client_for(world["leader"]).get(f"/api/v1/feedback/{fb_id}/").json()
    assert leader_view["sender_phone"] == "•••" and leader_view["sender_email"] == "•••"
    spec = client_for(world["specialist"])
    assert spec.get(f"/api/v1/feedback/{fb_id}/").json()["sender_phone"] == "0912345678"
    r = par.post(f"/api/v1/feedback/{fb_id}/publish/", {"public_summary": "x"}, format="json")
    assert r.status_code == 409  # not answered yet
    r = spec.post(f"/api/v1/feedback/{fb_id}/answer/", {"answer": "Đã nhắc nhở công chức."}, format="json")
    assert r.status_code == 200 and r.json()["on_time"] is True
    r = spec.post(f"/api/v1/feedback/{fb_id}/publish/", {"public_summary": "Phản ánh về thái độ công chức."}, format="json")
    assert r.status_code == 403
    r = par.post(f"/api/v1/feedback/{fb_id}/publish/", {"public_summary": "Phản ánh về thái độ công chức."}, format="json")
    assert r.status_code == 200
    pub = APIClient().get("/api/v1/feedback/public/").json()
    assert [x["public_summary"] for x in pub["results"]] == ["Phản ánh về thái độ công chức."]
    assert "sender_name" not in pub["results"][0] and "content" not in pub["results"][0]


def test_public_list_shows_only_published(world, file_one):
    fb = routed(world, file_one())
    assert APIClient().get("/api/v1/feedback/public/").json()["count"] == 0
    assert fb.status == "routed"
    assert APIClient().get("/api/v1/feedback/public/?province=NOPE").status_code == 404


def test_counter_entry_by_staff(world):
    r = client_for(world["officer"]).post("/api/v1/feedback/", {
        "kind": "kien_nghi", "title": "Niêm yết phí", "content": "Đề nghị niêm yết phí rõ ràng.", "channel": "counter",
        "sender_name": "Lê Văn Ba", "sender_phone": "0909123456"}, format="json")
    assert r.status_code == 201 and r.json()["channel"] == "counter"
    r = client_for(world["officer"]).post("/api/v1/feedback/", {**BODY, "province": "", "channel": "counter", "sender_name": "A"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "sender_phone"


def test_dialogues_api(world):
    body = {"unit": "T1-X1", "held_on": "2026-05-20", "title": "Đối thoại xã Một", "chaired_by": "Chủ tịch UBND xã",
            "participants_count": 90, "issues": [{"content": "Đường vào trụ sở hẹp", "as_feedback": True}],
            "follow_ups": [{"content": "Mở rộng lối vào", "unit": "T1-X1", "deadline": "2026-08-30"}]}
    assert client_for(world["citizen"]).post("/api/v1/dialogues/", body, format="json").status_code == 403
    r = client_for(world["par"]).post("/api/v1/dialogues/", body, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["issues"][0]["feedback_code"].startswith("PAKN-T1-2026-")
    assert client_for(world["par"]).get("/api/v1/dialogues/").json()["count"] == 1
    assert client_for(world["outsider"]).get("/api/v1/dialogues/").json()["count"] == 0
    r = client_for(world["par"]).post("/api/v1/dialogues/", {**body, "held_on": "ngày mai"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "held_on"
