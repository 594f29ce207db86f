"""Queue journey in a real browser (issue 12): a citizen takes a ticket at the kiosk, a counter officer calls it, and
the TV board shows it; screenshots of kiosk, ticket, officer and board at 1366 and 390 px and the board at 1920×1080."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-9"


@pytest.fixture
def queue_world():
    from cchc.calendar.models import HolidayOverride, ProvinceWorkingHours
    from cchc.calendar.services import calendar_cache_clear
    from cchc.counters.tests.factories import make_queue_world

    w = make_queue_world()
    # the centre is open today whatever the day and hour the test runs (a demo-like configuration, not a bypass)
    HolidayOverride.objects.create(date=timezone.localdate(), is_working_day=True, name="Ngày làm việc (kiểm thử)", province=w["province"])
    ProvinceWorkingHours.objects.create(province=w["province"], morning_start=dt.time(0, 0), morning_end=dt.time(12, 0),
                                        afternoon_start=dt.time(12, 0), afternoon_end=dt.time(23, 59, 59))
    calendar_cache_clear()
    yield w
    calendar_cache_clear()


def test_take_a_ticket_call_it_at_a_counter_and_see_it_on_the_board(page, live_server, browser_login, screenshot, queue_world):
    w = queue_world
    code = w["centre"].code
    page.goto(f"{live_server.url}/lay-so/{code}/")
    screenshot("queue-kiosk-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("queue-kiosk-390")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Tư pháp").click()
    assert page.get_by_test_id("ticket-code").inner_text() == "A001"
    screenshot("queue-ticket-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot("queue-ticket-1366")

    browser_login("quay.mot", PASSWORD)
    page.goto(f"{live_server.url}/quay/{w['c1'].pk}/")
    page.get_by_role("button", name="Gọi số tiếp theo").click()
    assert page.get_by_test_id("current-code").inner_text() == "A001"
    screenshot("queue-officer-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("queue-officer-390")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/bang-hien-thi/{code}/")
    cell = page.locator('[data-call][data-counter="1"]')
    assert cell.inner_text() == "A001"
    assert "A001" in page.locator(".board-recent").inner_text()
    # the board updates by itself: a second call appears without reloading
    from cchc.counters import services

    services.ticket_issue(centre=w["centre"], group_id=w["b"].pk)
    services.counter_call_next(counter_id=w["c2"].pk, actor=w["officer2"])
    page.locator('[data-call][data-counter="2"]').wait_for(timeout=8000)
    assert page.locator('[data-call][data-counter="2"]').inner_text() == "B001"
    screenshot("queue-board-1920")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("queue-board-390")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
