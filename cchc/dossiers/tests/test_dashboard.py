"""Bảng thống kê /mot-cua/thong-ke/: scope, one definition of each figure, sorting, drill-down, XLSX, redirects."""

import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cchc.accounts.models import Role, User
from cchc.catalog.models import ProvinceProcedure
from cchc.dossiers import dashboard_views as dv
from cchc.dossiers import selectors, services
from cchc.dossiers import workflow as wf
from cchc.dossiers.selectors import dossier_statistics

from .factories import applicant

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
MON = datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # 3 working days → due Thursday 2026-03-05 09:00
MARCH = "?ky=tuy-chon&tu=2026-03-01&den=2026-03-31"
URL = "/mot-cua/thong-ke/"


def receive(world, *, officer="officer", unit="centre", procedure="procedure", at=MON, channel="counter"):
    return services.dossier_receive(actor=world[officer], procedure_code=world[procedure].code, unit_code=world[unit].code,
                                    channel=channel, applicant=applicant(), received_at=at)


def act(world, d, action, at, **kw):
    d.refresh_from_db()
    return services.dossier_transition(dossier=d, action=action, actor=world["officer"], version=d.version, at=at, **kw)


@pytest.fixture
def busy(world):
    """March 2026: 2 early + 1 late at the department (received at the centre), 1 on time at the commune desk,
    1 online dossier still open; a dossier in the other province."""
    for _ in range(2):
        act(world, receive(world), wf.COMPLETE, datetime(2026, 3, 3, 10, 0, tzinfo=VN))
    act(world, receive(world), wf.COMPLETE, datetime(2026, 3, 6, 10, 0, tzinfo=VN))
    d = receive(world, officer="desk_officer", unit="desk", procedure="commune_procedure")
    d.refresh_from_db()
    services.dossier_transition(dossier=d, action=wf.COMPLETE, actor=world["desk_officer"], version=d.version,
                                at=d.due_at - timedelta(minutes=5))
    receive(world, channel="online", at=MON + timedelta(days=1))
    ProvinceProcedure.objects.create(
        province=world["other_province"], procedure=world["procedure"], handling_unit=world["other_centre"], level="province",
        time_value=Decimal("3"), time_unit="working_days", online_level="full", effective_from=date(2020, 1, 1),
    )
    receive(world, officer="other_officer", unit="other_centre")
    world["head"] = User.objects.create_user(username="giamdoc.stp", password="x", role=Role.UNIT_HEAD, unit=world["dept"])
    world["par"] = User.objects.create_user(username="noivu", password="x", role=Role.PAR_OFFICE, unit=world["dept"])
    world["commune_head"] = User.objects.create_user(username="chutich", password="x", role=Role.UNIT_HEAD, unit=world["commune"])
    world["citizen"] = User.objects.create_user(username="dan", password="x", role=Role.CITIZEN)
    return world


def page(client, user, query=MARCH):
    client.force_login(user)
    return client.get(URL + query)


def codes(response) -> set[str]:
    return {r["unit"] for r in response.context["rows"]}


def test_the_province_leader_sees_departments_and_communes_of_the_province_only(client, busy):
    r = page(client, busy["leader"])
    assert r.status_code == 200
    assert codes(r) == {busy["dept"].code, busy["commune"].code}
    assert "Tỉnh Khác" not in r.content.decode() and "T98" not in r.content.decode()
    assert r.context["total"]["received_new"] == 5


def test_the_par_office_sees_the_whole_province_like_the_leader(client, busy):
    assert codes(page(client, busy["par"])) == {busy["dept"].code, busy["commune"].code}


def test_a_department_head_sees_the_dossiers_their_department_handles(client, busy):
    r = page(client, busy["head"])
    assert codes(r) == {busy["dept"].code}
    assert r.context["total"]["received_new"] == 4


def test_a_commune_head_sees_the_commune_with_its_desk_rolled_up(client, busy):
    r = page(client, busy["commune_head"])
    assert codes(r) == {busy["commune"].code}
    assert r.context["rows"][0]["received_new"] == 1 and r.context["rows"][0]["settled_on_time"] == 1


def test_a_one_stop_officer_sees_only_their_own_unit(client, busy):
    r = page(client, busy["officer"])
    assert codes(r) == {busy["centre"].code}
    other = page(client, busy["other_officer"])
    assert codes(other) == {busy["other_centre"].code} and other.context["total"]["received_new"] == 1


def test_citizens_get_403_and_anonymous_users_the_login_page(client, busy):
    assert page(client, busy["citizen"]).status_code == 403
    client.logout()
    r = client.get(URL)
    assert r.status_code == 302 and "dang-nhap" in r["Location"]


@pytest.mark.parametrize("who", ["leader", "head", "commune_head", "officer", "admin"])
def test_figures_equal_dossier_statistics_for_the_same_period_and_scope(client, busy, who):
    user = busy[who]
    r = page(client, user)
    [expected] = dossier_statistics(user=user, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), group_by=())
    total = r.context["total"]
    for key in ("received", "settled", "settled_early", "settled_on_time", "settled_late", "on_time_rate",
                "in_process_overdue", "apology_issued", "online_share", "digitised_documents_share"):
        assert total[key] == expected[key], key
    rows = r.context["rows"]
    for key in ("received", "settled", "settled_early", "settled_on_time", "settled_late", "in_process_overdue", "rejected"):
        assert sum(row[key] for row in rows) == expected[key], key


def test_the_leaders_on_time_rate_is_early_plus_on_time_over_settled_and_below_target_is_red(client, busy):
    r = page(client, busy["leader"])
    total = r.context["total"]
    assert (total["settled"], total["settled_early"], total["settled_on_time"], total["settled_late"]) == (4, 2, 1, 1)
    assert total["on_time_rate"] == 75.0
    assert r.context["below_target"] is True
    html = r.content.decode()
    assert "75,00 %" in html and "tile bad" in html and "chưa đạt" in html


def test_rows_are_sorted_worst_on_time_first_by_default_and_by_any_column_on_request(client, busy):
    rows = page(client, busy["leader"]).context["rows"]
    assert [r["unit"] for r in rows] == [busy["dept"].code, busy["commune"].code]  # 66,67 % before 100 %
    rows = page(client, busy["leader"], MARCH + "&sap_xep=-ty-le-dung-han").context["rows"]
    assert [r["unit"] for r in rows] == [busy["commune"].code, busy["dept"].code]
    rows = page(client, busy["leader"], MARCH + "&sap_xep=-tiep-nhan").context["rows"]
    assert rows[0]["unit"] == busy["dept"].code


def test_clicking_a_unit_drills_down_to_its_procedures_and_channels(client, busy):
    r = page(client, busy["leader"], MARCH + f"&don_vi={busy['dept'].code}")
    drill = r.context["drill"]
    assert [p["procedure"] for p in drill["procedure"]] == [busy["procedure"].code]
    assert {c["channel"]: c["received_new"] for c in drill["channel"]} == {"counter": 3, "online": 1}
    assert drill["procedure"][0]["on_time_rate"] == pytest.approx(66.67)


def test_a_unit_outside_the_scope_cannot_be_drilled_into(client, busy):
    r = page(client, busy["leader"], MARCH + f"&don_vi={busy['other_centre'].code}")
    assert r.status_code == 200 and r.context["drill"] is None
    assert "không có trong phạm vi" in r.content.decode()


def test_the_xlsx_export_opens_and_holds_the_table_with_its_total(client, busy):
    r = page(client, busy["leader"], MARCH + "&xuat=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    values = [tuple(row) for row in ws.iter_rows(values_only=True)]
    header = values[3]
    assert header[:3] == ("STT", "Đơn vị", "Tiếp nhận")
    names = [row[1] for row in values[4:]]
    assert "Sở Tư pháp" in names and names[-1] == "Tổng cộng"
    assert values[-1][header.index("Đã giải quyết")] == 4
    assert values[-1][header.index("Tỷ lệ đúng hạn (%)")] == 75.0


def test_the_drill_down_exports_by_procedure_and_by_channel(client, busy):
    r = page(client, busy["leader"], MARCH + f"&don_vi={busy['dept'].code}&xuat=xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Theo thủ tục", "Theo kênh"]


@pytest.mark.parametrize("query", [
    "?ky=bogus", "?ky=tuy-chon", "?ky=tuy-chon&tu=2026-02-30&den=x", "?ky=tuy-chon&tu=2026-03-31&den=2026-03-01",
    "?ky=tuy-chon&tu=1900-01-01&den=2026-01-01", "?nam=abc&ky=nam", "?nam=99999&ky=6-thang", "?sap_xep=%00drop",
    "?sap_xep=-", "?don_vi=%00", "?don_vi=" + "x" * 500, "?xuat=pdf", "?ky=tuy-chon&tu=31/03/2026&den=01/04/2026",
    "?ky=thang&ky=quy", "?tu[]=1",
])
def test_odd_query_strings_never_give_a_500(client, busy, query):
    r = page(client, busy["leader"], query)
    assert r.status_code == 200


@pytest.mark.parametrize("key", ["thang", "quy", "6-thang", "nam"])
def test_every_named_period_ends_no_later_than_today(key):
    from django.http import QueryDict

    today = date(2026, 11, 26)
    p = dv.resolve_period(QueryDict(f"ky={key}"), today)
    assert p["date_from"] <= p["date_to"] <= today and p["error"] is None
    assert p["date_from"] == {"thang": date(2026, 11, 1), "quy": date(2026, 10, 1), "6-thang": date(2026, 1, 1),
                              "nam": date(2026, 1, 1)}[key]
    if key == "6-thang":
        assert p["date_to"] == date(2026, 6, 30)


def test_the_default_period_is_this_year_and_an_earlier_year_can_be_chosen():
    from django.http import QueryDict

    today = date(2026, 11, 26)
    assert (dv.resolve_period(QueryDict(""), today)["date_from"], dv.resolve_period(QueryDict(""), today)["key"]) == (date(2026, 1, 1), "nam")
    p = dv.resolve_period(QueryDict("ky=nam&nam=2025"), today)
    assert (p["date_from"], p["date_to"]) == (date(2025, 1, 1), date(2025, 12, 31))


def test_the_monthly_line_counts_received_settled_and_late_per_month(busy):
    m = selectors.monthly_series(user=busy["leader"], date_from=date(2026, 2, 1), date_to=date(2026, 3, 31))
    assert m["labels"] == ["02/2026", "03/2026"]
    assert m["received_new"] == [0, 5] and m["settled"] == [0, 4] and m["settled_late"] == [0, 1]


def test_the_page_shows_vietnamese_numbers_the_target_and_the_chart_data(client, busy):
    html = page(client, busy["leader"]).content.decode()
    assert "mục tiêu ≥ 98 %" in html
    assert "vendor/chart.umd.min.js" in html and 'id="dashboard-charts"' in html
    assert re.search(r"66,67", html)


def test_the_leader_and_the_par_office_are_sent_from_the_counter_page_to_the_dashboard(client, busy):
    for who in ("leader", "par"):
        client.force_login(busy[who])
        r = client.get("/mot-cua/")
        assert r.status_code == 302 and r["Location"] == URL
    client.force_login(busy["officer"])
    r = client.get("/mot-cua/")
    assert r.status_code == 200 and URL in r.content.decode()  # the officer keeps the desk, with a link to the dashboard


def test_flags_use_the_province_and_unit_targets_and_exactly_at_the_target_is_reached(client, busy):
    from cchc.units.targets import target_set

    w = busy
    admin = w["admin"]
    target_set(actor=admin, province=w["province"], year=2026, metric="on_time_rate", value="75", source_document="NQ 1/NQ-HĐND")
    r = page(client, w["leader"])
    assert r.context["total"]["on_time_rate"] == 75.0
    assert r.context["below_target"] is False  # 75 % against 75 %: reached
    html = r.content.decode()
    assert "mục tiêu ≥ 75 %</span> · đạt" in html and "<strong>chưa đạt</strong>" not in html
    # the department (66,67 %) misses its own 70 %; the commune (100 %) keeps the province's 75 %
    target_set(actor=admin, unit=w["dept"], year=2026, metric="on_time_rate", value="70", source_document="KH 2")
    rows = {row["unit"]: row for row in page(client, w["leader"]).context["rows"]}
    assert rows[w["dept"].code]["below_target"] is True
    assert rows[w["commune"].code]["below_target"] is False
    assert rows[w["dept"].code]["targets"]["on_time_rate"].level == "unit"
    # another year's target does not apply
    target_set(actor=admin, province=w["province"], year=2025, metric="on_time_rate", value="100", source_document="NQ cũ")
    assert page(client, w["leader"]).context["below_target"] is False


def _row(name, settled, late, **kw):
    early = settled - late
    rate = None if not settled else round(100 * early / settled, 2)
    return {"name": name, "settled": settled, "settled_early": early, "settled_on_time": 0, "settled_late": late,
            "on_time_rate": rate, **kw}


def test_a_rate_over_fewer_settled_dossiers_than_the_minimum_is_few_and_exactly_the_minimum_is_ranked():
    m = selectors.MIN_SETTLED_FOR_RATE
    rows = selectors.mark_low_volume([_row("A", m - 1, 1), _row("B", m, 1), _row("C", m + 1, 0), _row("D", 0, 0)])
    assert [r["few"] for r in rows] == [True, False, False, False]  # D has no rate at all: neither ranked nor few
    assert rows[0]["on_time_count"] == m - 2
    ranked, few = selectors.rate_chart_rows(rows, limit=30)
    assert [r["name"] for r in ranked] == ["B", "C"]  # worst first
    assert [r["name"] for r in few] == ["A"]
    # an explicit minimum: strictly below is few
    assert [r["few"] for r in selectors.mark_low_volume([_row("E", 5, 0), _row("F", 4, 0)], minimum=5)] == [False, True]


def test_the_chart_ranks_units_with_enough_settled_dossiers_and_lists_the_others_apart_with_their_counts(client, busy, monkeypatch):
    """busy: the department settled 3 (1 late), the commune 1. Minimum 3: the department is ranked (exactly at the
    minimum), the commune is listed under "Ít hồ sơ" as 1/1; minimum 4: both apart, no bar."""
    monkeypatch.setattr(selectors, "MIN_SETTLED_FOR_RATE", 3)
    r = page(client, busy["leader"])
    charts = r.context["charts"]["units"]
    dept, commune = busy["dept"], busy["commune"]
    assert charts["labels"] == [dept.short_name or dept.name] and charts["settled"] == [3]
    assert [row["unit"] for row in r.context["few_rows"]] == [commune.code]
    html = r.content.decode()
    assert "Ít hồ sơ: 1 đơn vị" in html and "dưới 3 hồ sơ đã giải quyết" in html and "1/1 đúng hạn" in html
    # the table keeps every unit; the few one's rate is greyed with its count and comes after the ranked ones
    rows = r.context["rows"]
    assert [row["unit"] for row in rows] == [dept.code, commune.code]
    assert "few" in html and "(1/1)" in html
    rows = page(client, busy["leader"], MARCH + "&sap_xep=-ty-le-dung-han").context["rows"]
    assert [row["unit"] for row in rows] == [dept.code, commune.code]  # even descending, 100 % over 1 is not first

    monkeypatch.setattr(selectors, "MIN_SETTLED_FOR_RATE", 4)
    r = page(client, busy["leader"])
    assert r.context["chart_count"] == 0 and r.context["charts"]["units"]["labels"] == []
    assert [row["unit"] for row in r.context["few_rows"]] == [dept.code, commune.code]  # most settled first
    assert "2/3 đúng hạn · 1 trễ" in r.content.decode()


def test_a_month_that_ends_today_or_later_is_partial_and_one_that_ended_yesterday_is_not():
    monthly = {"labels": ["01/2026", "02/2026", "03/2026"], "received_new": [1, 2, 3], "settled": [1, 2, 3],
               "settled_late": [0, 0, 0]}
    # today = 28/02/2026: February ends today (not over), January ended, March is later
    out = dv.mark_partial_months(dict(monthly), date(2026, 2, 28))
    assert out["partial"] == [False, True, True]
    assert out["display"] == ["01/2026", "02/2026 (tạm tính)", "03/2026 (tạm tính)"]
    # today = 01/03/2026: February ended yesterday, March has just begun
    assert dv.mark_partial_months(dict(monthly), date(2026, 3, 1))["partial"] == [False, False, True]
    assert dv.mark_partial_months({**monthly, "labels": []}, date(2026, 3, 1))["partial"] == []


def test_a_running_period_is_marked_partial_and_a_finished_one_is_not(client, busy):
    today = timezone.localdate()
    running = page(client, busy["leader"], "?ky=thang")
    assert running.context["period"]["partial"] is True and "số liệu tạm tính" in running.content.decode()
    assert running.context["monthly_rows"][-1]["partial"] is True
    assert running.context["today_row"] is not None
    done = page(client, busy["leader"], MARCH)  # March 2026 is over (these tests run after it)
    assert today > date(2026, 3, 31) and done.context["period"]["partial"] is False
    assert done.context["today_row"] is None and "kỳ chưa kết thúc" not in done.content.decode()
    assert [m["partial"] for m in done.context["monthly_rows"]] == [False]
    assert [(m["received_new"], m["settled"], m["settled_late"]) for m in done.context["monthly_rows"]] == [(5, 4, 1)]


def _late_step(world):
    """A dossier assigned to a specialist with a 1-working-day step who hands it over two days later (late step)."""
    d = receive(world)
    d = act(world, d, wf.ASSIGN, MON + timedelta(minutes=30), assignee="chuyenvien", step_allowance="1")
    d.refresh_from_db()
    services.dossier_transition(dossier=d, action=wf.HANDOVER, actor=world["specialist"], version=d.version,
                                at=datetime(2026, 3, 4, 9, 0, tzinfo=VN), assignee="chuyenvien2")
    return d


def test_the_xlsx_holds_every_chart_and_lateness_table(client, busy):
    _late_step(busy)
    r = page(client, busy["leader"], MARCH + "&xuat=xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Theo đơn vị", "Theo tháng", "Trễ hạn theo đơn vị", "Trễ hạn theo người", "Trễ hạn theo bước"]
    monthly = [tuple(row) for row in wb["Theo tháng"].iter_rows(min_row=5, values_only=True)]
    assert monthly == [("03/2026", 6, 4, 1)]
    people = [tuple(row) for row in wb["Trễ hạn theo người"].iter_rows(min_row=5, values_only=True)]
    # chuyenvien finished the step late; chuyenvien2 still holds the dossier past its step due (open, late)
    assert {p[1]: (p[3], p[5]) for p in people} == {"chuyenvien": (1, 0), "chuyenvien2": (0, 1)}
    steps = [tuple(row) for row in wb["Trễ hạn theo bước"].iter_rows(min_row=5, values_only=True)]
    assert [s[2] for s in steps] == [1]


def test_lateness_by_step_counts_the_late_step_and_rejects_an_unknown_grouping(client, busy):
    d = _late_step(busy)
    march = {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)}
    [row] = selectors.late_steps_by(by="step", **march)
    assert row["late"] == 1 and row["step"] == d.steps.get(seq=1).task
    html = page(client, busy["leader"]).content.decode()
    assert 'id="table-late-step"' in html and 'class="sortable"' in html
    from cchc.core.errors import DomainError

    with pytest.raises(DomainError) as exc:
        selectors.late_steps_by(by="task", **march)
    assert exc.value.field == "by"


def test_tiles_show_their_own_targets_and_link_to_the_detail(client, busy):
    from cchc.units.models import Target

    Target.objects.create(province=busy["province"], unit=None, year=2026, metric="online_share", value=Decimal("30"),
                          source_document="Nghị quyết thử")
    r = page(client, busy["leader"])
    html = r.content.decode()
    # 1 online of 5 new = 20 % < 30 %: flagged; digitisation has no target
    assert r.context["tile_below"]["online_share"] is True
    assert r.context["tile_targets"]["digitised_documents_share"] is None
    assert "mục tiêu ≥ 30 %" in html and "chưa đặt mục tiêu" in html
    assert 'href="/mot-cua/ho-so/?loc=qua-han" data-figure="in_process_overdue"' in html


def test_the_dissatisfied_tile_counts_settled_dossiers_rated_one_or_two_of_five_and_not_three(client, busy):
    rated = []
    for overall in (2, 3):  # 2 = "Không hài lòng" (counted), 3 = neutral (not counted): the boundary
        d = receive(busy)
        act(busy, d, wf.COMPLETE, datetime(2026, 3, 3, 10, 0, tzinfo=VN))
        act(busy, d, wf.RETURN, datetime(2026, 3, 3, 11, 0, tzinfo=VN))
        d.refresh_from_db()
        services.dossier_rate(code=d.code, token=d.lookup_token, overall=overall)
        rated.append(d)
    r = page(client, busy["leader"])
    total = r.context["total"]
    assert total["settled"] == 6 and total["settled_dissatisfied"] == 1
    assert total["dissatisfied_share"] == 16.67  # 1 ÷ 6, two decimals as every rate
    assert 'data-figure="settled_dissatisfied"' in r.content.decode()
