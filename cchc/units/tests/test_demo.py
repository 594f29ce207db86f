import pytest

from cchc.accounts import demo as accounts_demo
from cchc.accounts.models import Role, User
from cchc.units import demo
from cchc.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def build():
    ctx = {"logins": []}
    demo.build(ctx)
    accounts_demo.build(ctx)
    return ctx


def test_demo_province_is_the_new_tay_ninh_with_its_agencies_and_96_communes():
    ctx = build()
    province = ctx["province"]
    assert province.code == "80" and province.kind == UnitKind.PROVINCE
    assert len(ctx["departments"]) >= 15 and ctx["departments"]["noivu"].kind == UnitKind.DEPARTMENT
    assert ctx["service_centre"].kind == UnitKind.SERVICE_CENTRE
    assert len(ctx["communes"]) == 96
    assert sum(c.kind == UnitKind.WARD for c in ctx["communes"]) == 14
    assert all(d.kind == UnitKind.ONE_STOP_DESK and d.parent == c for c, d in zip(ctx["communes"], ctx["desks"], strict=True))
    assert all(u.province_id == province.pk for u in ctx["desks"])
    agency_ids = [u.agency_id for u in Unit.objects.filter(province=province)]
    assert len(agency_ids) == len(set(agency_ids)) and all(a.startswith("H80.") for a in agency_ids)


def test_demo_has_a_user_for_every_role_and_prints_their_logins():
    ctx = build()
    roles = {u.role for u in ctx["users"].values()}
    assert roles == set(Role)
    assert ctx["users"]["admin"].is_superuser
    assert ctx["users"]["noivu"].unit == ctx["departments"]["noivu"]
    assert ctx["users"]["congdan"].phone
    login = next(x for x in ctx["logins"] if x["username"] == "giamdoc.tuphap")
    assert login["role"] == "Người đứng đầu đơn vị" and login["unit"] == "Sở Tư pháp tỉnh Tây Ninh"
    assert User.objects.get(username="motcua.tanninh").unit.kind == UnitKind.ONE_STOP_DESK


def test_running_the_demo_twice_duplicates_nothing_and_keeps_changed_passwords():
    build()
    units, users = Unit.objects.count(), User.objects.count()
    user = User.objects.get(username="noivu")
    user.set_password("mat-khau-moi-123")
    user.save()
    build()
    assert (Unit.objects.count(), User.objects.count()) == (units, users)
    assert User.objects.get(username="noivu").check_password("mat-khau-moi-123")
