"""The citizen's service list and "Hồ sơ của tôi" on a 390 px phone: no horizontal scroll (issue 8), most-filed
procedures first, and the search box on top using the catalogue's search."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "matkhau123"
PHONE = {"width": 390, "height": 844}
LONG_NAME = ("Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án đầu tư không thuộc diện chấp thuận chủ trương đầu tư "
             "của Ủy ban nhân dân cấp tỉnh theo quy định tại khoản 1 Điều 38 Luật Đầu tư (thực hiện tại cấp tỉnh)")


@pytest.fixture
def portal_world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    from cchc.accounts.models import User
    from cchc.catalog.models import Procedure, ProvinceProcedure
    from cchc.dossiers import services
    from cchc.dossiers.tests.factories import applicant, make_world

    world = make_world()
    long_proc = Procedure.objects.create(code="1.009645", name=LONG_NAME, time_value=15, time_unit="working_days")
    ProvinceProcedure.objects.create(province=world["province"], procedure=long_proc, level="province",
                                     handling_unit=world["dept"], time_value=15, time_unit="working_days",
                                     online_level="full", fee_amount=1_500_000, effective_from=date(2020, 1, 1))
    citizen = User.objects.create_user(username="congdan", password=PASSWORD, full_name="Hoàng Thị Dân",
                                       phone="0987654321", id_number="001199001234", email="dan@example.vn")
    # birth registration is filed most: three dossiers at the commune desk, one for the long-named procedure
    for _ in range(3):
        services.dossier_receive(actor=world["desk_officer"], procedure=world["commune_procedure"], unit=world["desk"],
                                 applicant=applicant())
    d = services.dossier_receive(actor=world["officer"], procedure=long_proc, unit=world["centre"], applicant=applicant())
    type(d).objects.filter(pk=d.pk).update(applicant_user=citizen)
    world["citizen"] = citizen
    return world


def no_horizontal_scroll(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_service_list_fits_a_phone_and_lists_the_most_filed_first(page, live_server, browser_login, portal_world,
                                                                       screenshot):
    from playwright.sync_api import expect

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/dich-vu-cong/")
    rows = page.locator("#portal-rows tbody tr")
    expect(rows.first).to_contain_text("1.001193")  # 3 dossiers: first, although its code sorts after 1.000001
    expect(rows).to_have_count(3)
    assert no_horizontal_scroll(page) <= 390
    screenshot("portal-phone")
    box = page.locator("input[name=q]")
    box.fill("ly lich tu phap")
    expect(rows.first).to_contain_text("1.000001")
    expect(rows).to_have_count(1)
    box.fill("")
    page.goto(f"{live_server.url}/dich-vu-cong/?q=dau+tu")
    expect(rows.first).to_contain_text("1.009645")
    assert no_horizontal_scroll(page) <= 390


def test_my_dossiers_fit_a_phone(page, live_server, browser_login, portal_world, screenshot):
    from playwright.sync_api import expect

    page.set_viewport_size(PHONE)
    browser_login("congdan", PASSWORD, next_url="/dich-vu-cong/ho-so-cua-toi/")
    page.goto(f"{live_server.url}/dich-vu-cong/")
    assert no_horizontal_scroll(page) <= 390
    page.get_by_role("link", name="Hồ sơ của tôi").first.click()
    expect(page.locator("h1")).to_contain_text("Hồ sơ của tôi")
    expect(page.locator("body")).to_contain_text("Cấp Giấy chứng nhận đăng ký đầu tư")
    screenshot("portal-mine-phone")
    assert no_horizontal_scroll(page) <= 390
