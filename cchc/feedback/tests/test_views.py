from django.test import Client

from cchc.feedback.models import Feedback


def login(user):
    c = Client()
    c.force_login(user)
    return c


def test_citizen_files_from_the_form_and_sees_it_in_their_list(world):
    c = login(world["citizen"])
    assert c.get("/phan-anh/gui/").status_code == 200
    r = c.post("/phan-anh/gui/", {"kind": "kien_nghi", "title": "Đề nghị thêm quầy", "content": "Buổi sáng thứ Hai rất đông."})
    assert r.status_code == 302
    fb = Feedback.objects.get()
    assert fb.sender_user == world["citizen"] and fb.channel == "portal"
    page = c.get("/phan-anh/cua-toi/").content.decode()
    assert fb.code in page and "Đã tiếp nhận" in page
    assert login(world["citizen2"]).get(f"/phan-anh/{fb.pk}/").status_code == 404


def test_form_error_is_shown_and_nothing_written(world):
    r = login(world["citizen"]).post("/phan-anh/gui/", {"kind": "kien_nghi", "title": "", "content": "x"})
    assert r.status_code == 400 and "title" in r.content.decode()
    assert Feedback.objects.count() == 0


def test_staff_pages_and_htmx_actions(world, file_one):
    fb = file_one()
    par = login(world["par"])
    assert fb.code in par.get("/phan-anh/").content.decode()
    r = par.post(f"/phan-anh/{fb.pk}/route/", {"subject": "procedure", "unit": world["justice"].pk}, HTTP_HX_REQUEST="true")
    # success reloads the whole page (status, unit and dates change, not only the action panel)
    assert r.status_code == 204 and r["HX-Redirect"] == f"/phan-anh/{fb.pk}/"
    fb.refresh_from_db()
    assert fb.status == "routed" and fb.unit == world["justice"]
    spec = login(world["specialist"])
    page = spec.get(f"/phan-anh/{fb.pk}/").content.decode()
    assert "0912345678" in page and "Trả lời" in page
    assert "0912345678" not in login(world["leader"]).get(f"/phan-anh/{fb.pk}/").content.decode()
    r = spec.post(f"/phan-anh/{fb.pk}/answer/", {"answer": ""}, HTTP_HX_REQUEST="true")
    assert "answer" in r.content.decode()
    spec.post(f"/phan-anh/{fb.pk}/answer/", {"answer": "Kính gửi ông Nguyễn Văn Dân (ĐT 0912 345 678): đã trả kết quả."})
    par.post(f"/phan-anh/{fb.pk}/publish/", {"public_summary": "Phản ánh chậm trả kết quả chứng thực."})
    fb.refresh_from_db()
    assert fb.status == "published"
    public = Client().get("/phan-anh/cong-khai/").content.decode()
    assert "Phản ánh chậm trả kết quả chứng thực." in public and "Nguyễn Văn Dân" not in public
    # the answer is published too, written to the sender: the public sees it with the name and phone masked
    assert "Kính gửi ông ••• (ĐT •••): đã trả kết quả." in public and "0912 345 678" not in public
    api = Client().get("/api/v1/feedback/public/").json()
    assert api["results"][0]["answer"] == "Kính gửi ông ••• (ĐT •••): đã trả kết quả."


def test_citizens_cannot_open_the_staff_inbox_nor_dialogues(world):
    c = login(world["citizen"])
    assert c.get("/phan-anh/")["Location"] == "/phan-anh/cua-toi/"  # the staff inbox sends a citizen to their own list
    assert c.get("/doi-thoai/").status_code == 403


def test_dialogue_pages(world):
    par = login(world["par"])
    assert par.get("/doi-thoai/moi/").status_code == 200
    r = par.post("/doi-thoai/moi/", {"unit": world["commune"].pk, "title": "Đối thoại xã Một", "held_on": "2026-06-01",
                                     "chaired_by": "Chủ tịch UBND xã", "participants_count": "80",
                                     "issue_raised_by": ["Bà Tư", "", ""], "issue_content": ["Đường vào trụ sở hẹp", "", ""],
                                     "issue_answer": ["Sẽ mở rộng", "", ""], "issue_as_feedback_0": "1",
                                     "fu_content": ["Mở rộng lối vào", "", ""], "fu_unit": [world["commune"].pk, "", ""],
                                     "fu_deadline": ["2026-09-30", "", ""]})
    assert r.status_code == 302, r.content.decode()[:2000]
    page = par.get(r["Location"]).content.decode()
    assert "Đường vào trụ sở hẹp" in page and "PAKN-T1-2026-" in page and "Mở rộng lối vào" in page
    assert "Đối thoại xã Một" in par.get("/doi-thoai/").content.decode()


def test_public_text_masks_the_sender_and_long_digit_runs_only():
    """The published answer: the sender's name, phone, e-mail, ID number and address are masked, and any run of 9 or
    more digits (spaces, dots, hyphens between them allowed); 8 digits, dates and amounts stay."""
    from types import SimpleNamespace

    from cchc.feedback.access import public_text

    fb = SimpleNamespace(sender_name="Nguyễn Văn Dân", sender_phone="0912345678", sender_email="dan@example.vn",
                         sender_id_number="001099012345", sender_address="Số 5 Trần Phú")
    text = ("Kính gửi ông NGUYỄN VĂN DÂN (số 5 trần phú, dan@example.vn, CCCD 001099012345): gọi 0987 654 321 hoặc "
            "0987.654.3 (8 chữ số); lệ phí 1.500.000 đồng; hẹn ngày 06/12/2026; mã 12345678.")
    assert public_text(fb, text) == ("Kính gửi ông ••• (•••, •••, CCCD •••): gọi ••• hoặc 0987.654.3 (8 chữ số); lệ phí 1.500.000 đồng; "
                                     "hẹn ngày 06/12/2026; mã 12345678.")
