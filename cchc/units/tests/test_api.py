import pytest

from cchc.accounts.models import Role
from cchc.units.models import UnitKind

from .factories import make_province, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    a = make_province("Tỉnh An", code="PA")
    dep = make_unit(parent=a, name="Sở Tư pháp An", code="PA-STP")
    child = make_unit(kind=UnitKind.PUBLIC_SERVICE_UNIT, parent=dep, name="Trung tâm Trợ giúp pháp lý", code="PA-TG")
    other = make_unit(parent=a, name="Sở Y tế An", code="PA-SYT")
    commune = make_unit(kind=UnitKind.COMMUNE, parent=a, name="Xã Hòa Bình", code="PA-X1")
    b = make_province("Tỉnh Bình", code="PB")
    far = make_unit(parent=b, name="Sở Tư pháp Bình", code="PB-STP")
    return dict(a=a, dep=dep, child=child, other=other, commune=commune, b=b, far=far)


def listed(api_client, user, **params):
    api_client.force_authenticate(user)
    resp = api_client.get("/api/v1/units/", params)
    assert resp.status_code == 200, resp.content
    return {row["code"] for row in resp.json()["results"]}


@pytest.mark.parametrize(
    "role, expected",
    [
        (Role.SPECIALIST, {"PA-STP"}),
        (Role.ONE_STOP_OFFICER, {"PA-STP"}),
        (Role.UNIT_HEAD, {"PA-STP", "PA-TG"}),
        (Role.PAR_OFFICE, {"PA", "PA-STP", "PA-TG", "PA-SYT", "PA-X1"}),
        (Role.PROVINCE_LEADER, {"PA", "PA-STP", "PA-TG", "PA-SYT", "PA-X1"}),
        (Role.SYSTEM_ADMIN, {"PA", "PA-STP", "PA-TG", "PA-SYT", "PA-X1", "PB", "PB-STP"}),
        (Role.CITIZEN, set()),
    ],
)
def test_list_shows_only_what_you_may_see(api_client, tree, role, expected):
    user = make_user(role=role, unit=None if role == Role.CITIZEN else tree["dep"])
    assert listed(api_client, user) == expected


def test_list_requires_authentication(api_client, tree):
    assert api_client.get("/api/v1/units/").status_code in (401, 403)


def test_list_filters_by_kind_province_and_folded_text(api_client, tree):
    admin = make_user(role=Role.SYSTEM_ADMIN)
    assert listed(api_client, admin, kind="commune") == {"PA-X1"}
    assert listed(api_client, admin, kind="commune,province") == {"PA-X1", "PA", "PB"}
    assert listed(api_client, admin, province="PB") == {"PB", "PB-STP"}
    assert listed(api_client, admin, q="tu phap") == {"PA-STP", "PB-STP"}
    assert listed(api_client, admin, q="hoa binh") == {"PA-X1"}
    assert listed(api_client, admin, province="Tỉnh Không Có") == set()


def test_filters_never_widen_the_scope(api_client, tree):
    leader = make_user(role=Role.PROVINCE_LEADER, unit=tree["dep"])
    assert listed(api_client, leader, province="PB") == set()


def test_detail_of_a_unit_out_of_scope_is_404(api_client, tree):
    user = make_user(role=Role.SPECIALIST, unit=tree["dep"])
    api_client.force_authenticate(user)
    assert api_client.get("/api/v1/units/PA-STP/").status_code == 200
    resp = api_client.get("/api/v1/units/PB-STP/")
    assert resp.status_code == 404 and resp.json()["code"] == "unit_not_found"


def test_unit_rows_carry_province_and_successors(api_client, tree):
    admin = make_user(role=Role.SYSTEM_ADMIN)
    api_client.force_authenticate(admin)
    row = api_client.get("/api/v1/units/PA-TG/").json()
    assert row["province"]["code"] == "PA" and row["parent"]["code"] == "PA-STP"
    assert row["successors"] == [] and row["kind_label"]
