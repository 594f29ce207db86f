"""API (/api/v1/queue/) and pages: public kiosk and board, citizen booking, officer actions, statistics."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from cchc.calendar.models import HolidayOverride, ProvinceWorkingHours
from cchc.counters import services
from cchc.counters.models import Ticket, TicketStatus

from .factories import local


@pytest.fixture
def open_now(w):
    """Today is a working day of the test province and the centre is open all day (kiosk tests run at any hour)."""
    import datetime as dt

    HolidayOverride.objects.create(date=timezone.localdate(), is_working_day=True, name="Ngày làm việc (kiểm thử)", province=w["province"])
    ProvinceWorkingHours.objects.create(province=w["province"], morning_start=dt.time(0, 0), morning_end=dt.time(12, 0),
                                        afternoon_start=dt.time(12, 0), afternoon_end=dt.time(23, 59, 59))
    from cchc.calendar.services import calendar_cache_clear

    calendar_cache_clear()
    cache.clear()
    return w


def test_kiosk_page_issues_a_ticket_without_login_and_shows_it(client, open_now):
    w = open_now
    page = client.get(f"/lay-so/{w['centre'].code}/")
    assert page.status_code == 200 and "Tư pháp" in page.content.decode()
    resp = client.post(f"/lay-so/{w['centre'].code}/", {"group": w["a"].pk})
    assert resp.status_code == 302
    html = client.get(resp["Location"]).content.decode()
    assert "A001" in html and "@media print" not in html and "counters/print.js" in html
    bad = client.post(f"/lay-so/{w['centre'].code}/", {"group": w["other_group"].pk})
    assert bad.status_code == 400 and "nhóm lĩnh vực" in bad.content.decode()


def test_api_issue_board_and_errors(client, open_now):
    w = open_now
    r = client.post(f"/api/v1/queue/centres/{w['centre'].code}/tickets/", {"group": w["b"].pk}, content_type="application/json")
    assert r.status_code == 201 and r.json()["code"] == "B001" and r.json()["people_ahead"] == 0
    assert client.post(f"/api/v1/queue/centres/{w['centre'].code}/tickets/", {"group": "x"}, content_type="application/json").json()["field"] == "group"
    assert client.post("/api/v1/queue/centres/KHONG/tickets/", {"group": 1}, content_type="application/json").status_code == 404
    online = client.post(f"/api/v1/queue/centres/{w['centre'].code}/tickets/", {"group": w["b"].pk, "channel": "online"}, content_type="application/json")
    assert online.status_code == 403
    board = client.get(f"/api/v1/queue/centres/{w['centre'].code}/board/").json()
    assert board["waiting"] == 1 and [c["number"] for c in board["counters"]] == [1, 2, 3]


def test_counter_api_requires_login_and_scope_and_answers_409_on_conflict(client, open_now):
    w = open_now
    services.ticket_issue(centre=w["centre"], group_id=w["a"].pk)
    url = f"/api/v1/queue/counters/{w['c1'].pk}/call-next/"
    assert client.post(url).status_code in (401, 403)
    client.force_login(w["other_officer"])
    assert client.post(url).status_code == 403
    client.force_login(w["officer"])
    t = client.post(url).json()
    assert t["status"] == "called" and t["counter"] == 1
    assert client.post(url).status_code == 409
    act = f"/api/v1/queue/tickets/{t['id']}/actions/"
    ok = client.post(act, {"action": "start", "version": t["version"]}, content_type="application/json")
    assert ok.status_code == 200
    stale = client.post(act, {"action": "skip", "version": t["version"]}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assert client.post(act, {"action": "fly", "version": ok.json()["version"]}, content_type="application/json").json()["field"] == "action"
    assert client.post(act, {"action": "finish"}, content_type="application/json").json()["field"] == "version"


def test_officer_page_calls_and_finishes_and_shows_409_to_the_loser(client, open_now):
    w = open_now
    services.ticket_issue(centre=w["centre"], group_id=w["a"].pk)
    client.force_login(w["officer"])
    assert client.post(f"/quay/{w['c1'].pk}/", {"action": "call_next"}).status_code == 302
    html = client.get(f"/quay/{w['c1'].pk}/").content.decode()
    assert "A001" in html and "Tiếp nhận hồ sơ" in html and "so-thu-tu=A001" in html
    t = Ticket.objects.get()
    assert client.post(f"/quay/{w['c1'].pk}/", {"action": "finish", "ticket": t.pk, "version": t.version}).status_code == 302
    lost = client.post(f"/quay/{w['c1'].pk}/", {"action": "skip", "ticket": t.pk, "version": t.version})
    assert lost.status_code == 409 and "tải lại trang" in lost.content.decode()
    client.force_login(w["other_officer"])
    assert client.get(f"/quay/{w['c1'].pk}/").status_code == 403


def test_board_page_and_frame_are_public_and_show_calls_without_personal_data(client, open_now):
    w = open_now
    services.ticket_issue(centre=w["centre"], group_id=w["a"].pk)
    services.counter_call_next(counter_id=w["c3"].pk, actor=w["officer"])
    page = client.get(f"/bang-hien-thi/{w['centre'].code}/").content.decode()
    assert "hx-trigger=\"every 2500ms\"" in page and "counters/board.js" in page and "Bật âm thanh" in page
    frame = client.get(f"/bang-hien-thi/{w['centre'].code}/khung/")
    assert frame["Cache-Control"] == "no-store"
    assert 'data-code="A001" data-counter="3"' in frame.content.decode()


def test_online_booking_page_lists_slots_and_books_one(client, w):
    client.force_login(w["citizen"])
    monday = timezone.localdate() + timedelta(days=(7 - timezone.localdate().weekday()))  # next Monday
    if monday.month == 1 and monday.day <= 3:
        monday += timedelta(days=7)
    page = client.get("/dich-vu-cong/lay-so/", {"centre": w["centre"].code, "group": w["a"].pk, "day": monday.isoformat()})
    assert page.status_code == 200 and "07:30–08:00" in page.content.decode()
    slot = timezone.make_aware(timezone.datetime.combine(monday, timezone.datetime.min.time())).replace(hour=8)
    resp = client.post("/dich-vu-cong/lay-so/", {"centre": w["centre"].code, "group": w["a"].pk, "day": monday.isoformat(), "slot": slot.isoformat()})
    assert resp.status_code == 302
    t = Ticket.objects.get(citizen=w["citizen"])
    assert t.appointment_start == slot and t.status == TicketStatus.WAITING
    client.force_login(w["citizen2"])
    assert client.get(f"/dich-vu-cong/lay-so/so/{t.pk}/").status_code == 404  # only the owner sees it
    client.logout()
    assert client.get("/dich-vu-cong/lay-so/").status_code == 302


def test_stats_page_api_and_xlsx_are_for_staff_in_scope(client, w):
    services.ticket_issue(centre=w["centre"], group_id=w["a"].pk, now=local(2026, 12, 7, 8, 0))
    code = w["centre"].code
    client.force_login(w["head"])
    page = client.get(f"/quay/thong-ke/{code}/", {"from": "2026-12-01", "to": "2026-12-07"})
    assert page.status_code == 200 and "chart-hours" in page.content.decode() and "vendor/chart.umd.min.js" in page.content.decode()
    x = client.get(f"/quay/thong-ke/{code}/", {"from": "2026-12-01", "to": "2026-12-07", "format": "xlsx"})
    assert x["Content-Type"].startswith("application/vnd.openxmlformats")
    api = client.get(f"/api/v1/queue/centres/{code}/stats/", {"from": "2026-12-07", "to": "2026-12-07"}).json()
    assert api["total"]["tickets"] == 1
    assert client.get(f"/api/v1/queue/centres/{code}/stats/", {"from": "2026-12-07", "to": "2026-12-06"}).json()["field"] == "to"
    assert client.get(f"/api/v1/queue/centres/{code}/stats/", {"from": "x", "to": "2026-12-06"}).json()["field"] == "from"
    client.force_login(w["other_officer"])
    assert client.get(f"/quay/thong-ke/{code}/").status_code == 403
    assert client.get(f"/api/v1/queue/centres/{code}/stats/", {"from": "2026-12-07", "to": "2026-12-07"}).status_code == 403


def test_slots_api_validates_its_parameters(client, w):
    code = w["centre"].code
    assert client.get(f"/api/v1/queue/centres/{code}/slots/", {"group": w["a"].pk, "day": "bad"}).json()["field"] == "day"
    assert client.get(f"/api/v1/queue/centres/{code}/slots/", {"day": "2026-12-07"}).json()["field"] == "group"
    assert client.get(f"/api/v1/queue/centres/{code}/slots/", {"group": w["a"].pk, "day": date(2026, 12, 6).isoformat()}).json() == []


def test_online_booking_without_a_chosen_day_opens_on_the_first_day_with_a_free_slot(client, w):
    """Today made a day off (as a Sunday or a holiday would be): the page does not open on an empty day."""
    from cchc.calendar.services import calendar_cache_clear

    HolidayOverride.objects.create(date=timezone.localdate(), is_working_day=False, name="Nghỉ (kiểm thử)", province=w["province"])
    calendar_cache_clear()
    client.force_login(w["citizen"])
    page = client.get("/dich-vu-cong/lay-so/", {"centre": w["centre"].code, "group": w["a"].pk})
    day = page.context["day"]
    assert day > timezone.localdate() and any(r["available"] for r in page.context["slots"])
    chosen = client.get("/dich-vu-cong/lay-so/", {"centre": w["centre"].code, "group": w["a"].pk,
                                                  "day": timezone.localdate().isoformat()})
    assert chosen.context["day"] == timezone.localdate() and chosen.context["slots"] == []  # a chosen day is kept
