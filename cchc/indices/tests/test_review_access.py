"""Security review: a shared (national) criteria set can only be replaced by a system admin."""

from __future__ import annotations

import pytest

from cchc.accounts.models import Role
from cchc.core.errors import ForbiddenError
from cchc.core.models import AuditEvent
from cchc.indices import services
from cchc.indices.models import Criterion

from .factories import SMALL_TREE, par_office, province, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_set(db):
    return services.criteria_set_create(code="QG-THU", name="Bộ tiêu chí dùng chung", year=2025, target_group="department",
                                        rows=SMALL_TREE, owner=None, actor=None)


def test_a_par_office_cannot_replace_the_tree_of_a_shared_criteria_set(shared_set):
    office = par_office(province())
    before = list(Criterion.objects.filter(criteria_set=shared_set).values_list("code", "max_points"))
    events = AuditEvent.objects.count()
    with pytest.raises(ForbiddenError):
        services.criteria_set_replace_tree(criteria_set=shared_set, rows=SMALL_TREE[:3], actor=office)
    assert list(Criterion.objects.filter(criteria_set=shared_set).values_list("code", "max_points")) == before
    assert AuditEvent.objects.count() == events


def test_a_system_admin_and_the_system_itself_may_replace_a_shared_tree(shared_set):
    admin = user(Role.SYSTEM_ADMIN, None)
    services.criteria_set_replace_tree(criteria_set=shared_set, rows=SMALL_TREE[:3], actor=admin)
    assert Criterion.objects.filter(criteria_set=shared_set).count() == 3
    services.criteria_set_replace_tree(criteria_set=shared_set, rows=SMALL_TREE, actor=None)  # CLI / reference data
    assert Criterion.objects.filter(criteria_set=shared_set).count() == len(SMALL_TREE)
