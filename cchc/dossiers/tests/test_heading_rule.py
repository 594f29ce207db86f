"""One heading rule (tên cơ quan chủ quản / cơ quan ban hành) for every document, two-tier local government."""

import pytest

from cchc.dossiers.documents import unit_header
from cchc.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    province = Unit.objects.create(code="hd-80", name="Tỉnh Tây Ninh", kind=UnitKind.PROVINCE)
    commune = Unit.objects.create(code="hd-80-x", name="Xã Hưng Điền", kind=UnitKind.COMMUNE, parent=province, province=province)
    desk = Unit.objects.create(code="hd-80-x-mc", name="Bộ phận một cửa Xã Hưng Điền", kind=UnitKind.ONE_STOP_DESK, parent=commune, province=province)
    dept = Unit.objects.create(code="hd-80-stp", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT, parent=province, province=province)
    centre = Unit.objects.create(code="hd-80-tt", name="Trung tâm Phục vụ hành chính công", kind=UnitKind.SERVICE_CENTRE, parent=province, province=province)
    return province, commune, desk, dept, centre


def test_a_commune_committee_is_headed_by_itself_never_under_the_province(tree):
    _province, commune, *_ = tree
    head = unit_header(commune)
    assert (head["parent_name"], head["name"]) == ("ỦY BAN NHÂN DÂN", "Xã Hưng Điền")
    assert "Tây Ninh" not in head["parent_name"]


def test_a_provincial_committee_is_headed_by_itself(tree):
    province, *_ = tree
    assert (unit_header(province)["parent_name"], unit_header(province)["name"]) == ("ỦY BAN NHÂN DÂN", "Tỉnh Tây Ninh")


def test_agencies_and_desks_carry_their_committee_above_their_name(tree):
    _province, _commune, desk, dept, centre = tree
    assert (unit_header(desk)["parent_name"], unit_header(desk)["name"]) == ("UBND Xã Hưng Điền", desk.name)
    assert unit_header(dept)["parent_name"] == "UBND Tỉnh Tây Ninh"
    assert unit_header(centre)["parent_name"] == "UBND Tỉnh Tây Ninh"


def test_the_commune_desk_receipt_and_the_commune_result_name_the_same_authority(tree):
    """The receipt (issued by the desk) and the result (issued by the commune) both name UBND Xã Hưng Điền."""
    _province, commune, desk, *_ = tree
    receipt, result = unit_header(desk), unit_header(commune)
    assert "Xã Hưng Điền" in receipt["parent_name"] and result["name"] == "Xã Hưng Điền"
    assert "Tỉnh" not in receipt["parent_name"] + result["parent_name"]


def test_no_unit_gives_an_empty_heading():
    assert unit_header(None) == {"parent_name": "", "name": "", "address": ""}
