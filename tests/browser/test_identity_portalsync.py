"""Browser: a citizen logs in with the (fake) national electronic identity; the PAR office's reconciliation page.
Both at 1366 px and 390 px, without sideways scroll."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [(1366, 900), (390, 844)]


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "cuộn ngang"


@pytest.mark.parametrize("width,height", WIDTHS)
def test_citizen_logs_in_with_the_fake_national_identity(page, live_server, screenshot, settings, width, height):
    from cchc.accounts.models import User

    settings.OIDC_MODE = "fake"
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + "/dang-nhap/")
    _no_sideways_scroll(page)
    screenshot(f"identity-login-{width}")
    with page.expect_navigation():
        page.click("text=Đăng nhập bằng tài khoản định danh điện tử (VNeID)")
    assert "/dinh-danh-gia-lap/uy-quyen/" in page.url
    _no_sideways_scroll(page)
    screenshot(f"identity-fake-authorize-{width}")
    page.check("input[name=identity][value=binh]")
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('Đồng ý đăng nhập')")
    assert page.url.endswith("/tai-khoan/")
    assert "Trần Thị Bình" in page.content()
    assert User.objects.filter(id_number="080185004321", role="citizen").count() == 1


@pytest.mark.parametrize("width,height", WIDTHS)
def test_par_office_sees_reconciliation_and_failed_sends(page, live_server, browser_login, screenshot, settings, width, height):
    from cchc.accounts.models import Role, User
    from cchc.dossiers import services as ds
    from cchc.dossiers.tests.factories import applicant, make_world
    from cchc.portalsync import services
    from cchc.portalsync.models import FakePortalControl, FakePortalDossier

    settings.PORTALSYNC_MODE = "fake"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = make_world()
    at = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    dossiers = [ds.dossier_receive(actor=world["officer"], received_at=at + timedelta(minutes=i), procedure_code=world["procedure"].code,
                                   unit_code=world["centre"].code, channel="counter", applicant=applicant()) for i in range(4)]
    FakePortalControl.objects.create(fail_codes=dossiers[0].code)
    from django.utils import timezone

    now = timezone.now()
    for _ in range(services.MAX_ATTEMPTS):
        services.events_send_due(now=now)
        now += timedelta(days=1)
    FakePortalDossier.objects.create(dossier_code="T99.DVCQG-261201-9001", province_code="T99", status="received")
    User.objects.create_user(username="sonoivu", password="matkhau123", role=Role.PAR_OFFICE, unit=world["province"])
    page.set_viewport_size({"width": width, "height": height})
    browser_login("sonoivu", "matkhau123", next_url="/dong-bo-cong-dvc/")
    page.goto(live_server.url + "/dong-bo-cong-dvc/")
    body = page.content()
    assert "Đối soát" in body and dossiers[0].code in body and "Gửi thất bại" in body and "T99.DVCQG-261201-9001" in body
    _no_sideways_scroll(page)
    screenshot(f"portalsync-reconcile-{width}")
    with page.expect_navigation():
        page.click("button:has-text('Gửi lại')")
    assert "Đã đưa sự kiện" in page.content()
