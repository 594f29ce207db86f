"""Công khai (/cong-khai/): no login, on-time figures by unit and by field from the rollups, updated daily."""

from datetime import datetime, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cchc.dossiers import selectors, services
from cchc.dossiers import workflow as wf
from cchc.dossiers.public_views import transparency_figures
from cchc.dossiers.tests.factories import applicant

pytestmark = pytest.mark.django_db


def _monday_weeks_ago(weeks: int) -> datetime:
    today = timezone.localdate()
    d = today - timedelta(days=today.weekday() + 7 * weeks)
    return datetime.combine(d, datetime.min.time(), tzinfo=timezone.get_default_timezone()).replace(hour=9)


@pytest.fixture
def three(world):
    """Three dossiers of the 3-working-day procedure received on a Monday three weeks ago at the centre:
    one settled the next day (early), one settled 9 days later (late: due Thursday), one still open
    (overdue by now)."""
    mon = _monday_weeks_ago(3)
    if mon.year != timezone.localdate().year:
        pytest.skip("this year has no Monday three weeks back")
    out = []
    for _ in range(3):
        out.append(services.dossier_receive(actor=world["officer"], procedure_code=world["procedure"].code,
                                            unit_code=world["centre"].code, channel="counter", applicant=applicant(), received_at=mon))
    for d, at in ((out[0], mon + timedelta(days=1)), (out[1], mon + timedelta(days=9))):
        d.refresh_from_db()
        services.dossier_transition(dossier=d, action=wf.COMPLETE, actor=world["officer"], version=d.version, at=at)
    return out


def test_anonymous_visitors_see_the_figures_without_login(client, world, three):
    r = client.get("/cong-khai/?tinh=T99")
    assert r.status_code == 200, r.status_code
    html = r.content.decode()
    assert "Công khai kết quả giải quyết" in html and "số liệu tạm tính" in html
    # nothing personal: the applicant's name never appears
    assert three[0].applicant_name not in html


def test_figures_are_the_hand_counts_and_match_the_live_definition(world, three):
    as_of = timezone.localdate() - timedelta(days=1)
    data = transparency_figures(world["province"], as_of=as_of)
    # 3 received; 2 settled: 1 early (next day), 1 late (9 days for a 3-working-day procedure) → 1 ÷ 2 = 50 %
    t = data["total"]
    assert (t["received"], t["settled"], t["on_time"], t["late"], t["rate"], t["overdue"]) == (3, 2, 1, 1, 50.0, 1)
    # by field: the procedure's field carries all of it
    assert [(f["name"], f["settled"], f["rate"]) for f in data["fields"]] == [(world["procedure"].field or "Khác", 2, 50.0)]
    # the same as the live GROUP BY over dossiers (selectors.dossier_statistics, the one definition), unit by unit
    tz = timezone.get_default_timezone()
    cut = datetime.combine(as_of + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    live = selectors.dossier_statistics(date_from=as_of.replace(month=1, day=1), date_to=as_of, now=cut, group_by=(),
                                        extra_groups={"row_unit": selectors.row_unit_expression(None)},
                                        where=selectors.Q(province=world["province"]))
    assert sorted((r["settled"], r["settled_late"], r["received_new"]) for r in live if r["received_new"] or r["settled"]) == \
        sorted((u["settled"], u["late"], u["received"]) for u in data["units"])
    # another province's page does not see them
    assert transparency_figures(world["other_province"], as_of=as_of)["total"]["received"] == 0


def test_xlsx_export_has_both_tables(client, world, three):
    r = client.get("/cong-khai/?tinh=T99&xuat=xlsx")
    assert r.status_code == 200
    wb = load_workbook(BytesIO(r.content))
    assert wb.sheetnames == ["Theo đơn vị", "Theo lĩnh vực"]
    last = list(wb["Theo đơn vị"].iter_rows(values_only=True))[-1]
    assert last[:6] == ("Toàn tỉnh", 3, 2, 1, 1, 50.0)


def test_a_visitor_without_a_choice_sees_the_province_this_platform_serves(client, world, settings):
    """Not the first province by name ("Tỉnh Khác" sorts before "Tỉnh Thử nghiệm" and has one officer here):
    the province whose staff use the platform, or CCHC_PROVINCE when the installation names it."""
    from django.core.cache import cache

    settings.PLATFORM_PROVINCE = ""
    cache.clear()
    assert client.get("/cong-khai/").context["province"].code == world["province"].code
    settings.PLATFORM_PROVINCE = world["other_province"].code
    assert client.get("/cong-khai/").context["province"].code == world["other_province"].code
    assert client.get(f"/cong-khai/?tinh={world['province'].code}").context["province"].code == world["province"].code


def test_the_public_api_gives_the_page_figures_without_login_and_404_for_an_unknown_province(api_client, world, three):
    from django.core.cache import cache

    cache.clear()
    r = api_client.get("/api/v1/public/transparency/?tinh=T99")
    assert r.status_code == 200, r.content
    body = r.json()
    data = transparency_figures(world["province"], as_of=timezone.localdate() - timedelta(days=1))
    assert body["province"]["code"] == "T99" and body["partial"] is True
    assert body["total"] == {**data["total"]}
    assert [(u["name"], u["settled"], u["rate"]) for u in body["units"]] == [(u["name"], u["settled"], u["rate"]) for u in data["units"]]
    assert (body["total"]["received"], body["total"]["late"]) == (3, 1)
    missing = api_client.get("/api/v1/public/transparency/?tinh=KHONG-CO")
    assert missing.status_code == 404 and missing.json()["field"] == "tinh"
