"""Shell pages seen by each role: the top bar and home page lead every role to what it needs, the user's
name opens their account, login offers registration, and the unit registry is for officials only."""

import pytest

from cchc.accounts.models import Role
from cchc.units.tests.factories import make_province, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def nav(html: str) -> str:
    return html[html.index('<nav class="mainnav"'):html.index("</nav>")]


def test_anonymous_visitors_get_public_links_and_no_staff_links(client):
    html = client.get("/").content.decode()
    links = nav(html)
    assert 'href="/thu-tuc/"' in links and 'href="/dich-vu-cong/"' in links and 'href="/lich/"' in links
    assert 'href="/chi-so/"' not in links and 'href="/mot-cua/"' not in links and 'href="/don-vi/"' not in links
    assert '<a class="card" href="/dich-vu-cong/">' in html and '<a class="card" href="/lich/">' in html


def test_citizens_reach_their_dossiers_from_the_top_bar_home_and_profile(client):
    client.force_login(make_user(role=Role.CITIZEN))
    home = client.get("/").content.decode()
    assert 'href="/dich-vu-cong/ho-so-cua-toi/"' in nav(home)
    assert '<a class="card" href="/dich-vu-cong/ho-so-cua-toi/">' in home
    assert 'href="/dich-vu-cong/ho-so-cua-toi/"' in client.get("/tai-khoan/").content.decode()
    assert 'href="/chi-so/"' not in nav(home)


@pytest.mark.parametrize("role", [Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.UNIT_HEAD, Role.PAR_OFFICE, Role.PROVINCE_LEADER])
def test_staff_reach_desk_index_survey_and_registry_from_the_top_bar(client, role):
    client.force_login(make_user(role=role, unit=make_unit(parent=make_province()), full_name="Cán Bộ Thử"))
    html = client.get("/").content.decode()
    links = nav(html)
    for href in ("/mot-cua/", "/chi-so/", "/chi-so/sipas/", "/don-vi/"):
        assert f'href="{href}"' in links
    assert 'class="me" href="/tai-khoan/"' in html and "Cán Bộ Thử" in html
    assert '<a class="card" href="/chi-so/sipas/">' in html


def test_the_current_section_is_marked_in_the_top_bar(client):
    html = client.get("/lich/").content.decode()
    assert '<a href="/lich/" aria-current="page">' in nav(html)
    assert 'href="/thu-tuc/" aria-current' not in nav(html)


def test_login_page_offers_registration_and_pages_send_back_after_login(client):
    login = client.get("/dang-nhap/").content.decode()
    assert 'href="/tai-khoan/dang-ky/"' in login
    assert 'href="/dang-nhap/?next=/lich/"' in client.get("/lich/").content.decode()


def test_a_skip_link_leads_to_the_main_content(client):
    html = client.get("/").content.decode()
    assert 'href="#noi-dung"' in html and 'id="noi-dung"' in html
