"""Staff pages of the catalogue (/thu-tuc/quan-ly/...): who may use them, publishing versions, events,
the simplification report and its XLSX, the checklist editor."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from cchc.accounts.models import Role
from cchc.catalog import staff_views
from cchc.catalog.models import EventKind, Procedure, ProcedureEvent, ProvinceProcedure
from cchc.catalog.services import procedure_publish
from cchc.catalog.staff_services import procedure_event_record, report_sentence, vn_int, vn_pct
from cchc.core.errors import ConflictError, DomainError, ForbiddenError
from cchc.core.models import AuditEvent
from cchc.units.models import Unit, UnitKind


def make_user(*, role, unit=None, username):
    """A user for force_login: no password hashing (it would dominate the run time of these tests)."""
    from cchc.accounts.models import User

    user = User(username=username, role=role, unit=unit)
    user.set_unusable_password()
    user.save()
    return user

pytestmark = pytest.mark.django_db

D = dt.date
LIST = "/thu-tuc/quan-ly/"
REPORT = "/thu-tuc/quan-ly/bao-cao/"

PROCEDURES = [  # code, name, field, national time (working days)
    ("1.001193", "Đăng ký khai sinh", "Hộ tịch", 1),
    ("1.000894", "Đăng ký kết hôn", "Hộ tịch", 5),
    ("1.001766", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "Lý lịch tư pháp", 10),
    ("1.009994", "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt", "Hoạt động xây dựng", 20),
    ("2.000001", "Đăng ký hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh", 3),
    ("2.000002", "Thủ tục chưa công bố tại tỉnh", "Khác", 7),
]


@pytest.fixture
def world(db):
    """Tỉnh Thử Nghiệm with a service centre and a commune desk, another province, users, 5 published procedures."""
    prov = Unit.objects.create(code="T99", name="Tỉnh Thử Nghiệm", kind=UnitKind.PROVINCE)
    centre = Unit.objects.create(code="T99-TT", name="Trung tâm Phục vụ hành chính công", kind=UnitKind.SERVICE_CENTRE,
                                 parent=prov)
    home = Unit.objects.create(code="T99-SNV", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT, parent=prov)
    justice = Unit.objects.create(code="T99-STP", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT, parent=prov)
    other = Unit.objects.create(code="T98", name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    other_home = Unit.objects.create(code="T98-SNV", name="Sở Nội vụ tỉnh Khác", kind=UnitKind.DEPARTMENT, parent=other)
    other_desk = Unit.objects.create(code="T98-TT", name="Trung tâm tỉnh Khác", kind=UnitKind.SERVICE_CENTRE,
                                     parent=other)
    procs = {}
    for code, name, field, days in PROCEDURES:
        procs[code] = Procedure.objects.create(
            code=code, name=name, field=field, levels="Cấp tỉnh, Cấp xã", time_raw=f"{days} Ngày làm việc",
            time_value=Decimal(days), time_unit="working_days",
        )
    rows = [  # code, level, desk, time, online
        ("1.001193", "commune", None, 1, "full"),
        ("1.000894", "commune", None, 3, "partial"),
        ("1.001766", "province", centre, 7, "full"),
        ("1.009994", "province", centre, 20, "none"),
        ("2.000001", "commune", None, 3, "partial"),
    ]
    for code, level, desk, days, online in rows:
        procedure_publish(province=prov, procedure=procs[code], desk=desk, handling_unit=justice if desk else None,
                          level=level, time_value=days, time_unit="working_days", online_level=online,
                          decision_no="1568/QĐ-UBND", effective_from=D(2025, 7, 1))
    return {
        "province": prov, "centre": centre, "justice": justice, "other": other, "other_desk": other_desk,
        "procs": procs,
        "par": make_user(role=Role.PAR_OFFICE, unit=home, username="noivu"),
        "leader": make_user(role=Role.PROVINCE_LEADER, unit=prov, username="lanhdao"),
        "officer": make_user(role=Role.ONE_STOP_OFFICER, unit=centre, username="motcua"),
        "officer_at_province": make_user(role=Role.ONE_STOP_OFFICER, unit=prov, username="motcua2"),
        "citizen": make_user(role=Role.CITIZEN, username="congdan"),
        "other_par": make_user(role=Role.PAR_OFFICE, unit=other_home, username="noivu.khac"),
        "admin": make_user(role=Role.SYSTEM_ADMIN, username="quantri"),
    }


@pytest.fixture
def par_client(client, world):
    client.force_login(world["par"])
    return client


def publish_data(**overrides) -> dict:
    data = {
        "level": "commune", "desk": "", "handling_unit": "", "time_value": "1", "time_unit": "working_days",
        "online_level": "full", "fee_amount": "0", "decision_no": "200/QĐ-UBND", "effective_from": "2026-01-01",
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------------------------------ permission

STAFF_GETS = [LIST, REPORT, "/thu-tuc/quan-ly/cong-bo/", "/thu-tuc/quan-ly/1.001193/",
              "/thu-tuc/quan-ly/1.001193/cong-bo/", "/thu-tuc/quan-ly/1.001193/su-kien/",
              f"{REPORT}?xuat=xlsx"]


@pytest.mark.parametrize("url", STAFF_GETS)
def test_the_par_office_of_the_province_opens_every_staff_page(par_client, url):
    assert par_client.get(url).status_code == 200


@pytest.mark.parametrize("who", ["officer", "officer_at_province", "citizen"])
@pytest.mark.parametrize("url", STAFF_GETS + ["/thu-tuc/quan-ly/1.001193/thanh-phan-ho-so/"])
def test_officers_and_citizens_are_refused(client, world, who, url):
    client.force_login(world[who])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", STAFF_GETS + ["/thu-tuc/quan-ly/1.001193/thanh-phan-ho-so/"])
def test_another_provinces_par_office_is_refused_this_province(client, world, url):
    client.force_login(world["other_par"])
    joiner = "&" if "?" in url else "?"
    assert client.get(f"{url}{joiner}tinh=T99").status_code == 403


@pytest.mark.parametrize("who", ["officer", "citizen", "other_par", "leader"])
def test_nobody_but_the_province_manager_can_publish_or_record_events_by_post(client, world, who):
    client.force_login(world[who])
    assert client.post("/thu-tuc/quan-ly/1.001193/cong-bo/?tinh=T99", publish_data()).status_code == 403
    event = {"kind": "simplified", "decision_no": "5/QĐ", "decision_date": "2026-01-05"}
    assert client.post("/thu-tuc/quan-ly/1.001193/su-kien/?tinh=T99", event).status_code == 403
    assert ProvinceProcedure.objects.count() == 5 and not ProcedureEvent.objects.exists()


def test_another_provinces_par_office_sees_only_its_own_province(client, world):
    client.force_login(world["other_par"])
    for url in (LIST, f"{LIST}?tinh=T98", "/thu-tuc/quan-ly/1.001193/"):
        response = client.get(url)
        assert response.status_code == 200 and response.context["province"] == world["other"]
        assert "1568/QĐ-UBND" not in response.content.decode()
    assert client.get(f"{REPORT}?tu=2025-01-01&den=2026-12-31").context["report"]["in_force"] == 0


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_the_province_leader_reads_the_list_and_report_without_publish_links(client, world):
    client.force_login(world["leader"])
    page = client.get(LIST)
    assert page.status_code == 200 and "1.001193" in page.content.decode()
    assert "Công bố thủ tục" not in page.content.decode()
    assert client.get(REPORT).status_code == 200
    assert client.get("/thu-tuc/quan-ly/cong-bo/").status_code == 403


def test_a_system_admin_without_a_province_chooses_one_then_sees_it(client, world):
    client.force_login(world["admin"])
    chooser = client.get(LIST)
    assert chooser.status_code == 200 and "?tinh=T99" in chooser.content.decode()
    assert "1.001193" in client.get(f"{LIST}?tinh=T99").content.decode()
    assert client.get(f"{LIST}?tinh=KHONGCO").status_code == 404


# ------------------------------------------------------------------------------------------------ list

def codes_on(response) -> list[str]:
    return [pub.procedure.code for pub in response.context["page"].object_list]


def test_the_list_shows_national_and_province_time_online_level_decision_and_date(par_client):
    response = par_client.get(LIST)
    html = response.content.decode()
    assert codes_on(response) == ["1.000894", "1.001193", "1.001766", "1.009994", "2.000001"]
    assert "2.000002" not in html  # in the catalogue but not published by the province
    assert "10 Ngày làm việc" in html and "7 ngày làm việc" in html and "−30%" in html
    assert "Toàn trình" in html and "1568/QĐ-UBND" in html and "01/07/2025" in html


@pytest.mark.parametrize(("query", "expected"), [
    ("level=province", ["1.001766", "1.009994"]),
    ("level=commune&online=partial", ["1.000894", "2.000001"]),
    ("online=none", ["1.009994"]),
    ("field=H%E1%BB%99+t%E1%BB%8Bch", ["1.000894", "1.001193"]),
    ("desk=T99-TT", ["1.001766", "1.009994"]),
    ("desk=xa", ["1.000894", "1.001193", "2.000001"]),
    ("ngay=2025-06-30", []),
    ("level=district&online=level4", ["1.000894", "1.001193", "1.001766", "1.009994", "2.000001"]),
])
def test_the_list_filters_by_level_field_online_level_desk_and_day(par_client, query, expected):
    response = par_client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert codes_on(response) == expected


def test_the_list_search_uses_the_catalogue_search_without_diacritics(par_client):
    assert codes_on(par_client.get(f"{LIST}?q=khai+sinh"))[0] == "1.001193"
    assert codes_on(par_client.get(f"{LIST}?q=ly+lich+tu+phap")) == ["1.001766"]
    assert codes_on(par_client.get(f"{LIST}?q=1.001766")) == ["1.001766"]
    assert codes_on(par_client.get(f"{LIST}?q=2.000002")) == []  # in the catalogue, not published by the province


def test_the_list_is_paginated_keeping_the_filters(par_client, monkeypatch):
    monkeypatch.setattr(staff_views, "PAGE_SIZE", 2)
    first = par_client.get(f"{LIST}?level=commune")
    assert codes_on(first) == ["1.000894", "1.001193"]
    assert "level=commune&amp;page=2" in first.content.decode()
    assert codes_on(par_client.get(f"{LIST}?level=commune&page=2")) == ["2.000001"]
    assert codes_on(par_client.get(f"{LIST}?level=commune&page=99")) == ["2.000001"]


# --------------------------------------------------------------------------------------------- publish

def test_the_publish_form_creates_a_new_version_and_closes_the_old_one(par_client, world):
    response = par_client.post("/thu-tuc/quan-ly/1.001193/cong-bo/", publish_data(time_value="0.5"))
    assert response.status_code == 302 and response["Location"] == "/thu-tuc/quan-ly/1.001193/"
    versions = list(ProvinceProcedure.objects.filter(procedure__code="1.001193").order_by("effective_from"))
    assert [(v.effective_from, v.effective_to, v.decision_no) for v in versions] == [
        (D(2025, 7, 1), D(2025, 12, 31), "1568/QĐ-UBND"), (D(2026, 1, 1), None, "200/QĐ-UBND"),
    ]
    assert versions[1].time_value == Decimal("0.5") and versions[1].online_level == "full"
    event = AuditEvent.objects.filter(action="catalog.publish").latest("id")
    assert event.actor_label == "noivu" and event.reason == "200/QĐ-UBND"
    history = par_client.get("/thu-tuc/quan-ly/1.001193/").content.decode()
    assert "200/QĐ-UBND" in history and "31/12/2025" in history and "Đang áp dụng" in history


def test_publishing_a_procedure_chosen_by_code_with_a_desk_and_handling_unit(par_client, world):
    data = publish_data(procedure_code="2.000002", level="province", desk="T99-TT", handling_unit="T99-STP",
                        fee_amount="50000")
    response = par_client.post("/thu-tuc/quan-ly/cong-bo/", data)
    assert response.status_code == 302
    created = ProvinceProcedure.objects.get(procedure__code="2.000002")
    assert (created.desk, created.handling_unit, created.fee_amount) == (world["centre"], world["justice"], 50000)


def test_the_modify_form_is_prefilled_from_the_current_version(par_client):
    form = par_client.get("/thu-tuc/quan-ly/1.001766/cong-bo/").context["form"]
    assert form.initial["time_value"] == Decimal("7") and form.initial["desk"] == "T99-TT"
    assert form.initial["level"] == "province" and "decision_no" not in form.initial


@pytest.mark.parametrize(("overrides", "field", "status"), [
    ({"time_value": "abc"}, "time_value", 400),
    ({"time_value": "-1"}, "time_value", 400),
    ({"time_value": "0"}, "time_value", 400),
    ({"time_value": "1e400"}, "time_value", 400),
    ({"time_unit": "unknown"}, "time_unit", 400),
    ({"online_level": "level4"}, "online_level", 400),
    ({"level": "district"}, "level", 400),
    ({"decision_no": "   "}, "decision_no", 400),
    ({"decision_no": "x" * 121}, "decision_no", 400),
    ({"effective_from": "31/02/2026"}, "effective_from", 400),
    ({"effective_from": ""}, "effective_from", 400),
    ({"fee_amount": "-5"}, "fee_amount", 400),
    ({"desk": "T98-TT"}, "desk", 400),
    ({"effective_from": "2025-07-01"}, "effective_from", 409),
    ({"effective_from": "2024-01-01"}, "effective_from", 409),
])
def test_bad_publish_input_shows_form_errors_and_writes_nothing(par_client, overrides, field, status):
    response = par_client.post("/thu-tuc/quan-ly/1.001193/cong-bo/", publish_data(**overrides))
    assert response.status_code == status
    assert response.context["form"].errors[field]
    assert ProvinceProcedure.objects.count() == 5
    assert not AuditEvent.objects.filter(action="catalog.publish", actor_label="noivu").exists()


@pytest.mark.parametrize("code", ["", "9.999999", "không phải mã"])
def test_an_unknown_procedure_code_is_a_form_error(par_client, code):
    response = par_client.post("/thu-tuc/quan-ly/cong-bo/", publish_data(procedure_code=code))
    assert response.status_code == 400 and response.context["form"].errors["procedure_code"]


def test_an_unknown_procedure_in_the_address_is_not_found(par_client):
    assert par_client.get("/thu-tuc/quan-ly/9.999999/").status_code == 404
    assert par_client.post("/thu-tuc/quan-ly/9.999999/cong-bo/", publish_data()).status_code == 404


# ---------------------------------------------------------------------------------------------- events

def test_recording_a_simplification_event_from_the_page(par_client, world):
    response = par_client.post("/thu-tuc/quan-ly/1.000894/su-kien/", {
        "kind": "time_cut", "decision_no": "312/QĐ-UBND", "decision_date": "2026-02-24",
        "time_before": "5", "time_after": "3", "note": "Cắt giảm 40%",
    })
    assert response.status_code == 302
    event = ProcedureEvent.objects.get()
    assert (event.province, event.kind, event.decision_no, event.decision_date) == (
        world["province"], "time_cut", "312/QĐ-UBND", D(2026, 2, 24))
    assert (event.time_before, event.time_after) == (Decimal("5"), Decimal("3"))
    audit = AuditEvent.objects.get(action="catalog.event")
    assert audit.actor_label == "noivu" and audit.to_state == "time_cut" and audit.reason == "312/QĐ-UBND"
    assert "312/QĐ-UBND" in par_client.get("/thu-tuc/quan-ly/1.000894/").content.decode()


@pytest.mark.parametrize(("data", "field", "status"), [
    ({"kind": "renamed"}, "kind", 400),
    ({"decision_no": ""}, "decision_no", 400),
    ({"decision_date": "2026-13-01"}, "decision_date", 400),
    ({"kind": "time_cut", "time_before": "", "time_after": "3"}, "time_before", 400),
    ({"kind": "time_cut", "time_before": "5", "time_after": ""}, "time_after", 400),
    ({"kind": "time_cut", "time_before": "5", "time_after": "5"}, "time_after", 400),
    ({"time_before": "abc"}, "time_before", 400),
])
def test_bad_event_input_shows_form_errors_and_writes_nothing(par_client, data, field, status):
    post = {"kind": "simplified", "decision_no": "5/QĐ-UBND", "decision_date": "2026-01-05"} | data
    response = par_client.post("/thu-tuc/quan-ly/1.001193/su-kien/", post)
    assert response.status_code == status
    assert response.context["form"].errors[field]
    assert not ProcedureEvent.objects.exists()


def test_the_same_event_twice_is_a_conflict_not_a_second_row(par_client):
    post = {"kind": "simplified", "decision_no": "5/QĐ-UBND", "decision_date": "2026-01-05"}
    assert par_client.post("/thu-tuc/quan-ly/1.001193/su-kien/", post).status_code == 302
    again = par_client.post("/thu-tuc/quan-ly/1.001193/su-kien/", post)
    assert again.status_code == 409 and again.context["form"].errors["decision_no"]
    assert ProcedureEvent.objects.count() == 1


def test_abolishing_can_close_the_versions_in_force(par_client, world):
    post = {"kind": "abolished", "decision_no": "9/QĐ-UBND", "decision_date": "2026-04-01",
            "close_publications": "on"}
    assert par_client.post("/thu-tuc/quan-ly/1.009994/su-kien/", post).status_code == 302
    version = ProvinceProcedure.objects.get(procedure__code="1.009994")
    assert version.effective_to == D(2026, 3, 31)
    assert "1.009994" not in codes_on(par_client.get(f"{LIST}?ngay=2026-04-01"))
    assert "1.009994" in codes_on(par_client.get(f"{LIST}?ngay=2026-03-31"))


def test_abolishing_before_a_versions_start_is_refused(world):
    with pytest.raises(ConflictError):
        procedure_event_record(province=world["province"], procedure=world["procs"]["1.009994"], kind="abolished",
                               decision_no="9/QĐ", decision_date=D(2025, 7, 1), close_publications=True,
                               actor=world["par"])
    assert not ProcedureEvent.objects.exists()
    assert ProvinceProcedure.objects.get(procedure__code="1.009994").effective_to is None


def test_the_event_service_refuses_users_outside_the_province_and_non_provinces(world):
    kwargs = dict(procedure=world["procs"]["1.001193"], kind="simplified", decision_no="1/QĐ",
                  decision_date=D(2026, 1, 1))
    for who in ("other_par", "officer", "leader", "citizen"):
        with pytest.raises(ForbiddenError):
            procedure_event_record(province=world["province"], actor=world[who], **kwargs)
    with pytest.raises(DomainError) as err:
        procedure_event_record(province=world["centre"], actor=world["par"], **kwargs)
    assert err.value.field == "province"
    assert not ProcedureEvent.objects.exists()


# ---------------------------------------------------------------------------------------------- report

@pytest.fixture
def report_world(world):
    """Hand-checked: 5 in force on 31/12/2026 minus the abolished one = 4; simplified (cumulative, in force):
    1.001193 (2025) and 1.000894 (time cut 2026) = 2 → 50,00%; in 2026: 1 new, 1 amended, 1 abolished."""
    procs, prov, par = world["procs"], world["province"], world["par"]

    def record(code, kind, number, day, **kw):
        procedure_event_record(province=prov, procedure=procs[code], kind=kind, decision_no=number,
                               decision_date=day, actor=par, **kw)

    record("1.001193", EventKind.SIMPLIFIED, "2104/QĐ-UBND", D(2025, 9, 15))
    record("1.000894", EventKind.TIME_CUT, "312/QĐ-UBND", D(2026, 2, 24), time_before=5, time_after=3)
    record("2.000001", EventKind.NEW, "312/QĐ-UBND", D(2026, 2, 24))
    record("1.001766", EventKind.AMENDED, "1045/QĐ-UBND", D(2026, 5, 20))
    record("1.009994", EventKind.ABOLISHED, "1790/QĐ-UBND", D(2026, 8, 28), close_publications=True)
    record("1.009994", EventKind.SIMPLIFIED, "2877/QĐ-UBND", D(2025, 12, 10))  # abolished later: not counted
    return world


def test_the_report_page_shows_the_figures_a_province_reports(par_client, report_world):
    response = par_client.get(f"{REPORT}?tu=2026-01-01&den=2026-12-31")
    assert response.status_code == 200
    report = response.context["report"]
    assert (report["in_force"], report["simplified"], report["simplified_pct"]) == (4, 2, 50.0)
    assert (report["new"], report["amended"], report["abolished"], report["time_cut"]) == (1, 1, 1, 1)
    html = response.content.decode()
    assert ("4 TTHC đang có hiệu lực; 2 đã đơn giản hóa (50,00%); 1 ban hành mới, 1 sửa đổi, 1 bãi bỏ"
            in html)
    assert "1790/QĐ-UBND" in html and "2104/QĐ-UBND" not in html  # events of the period only


def test_the_report_accepts_day_month_year_and_defaults_to_the_current_year(par_client, report_world):
    same = par_client.get(f"{REPORT}?tu=01/01/2026&den=31/12/2026").context["report"]
    assert same["from"] == "2026-01-01" and same["to"] == "2026-12-31"
    default = par_client.get(REPORT).context["report"]
    assert default["from"].endswith("-01-01")


@pytest.mark.parametrize("query", ["tu=2026-12-31&den=2026-01-01", "tu=hôm-qua", "den=2026-02-30"])
def test_a_bad_report_period_is_explained_not_a_server_error(par_client, report_world, query):
    response = par_client.get(f"{REPORT}?{query}")
    assert response.status_code == 400 and response.context["error"]
    assert par_client.get(f"{REPORT}?{query}&xuat=xlsx").status_code == 400


def test_the_report_downloads_as_an_xlsx_with_the_same_figures(par_client, report_world):
    from openpyxl import load_workbook

    for url in (f"{REPORT}?tu=2026-01-01&den=2026-12-31&xuat=xlsx",
                "/thu-tuc/quan-ly/bao-cao/xlsx/?tu=2026-01-01&den=2026-12-31"):
        response = par_client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
        assert ".xlsx" in response["Content-Disposition"]
        book = load_workbook(io.BytesIO(response.content))
        summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True) if row and row[0]}
        assert summary["TTHC đang có hiệu lực (tại ngày cuối kỳ)"] == 4
        assert summary["TTHC đã đơn giản hóa (lũy kế đến cuối kỳ)"] == 2
        assert summary["Tỷ lệ đã đơn giản hóa (%)"] == 50.0
        assert summary["Bãi bỏ trong kỳ"] == 1
        events = list(book["Sự kiện"].iter_rows(min_row=2, values_only=True))
        assert sorted(row[0] for row in events) == ["1.000894", "1.001766", "1.009994", "2.000001"]


@pytest.mark.parametrize(("report", "sentence"), [
    ({"in_force": 1937, "simplified": 1132, "simplified_pct": 58.44, "new": 278, "amended": 90, "abolished": 26,
      "new_or_amended": 0, "time_cut_of_new_or_amended": 0},
     "1.937 TTHC đang có hiệu lực; 1.132 đã đơn giản hóa (58,44%); 278 ban hành mới, 90 sửa đổi, 26 bãi bỏ"),
    ({"in_force": 0, "simplified": 0, "simplified_pct": 0.0, "new": 0, "amended": 0, "abolished": 0,
      "new_or_amended": 365, "time_cut_of_new_or_amended": 257},
     "0 TTHC đang có hiệu lực; 0 đã đơn giản hóa (0,00%); 0 ban hành mới, 0 sửa đổi, 0 bãi bỏ; "
     "cắt giảm thời gian giải quyết 257/365 TTHC ban hành mới, sửa đổi"),
])
def test_the_report_sentence_uses_vietnamese_number_formats(report, sentence):
    assert report_sentence(report) == sentence


@pytest.mark.parametrize(("value", "int_text", "pct_text"), [
    (0, "0", "0,00%"), (57.41, "57", "57,41%"), (1937, "1.937", "1.937,00%"), (1234567, "1.234.567", "1.234.567,00%"),
])
def test_vietnamese_number_formats(value, int_text, pct_text):
    assert vn_int(value) == int_text
    assert vn_pct(value) == pct_text


# ------------------------------------------------------------------------------------------- checklist

def test_the_par_office_edits_the_document_checklist_as_a_new_version(par_client):
    from cchc.catalog.models import Checklist
    from cchc.catalog.selectors import procedure_checklist

    url = "/thu-tuc/quan-ly/1.001193/thanh-phan-ho-so/"
    assert par_client.get(url).status_code == 200
    data = {"tp-TOTAL_FORMS": "3", "tp-INITIAL_FORMS": "0",
            "tp-0-name": "Tờ khai đăng ký khai sinh", "tp-0-kind": "submit", "tp-0-original_copies": "1",
            "tp-0-photocopies": "0", "tp-0-mandatory": "on", "tp-0-form_name": "Tờ khai đăng ký khai sinh",
            "tp-1-name": "Giấy chứng sinh", "tp-1-kind": "submit", "tp-1-original_copies": "1", "tp-1-photocopies": "1",
            "tp-2-name": ""}
    assert par_client.post(url, data).status_code == 302
    version, rows = procedure_checklist(procedure="1.001193")
    assert version.version == 1
    assert [(r.name, r.photocopies, r.mandatory, r.form_name) for r in rows] == [
        ("Tờ khai đăng ký khai sinh", 0, True, "Tờ khai đăng ký khai sinh"), ("Giấy chứng sinh", 1, False, "")]
    assert AuditEvent.objects.filter(action="catalog.checklist_save").count() == 1
    assert par_client.post(url, data).status_code == 302  # the same lines again: no new version
    assert Checklist.objects.filter(procedure__code="1.001193").count() == 1
    duplicate = dict(data, **{"tp-1-name": "tờ khai đăng ký khai sinh"})
    response = par_client.post(url, duplicate)
    assert response.status_code == 400 and response.context["error"]
    bad = dict(data, **{"tp-1-photocopies": "99"})
    assert par_client.post(url, bad).status_code == 400
    changed = dict(data, **{"tp-1-mandatory": "on"})
    assert par_client.post(url, changed).status_code == 302
    version, rows = procedure_checklist(procedure="1.001193")
    assert version.version == 2 and [r.mandatory for r in rows] == [True, True]
    page = par_client.get(url).content.decode()
    assert "Các phiên bản" in page and "Phiên bản" in page


def test_a_system_admin_publishes_for_a_chosen_province_and_stays_on_it(client, world):
    client.force_login(world["admin"])
    response = client.post("/thu-tuc/quan-ly/1.001193/cong-bo/?tinh=T99", publish_data())
    assert response.status_code == 302 and response["Location"] == "/thu-tuc/quan-ly/1.001193/?tinh=T99"
    assert ProvinceProcedure.objects.filter(procedure__code="1.001193", province=world["province"]).count() == 2


def test_the_home_page_links_the_par_office_to_the_staff_pages(client, world):
    client.force_login(world["par"])
    assert 'href="/thu-tuc/quan-ly/"' in client.get("/").content.decode()
    client.force_login(world["officer"])
    assert 'href="/thu-tuc/quan-ly/"' not in client.get("/").content.decode()
