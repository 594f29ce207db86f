"""Browser check (Playwright + Debian chromium): the Decision 766 page shows the API's figures, drills down to
the dossiers behind a lost point, and fits a 390 px phone."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def index_world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from cchc.accounts.models import Role, User
    from cchc.dossiers import services
    from cchc.dossiers import workflow as wf
    from cchc.dossiers.models import Dossier
    from cchc.dossiers.tests.factories import applicant, make_world
    from cchc.serviceindex import reference

    world = make_world()
    reference.load()
    User.objects.create_user("noivu", password="matkhau123", role=Role.PAR_OFFICE, unit=world["province"])

    def receive(at, channel="counter"):
        return services.dossier_receive(actor=world["officer"], procedure_code=world["procedure"].code, unit_code=world["centre"].code,
                                        channel=channel, applicant=applicant(), received_at=at)

    late = receive(datetime(2026, 3, 2, 9, 0, tzinfo=VN), "online")
    services.dossier_transition(dossier=late, action=wf.COMPLETE, actor=world["officer"], version=late.version,
                                at=datetime(2026, 3, 5, 9, 1, tzinfo=VN))
    early = receive(datetime(2026, 3, 2, 9, 0, tzinfo=VN))
    services.dossier_transition(dossier=early, action=wf.COMPLETE, actor=world["officer"], version=early.version,
                                at=datetime(2026, 3, 3, 9, 0, tzinfo=VN))
    Dossier.objects.filter(pk=early.pk).update(has_electronic_result=True, fee_amount=Decimal(200000), payment_status="paid_online")
    return {"late": late}


def test_the_766_page_matches_the_api_and_drills_down(page, live_server, browser_login, index_world):
    base = live_server.url
    browser_login("noivu", "matkhau123")
    page.goto(f"{base}/chi-so-766/?ky=2026-03")
    api = page.request.get(f"{base}/api/v1/serviceindex/?period=2026-03").json()
    shown = page.locator("[data-total-points]")
    assert float(shown.get_attribute("data-total-points")) == api["total"]["points"]
    assert shown.inner_text().replace("\u00a0", " ") == (
        f"{api['total']['points']:.2f}".replace(".", ",") + " / " + f"{api['total']['max']:g}")
    row = page.locator('tr[data-indicator="2.1"]')
    [ind] = [i for g in api["groups"] for i in g["indicators"] if i["code"] == "2.1"]
    assert f"{ind['rate']:.2f}".replace(".", ",") in row.inner_text()
    page.locator("canvas#chart-groups").wait_for()
    with page.expect_navigation():
        row.locator("a").click()
    assert index_world["late"].code in page.locator("main").inner_text()
    assert "Trễ hạn" in page.locator("main").inner_text()

    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{base}/chi-so-766/?ky=2026-03")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
