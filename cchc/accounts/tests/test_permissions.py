"""The permission matrix: role × unit relation × action, written out in full."""

import pytest

from cchc.accounts.models import Role
from cchc.accounts.permissions import can, filter_by_scope, in_scope
from cchc.units.models import Unit, UnitKind
from cchc.units.tests.factories import make_province, make_unit, make_user

pytestmark = pytest.mark.django_db

RELATIONS = ("own", "child", "same_province", "other_province")
ACTIONS = ("view", "process", "manage", "appraise", "admin")

# For each role and action: may the user act on a unit that is
#   own unit / a child of it / another unit in the same province / a unit in another province
# ("Y" = allowed, "." = denied). Every staff user's home unit is a department of province A.
EXPECTED = {
    Role.ONE_STOP_OFFICER: {"view": "Y...", "process": "Y...", "manage": "....", "appraise": "....", "admin": "...."},
    Role.SPECIALIST:       {"view": "Y...", "process": "Y...", "manage": "....", "appraise": "....", "admin": "...."},
    Role.UNIT_HEAD:        {"view": "YY..", "process": "YY..", "manage": "YY..", "appraise": "....", "admin": "...."},
    Role.PAR_OFFICE:       {"view": "YYY.", "process": "....", "manage": "YYY.", "appraise": "YYY.", "admin": "...."},
    Role.PROVINCE_LEADER:  {"view": "YYY.", "process": "....", "manage": "....", "appraise": "....", "admin": "...."},
    Role.SYSTEM_ADMIN:     {"view": "YYYY", "process": "YYYY", "manage": "YYYY", "appraise": "YYYY", "admin": "YYYY"},
    Role.CITIZEN:          {"view": "....", "process": "....", "manage": "....", "appraise": "....", "admin": "...."},
}


@pytest.fixture
def units():
    a = make_province("Tỉnh A")
    home = make_unit(parent=a, name="Sở Tư pháp A")
    return {
        "home": home,
        "own": home,
        "child": make_unit(kind=UnitKind.PUBLIC_SERVICE_UNIT, parent=home, name="Trung tâm thuộc Sở"),
        "same_province": make_unit(parent=a, name="Sở Y tế A"),
        "other_province": make_unit(parent=make_province("Tỉnh B"), name="Sở Tư pháp B"),
    }


def test_the_expected_table_covers_every_role_and_action():
    assert set(EXPECTED) == set(Role)
    assert all(set(row) == set(ACTIONS) for row in EXPECTED.values())


@pytest.mark.parametrize("role", list(Role))
def test_permission_matrix(units, role):
    user = make_user(role=role, unit=None if role == Role.CITIZEN else units["home"])
    got = {
        action: "".join("Y" if can(user, action, units[rel]) else "." for rel in RELATIONS) for action in ACTIONS
    }
    assert got == EXPECTED[role]


@pytest.mark.parametrize("role", list(Role))
def test_list_filtering_agrees_with_in_scope(units, role):
    user = make_user(role=role, unit=None if role == Role.CITIZEN else units["home"])
    listed = set(filter_by_scope(Unit.objects.all(), user, None))
    assert listed == {u for u in Unit.objects.all() if in_scope(user, u)}


def test_grandchildren_are_in_a_unit_heads_scope(units):
    grandchild = make_unit(parent=units["child"], name="Tổ thuộc Trung tâm")
    head = make_user(role=Role.UNIT_HEAD, unit=units["home"])
    assert can(head, "manage", grandchild)


def test_unknown_actions_inactive_and_anonymous_users_are_denied(units):
    from django.contrib.auth.models import AnonymousUser

    admin = make_user(role=Role.SYSTEM_ADMIN)
    assert not can(admin, "delete_everything", units["own"])
    inactive = make_user(role=Role.PAR_OFFICE, unit=units["home"], is_active=False)
    assert not can(inactive, "view", units["own"])
    assert not can(AnonymousUser(), "view", units["own"])
    assert filter_by_scope(Unit.objects.all(), AnonymousUser(), None).count() == 0


def test_staff_without_a_unit_see_nothing(units):
    lost = make_user(role=Role.SPECIALIST, unit=None)
    assert filter_by_scope(Unit.objects.all(), lost, None).count() == 0
    assert not can(lost, "process", units["own"])


def test_superuser_flag_acts_as_system_admin(units):
    boss = make_user(role=Role.CITIZEN, is_superuser=True)
    assert can(boss, "admin", units["other_province"])
