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
