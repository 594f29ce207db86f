"""Django admin is for system administrators only; is_staff plays no part."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from cchc.accounts.models import Role
from cchc.units.tests.factories import make_province, make_unit, make_user

pytestmark = pytest.mark.django_db

OTHER_ROLES = [r for r in Role if r != Role.SYSTEM_ADMIN]


@pytest.fixture
def unit():
    return make_unit(parent=make_province())


@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize("is_staff", [False, True])
def test_every_other_role_is_turned_away_even_with_is_staff(client, unit, role, is_staff):
    user = make_user(role=role, unit=None if role == Role.CITIZEN else unit, is_staff=is_staff)
    client.force_login(user)
    for path in ("/quan-tri-he-thong/", "/quan-tri-he-thong/units/unit/", "/quan-tri-he-thong/accounts/user/"):
        assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_admin_site_refuses_other_roles_even_without_the_middleware(unit, role):
    user = make_user(role=role, unit=None if role == Role.CITIZEN else unit, is_staff=True)
    request = RequestFactory().get("/quan-tri-he-thong/")
    request.user = user
    assert admin.site.has_permission(request) is False


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    resp = client.get("/quan-tri-he-thong/")
    assert resp.status_code == 302 and resp["Location"].startswith("/dang-nhap/")


def test_system_admin_role_enters_without_is_staff_and_sees_units_and_users(client):
    user = make_user(role=Role.SYSTEM_ADMIN, is_staff=False)
    client.force_login(user)
    assert client.get("/quan-tri-he-thong/").status_code == 200
    assert client.get("/quan-tri-he-thong/units/unit/").status_code == 200
    assert client.get("/quan-tri-he-thong/accounts/user/").status_code == 200


def test_superuser_enters(client):
    client.force_login(make_user(role=Role.CITIZEN, is_superuser=True))
    assert client.get("/quan-tri-he-thong/units/unit/").status_code == 200


def test_inactive_system_admin_is_refused():
    user = make_user(role=Role.SYSTEM_ADMIN, is_active=False)
    request = RequestFactory().get("/quan-tri-he-thong/")
    request.user = user
    assert admin.site.has_permission(request) is False
