"""Citizen feedback journey in a real browser (issue 10): a citizen files a feedback from the online-services portal,
the PAR office classifies it and routes it to Sở Tư pháp, an officer there answers, the head of the unit publishes it
(it concerns many people) and the public page shows it without login, with none of the sender's personal data.
Screenshots of each step at 1366 px and the citizen's and public pages at 390 px."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
TITLE = "Bộ phận một cửa xã yêu cầu bản sao có chứng thực không cần thiết"
CONTENT = (
    "Khi đăng ký khai sinh, cán bộ yêu cầu nộp bản sao có chứng thực giấy chứng nhận kết hôn dù đã xuất trình bản "
    "chính. Nhiều gia đình trong thôn gặp tình trạng này."
)
ADDRESS = "Số 5 đường Trần Phú, thôn Đông"
ANSWER = (
    "Kính gửi ông Nguyễn Văn Dân: theo quy định, người dân chỉ xuất trình bản chính để đối chiếu, không phải nộp "
    "bản sao có chứng thực. Sở Tư pháp đã chấn chỉnh bộ phận một cửa xã."
)
SUMMARY = "Yêu cầu nộp bản sao có chứng thực giấy chứng nhận kết hôn khi đăng ký khai sinh."


@pytest.fixture
def feedback_world(settings):
    from cchc.feedback.tests.factories import make_world

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return make_world()


def fits_phone(page, shot, name) -> None:
    page.set_viewport_size(PHONE)
    shot(name)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{name}: cuộn ngang ở 390 px"
    )
    page.set_viewport_size(DESKTOP)


def test_file_route_answer_and_publish_a_feedback(
    page, live_server, browser_login, browser_logout, screenshot, feedback_world
):
    from playwright.sync_api import expect

    from cchc.feedback.models import Feedback

    w = feedback_world
    password = "pass12345"

    # 1. the citizen files from the portal page
    browser_login("citizen", password, next_url="/dich-vu-cong/")
    page.get_by_role("link", name="Gửi phản ánh, kiến nghị").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi phản ánh, kiến nghị")
    fits_phone(page, screenshot, "feedback-file-390")
    page.get_by_label("Kiến nghị").check()
    page.get_by_label("Tiêu đề").fill(TITLE)
    page.get_by_label("Nội dung").fill(CONTENT)
    page.get_by_label("Địa chỉ liên hệ").fill(ADDRESS)
    page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    fb = Feedback.objects.get()
    expect(page.locator(".messages")).to_contain_text(f"Đã gửi phản ánh, kiến nghị {fb.code}")
    expect(page.locator(".badge").first).to_have_text("Đã tiếp nhận")
    assert fb.channel == "portal" and fb.sender_name == "Nguyễn Văn Dân" and fb.sender_address == ADDRESS
    screenshot("feedback-filed-1366")
    browser_logout()

    # 2. the PAR office classifies it and routes it to Sở Tư pháp
    browser_login("par", password, next_url="/phan-anh/")
    page.get_by_role("link", name=fb.code).click()
    expect(page.locator("dl").first).to_contain_text("0912345678")  # the PAR office sees the sender's contact
    page.get_by_label("Nội dung liên quan").select_option(label="Thủ tục hành chính")
    page.get_by_label("Lĩnh vực").fill("Hộ tịch")
    page.get_by_label("Đơn vị xử lý").select_option(label="Sở Tư pháp")
    page.get_by_role("button", name="Chuyển xử lý").click()
    expect(page.locator(".messages")).to_contain_text("Đã phân loại và chuyển đơn vị xử lý")
    expect(page.locator(".badge").first).to_have_text("Đã chuyển đơn vị xử lý")
    expect(page.locator("dl").nth(1)).to_contain_text("Sở Tư pháp")
    screenshot("feedback-routed-1366")
    fits_phone(page, screenshot, "feedback-routed-390")  # the officer's detail page with its forms on a phone
    browser_logout()

    # 3. an officer of Sở Tư pháp answers
    browser_login("specialist", password, next_url="/phan-anh/")
    page.get_by_role("link", name=fb.code).click()
    page.get_by_label("Nội dung trả lời").fill(ANSWER)
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi trả lời")
    expect(page.locator(".badge").first).to_have_text("Đã trả lời")
    expect(
        page.get_by_text("Cơ quan thường trực CCHC hoặc người đứng đầu đơn vị xử lý quyết định công khai")
    ).to_be_visible()
    browser_logout()

    # 4. the head of the unit publishes it; a summary naming the sender is refused, with the reason shown
    browser_login("head", password, next_url=f"/phan-anh/{fb.pk}/")
    page.get_by_label("Tóm tắt công khai").fill("Ông Nguyễn Văn Dân phản ánh việc đòi bản sao có chứng thực.")
    page.get_by_role("button", name="Công khai").click()
    expect(page.get_by_role("alert")).to_contain_text("không được chứa thông tin cá nhân")
    assert Feedback.objects.get().status == "answered"
    page.get_by_label("Tóm tắt công khai").fill(SUMMARY)
    page.get_by_role("button", name="Công khai").click()
    expect(page.locator(".messages")).to_contain_text("Đã công khai kết quả trả lời")
    expect(page.locator(".badge").first).to_have_text("Đã công khai")
    screenshot("feedback-published-1366")
    browser_logout()

    # 5. anyone, without login, reads it on the public page; none of the sender's personal data is there
    page.get_by_role("link", name="Trả lời phản ánh").click()
    article = page.locator("article", has_text=SUMMARY)
    expect(article).to_contain_text("Sở Tư pháp đã chấn chỉnh bộ phận một cửa xã")
    expect(article).to_contain_text("Kính gửi ông •••")
    text = page.locator("main").inner_text()
    for private in ("Nguyễn Văn Dân", "0912345678", "dan@example.vn", ADDRESS, w["citizen"].username):
        assert private not in text, private
    fits_phone(page, screenshot, "feedback-public-390")
