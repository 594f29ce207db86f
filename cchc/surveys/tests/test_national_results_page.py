"""The national-results page (/chi-so/): internal notes for staff only, numbers the Vietnamese way and a
"no change" marker every font has."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cchc.accounts.models import Role
from cchc.surveys.models import PublishedResult
from cchc.units.tests.factories import make_province, make_unit, make_user

pytestmark = pytest.mark.django_db

FLAG = "Chưa xác nhận: hạng 2026 theo một nguồn báo địa phương"
RELIABILITY = "suy ra: hạng năm sau − biến động thứ hạng"


@pytest.fixture
def province():
    province = make_province(name="Tỉnh Một")
    for year, rank in ((2025, 12), (2026, 12)):  # the latest year keeps last year's rank
        PublishedResult.objects.create(
            index_kind="par_index", year=year, entity_name="Tỉnh Một", unit=province, score=Decimal("1234.50") if year == 2026 else Decimal("80.25"),
            rank=rank, rank_of=34, rank_reliability=RELIABILITY if year == 2026 else "chính xác",
            change_stated="+4.05" if year == 2026 else "", rank_change_stated="0" if year == 2026 else "",
            source_url=f"https://nguon.example/{year}", source_name="Báo Một", source_key=f"mot{year}",
            flagged=year == 2026, flags=[FLAG] if year == 2026 else [])
    return province


def _get(client, user):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("indices:home"))


@pytest.mark.parametrize("role", [Role.PAR_OFFICE, Role.PROVINCE_LEADER])
def test_staff_see_the_flags_and_the_rank_qualification(client, province, role):
    html = _get(client, make_user(role=role, unit=province)).content.decode()
    assert FLAG in html and RELIABILITY in html and "1 số liệu có cảnh báo" in html


def test_a_unit_head_of_a_department_is_staff_and_sees_them_too(client, province):
    head = make_user(role=Role.UNIT_HEAD, unit=make_unit(parent=province, name="Sở Nội vụ"))
    html = _get(client, head).content.decode()
    assert FLAG in html


@pytest.mark.parametrize(("role", "status"), [(None, 302), (Role.CITIZEN, 403)])
def test_anonymous_visitors_and_citizens_never_receive_the_notes(client, province, role, status):
    response = _get(client, None if role is None else make_user(role=role))
    body = response.content.decode()
    assert response.status_code == status
    assert FLAG not in body and RELIABILITY not in body and "cảnh báo" not in body


def test_the_data_note_rule_hides_flags_where_a_non_staff_reader_gets_the_table(rf, province):
    """The template itself gates every note on SHOW_DATA_NOTES, so opening the table to the public later
    (a citizen-facing page) cannot leak them: render it for a citizen context directly."""
    from django.template.loader import render_to_string

    from cchc.surveys import selectors

    history = selectors.national_history(province=province)
    tables = [s for s in history.values() if s["rows"]]
    html = render_to_string("indices/home.html", {"tables": tables, "charts": {}, "cycles": [], "flagged_count": 1,
                                                  "SHOW_DATA_NOTES": False, "other_kinds": []})
    assert "Tỉnh Một" in html and "https://nguon.example/2026" in html
    assert FLAG not in html and RELIABILITY not in html and "cảnh báo" not in html and 'class="flagged"' not in html


def test_numbers_and_the_no_change_marker(client, province):
    html = _get(client, make_user(role=Role.PAR_OFFICE, unit=province)).content.decode()
    assert "1.234,50%" in html and "80,25%" in html              # score: dot thousands, comma decimals
    assert "+4,05" in html and "+4.05" not in html                # the change the source stated
    assert 'aria-label="không đổi"' in html and ">=</span>" in html  # same rank as the year before
    assert "＝" not in html                                        # U+FF1D: no installed font draws it
    assert "cchc/charts.js" in html                                # Chart.js set to vi-VN for every chart
