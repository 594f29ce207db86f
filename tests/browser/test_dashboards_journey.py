"""Browser check (Playwright + Debian chromium) of the dashboards (issue 9): the leader's and a unit head's
statistics page, the Decision 766 page and the public page (công khai, no login) show the same figures as the
API; a leader's figure drills down to a list of dossiers; the public page fits a 390 px phone.

One journey on a small generated world (cchc.dossiers.tests.factories.make_world), dossiers three weeks old."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _number(text: str) -> float | None:
    """A figure as the page shows it the Vietnamese way ("1.234", "66,67 %", "—") → a number (None for "—")."""
    text = text.replace("\u00a0", " ").strip()
    if text in ("", "—"):
        return None
    m = re.search(r"-?[\d.]+(,\d+)?", text)
    assert m, f"không đọc được số trong {text!r}"
    return float(m.group(0).replace(".", "").replace(",", "."))


@pytest.fixture
def dash_world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache
    from django.utils import timezone

    from cchc.dossiers import services
    from cchc.dossiers import workflow as wf
    from cchc.dossiers.tests.factories import applicant, make_world
    from cchc.serviceindex import reference

    cache.clear()  # the public page caches its figures per province and day
    world = make_world()
    reference.load()
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday() + 21)
    mon = datetime.combine(monday, datetime.min.time(), tzinfo=timezone.get_default_timezone()).replace(hour=9)

    def receive(channel="counter"):
        return services.dossier_receive(actor=world["officer"], procedure_code=world["procedure"].code,
                                        unit_code=world["centre"].code, channel=channel, applicant=applicant(), received_at=mon)

    def act(d, action, at, actor=None, **kw):
        d.refresh_from_db()
        return services.dossier_transition(dossier=d, action=action, actor=actor or world["officer"], version=d.version,
                                           at=at, **kw)

    # 3-working-day procedure: settled the next day (early), 9 days later (late), one open (overdue by now),
    # one online still open, and one handed to a specialist who kept it past a 1-day step (a late step)
    act(receive(), wf.COMPLETE, mon + timedelta(days=1))
    act(receive(), wf.COMPLETE, mon + timedelta(days=9))
    world["open"] = receive()
    receive(channel="online")
    d = act(receive(), wf.ASSIGN, mon + timedelta(minutes=30), assignee="chuyenvien", step_allowance="1")
    act(d, wf.HANDOVER, mon + timedelta(days=2), actor=world["specialist"], assignee="chuyenvien2")
    world["monday"], world["today"] = monday, today
    return world


def _tiles_match_api(page, base, query):
    """Every headline tile equals the statistics API's total for the same user and period."""
    frm, to = query["tu"], query["den"]
    api = page.request.get(f"{base}/api/v1/dossiers/statistics/?date_from={frm}&date_to={to}&group_by=none")
    assert api.ok, api.text()
    [row] = api.json()["rows"]
    for key in ("received", "settled", "on_time_rate", "settled_late", "in_process_overdue", "online_share",
                "digitised_documents_share"):
        shown = _number(page.locator(f'[data-figure="{key}"] b').first.inner_text())
        expected = row[key]
        assert shown == (None if expected is None else round(expected, 2)), (key, shown, expected)
    return row


def test_the_dashboards_show_the_api_figures_drill_down_to_dossiers_and_the_public_page_needs_no_login(
    browser, page, live_server, browser_login, browser_logout, dash_world, screenshot
):
    base = live_server.url
    w = dash_world
    query = {"tu": w["monday"].isoformat(), "den": w["today"].isoformat()}
    dash = f"{base}/mot-cua/thong-ke/?ky=tuy-chon&tu={query['tu']}&den={query['den']}"

    # leader: tiles = API; the running period is marked partial; the monthly chart has its numbers as a table
    browser_login("lanhdao", "matkhau123")
    page.goto(dash)
    row = _tiles_match_api(page, base, query)
    assert (row["received"], row["settled"], row["settled_late"]) == (5, 2, 1)
    assert page.locator("[data-partial-period]").is_visible()
    page.locator("canvas#chart-monthly").wait_for()
    months = page.locator("#table-monthly tbody tr")
    assert "tạm tính" in months.last.text_content()
    assert sum(_number(months.nth(i).locator("td").nth(1).text_content()) for i in range(months.count())) == row["received_new"]
    screenshot("dashboard-leader")
    # drill-down: the overdue tile opens the list of dossiers, with the overdue one in it
    with page.expect_navigation():
        page.locator('[data-figure="in_process_overdue"]').click()
    assert "/mot-cua/ho-so/" in page.url and w["open"].code in page.locator("main").inner_text()

    # the 766 page of the month the dossiers were received equals its API
    period = f"{w['monday']:%Y-%m}"
    page.goto(f"{base}/chi-so-766/?ky={period}")
    api766 = page.request.get(f"{base}/api/v1/serviceindex/?period={period}").json()
    assert float(page.locator("[data-total-points]").get_attribute("data-total-points")) == api766["total"]["points"]
    browser_logout()

    # unit head of the department: same figures for the unit, lateness by step and officer, early warning
    browser_login("giamdoc.sotp", "matkhau123")
    page.goto(dash)
    _tiles_match_api(page, base, query)
    late_people = page.locator("#table-late-person").inner_text()
    assert "chuyenvien" in late_people
    assert page.locator("#table-late-step tbody tr").count() >= 1
    page.locator("#table-late-person thead th").nth(2).locator("button").click()
    assert page.locator("#table-late-person thead th").nth(2).get_attribute("aria-sort") == "ascending"
    page.get_by_text("Cảnh báo sớm").first.wait_for()  # the early-warning panel (htmx) for the unit head
    screenshot("dashboard-unit-head")

    # public page, a fresh context with no login, on a 390 px phone: the unit table equals the public API
    anon = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 800})
    try:
        pub = anon.new_page()
        resp = pub.goto(f"{base}/cong-khai/?tinh={w['province'].code}")
        assert resp.status == 200 and "/dang-nhap/" not in pub.url
        api = pub.request.get(f"{base}/api/v1/public/transparency/?tinh={w['province'].code}").json()
        rows = pub.locator("table.queue").first.locator("tbody tr")
        shown = [[c.strip() for c in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())]
        assert [(r[0], _number(r[1]), _number(r[2]), _number(r[4]), _number(r[5]), _number(r[6])) for r in shown] == [
            (u["name"], u["received"], u["settled"], u["late"], None if u["rate"] is None else round(u["rate"], 1), u["overdue"])
            for u in api["units"]]
        if w["monday"].year == w["today"].year:  # from 1/1 of this year: the dossiers are in it
            assert api["total"]["received"] == 5 and api["total"]["late"] == 1
        assert pub.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        anon.close()
