import pytest

from cchc.accounts.models import Role
from cchc.units import reference
from cchc.units.models import UnitKind

from .factories import make_province, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    a = make_province("Tỉnh An", code="PA")
    dep = make_unit(parent=a, name="Sở Tư pháp An", code="PA-STP")
    make_unit(kind=UnitKind.COMMUNE, parent=a, name="Xã Hòa Bình", code="PA-X1")
    b = make_province("Tỉnh Bình", code="PB")
    make_unit(parent=b, name="Sở Tư pháp Bình", code="PB-STP")
    return {"a": a, "dep": dep}


def test_registry_page_lists_only_units_in_scope(client, tree):
    client.force_login(make_user(role=Role.PROVINCE_LEADER, unit=tree["dep"]))
    html = client.get("/don-vi/").content.decode()
    assert "Xã Hòa Bình" in html and "Sở Tư pháp An" in html and "Sở Tư pháp Bình" not in html


def test_registry_search_is_folded_and_htmx_returns_the_table_only(client, tree):
    client.force_login(make_user(role=Role.SYSTEM_ADMIN))
    resp = client.get("/don-vi/", {"q": "hoa binh"}, HTTP_HX_REQUEST="true")
    html = resp.content.decode()
    assert "Xã Hòa Bình" in html and "Sở Tư pháp" not in html and "<html" not in html


def test_unit_card_out_of_scope_is_404(client, tree):
    client.force_login(make_user(role=Role.SPECIALIST, unit=tree["dep"]))
    assert client.get("/don-vi/PA-STP/").status_code == 200
    assert client.get("/don-vi/PB-STP/").status_code == 404


def test_unit_card_shows_lineage_of_a_merged_province(client):
    reference.load()
    client.force_login(make_user(role=Role.SYSTEM_ADMIN))
    html = client.get("/don-vi/old-80/").content.decode()
    assert "Tỉnh Long An" in html and "Tỉnh Tây Ninh" in html and "30/06/2025" in html


def test_registry_requires_login(client):
    assert client.get("/don-vi/").status_code == 302


def test_registry_and_unit_card_are_forbidden_to_citizens_instead_of_an_empty_list(client, tree):
    client.force_login(make_user(role=Role.CITIZEN))
    assert client.get("/don-vi/").status_code == 403
    assert client.get("/don-vi/PA-STP/").status_code == 403


@pytest.mark.parametrize("query", ["?page=abc", "?page=-1", "?page=99999", "?kind=zzz", "?q=%25", "?q=%00"])
def test_registry_survives_odd_query_strings(client, tree, query):
    client.force_login(make_user(role=Role.SYSTEM_ADMIN))
    assert client.get("/don-vi/" + query).status_code == 200
