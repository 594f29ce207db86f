"""Pages of the dossier engine: desk intake, queue, detail actions, PDFs, register, portal, lookup."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cchc.dossiers import services
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import Dossier, DossierDocument
from cchc.dossiers.online import new_form_token

from .factories import PDF_BYTES, applicant, make_checklist

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(world):
    return make_checklist(world["procedure"], [
        {"name": "Tờ khai yêu cầu cấp phiếu lý lịch tư pháp"},
        {"name": "Bản chụp giấy tờ tùy thân", "original_copies": 0, "photocopies": 1},
        {"name": "Văn bản ủy quyền (nếu có)", "mandatory": False},
    ])


def login(client, user):
    client.force_login(user)
    return client


def receive(world, **over):
    kwargs = dict(actor=world["officer"], procedure=world["procedure"], unit=world["centre"], applicant=applicant())
    kwargs.update(over)
    return services.dossier_receive(**kwargs)


def test_desk_page_needs_a_staff_login(client, world):
    response = client.get(reverse("dossiers:desk"))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    citizen = type(world["officer"]).objects.create_user(username="dan", password="matkhau123")
    login(client, citizen)
    assert client.get(reverse("dossiers:desk")).status_code == 403


def test_procedure_search_lists_only_procedures_published_at_the_officers_unit(client, world):
    login(client, world["officer"])
    response = client.get(reverse("dossiers:procedure_search"), {"q": "ly lich tu phap"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "1.000001" in body
    assert "9.999999" not in client.get(reverse("dossiers:procedure_search"), {"q": "chưa công bố"}).content.decode()


def test_intake_form_receives_a_dossier_and_shows_the_receipt_with_its_token(client, world, checklist):
    login(client, world["officer"])
    url = reverse("dossiers:intake", args=["1.000001"])
    page = client.get(url)
    assert page.status_code == 200 and "Tờ khai yêu cầu cấp phiếu lý lịch tư pháp" in page.content.decode()
    response = client.post(url, {
        "documents": [str(checklist[0].pk), str(checklist[1].pk)], "other_documents": "Giấy xác nhận cư trú",
        "applicant_kind": "person", "applicant_name": "Trần Thị Bình", "applicant_id_number": "001190012345",
        "applicant_phone": "0912345678", "applicant_email": "", "applicant_address": "Hà Nội",
        "channel": "counter", "result_channel": "counter", "payment_status": "paid_counter", "payment_reference": "BL-0001",
    })
    assert response.status_code == 302
    d = Dossier.objects.get(applicant_name="Trần Thị Bình")
    assert response["Location"] == reverse("dossiers:receipt", args=[d.code])
    assert d.status == wf.RECEIVED and d.payment_status == "paid_counter"
    assert set(d.documents.values_list("name", flat=True)) == {checklist[0].name, checklist[1].name, "Giấy xác nhận cư trú"}
    receipt = client.get(response["Location"]).content.decode()
    assert d.code in receipt and d.lookup_token in receipt
    assert reverse("dossiers:pdf", args=[d.code, "giay-tiep-nhan"]) in receipt


def test_intake_with_a_bad_phone_shows_the_service_message_and_keeps_the_input(client, world, checklist):
    login(client, world["officer"])
    response = client.post(reverse("dossiers:intake", args=["1.000001"]), {
        "applicant_kind": "person", "applicant_name": "Lê Văn Cường", "applicant_phone": "12ab",
        "channel": "counter", "result_channel": "counter",
    })
    assert response.status_code == 400
    body = response.content.decode()
    assert "Số điện thoại không hợp lệ" in body and "applicant.phone:" not in body
    assert 'value="Lê Văn Cường"' in body
    assert not Dossier.objects.exists()


def test_intake_warns_about_missing_mandatory_documents(client, world, checklist):
    login(client, world["officer"])
    response = client.post(reverse("dossiers:intake", args=["1.000001"]), {
        "applicant_kind": "person", "applicant_name": "Phạm Dũng", "channel": "counter", "result_channel": "counter",
    }, follow=True)
    assert "Chưa nhận đủ thành phần bắt buộc" in response.content.decode()


def test_queue_puts_overdue_before_due_today_before_later_and_paused_last(client, world):
    now = timezone.now()
    later = receive(world)
    overdue = receive(world)
    paused = receive(world)
    Dossier.objects.filter(pk=later.pk).update(due_at=now + timedelta(days=5), due_date=(now + timedelta(days=5)).date())
    Dossier.objects.filter(pk=overdue.pk).update(due_at=now - timedelta(hours=3), due_date=(now - timedelta(hours=3)).date())
    services.dossier_transition(code=paused.code, action=wf.REQUEST_SUPPLEMENT, actor=world["officer"], reason="Thiếu tờ khai")
    login(client, world["officer"])
    body = client.get(reverse("dossiers:list")).content.decode()
    assert body.index(overdue.code) < body.index(later.code) < body.index(paused.code)
    assert "Quá hạn" in body and "Chờ bổ sung" in body


def test_lists_show_only_dossiers_in_the_users_scope(client, world):
    mine = receive(world)
    login(client, world["other_officer"])
    for tab in ("hang-cho", "cua-toi", "don-vi"):
        assert mine.code not in client.get(reverse("dossiers:list"), {"tab": tab}).content.decode()
    assert mine.code not in client.get(reverse("dossiers:desk")).content.decode()
    assert client.get(reverse("dossiers:detail", args=[mine.code])).status_code == 404
    assert client.get(reverse("dossiers:pdf", args=[mine.code, "giay-tiep-nhan"])).status_code == 404
    assert client.post(reverse("dossiers:action", args=[mine.code, wf.REJECT]), {"version": 1, "reason": "x"}).status_code == 404
    login(client, world["leader"])
    assert mine.code in client.get(reverse("dossiers:list"), {"tab": "don-vi"}).content.decode()


def test_detail_shows_allowed_actions_and_the_audit_trail(client, world):
    d = receive(world)
    login(client, world["officer"])
    body = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    for action in wf.allowed_actions(d.status):
        if action == wf.RETURN_LATE:
            continue
        assert reverse("dossiers:action", args=[d.code, action]) in body
    assert reverse("dossiers:action", args=[d.code, wf.RETURN]) not in body
    assert "Tiếp nhận hồ sơ" in body  # audit trail label of dossier.receive


def test_assign_action_hands_over_to_the_department_and_shows_the_control_sheet(client, world):
    d = receive(world)
    login(client, world["officer"])
    response = client.post(reverse("dossiers:action", args=[d.code, wf.ASSIGN]), {
        "version": d.version, "handling_unit_code": world["dept"].code, "assignee": "chuyenvien", "step_allowance": "1",
        "task": "Thẩm định hồ sơ",
    })
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == wf.IN_PROCESS and d.assignee == world["specialist"]
    login(client, world["specialist"])
    body = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert "Thẩm định hồ sơ" in body and "Sở Tư pháp" in body


def test_a_stale_version_shows_the_friendly_conflict_message_and_keeps_the_reason(client, world):
    d = receive(world)
    login(client, world["officer"])
    services.dossier_transition(code=d.code, action=wf.ASSIGN, actor=world["officer"], version=d.version,
                                handling_unit_code=world["dept"].code)
    response = client.post(reverse("dossiers:action", args=[d.code, wf.REJECT]), {"version": d.version, "reason": "Hồ sơ giả mạo"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "hồ sơ vừa được người khác cập nhật".lower() in body.lower()
    assert "Hồ sơ giả mạo" in body
    d.refresh_from_db()
    assert d.status == wf.IN_PROCESS
    assert f'name="version" value="{d.version}"' in body


def test_an_action_not_allowed_from_the_state_is_a_409_page_not_a_500(client, world):
    d = receive(world)
    login(client, world["officer"])
    response = client.post(reverse("dossiers:action", args=[d.code, wf.RETURN]), {"version": d.version})
    assert response.status_code == 409
    assert "Không thể thực hiện" in response.content.decode()


def test_reject_without_reason_names_the_field(client, world):
    d = receive(world)
    login(client, world["officer"])
    response = client.post(reverse("dossiers:action", args=[d.code, wf.REJECT]), {"version": d.version, "reason": ""})
    assert response.status_code == 400
    assert "phải ghi rõ lý do" in response.content.decode()


def test_apology_with_a_new_date_is_recorded_and_its_letter_prints(client, world):
    d = receive(world)
    login(client, world["officer"])
    new_day = (timezone.localtime(d.due_at) + timedelta(days=3)).date()
    response = client.post(reverse("dossiers:action", args=[d.code, wf.APOLOGISE]), {
        "version": d.version, "reason": "Cần xác minh thêm tại địa phương", "new_due_date": new_day.isoformat(), "new_due_time": "16:30",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    d.refresh_from_db()
    assert timezone.localtime(d.promised_at).date() == new_day
    assert timezone.localtime(d.promised_at).strftime("%H:%M") == "16:30"
    pdf = client.get(reverse("dossiers:pdf", args=[d.code, "xin-loi"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_apology_without_a_date_is_refused_with_the_field_message(client, world):
    d = receive(world)
    login(client, world["officer"])
    response = client.post(reverse("dossiers:action", args=[d.code, wf.APOLOGISE]), {"version": d.version, "reason": "Chậm"})
    assert response.status_code == 400
    assert "ngày hẹn trả kết quả mới" in response.content.decode()


def test_complete_with_electronic_result_signs_and_the_lookup_page_verifies_it(client, world):
    d = receive(world)
    login(client, world["officer"])
    response = client.post(reverse("dossiers:action", args=[d.code, wf.COMPLETE]), {
        "version": d.version, "issue_electronic_result": "on", "result_title": "Phiếu lý lịch tư pháp số 1", "result_number": "15/2026",
    })
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == wf.RESULT_READY and d.has_electronic_result
    result = d.electronic_results.get()
    assert result.signed and result.signer == world["dept"].name
    client.logout()
    page = client.get(reverse("dossiers:lookup"), {"code": d.code, "token": d.lookup_token}).content.decode()
    assert 'data-verdict="valid_trusted"' in page and "Chữ ký số hợp lệ, tài liệu không bị sửa đổi" in page
    assert world["dept"].name in page
    download = client.get(reverse("dossiers:lookup_result"), {"code": d.code, "token": d.lookup_token})
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert client.get(reverse("dossiers:lookup_result"), {"code": d.code, "token": "SAI"}).status_code == 404


def test_issuing_an_electronic_result_before_settlement_is_refused(client, world):
    d = receive(world)
    login(client, world["officer"])
    response = client.post(reverse("dossiers:issue_result", args=[d.code]), {})
    assert response.status_code == 409
    assert "chưa có kết quả" in response.content.decode()


def test_all_pdf_forms_render_for_a_dossier_that_went_through_them(client, world):
    d = receive(world)
    services.dossier_transition(code=d.code, action=wf.ASSIGN, actor=world["officer"], handling_unit_code=world["dept"].code,
                                assignee="chuyenvien")
    services.dossier_transition(code=d.code, action=wf.REQUEST_SUPPLEMENT, actor=world["specialist"], reason="Thiếu bản chụp CCCD")
    services.dossier_transition(code=d.code, action=wf.REJECT, actor=world["specialist"], reason="Không bổ sung")
    login(client, world["officer"])
    for slug in ("giay-tiep-nhan", "yeu-cau-bo-sung", "tu-choi", "kiem-soat"):
        response = client.get(reverse("dossiers:pdf", args=[d.code, slug]))
        assert response.status_code == 200, slug
        assert response.content.startswith(b"%PDF")
    assert client.get(reverse("dossiers:pdf", args=[d.code, "xin-loi"])).status_code == 409
    assert client.get(reverse("dossiers:pdf", args=[d.code, "khong-co"])).status_code == 404


def test_register_downloads_an_xlsx_with_the_units_dossiers(client, world):
    from cchc.dossiers.registers import read_register

    d = receive(world)
    login(client, world["officer"])
    today = timezone.localdate()
    response = client.get(reverse("dossiers:register"), {
        "tai": "1", "unit": world["centre"].code, "date_from": (today - timedelta(days=1)).isoformat(), "date_to": today.isoformat(),
    })
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_register(response.content)
    assert [r["code"] for r in rows] == [d.code]


def test_register_of_a_unit_outside_the_scope_is_refused(client, world):
    login(client, world["other_officer"])
    today = timezone.localdate()
    response = client.get(reverse("dossiers:register"), {"tai": "1", "unit": world["centre"].code,
                                                         "date_from": today.isoformat(), "date_to": today.isoformat()})
    assert response.status_code == 400
    assert "không có quyền" in response.content.decode()


def test_register_with_a_reversed_period_is_a_400_with_a_message(client, world):
    login(client, world["officer"])
    response = client.get(reverse("dossiers:register"), {"tai": "1", "unit": world["centre"].code,
                                                         "date_from": "2026-03-10", "date_to": "2026-03-01"})
    assert response.status_code == 400
    assert "Ngày kết thúc phải sau ngày bắt đầu" in response.content.decode()


# ------------------------------------------------------------------------------------------ citizen portal

@pytest.fixture
def citizen(world):
    from cchc.accounts.models import User

    return User.objects.create_user(username="congdan", password="matkhau123", full_name="Hoàng Thị Dân",
                                    phone="0987654321", id_number="001199001234", email="dan@example.vn")


def test_portal_lists_only_procedures_offered_online(client, world):
    from cchc.catalog.models import ProvinceProcedure

    ProvinceProcedure.objects.filter(procedure=world["commune_procedure"]).update(online_level="none")
    body = client.get(reverse("dossiers:portal")).content.decode()
    assert "1.000001" in body and "1.001193" not in body


def test_citizen_files_online_with_uploads_and_sees_it_in_my_dossiers(client, world, citizen, checklist):
    login(client, citizen)
    response = client.post(reverse("dossiers:portal_file", args=[world["pp"].pk]), {
        "applicant_kind": "person", "applicant_name": "Hoàng Thị Dân", "applicant_phone": "0987654321",
        "applicant_id_number": "001199001234", "result_channel": "online", "confirm": "on", "form_token": new_form_token(),
        f"file_{checklist[0].pk}": SimpleUploadedFile("to-khai.pdf", PDF_BYTES, content_type="application/pdf"),
        f"file_{checklist[1].pk}": SimpleUploadedFile("cccd.pdf", PDF_BYTES, content_type="application/pdf"),
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    d = Dossier.objects.get(applicant_user=citizen)
    assert d.status == wf.WAITING_ACCEPTANCE and d.channel == "online" and d.has_electronic_documents
    assert d.unit == world["centre"]  # province-level procedure without a desk: the province's service centre
    assert d.documents.filter(is_electronic=True).count() == 2
    mine = client.get(reverse("dossiers:portal_mine")).content.decode()
    assert d.code in mine


def test_an_upload_whose_content_is_not_an_allowed_type_files_nothing(client, world, citizen, checklist):
    login(client, citizen)
    response = client.post(reverse("dossiers:portal_file", args=[world["pp"].pk]), {
        "applicant_kind": "person", "applicant_name": "Hoàng Thị Dân", "result_channel": "online", "confirm": "on",
        "form_token": new_form_token(),
        f"file_{checklist[0].pk}": SimpleUploadedFile("to-khai.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf"),
        f"file_{checklist[1].pk}": SimpleUploadedFile("cccd.pdf", PDF_BYTES, content_type="application/pdf"),
    })
    assert response.status_code == 400
    assert "không đúng loại" in response.content.decode()
    assert not Dossier.objects.exists() and not DossierDocument.objects.exists()


def test_missing_mandatory_upload_is_refused_before_anything_is_written(client, world, citizen, checklist):
    login(client, citizen)
    response = client.post(reverse("dossiers:portal_file", args=[world["pp"].pk]), {
        "applicant_kind": "person", "applicant_name": "Hoàng Thị Dân", "result_channel": "online", "confirm": "on",
        "form_token": new_form_token(),
    })
    assert response.status_code == 400
    assert "chưa đính kèm thành phần bắt buộc" in response.content.decode().lower()
    assert not Dossier.objects.exists()


def test_citizen_pays_online_and_the_reference_is_recorded(client, world, citizen):
    d = services.dossier_submit_online(applicant_user=citizen, procedure=world["procedure"], unit=world["dept"], applicant=applicant())
    login(client, citizen)
    response = client.post(reverse("dossiers:portal_dossier", args=[d.code]), {"what": "pay", "reference": "VNPAY-123", "version": d.version})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.payment_status == "paid_online" and d.payment_reference == "VNPAY-123"
    again = client.post(reverse("dossiers:portal_dossier", args=[d.code]), {"what": "pay", "reference": "VNPAY-124"})
    assert again.status_code == 409


def test_a_citizen_cannot_open_someone_elses_dossier(client, world, citizen):
    from cchc.accounts.models import User

    d = services.dossier_submit_online(applicant_user=citizen, procedure=world["procedure"], unit=world["dept"], applicant=applicant())
    intruder = User.objects.create_user(username="khac", password="matkhau123")
    login(client, intruder)
    assert client.get(reverse("dossiers:portal_dossier", args=[d.code])).status_code == 404
    assert client.post(reverse("dossiers:portal_dossier", args=[d.code]), {"what": "pay", "reference": "X"}).status_code == 404


# ------------------------------------------------------------------------------------------ public lookup

def test_lookup_with_a_wrong_token_says_not_found_like_an_unknown_code(client, world):
    d = receive(world)
    wrong = client.get(reverse("dossiers:lookup"), {"code": d.code, "token": "WRONGTOKEN"})
    unknown = client.get(reverse("dossiers:lookup"), {"code": "KHONG-CO", "token": d.lookup_token})
    assert wrong.status_code == unknown.status_code == 404
    assert "Không tìm thấy hồ sơ" in wrong.content.decode()
    assert d.applicant_name not in wrong.content.decode()


def test_lookup_shows_status_due_date_and_current_step_without_personal_data(client, world):
    d = receive(world)
    services.dossier_transition(code=d.code, action=wf.ASSIGN, actor=world["officer"], handling_unit_code=world["dept"].code)
    body = client.get(reverse("dossiers:lookup"), {"code": d.code, "token": d.lookup_token.lower()}).content.decode()
    assert "Đang giải quyết" in body and "Sở Tư pháp" in body
    assert timezone.localtime(d.due_at).strftime("%d/%m/%Y") in body
    assert d.applicant_id_number not in body and d.applicant_phone not in body


def test_rating_after_return_is_recorded_once(client, world):
    d = receive(world)
    services.dossier_transition(code=d.code, action=wf.COMPLETE, actor=world["officer"])
    services.dossier_transition(code=d.code, action=wf.RETURN, actor=world["officer"])
    page = client.get(reverse("dossiers:lookup"), {"code": d.code, "token": d.lookup_token}).content.decode()
    assert "Đánh giá mức độ hài lòng" in page
    response = client.post(reverse("dossiers:rate"), {"code": d.code, "token": d.lookup_token, "overall": "5", "officials": "4",
                                                     "comment": "Cán bộ nhiệt tình"})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.rating.overall == 5 and d.rating.officials == 4
    again = client.post(reverse("dossiers:rate"), {"code": d.code, "token": d.lookup_token, "overall": "1"})
    assert again.status_code == 409
    assert "chỉ đánh giá một lần" in again.content.decode()


def test_rating_before_return_is_refused_with_a_message(client, world):
    d = receive(world)
    response = client.post(reverse("dossiers:rate"), {"code": d.code, "token": d.lookup_token, "overall": "4"})
    assert response.status_code == 409
    assert "sau khi đã nhận kết quả" in response.content.decode()


def test_verify_page_reports_a_tampered_result(client, world):
    d = receive(world)
    services.dossier_transition(code=d.code, action=wf.COMPLETE, actor=world["officer"])
    from cchc.dossiers import results

    result = results.electronic_result_issue(dossier=Dossier.objects.get(pk=d.pk), actor=world["officer"])
    data = bytearray(results.result_bytes(result))
    i = data.index(b"/Contents") - 200
    data[i] = (data[i] + 1) % 256
    response = client.post(reverse("dossiers:verify"), {"file": SimpleUploadedFile("kq.pdf", bytes(data))})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Chữ ký KHÔNG hợp lệ" in body or "đã bị sửa đổi" in body


def test_queue_tiles_filter_the_queue(client, world):
    now = timezone.now()
    overdue = receive(world)
    later = receive(world)
    Dossier.objects.filter(pk=overdue.pk).update(due_at=now - timedelta(hours=1), due_date=(now - timedelta(hours=1)).date())
    Dossier.objects.filter(pk=later.pk).update(due_at=now + timedelta(days=4), due_date=(now + timedelta(days=4)).date())
    login(client, world["officer"])
    body = client.get(reverse("dossiers:list"), {"loc": "qua-han"}).content.decode()
    assert overdue.code in body and later.code not in body
    desk = client.get(reverse("dossiers:desk")).content.decode()
    assert "?loc=qua-han" in desk


def test_public_lookup_is_rate_limited_per_client(client, world, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public_lookup": "3/min"}}
    d = receive(world)
    codes = [client.get(reverse("dossiers:lookup"), {"code": d.code, "token": "GUESS0000" + str(i)}).status_code for i in range(4)]
    assert codes == [404, 404, 404, 429]
    assert "quá nhiều lần" in client.get(reverse("dossiers:lookup"), {"code": d.code, "token": d.lookup_token}).content.decode()


@pytest.mark.parametrize("method, path, data", [
    ("get", "dossiers:list", {"trang": "abc", "tab": "xyz", "loc": "???"}),
    ("get", "dossiers:lookup", {"code": "x" * 200, "token": "y" * 200}),
    ("get", "dossiers:lookup", {"code": "A", "token": ""}),
    ("get", "dossiers:register", {"tai": "1", "unit": "KHONG-CO", "date_from": "2026-01-01", "date_to": "2026-01-31"}),
    ("get", "dossiers:register", {"tai": "1", "unit": "", "date_from": "hôm qua", "date_to": ""}),
    ("get", "dossiers:procedure_search", {"q": "%' OR 1=1 --"}),
    ("post", "dossiers:rate", {"code": "A", "token": "B", "overall": "9"}),
    ("post", "dossiers:verify", {}),
    ("get", "dossiers:lookup_result", {"code": "A", "token": "B"}),
])
def test_odd_input_never_produces_a_server_error(client, world, method, path, data):
    login(client, world["officer"])
    response = getattr(client, method)(reverse(path), data)
    assert response.status_code < 500


def test_odd_action_input_is_a_4xx_with_a_message(client, world):
    d = receive(world)
    login(client, world["officer"])
    url = reverse("dossiers:action", args=[d.code, wf.APOLOGISE])
    bad_version = client.post(url, {"version": "abc", "reason": "x", "new_due_date": "2026-12-01"})
    bad_date = client.post(url, {"version": d.version, "reason": "x", "new_due_date": "31/02/2026"})
    unknown_action = client.post(reverse("dossiers:action", args=[d.code, "explode"]), {"version": d.version})
    assert bad_version.status_code == 400 and bad_date.status_code == 400 and unknown_action.status_code == 404
    assert "Ngày hẹn trả mới" in bad_date.content.decode()


def test_a_system_admin_without_a_unit_gets_a_clear_refusal_at_the_counter(client, world):
    login(client, world["admin"])
    assert client.get(reverse("dossiers:desk")).status_code == 200
    response = client.get(reverse("dossiers:intake", args=["1.000001"]))
    assert response.status_code == 403


def test_citizen_gets_the_receipt_of_an_accepted_online_dossier_naming_the_accepting_officer(client, world, citizen):
    from cchc.dossiers import documents

    d = services.dossier_submit_online(applicant_user=citizen, procedure=world["procedure"], unit=world["centre"], applicant=applicant())
    login(client, citizen)
    assert client.get(reverse("dossiers:portal_receipt", args=[d.code])).status_code == 409
    services.dossier_transition(code=d.code, action=wf.ACCEPT, actor=world["officer"])
    response = client.get(reverse("dossiers:portal_receipt", args=[d.code]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    d.refresh_from_db()
    assert documents.dossier_form_context(d, "receipt")["dossier"]["desk_officer"] == "motcua"


def test_supplement_request_lists_the_requested_documents_on_form_02(client, world):
    from cchc.dossiers import documents

    d = receive(world)
    login(client, world["officer"])
    response = client.post(reverse("dossiers:action", args=[d.code, wf.REQUEST_SUPPLEMENT]), {
        "version": d.version, "reason": "Hồ sơ chưa đủ thành phần", "requested_documents": "Bản chụp CCCD\n\nTờ khai có chữ ký",
    })
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == wf.SUPPLEMENT_REQUESTED
    ctx = documents.dossier_form_context(d, "supplement")
    assert ctx["reason"] == "Hồ sơ chưa đủ thành phần"
    assert [x["name"] for x in ctx["requested_documents"]] == ["Bản chụp CCCD", "Tờ khai có chữ ký"]
    assert client.get(reverse("dossiers:pdf", args=[d.code, "yeu-cau-bo-sung"])).status_code == 200
