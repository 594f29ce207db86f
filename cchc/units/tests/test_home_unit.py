"""Xã/phường nơi cư trú (User.home_unit): the rule (an active commune-level unit of a province), the page on the
account, the audit event, and its use as the default place of online filing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.accounts.models import Role
from cchc.core.errors import DomainError, ForbiddenError
from cchc.core.models import AuditEvent
from cchc.units.models import UnitKind
from cchc.units.selectors import home_unit_choices
from cchc.units.services import home_unit_candidate, home_unit_set

from .factories import make_province, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    province = make_province(name="Tỉnh Tây Ninh", code="80")
    other = make_province(name="Tỉnh Khác", code="81")
    return {
        "province": province,
        "commune": make_unit(kind=UnitKind.COMMUNE, parent=province, name="Xã Hưng Điền", code="80.HD"),
        "ward": make_unit(kind=UnitKind.WARD, parent=province, name="Phường Tân Ninh", code="80.TN"),
        "zone": make_unit(kind=UnitKind.SPECIAL_ZONE, parent=other, name="Đặc khu Thử", code="81.DK"),
        "old": make_unit(kind=UnitKind.OLD_COMMUNE, parent=province, name="Xã Hưng Điền A (cũ)", code="80.HDA"),
        "closed": make_unit(kind=UnitKind.COMMUNE, parent=province, name="Xã Đã Nhập", code="80.DN", is_active=False),
        "orphan": make_unit(kind=UnitKind.COMMUNE, parent=None, name="Xã Không Tỉnh", code="XX.1"),
        "dept": make_unit(kind=UnitKind.DEPARTMENT, parent=province, name="Sở Tư pháp", code="80.STP"),
        "desk": make_unit(kind=UnitKind.ONE_STOP_DESK, parent=None, name="Bộ phận một cửa", code="80.HD.MC"),
    }


@pytest.fixture
def citizen(db):
    return make_user(role=Role.CITIZEN, username="congdan", full_name="Hoàng Thị Dân")


@pytest.mark.parametrize("key", ["commune", "ward", "zone"])
def test_a_commune_ward_or_special_zone_of_a_province_is_accepted(places, key):
    assert home_unit_candidate(places[key].code) == places[key]


@pytest.mark.parametrize(("code", "rule"), [
    ("", "required"),
    ("   ", "required"),
    ("KHONG-CO", "unknown_unit"),
    ("../etc", "unknown_unit"),
    ("80", "not_a_commune"),          # the province itself
    ("80.STP", "not_a_commune"),      # a department
    ("80.HD.MC", "not_a_commune"),    # a one-stop desk
    ("80.HDA", "not_a_commune"),      # a commune before 1/7/2025
    ("80.DN", "inactive_unit"),
    ("XX.1", "no_province"),
])
def test_anything_else_is_refused_naming_the_field(places, code, rule):
    with pytest.raises(DomainError) as exc:
        home_unit_candidate(code)
    assert (exc.value.code, exc.value.field) == (rule, "home_unit")
    assert exc.value.message.startswith("Xã/phường nơi cư trú: ")


def test_setting_changing_and_clearing_is_audited(places, citizen):
    user = home_unit_set(user=citizen, actor=citizen, code="80.HD")
    assert user.home_unit == places["commune"]
    home_unit_set(user=citizen, actor=citizen, code="80.HD")  # unchanged: no event
    home_unit_set(user=citizen, actor=citizen, code="80.TN")
    user = home_unit_set(user=citizen, actor=citizen, code=None)
    assert user.home_unit is None
    events = list(AuditEvent.objects.filter(action="accounts.home_unit_set").order_by("id"))
    assert [(e.from_state, e.to_state) for e in events] == [("", "80.HD"), ("80.HD", "80.TN"), ("80.TN", "")]
    assert events[0].actor_label == "congdan" and events[0].data["to"] == "Xã Hưng Điền"


def test_a_refusal_changes_nothing_and_only_the_user_or_an_admin_may_set_it(places, citizen):
    home_unit_set(user=citizen, actor=citizen, code="80.HD")
    with pytest.raises(DomainError):
        home_unit_set(user=citizen, actor=citizen, code="80.STP")
    citizen.refresh_from_db()
    assert citizen.home_unit == places["commune"]
    someone = make_user(role=Role.CITIZEN, username="nguoikhac")
    with pytest.raises(ForbiddenError):
        home_unit_set(user=citizen, actor=someone, code="80.TN")
    admin = make_user(role=Role.SYSTEM_ADMIN, username="quantri")
    assert home_unit_set(user=citizen, actor=admin, code="80.TN").home_unit == places["ward"]
    assert AuditEvent.objects.filter(action="accounts.home_unit_set").count() == 2


def test_the_choices_are_searched_by_folded_name_and_province(places):
    assert [u.code for u in home_unit_choices(q="hung dien")] == ["80.HD"]  # not the old commune
    assert {u.code for u in home_unit_choices(province_code="80")} == {"80.HD", "80.TN"}
    assert [u.code for u in home_unit_choices()] == ["81.DK", "80.TN", "80.HD"]  # by province (Khác < Tây Ninh), then name


# ------------------------------------------------------------------------------------------ the page

def test_the_page_sets_the_home_commune_from_the_account(client, places, citizen):
    client.force_login(citizen)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Xã/phường nơi cư trú" in profile and "chưa chọn" in profile and reverse("units:home_unit") in profile
    page = client.get(reverse("units:home_unit"), {"q": "tan ninh"}).content.decode()
    assert 'value="80.TN"' in page and 'value="80.HD"' not in page
    response = client.post(reverse("units:home_unit"), {"home_unit": "80.TN"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    citizen.refresh_from_db()
    assert citizen.home_unit == places["ward"]
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Phường Tân Ninh, Tỉnh Tây Ninh" in profile
    assert client.get("/api/v1/me/").json()["home_unit"]["code"] == "80.TN"


def test_the_page_refuses_a_unit_that_is_not_a_commune_with_400(client, places, citizen):
    client.force_login(citizen)
    response = client.post(reverse("units:home_unit"), {"home_unit": "80.STP"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Xã/phường nơi cư trú" in body and "Sở Tư pháp" in body and "không phải xã, phường" in body
    citizen.refresh_from_db()
    assert citizen.home_unit is None
    assert not AuditEvent.objects.filter(action="accounts.home_unit_set").exists()


def test_the_page_clears_and_goes_back_only_to_a_local_page(client, places, citizen):
    client.force_login(citizen)
    response = client.post(reverse("units:home_unit"), {"home_unit": "80.HD", "next": "/dich-vu-cong/nop/1/"})
    assert response["Location"] == "/dich-vu-cong/nop/1/"
    response = client.post(reverse("units:home_unit"), {"clear": "1", "next": "https://evil.example/"})
    assert response["Location"] == reverse("accounts:profile")
    citizen.refresh_from_db()
    assert citizen.home_unit is None


def test_the_page_needs_a_login(client):
    response = client.get(reverse("units:home_unit"))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
