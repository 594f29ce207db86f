"""A citizen pays a fee through the local fake gateway (VNPAY protocol) on a desktop and on a 390 px phone:
"Phí, lệ phí" → "Thanh toán" page → back with the result and a receipt; no sideways scroll."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "matkhau123"


@pytest.fixture
def pay_world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from cchc.accounts.models import Role, User
    from cchc.dossiers import services
    from cchc.dossiers.models import Dossier
    from cchc.dossiers.tests.factories import applicant, make_world

    world = make_world()
    citizen = User.objects.create_user(username="congdan", password=PASSWORD, role=Role.CITIZEN, full_name="Hoàng Thị Dân")
    d = services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"], channel="online",
                                 applicant=applicant(), payment={"status": "unpaid"})
    Dossier.objects.filter(pk=d.pk).update(applicant_user=citizen, fee_amount=200000)
    world["dossier"] = d
    return world


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [1366, 390])
def test_citizen_pays_a_fee_and_gets_a_receipt(page, live_server, browser_login, screenshot, pay_world, width):
    from cchc.integrations.models import Payment

    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    browser_login("congdan", PASSWORD)
    page.goto(live_server.url + "/dich-vu-cong/phi-le-phi/")
    assert "200.000 đồng" in page.content()
    no_sideways_scroll(page)
    screenshot(f"payment-1-fees-{width}")
    with page.expect_navigation():
        page.click("text=Thanh toán trực tuyến")
    assert "/cong-thanh-toan-gia-lap/" in page.url and page.locator("h1").inner_text() == "Thanh toán"
    no_sideways_scroll(page)
    screenshot(f"payment-2-gateway-{width}")
    with page.expect_navigation():
        page.click("button[value=pay]")
    assert "/thanh-toan/ket-qua/" in page.url and "Thanh toán thành công" in page.content()
    no_sideways_scroll(page)
    screenshot(f"payment-3-result-{width}")
    p = Payment.objects.get()
    assert p.status == "paid" and p.receipt_number in page.content()
    page.goto(live_server.url + "/dich-vu-cong/phi-le-phi/")
    assert "Không có khoản phí, lệ phí nào cần thanh toán" in page.content() and p.receipt_number in page.content()
    screenshot(f"payment-4-paid-{width}")


@pytest.mark.parametrize("width", [1366, 390])
def test_citizen_sees_the_postal_tracking_state(page, live_server, browser_login, screenshot, pay_world, width):
    from datetime import timedelta

    from django.utils import timezone

    from cchc.dossiers.models import Dossier
    from cchc.integrations.postal import services

    d = pay_world["dossier"]
    Dossier.objects.filter(pk=d.pk).update(status="result_ready", result_channel="post", settled_at=timezone.now())
    s = services.postal_handover(dossier=Dossier.objects.get(pk=d.pk), actor=pay_world["officer"], now=timezone.now() - timedelta(hours=5))
    services.postal_poll()
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    browser_login("congdan", PASSWORD)
    page.goto(live_server.url + "/dich-vu-cong/buu-gui/")
    assert s.waybill in page.content() and "Đang vận chuyển" in page.content()
    no_sideways_scroll(page)
    screenshot(f"postal-1-list-{width}")
    with page.expect_navigation():
        page.click(f"text={s.waybill}")
    assert "Bưu điện đã nhận" in page.content() and "Đang chuyển đến bưu cục phát" in page.content()
    no_sideways_scroll(page)
    screenshot(f"postal-2-track-{width}")
