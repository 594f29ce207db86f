"""Tra cứu thủ tục tại quầy: the desk uses the public catalogue's search, scoped to what the desk receives,
and never opens a procedure the officer did not choose (issue 8: "khai sinh" at the provincial centre
returned "khai thác tài nguyên nước" and Enter opened it)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.catalog.models import Procedure, ProvinceProcedure
from cchc.catalog.search import Hit, exact_match
from cchc.catalog.selectors import received_procedure_ids
from cchc.dossiers import selectors, services
from cchc.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def publish(world, code: str, name: str, *, level: str = "province", desk=None, **over) -> Procedure:
    proc = Procedure.objects.create(code=code, name=name, time_value=5, time_unit="working_days")
    ProvinceProcedure.objects.create(
        province=over.pop("province", world["province"]), procedure=proc, level=level, desk=desk,
        handling_unit=world["dept"], time_value=5, time_unit="working_days",
        effective_from=over.pop("effective_from", date(2020, 1, 1)), **over,
    )
    return proc


@pytest.fixture
def desk_world(world):
    """The dossier test province plus the procedure that was wrongly opened for "khai sinh" at the centre."""
    world["water"] = publish(world, "1.014716", "Tính tiền cấp quyền khai thác tài nguyên nước đối với công trình đã vận hành")
    world["copy"] = publish(world, "2.000815", "Cấp bản sao có chứng thực từ bản chính", level="commune")
    return world


def ids(*procs) -> set[int]:
    return {p.pk for p in procs}


# ------------------------------------------------------------------------------ what a desk receives

def test_the_centre_receives_provincial_procedures_and_a_commune_desk_commune_ones(desk_world):
    w = desk_world
    assert received_procedure_ids(unit=w["centre"]) == ids(w["procedure"], w["water"])
    assert received_procedure_ids(unit=w["desk"]) == ids(w["commune_procedure"], w["copy"])
    assert received_procedure_ids(unit=w["commune"]) == ids(w["commune_procedure"], w["copy"])
    assert received_procedure_ids(unit=w["other_centre"]) == set()  # another province publishes nothing


def test_a_publication_naming_a_desk_or_without_a_level(desk_world):
    w = desk_world
    other_commune = Unit.objects.create(code="T99.X2", name="Xã Khác", kind=UnitKind.COMMUNE, parent=w["province"])
    other_desk = Unit.objects.create(code="T99.X2.MC", name="Bộ phận một cửa xã Khác", kind=UnitKind.ONE_STOP_DESK,
                                     parent=other_commune)
    named = publish(w, "1.100001", "Thủ tục chỉ nhận tại một cửa xã Thử", level="province", desk=w["desk"])
    everywhere = publish(w, "1.100002", "Thủ tục không ghi cấp", level="")
    assert named.pk in received_procedure_ids(unit=w["desk"])
    assert named.pk not in received_procedure_ids(unit=other_desk)  # named for another desk
    assert named.pk not in received_procedure_ids(unit=w["centre"])  # a desk is named: not "no desk"
    for unit in (w["desk"], other_desk, w["centre"]):
        assert everywhere.pk in received_procedure_ids(unit=unit)


def test_in_force_boundaries_of_what_a_desk_receives(desk_world):
    w = desk_world
    today = timezone.localdate()
    ends_today = publish(w, "1.200001", "Thủ tục hết hiệu lực hôm nay", effective_to=today)
    ended = publish(w, "1.200002", "Thủ tục hết hiệu lực hôm qua", effective_to=today - timedelta(days=1))
    starts_today = publish(w, "1.200003", "Thủ tục có hiệu lực từ hôm nay", effective_from=today)
    starts_tomorrow = publish(w, "1.200004", "Thủ tục có hiệu lực từ ngày mai", effective_from=today + timedelta(days=1))
    inactive = publish(w, "1.200005", "Thủ tục đã ngưng")
    Procedure.objects.filter(pk=inactive.pk).update(is_active=False)
    got = received_procedure_ids(unit=w["centre"])
    assert ends_today.pk in got and starts_today.pk in got
    assert ended.pk not in got and starts_tomorrow.pk not in got and inactive.pk not in got


def test_received_ids_agree_with_the_intake_rule_for_every_unit_and_procedure(desk_world):
    """One rule: the search scope is exactly the procedures the intake form accepts at that desk."""
    w = desk_world
    publish(w, "1.100001", "Thủ tục chỉ nhận tại một cửa xã Thử", level="province", desk=w["desk"])
    publish(w, "1.100002", "Thủ tục không ghi cấp", level="")
    today = timezone.localdate()
    for unit in (w["centre"], w["desk"], w["commune"], w["dept"], w["other_centre"]):
        by_rule = {
            p.pk for p in Procedure.objects.filter(is_active=True)
            if services.published_procedure_for(unit=unit, procedure=p, on_date=today) is not None
        }
        assert received_procedure_ids(unit=unit) == by_rule, unit.code


# ------------------------------------------------------------------------------ the desk's search

def test_khai_sinh_at_the_provincial_centre_points_to_the_commune_and_opens_nothing(desk_world):
    found = selectors.desk_procedure_search(unit=desk_world["centre"], query="khai sinh")
    codes = [h["procedure"].code for h in found["hits"]]
    assert "1.001193" not in codes  # not received at the centre
    assert codes == ["1.014716"] and found["hits"][0]["partial"]  # "khai" matches, "sinh" does not
    assert found["exact"] is None
    assert [(e["code"], e["pp"].level) for e in found["elsewhere"]] == [("1.001193", "commune")]


def test_khai_sinh_at_a_commune_desk_lists_birth_registration_without_opening_it(desk_world):
    found = selectors.desk_procedure_search(unit=desk_world["desk"], query="khai sinh")
    assert [h["procedure"].code for h in found["hits"]] == ["1.001193"]
    assert not found["hits"][0]["partial"] and found["exact"] is None and found["elsewhere"] == []


@pytest.mark.parametrize(("query", "exact"), [
    ("1.000001", "1.000001"),
    (" 1.000001 ", "1.000001"),
    ("1.000001.000.00.00.H99", "1.000001"),  # the national portal's long form
    ("Cấp phiếu lý lịch tư pháp", "1.000001"),
    ("cap phieu ly lich tu phap", "1.000001"),
    ("CẤP PHIẾU LÝ LỊCH TƯ PHÁP", "1.000001"),
    ("ly lich tu phap", None),  # part of the name: the officer chooses
    ("cấp phiếu lý lịch tư", None),
    ("cấp phiếu lý lịch tư pháp số 2", None),
    ("1.000001 lý lịch", None),  # a code with words is not a bare code
    ("1.0000", None),  # a code prefix
    ("1.001193", None),  # exact code, but not received at the centre
])
def test_enter_may_open_only_an_exact_code_or_name(desk_world, query, exact):
    assert selectors.desk_procedure_search(unit=desk_world["centre"], query=query)["exact"] == exact


def test_exact_match_needs_exactly_one_hit_named_so():
    twins = [Hit("1.1", "Thủ tục đăng ký khai sinh", 0.9), Hit("2.2", "Đăng ký khai sinh", 0.9)]
    assert exact_match("đăng ký khai sinh", twins) is None  # both named so ("Thủ tục" is not part of a name)
    assert exact_match("đăng ký khai sinh", twins[:1]).code == "1.1"
    assert exact_match("thủ tục đăng ký khai sinh", twins[1:]).code == "2.2"
    assert exact_match("", twins) is None and exact_match("1.1", []) is None
    assert exact_match("1.1", twins).code == "1.1"


def test_the_desk_page_marks_the_exact_hit_and_the_other_desks(client, desk_world):
    client.force_login(desk_world["officer"])
    url = reverse("dossiers:procedure_search")
    body = client.get(url, {"q": "khai sinh"}).content.decode()
    assert "không tiếp nhận tại đơn vị này" in body and "1.001193" in body and "data-exact" not in body
    assert 'data-code="1.001193"' not in body  # shown for guidance, not as a hit to open
    body = client.get(url, {"q": "1.000001"}).content.decode()
    assert 'data-exact="1.000001"' in body
    body = client.get(url, {"q": "ly lich tu phap"}).content.decode()
    assert 'data-code="1.000001"' in body and "data-exact" not in body
    page = client.get(reverse("dossiers:desk"), {"q": "khai sinh"})
    assert page.status_code == 200 and "không tiếp nhận tại đơn vị này" in page.content.decode()
