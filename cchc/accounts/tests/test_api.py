import pytest

from cchc.accounts.models import Role
from cchc.units.models import UnitKind
from cchc.units.tests.factories import make_province, make_unit, make_user

pytestmark = pytest.mark.django_db


def test_me_requires_authentication(api_client):
    assert api_client.get("/api/v1/me/").status_code in (401, 403)


def test_me_shows_role_unit_province_and_scope(api_client):
    prov = make_province("Tỉnh Thử", code="PT")
    dep = make_unit(parent=prov, name="Sở Nội vụ", code="PT-SNV")
    user = make_user(role=Role.PAR_OFFICE, unit=dep, full_name="Trần Văn Nội")
    api_client.force_authenticate(user)
    data = api_client.get("/api/v1/me/").json()
    assert data["username"] == user.username and data["full_name"] == "Trần Văn Nội"
    assert data["role"] == "par_office" and data["role_label"] == "Cơ quan thường trực CCHC (Sở Nội vụ)"
    assert data["unit"]["code"] == "PT-SNV" and data["province"]["code"] == "PT"
    assert data["scope"]["kind"] == "province" and data["scope"]["unit"]["code"] == "PT"
    assert data["can"] == {"view": True, "process": False, "manage": True, "appraise": True, "admin": False}


@pytest.mark.parametrize(
    "role, scope",
    [(Role.SPECIALIST, "unit"), (Role.ONE_STOP_OFFICER, "unit"), (Role.UNIT_HEAD, "subtree"),
     (Role.PROVINCE_LEADER, "province"), (Role.SYSTEM_ADMIN, "all"), (Role.CITIZEN, "none")],
)
def test_me_scope_kind_follows_the_role(api_client, role, scope):
    unit = make_unit(kind=UnitKind.COMMUNE, parent=make_province())
    user = make_user(role=role, unit=None if role == Role.CITIZEN else unit)
    api_client.force_authenticate(user)
    assert api_client.get("/api/v1/me/").json()["scope"]["kind"] == scope
