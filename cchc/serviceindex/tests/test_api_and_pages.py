"""API and pages of the 766 index: same figures as the CLI, drill-down to dossiers, scopes, 4xx naming the field."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cchc.accounts.models import Role, User
from cchc.serviceindex import compute
from cchc.serviceindex.periods import parse_period

from .test_compute import march  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
API = "/api/v1/serviceindex/"


@pytest.fixture
def par(world):
    return User.objects.create_user(username="noivu", password="x", role=Role.PAR_OFFICE, unit=world["province"], email="nv@example.vn")


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_api_returns_the_same_figures_as_compute(world, march, par, api_client):  # noqa: F811
    r = as_user(api_client, par).get(API, {"period": "2026-03"})
    assert r.status_code == 200
    body = r.json()
    expected = compute.compute_index(province=world["province"], period=parse_period("2026-03"))
    assert body["total"] == expected["total"] and body["groups"] == expected["groups"]
    assert body["province"] == "T99" and body["period"] == "2026-03"


def test_api_drilldown_reaches_the_dossiers_with_reasons(world, march, par, api_client):  # noqa: F811
    r = as_user(api_client, par).get(f"{API}drilldown/", {"period": "2026-03", "indicator": "2.1"})
    assert r.status_code == 200
    body = r.json()
    assert [u["unit"] for u in body["units"]] == [world["dept"].code]
    assert {(d["code"], d["reason"]) for d in body["dossiers"]} == {(march["late"].code, "Trễ hạn"), (march["overdue"].code, "Đang quá hạn")}


@pytest.mark.parametrize("params, field", [
    ({"period": "2026-13"}, "period"),
    ({"period": "2026-03", "province": "T00"}, "province"),
    ({"period": "2026-03", "unit": "T98.TTHCC"}, "unit"),
])
def test_api_bad_input_is_a_4xx_naming_the_field(world, par, indicator_set, api_client, params, field):
    r = as_user(api_client, par).get(API, params)
    assert 400 <= r.status_code < 500 and r.json()["field"] == field


def test_api_drilldown_needs_a_known_indicator(world, par, indicator_set, api_client):
    c = as_user(api_client, par)
    assert c.get(f"{API}drilldown/", {"period": "2026-03"}).json()["field"] == "indicator"
    r = c.get(f"{API}drilldown/", {"period": "2026-03", "indicator": "9.9"})
    assert r.status_code == 404 and r.json()["field"] == "indicator"


def test_unit_heads_see_their_unit_only_and_officers_nothing(world, march, api_client):  # noqa: F811
    head = as_user(api_client, world["head"])
    r = head.get(API, {"period": "2026-03"})
    assert r.status_code == 200 and r.json()["unit"] == world["dept"].code  # opens on their own unit
    assert head.get(API, {"period": "2026-03", "unit": world["commune"].code}).status_code == 403
    officer = as_user(api_client, world["officer"])
    assert officer.get(API, {"period": "2026-03"}).status_code == 403
    other = as_user(api_client, world["leader"])
    assert other.get(API, {"period": "2026-03", "province": "T98"}).status_code == 403


def test_anonymous_callers_are_refused(world, indicator_set, client):
    assert client.get(API).status_code in (401, 403)
    assert client.get("/chi-so-766/").status_code == 302


def test_api_figures_are_entered_by_the_par_office_only(world, par, indicator_set, api_client):
    body = {"period": "2026-03", "indicator": "5.2", "numerator": "8", "denominator": "10"}
    r = as_user(api_client, world["head"]).post(f"{API}figures/", body, format="json")
    assert r.status_code == 403
    r = as_user(api_client, par).post(f"{API}figures/", body, format="json")
    assert r.status_code == 200 and r.json()["source"] == "entered"
    r = as_user(api_client, par).post(f"{API}figures/", {**body, "numerator": "11"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "numerator"
    r = as_user(api_client, par).get(API, {"period": "2026-03"})
    [i] = [i for g in r.json()["groups"] for i in g["indicators"] if i["code"] == "5.2"]
    assert (i["rate"], i["points"], i["source"]) == (80.0, 4.8, "entered")  # 80 % × 6 ÷ 100


def test_api_warnings(world, par, indicator_set, api_client):
    r = as_user(api_client, par).get(f"{API}warnings/", {"days": "x"})
    assert r.status_code == 400 and r.json()["field"] == "days"
    r = as_user(api_client, par).get(f"{API}warnings/", {"days": "3"})
    assert r.status_code == 200 and r.json()["days"] == 3


def test_the_page_shows_the_figures_of_the_api(world, march, par, client):  # noqa: F811
    client.force_login(par)
    r = client.get("/chi-so-766/", {"ky": "2026-03"})
    html = r.content.decode()
    assert r.status_code == 200 and "Chỉ số phục vụ người dân, doanh nghiệp" in html
    # total 32,08 / 100 (10 + 4 + 2 + 2 + 5 + 1,25 + 2 + 2,5 + 3,33), written the Vietnamese way
    assert "32,08 / 100" in html and "Chưa có số liệu" in html and "chart.umd.min.js" in html
    assert 'href="/chi-so-766/chi-tieu/2.1/?ky=2026-03"' in html


def test_the_indicator_page_lists_units_and_dossiers(world, march, par, client):  # noqa: F811
    client.force_login(par)
    html = client.get("/chi-so-766/chi-tieu/2.1/", {"ky": "2026-03"}).content.decode()
    assert world["dept"].name in html and march["late"].code in html and "Trễ hạn" in html and "Đang quá hạn" in html
    r = client.get("/chi-so-766/chi-tieu/9.9/", {"ky": "2026-03"})
    assert r.status_code == 404


def test_a_bad_period_on_the_page_falls_back_to_this_month_with_a_message(world, par, indicator_set, client):
    client.force_login(par)
    r = client.get("/chi-so-766/", {"ky": "2026-13"})
    assert r.status_code == 200 and "Kỳ không hợp lệ" in r.content.decode()


def test_the_warning_pages_and_panel(world, indicator_set, client, monkeypatch):
    from cchc.dossiers import services
    from cchc.dossiers.tests.factories import applicant

    d = services.dossier_receive(actor=world["officer"], procedure_code=world["procedure"].code, unit_code=world["centre"].code,
                                 channel="counter", applicant=applicant(), received_at=datetime(2026, 2, 26, 9, 0, tzinfo=VN))
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 3, 2, 9, 0, tzinfo=VN))  # due Tue 03/03 09:00
    client.force_login(world["head"])
    html = client.get("/chi-so-766/canh-bao/", {"so_ngay": "1"}).content.decode()
    assert d.code in html
    assert d.code in client.get("/chi-so-766/canh-bao/bang/").content.decode()
    client.force_login(world["officer"])
    assert client.get("/chi-so-766/canh-bao/bang/").content == b""


def test_the_unit_heads_dashboard_and_desk_load_the_warning_panel(world, indicator_set, client):
    client.force_login(world["head"])
    for path in ("/mot-cua/thong-ke/", "/mot-cua/"):
        assert 'hx-get="/chi-so-766/canh-bao/bang/"' in client.get(path).content.decode(), path
    client.force_login(world["leader"])
    assert "/chi-so-766/canh-bao/bang/" not in client.get("/mot-cua/thong-ke/").content.decode()
    assert 'href="/chi-so-766/"' in client.get("/").content.decode()


def test_drilldown_by_field(world, march, par, api_client):  # noqa: F811
    from cchc.catalog.models import Procedure

    Procedure.objects.filter(pk=world["procedure"].pk).update(field="Lý lịch tư pháp")
    c = as_user(api_client, par)
    hit = c.get(f"{API}drilldown/", {"period": "2026-03", "indicator": "2.1", "field": "Lý lịch tư pháp"}).json()
    miss = c.get(f"{API}drilldown/", {"period": "2026-03", "indicator": "2.1", "field": "Hộ tịch"}).json()
    assert len(hit["dossiers"]) == 2 and hit["field"] == "Lý lịch tư pháp"
    assert miss["dossiers"] == [] and miss["units"] == []


def test_the_par_office_revises_the_set_as_a_new_version(world, par, indicator_set, api_client):
    from cchc.serviceindex.models import Indicator, IndicatorSet

    body = {"changes": {"2.1": {"max": "15"}, "2.2": {"max": "5", "rule": "linear"}}, "notes": "Theo văn bản hướng dẫn mới"}
    assert as_user(api_client, world["head"]).post(f"{API}sets/{indicator_set.pk}/revise/", body, format="json").status_code == 403
    r = as_user(api_client, par).post(f"{API}sets/{indicator_set.pk}/revise/", body, format="json")
    assert r.status_code == 201 and r.json()["version"] == 2 and r.json()["copied_from"] == indicator_set.pk
    assert Indicator.objects.get(group__indicator_set=indicator_set, code="2.1").max_points == 20  # v1 untouched
    bad = as_user(api_client, par).post(f"{API}sets/{indicator_set.pk}/revise/", {"changes": {"2.1": {"max": "15"}}}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "group_sum_mismatch"
    assert as_user(api_client, par).post(f"{API}sets/999/revise/", body, format="json").status_code == 404
    listed = as_user(api_client, par).get(f"{API}sets/").json()
    assert [x["version"] for x in listed] == [2, 1] and IndicatorSet.objects.count() == 2
