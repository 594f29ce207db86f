"""One full dossier journey in a real browser (Debian chromium through Playwright) against the live server:
citizen files online → desk officer accepts and assigns → specialist settles with a signed e-result →
officer returns the result → citizen looks it up, sees the signature check, and rates the service.
A second test walks the keyboard-first counter intake.
"""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PASSWORD = "matkhau123"


@pytest.fixture
def journey_world(settings, tmp_path):
    """The dossier engine's test province, a checklist, and a citizen account; files and keys under tmp."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    from cchc.accounts.models import User
    from cchc.dossiers.tests.factories import make_checklist, make_world

    world = make_world()
    proc = world["procedure"]
    world["checklist"] = make_checklist(proc, [
        {"name": "Tờ khai yêu cầu cấp phiếu lý lịch tư pháp"}, {"name": "Bản chụp giấy tờ tùy thân"},
    ])
    world["citizen"] = User.objects.create_user(
        username="congdan", password=PASSWORD, full_name="Hoàng Thị Dân", phone="0987654321", id_number="001199001234",
        email="dan@example.vn",
    )
    return world


def test_citizen_to_officer_to_specialist_and_back_to_the_citizen(page, live_server, browser_login, browser_logout,
                                                                  journey_world, screenshot, tmp_path):
    from playwright.sync_api import expect

    base = live_server.url
    pdf = tmp_path / "to-khai.pdf"
    pdf.write_bytes(PDF_BYTES)

    # 1. The citizen files online with the two documents.
    browser_login("congdan", PASSWORD, next_url="/dich-vu-cong/")
    page.goto(f"{base}/dich-vu-cong/")
    screenshot("portal")
    page.get_by_role("row", name=re.compile("1.000001")).get_by_role("link", name="Nộp hồ sơ").click()
    expect(page.locator("input[name=applicant_name]")).to_have_value("Hoàng Thị Dân")
    for req in journey_world["checklist"]:
        page.set_input_files(f"input[name=file_{req.pk}]", str(pdf))
    page.check("input[name=confirm]")
    screenshot("portal-file")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator("h1")).to_contain_text("Hồ sơ ")
    expect(page.locator("body")).to_contain_text("Chờ tiếp nhận")
    from cchc.dossiers.models import Dossier

    dossier = Dossier.objects.get(applicant_user=journey_world["citizen"])
    code, token = dossier.code, dossier.lookup_token
    expect(page.locator("body")).to_contain_text(token)
    browser_logout()

    # 2. The desk officer sees it waiting, accepts it and hands it to the department's specialist.
    browser_login("motcua", PASSWORD, next_url="/mot-cua/")
    page.goto(f"{base}/mot-cua/")
    expect(page.locator("table.queue")).to_contain_text(code)
    screenshot("desk-queue")
    page.get_by_role("link", name=code).click()
    page.locator("#action-accept summary").click()
    page.locator("#action-accept button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Tiếp nhận hồ sơ trực tuyến")
    page.locator("#action-assign summary").click()
    # Choosing the unit redraws the picker (htmx) with that unit's officers: wait for the redraw before choosing one,
    # or the late redraw resets the officer chosen meanwhile.
    old_picker = page.locator("#picker-assign").element_handle()
    page.select_option("#action-assign select[name=handling_unit_code]", journey_world["dept"].code)
    page.wait_for_function("old => !old.isConnected", arg=old_picker)  # outerHTML swap replaced it
    expect(page.locator("#officer-count-assign")).to_contain_text(journey_world["dept"].name)
    page.select_option("#action-assign select[name=assignee]", "chuyenvien")
    expect(page.locator("#action-assign select[name=assignee]")).to_have_value("chuyenvien")
    page.fill("#action-assign input[name=task]", "Thẩm định, tra cứu lý lịch")
    page.locator("#action-assign button[type=submit]").click()
    expect(page.locator("#control-sheet")).to_contain_text("Thẩm định, tra cứu lý lịch")
    screenshot("detail-assigned")
    browser_logout()

    # 3. The specialist settles it and issues the signed electronic result.
    browser_login("chuyenvien", PASSWORD, next_url="/mot-cua/ho-so/?tab=cua-toi")
    page.goto(f"{base}/mot-cua/ho-so/?tab=cua-toi")
    page.get_by_role("link", name=code).click()
    page.locator("#action-complete summary").click()
    page.check("#action-complete input[name=issue_electronic_result]")
    page.fill("#action-complete input[name=result_title]", "Phiếu lý lịch tư pháp số 1")
    page.locator("#action-complete button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Đã ký số và phát hành kết quả điện tử")
    screenshot("detail-settled")
    browser_logout()

    # 4. The desk officer returns the result.
    browser_login("motcua", PASSWORD, next_url=f"/mot-cua/ho-so/{code}/")
    page.goto(f"{base}/mot-cua/ho-so/{code}/")
    page.locator("#action-return summary").click()
    page.locator("#action-return button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Đã trả kết quả")
    browser_logout()

    # 5. Anyone with the code and token looks it up, checks the signature and rates the service.
    page.goto(f"{base}/tra-cuu-ho-so/")
    page.fill("input[name=code]", code)
    page.fill("input[name=token]", token.lower())
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#lookup-result")).to_contain_text("Đã trả kết quả")
    expect(page.locator("#result-check")).to_contain_text("Chữ ký số hợp lệ, tài liệu không bị sửa đổi")
    expect(page.locator("#result-check")).to_contain_text(journey_world["dept"].name)
    with page.expect_download() as download:
        page.locator("#download-result").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.locator("label[for=overall-5]").click()
    page.locator("label[for=officials-4]").click()
    page.fill("#rating-form textarea[name=comment]", "Nhanh, đúng hẹn")
    screenshot("lookup")
    page.locator("#rating-form button[type=submit]").click()
    expect(page.locator("#danh-gia")).to_contain_text("5/5")
    dossier.refresh_from_db()
    assert dossier.status == "returned" and dossier.rating.overall == 5 and dossier.rating.officials == 4


def test_counter_intake_is_driven_from_the_keyboard(page, live_server, browser_login, journey_world, screenshot):
    from playwright.sync_api import expect

    browser_login("motcua", PASSWORD, next_url="/mot-cua/")
    page.goto(f"{live_server.url}/mot-cua/")
    box = page.locator("#procedure-q")
    expect(box).to_be_focused()
    box.type("ly lich tu phap")
    expect(page.locator("#hits a.hit").first).to_contain_text("1.000001")
    box.press("Enter")  # not the exact name: Enter highlights the first hit, a second Enter opens it
    expect(page.locator("#hits a.hit").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#intake input[name=applicant_name]")).to_be_focused()
    page.keyboard.type("Trần Thị Bình")
    page.fill("#intake input[name=applicant_phone]", "0912345678")
    screenshot("desk-intake")
    page.locator("#intake-form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Đã tiếp nhận hồ sơ")
    screenshot("receipt")
    expect(page.locator("#print-receipt")).to_have_attribute("href", re.compile(r"/phieu/giay-tiep-nhan/$"))
    response = page.request.get(live_server.url + page.locator("#print-receipt").get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
