"""The counter's procedure search in a real browser: scoped to what the desk receives, keyboard-first, and Enter
never opens a procedure the officer did not choose (issue 8)."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "matkhau123"


@pytest.fixture
def desk_world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    from cchc.catalog.models import Procedure, ProvinceProcedure
    from cchc.dossiers.tests.factories import make_world

    world = make_world()
    for code, name in [
        ("1.014716", "Tính tiền cấp quyền khai thác tài nguyên nước đối với công trình đã vận hành"),
        ("1.013236", "Cấp giấy phép xây dựng mới công trình cấp đặc biệt, cấp I, cấp II"),
        ("1.013238", "Cấp giấy phép xây dựng sửa chữa, cải tạo công trình cấp đặc biệt, cấp I, cấp II"),
    ]:
        proc = Procedure.objects.create(code=code, name=name, time_value=5, time_unit="working_days")
        ProvinceProcedure.objects.create(province=world["province"], procedure=proc, level="province",
                                         handling_unit=world["dept"], time_value=5, time_unit="working_days",
                                         effective_from=date(2020, 1, 1))
    return world


def test_khai_sinh_and_enter_at_the_provincial_desk_opens_nothing(page, live_server, browser_login, desk_world, screenshot):
    from playwright.sync_api import expect

    browser_login("motcua", PASSWORD, next_url="/mot-cua/")
    page.goto(f"{live_server.url}/mot-cua/")
    box = page.locator("#procedure-q")
    expect(box).to_be_focused()
    box.type("khai sinh")
    box.press("Enter")  # pressed at once: the search runs first, then Enter only moves to the list
    expect(page.locator("#elsewhere")).to_contain_text("1.001193")
    expect(page.locator("#elsewhere")).to_contain_text("không tiếp nhận tại đơn vị này")
    expect(page.locator("#hits a.hit").first).to_be_focused()
    expect(page.locator("#intake")).to_be_empty()
    screenshot("desk-search-khai-sinh")
    page.keyboard.press("Escape")
    expect(box).to_be_focused()
    expect(page.locator("#intake")).to_be_empty()


def test_arrow_down_then_enter_opens_the_highlighted_procedure(page, live_server, browser_login, desk_world, screenshot):
    from playwright.sync_api import expect

    browser_login("motcua", PASSWORD, next_url="/mot-cua/")
    page.goto(f"{live_server.url}/mot-cua/")
    box = page.locator("#procedure-q")
    box.type("giay phep xay dung")
    hits = page.locator("#hits a.hit")
    expect(hits).to_have_count(2)
    second = hits.nth(1).get_attribute("data-code")
    box.press("ArrowDown")
    expect(hits.first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(hits.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#intake input[name=applicant_name]")).to_be_focused()
    expect(page.locator("#intake")).to_contain_text(second)
    screenshot("desk-search-intake")


def test_an_exact_code_opens_on_enter(page, live_server, browser_login, desk_world):
    from playwright.sync_api import expect

    browser_login("motcua", PASSWORD, next_url="/mot-cua/")
    page.goto(f"{live_server.url}/mot-cua/")
    box = page.locator("#procedure-q")
    box.type("1.000001")
    box.press("Enter")
    expect(page.locator("#intake input[name=applicant_name]")).to_be_focused()
    expect(page.locator("#intake")).to_contain_text("1.000001")


def test_the_desk_search_fits_a_phone(page, live_server, browser_login, desk_world, screenshot):
    from playwright.sync_api import expect

    from cchc.dossiers import services
    from cchc.dossiers.tests.factories import applicant

    for _ in range(2):  # a queue with rows: the table must not widen the page
        services.dossier_receive(actor=desk_world["officer"], procedure=desk_world["procedure"], unit=desk_world["centre"],
                                 applicant=applicant(name="Nguyễn Thị Phương Thảo Quỳnh Anh"))
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login("motcua", PASSWORD, next_url="/mot-cua/")
    page.goto(f"{live_server.url}/mot-cua/")
    page.locator("#procedure-q").type("giay phep xay dung")
    expect(page.locator("#hits a.hit")).to_have_count(2)
    expect(page.locator("table.queue tbody tr")).to_have_count(2)
    screenshot("desk-search-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
