"""Public calendar API and the /lich/ page."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from cchc.units.tests.factories import make_province

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def test_due_api_answers_like_the_cli_and_names_the_calendar_version(api_client):
    response = api_client.get("/api/v1/calendar/due", {"received": "2026-02-13T09:00", "days": "3"})
    assert response.status_code == 200
    body = response.json()
    assert body.pop("calendar_version")
    assert body == {"received": "2026-02-13T09:00:00+07:00", "counted_from": "2026-02-13T09:00:00+07:00",
                    "due": "2026-02-25T09:00:00+07:00", "working_days": 3}


def test_due_api_supports_hours_same_day_and_calendar_days(api_client):
    r = api_client.get("/api/v1/calendar/due", {"received": "2026-03-02T10:30", "hours": "2"}).json()
    assert r["due"] == "2026-03-02T14:30:00+07:00" and r["working_hours"] == 2
    r = api_client.get("/api/v1/calendar/due", {"received": "2026-03-02T10:30", "same_day": "true"}).json()
    assert r["due"] == "2026-03-02T17:00:00+07:00" and r["same_day"] is True
    r = api_client.get("/api/v1/calendar/due", {"received": "2026-03-02T09:00", "calendar_days": "5"}).json()
    assert r["due"] == "2026-03-09T09:00:00+07:00" and r["calendar_days"] == 5


@pytest.mark.parametrize(
    "params, field",
    [
        ({"received": "hôm qua", "days": "1"}, "received"),
        ({"received": "2026-03-02T09:00", "days": "-1"}, "days"),
        ({"received": "2026-03-02T09:00"}, "days"),
        ({"received": "2026-03-02T09:00", "days": "1", "hours": "2"}, "days"),
        ({"received": "2026-03-02T09:00", "days": "1", "province": "KHONG-CO"}, "province"),
        ({"days": "1"}, "received"),
    ],
)
def test_due_api_bad_input_is_a_400_naming_the_field(api_client, params, field):
    response = api_client.get("/api/v1/calendar/due", params)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field and body["detail"][0].isupper()


def test_workdays_api_counts_and_lists(api_client):
    body = api_client.get("/api/v1/calendar/workdays", {"from": "2026-08-01", "to": "2026-09-30"}).json()
    assert body["working_days"] == 43 - 3 + 1  # 43 weekdays, 3 off (31/8, 1/9, 2/9), 1 make-up Saturday (22/8)
    assert [d["date"] for d in body["working_weekend_days"]] == ["2026-08-22"]
    assert api_client.get("/api/v1/calendar/workdays", {"from": "2026-09-30", "to": "2026-08-01"}).status_code == 400


def test_a_trailing_slash_reaches_the_same_endpoints(api_client):
    assert api_client.get("/api/v1/calendar/due/", {"received": "2026-02-13T09:00", "days": "3"}).json()["due"] == (
        "2026-02-25T09:00:00+07:00"
    )
    assert api_client.get("/api/v1/calendar/workdays/", {"from": "2026-02-01", "to": "2026-02-28"}).json()["working_days"] == 15


def test_openapi_documents_the_calendar_endpoints(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    assert "/api/v1/calendar/due" in schema["paths"] and "/api/v1/calendar/workdays" in schema["paths"]
    assert "/api/v1/calendar/due/" not in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/calendar/due"]["get"]["parameters"]}
    assert {"received", "days", "hours", "same_day", "province"} <= params


def test_calendar_page_lists_the_years_days_off_and_make_up_days(client):
    response = client.get("/lich/", {"nam": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lịch làm việc năm 2026" in html
    assert "02/01/2026" in html and "10/01/2026" in html and "12729/VPCP-KGVX" in html
    assert "hx-get" in html


def test_calendar_page_survives_a_bad_year_and_an_unknown_province(client):
    response = client.get("/lich/", {"nam": "abc", "tinh": "KHONG-CO"})
    assert response.status_code == 200
    assert "Năm không hợp lệ" in response.content.decode()


def test_the_calculator_returns_an_htmx_fragment(client):
    response = client.get(
        "/lich/tinh-han/", {"tiep_nhan": "2026-02-13T09:00", "so": "3", "don_vi": "working_days"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "25/02/2026 09:00" in html
    bad = client.get("/lich/tinh-han/", {"tiep_nhan": "x", "so": "3"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and "class=\"error\"" in bad.content.decode()
    assert client.get("/lich/tinh-han/", {"tiep_nhan": "x", "so": "3"}).status_code == 400


def test_the_page_uses_a_provinces_working_hours(client):
    from datetime import time

    from cchc.calendar.services import province_working_hours_set

    province = make_province(code="98")
    province_working_hours_set(actor=None, province=province, morning_start=time(8, 0), morning_end=time(12, 0),
                               afternoon_start=time(13, 0), afternoon_end=time(17, 30))
    html = client.get("/lich/", {"tinh": "98"}).content.decode()
    assert "08:00–12:00" in html and "13:00–17:30" in html
