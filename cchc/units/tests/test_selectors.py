import datetime as dt

import pytest

from cchc.units import reference
from cchc.units.models import Unit, UnitKind
from cchc.units.selectors import current_successor, province_by_name_or_code, unit_lineage

from .factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def provinces():
    reference.load()


def codes(units):
    return {u.code for u in units}


def test_lineage_of_a_merged_province_lists_its_predecessors():
    assert codes(unit_lineage(Unit.objects.get(code="80"))) == {"old-72", "old-80"}


def test_lineage_of_an_old_province_is_its_successor_not_its_siblings():
    assert codes(unit_lineage(Unit.objects.get(code="old-80"))) == {"80"}


def test_lineage_follows_several_mergers():
    old = Unit.objects.get(code="old-72")
    later = make_unit(kind=UnitKind.PROVINCE, code="X1", name="Tỉnh Tương Lai", valid_from=dt.date(2030, 1, 1))
    Unit.objects.get(code="80").successors.add(later)
    assert codes(unit_lineage(old)) == {"80", "X1"}
    assert codes(unit_lineage(later)) == {"80", "old-72", "old-80"}


def test_current_successor_of_long_an_is_tay_ninh_after_the_reform():
    long_an = Unit.objects.get(code="old-80")
    assert current_successor(long_an, dt.date(2025, 7, 1)).code == "80"
    assert current_successor(long_an, dt.date(2026, 1, 1)).code == "80"


def test_current_successor_of_a_unit_still_valid_is_itself():
    long_an = Unit.objects.get(code="old-80")
    assert current_successor(long_an, dt.date(2024, 12, 31)) == long_an
    tay_ninh = Unit.objects.get(code="80")
    assert current_successor(tay_ninh, dt.date(2026, 1, 1)) == tay_ninh


def test_current_successor_is_none_before_a_unit_existed():
    tay_ninh = Unit.objects.get(code="80")
    assert current_successor(tay_ninh, dt.date(2020, 1, 1)) is None


def test_current_successor_defaults_to_today():
    assert current_successor(Unit.objects.get(code="old-77")).code == "79"


@pytest.mark.parametrize(
    "text, code",
    [
        ("TP. Hồ Chí Minh", "79"),
        ("Hồ Chí Minh", "79"),
        ("Thành phố Hồ Chí Minh", "79"),
        ("tp hcm", "79"),
        ("BR-VT", "old-77"),
        ("Bà Rịa - Vũng Tàu", "old-77"),
        ("Bà Rịa–Vũng Tàu", "old-77"),
        ("Thừa Thiên Huế", "old-46"),
        ("Huế", "46"),
        ("Tây Ninh", "80"),
        ("tinh tay ninh", "80"),
        ("Long An", "old-80"),
        ("Hoà Bình", "old-17"),
        ("Đăk Lăk", "66"),
        ("Đắk Nông", "old-67"),
        ("80", "80"),
        ("8", "08"),
        ("72", "old-72"),
        ("old-80", "old-80"),
        ("Xứ Sở Thần Tiên", None),
        ("", None),
    ],
)
def test_province_is_found_by_old_or_new_name_or_code(text, code):
    found = province_by_name_or_code(text)
    assert (found.code if found else None) == code


@pytest.mark.parametrize(
    "text, day, code",
    [
        ("Tây Ninh", dt.date(2023, 12, 31), "old-72"),
        ("Tây Ninh", dt.date(2025, 7, 1), "80"),
        ("80", dt.date(2019, 1, 1), "old-80"),
        ("Hồ Chí Minh", dt.date(2018, 6, 1), "old-79"),
        ("Huế", dt.date(2020, 1, 1), "old-46"),
        ("Long An", dt.date(2026, 1, 1), "old-80"),
    ],
)
def test_province_lookup_on_a_date_prefers_the_unit_valid_then(text, day, code):
    assert province_by_name_or_code(text, on_date=day).code == code
