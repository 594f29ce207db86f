"""The main menu marks exactly one entry as the current page (aria-current), the most specific one."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path, label", [
    ("/dich-vu-cong/", "Dịch vụ công"),
    ("/dich-vu-cong/ho-so-cua-toi/", "Hồ sơ của tôi"),
    ("/dich-vu-cong/phi-le-phi/", "Phí, lệ phí"),
    ("/dich-vu-cong/buu-gui/", "Bưu gửi"),
])
def test_a_citizen_page_marks_its_own_menu_entry_and_only_it(client, settings, path, label):
    from cchc.accounts.models import Role, User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(User.objects.create_user(username="congdan.nav", password="x", role=Role.CITIZEN))
    html = client.get(path).content.decode()
    nav = html.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', nav)
    assert current == [label]


def _staff_nav(client, settings, path, role, unit_kind="department"):
    from cchc.accounts.models import User
    from cchc.units.models import Unit

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    province = Unit.objects.create(code="NAVP", name="Tỉnh Thử", kind="province")
    unit = Unit.objects.create(code="NAVU", name="Đơn vị thử", kind=unit_kind, parent=province)
    client.force_login(User.objects.create_user(username=f"nav.{role}", password="x", role=role, unit=unit))
    response = client.get(path, follow=True)
    assert response.status_code == 200, (path, response.status_code, response.get("Location"))
    html = response.content.decode()
    return html.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize("path, label, group", [
    ("/mot-cua/", "Hồ sơ một cửa", "Một cửa"),
    ("/mot-cua/buu-gui/", "Trả kết quả qua bưu chính", "Một cửa"),   # longer prefix wins over /mot-cua/
    ("/chi-so/", "Chỉ số CCHC", "Chỉ số"),
    ("/chi-so/sipas/", "Khảo sát SIPAS", "Chỉ số"),                  # not also "Chỉ số CCHC"
    ("/phan-anh/", "Phản ánh, kiến nghị", "Chương trình CCHC"),
    ("/doi-thoai/", "Phản ánh, kiến nghị", "Chương trình CCHC"),     # dialogues belong to feedback
    ("/phan-anh/cong-khai/", "Trả lời phản ánh", "Tra cứu"),
])
def test_a_staff_page_marks_one_entry_and_opens_its_group_label(client, settings, path, label, group):
    nav = _staff_nav(client, settings, path, "par_office")
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', nav)
    assert current == [label]
    assert re.findall(r'<summary class="current">([^<]+)</summary>', nav) == [group]


def test_the_staff_bar_holds_few_top_level_items_and_every_page_in_a_group(client, settings):
    nav = _staff_nav(client, settings, "/don-vi/", "par_office")
    top = re.findall(r"<summary[^>]*>([^<]+)</summary>", nav) + re.findall(r'^\s*<a href="[^"]+"[^>]*>([^<]+)</a>', nav, re.M)
    assert len(top) <= 6, top
    for href in ("/khen-thuong/", "/dong-bo-cong-dvc/", "/bao-cao-cchc/", "/chi-so-766/", "/cong-khai/", "/lich/"):
        assert f'href="{href}"' in nav


def test_entries_follow_the_role(client, settings):
    officer = _staff_nav(client, settings, "/mot-cua/", "one_stop_officer")
    for hidden in ("/kiem-tra/", "/bao-cao-cchc/", "/chi-so-766/", "/khen-thuong/", "/dong-bo-cong-dvc/"):
        assert f'href="{hidden}"' not in officer
    assert 'href="/quay/"' in officer


def test_a_group_with_one_visible_entry_is_a_plain_link():
    from types import SimpleNamespace

    from cchc.core import nav

    user = SimpleNamespace(is_authenticated=True, is_staff_member=True, is_superuser=False, role="specialist",
                           unit_id=None)
    menu = nav.menu_for(user, "/chi-so/")
    labels = [m["label"] for m in menu]
    assert "Chỉ số" in labels  # Chỉ số CCHC and SIPAS: a group
    one_stop = next(m for m in menu if m["label"] in ("Một cửa", "Hồ sơ một cửa"))
    assert one_stop["group"] and [e["href"] for e in one_stop["entries"]] == ["/mot-cua/", "/mot-cua/buu-gui/"]
