import datetime as dt

import pytest

from cchc.units import reference
from cchc.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    return reference.load()


def test_there_are_34_current_provinces_valid_from_the_reform(loaded):
    new = Unit.objects.filter(kind=UnitKind.PROVINCE)
    assert new.count() == 34
    assert set(new.values_list("valid_from", flat=True)) == {dt.date(2025, 7, 1)}
    assert set(new.values_list("valid_to", flat=True)) == {None}
    assert all(u.code == u.admin_code and len(u.code) == 2 for u in new)


def test_there_are_63_old_provinces_ending_on_30_june_2025(loaded):
    old = Unit.objects.filter(kind=UnitKind.OLD_PROVINCE)
    assert old.count() == 63
    assert set(old.values_list("valid_to", flat=True)) == {dt.date(2025, 6, 30)}
    assert all(u.code == f"old-{u.admin_code}" for u in old)
    assert old.get(admin_code="01").short_name == "Hà Nội"
    assert old.get(admin_code="96").short_name == "Cà Mau"


def test_every_old_province_maps_to_exactly_one_new_province(loaded):
    for old in Unit.objects.filter(kind=UnitKind.OLD_PROVINCE).prefetch_related("successors"):
        succ = list(old.successors.all())
        assert len(succ) == 1, old.name
        assert succ[0].kind == UnitKind.PROVINCE


def test_every_new_province_has_at_least_one_predecessor(loaded):
    for new in Unit.objects.filter(kind=UnitKind.PROVINCE).prefetch_related("predecessors"):
        assert new.predecessors.count() >= 1, new.name


@pytest.mark.parametrize(
    "new_code, predecessors",
    [
        ("80", {"Tây Ninh", "Long An"}),
        ("79", {"Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"}),
        ("92", {"Cần Thơ", "Sóc Trăng", "Hậu Giang"}),
        ("37", {"Ninh Bình", "Hà Nam", "Nam Định"}),
        ("46", {"Thừa Thiên Huế"}),
        ("04", {"Cao Bằng"}),
    ],
)
def test_merges_follow_resolution_202_2025(loaded, new_code, predecessors):
    new = Unit.objects.get(code=new_code)
    assert {u.short_name for u in new.predecessors.all()} == predecessors


def test_unchanged_provinces_are_two_linked_rows(loaded):
    old = Unit.objects.get(code="old-04")
    new = Unit.objects.get(code="04")
    assert old.pk != new.pk
    assert list(old.successors.all()) == [new]


def test_every_province_old_and_new_has_one_of_the_six_regions(loaded):
    regions = set(Unit.objects.filter(kind__in=[UnitKind.PROVINCE, UnitKind.OLD_PROVINCE]).values_list("region", flat=True))
    assert regions == set(reference.REGIONS)
    assert Unit.objects.get(code="old-80").region == "Đồng bằng sông Cửu Long"  # Long An
    assert Unit.objects.get(code="80").region == "Đông Nam Bộ"  # new Tây Ninh


def test_six_centrally_run_cities_are_named_thanh_pho(loaded):
    cities = Unit.objects.filter(kind=UnitKind.PROVINCE, name__startswith="Thành phố")
    assert {u.short_name for u in cities} == {"Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}


def test_loading_twice_changes_nothing(loaded):
    assert loaded["created"] == 97
    again = reference.load()
    assert again["created"] == 0 and again["updated"] == 0 and again["links_added"] == 0
    assert Unit.objects.count() == 97


def test_loading_repairs_an_edited_name(loaded):
    Unit.objects.filter(code="80").update(name="Sai tên")
    result = reference.load()
    assert result["updated"] == 1
    assert Unit.objects.get(code="80").name == "Tỉnh Tây Ninh"
