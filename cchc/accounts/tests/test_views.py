import pytest

from cchc.accounts.models import Role, User
from cchc.units.tests.factories import make_province, make_unit, make_user

pytestmark = pytest.mark.django_db

FORM = {"full_name": "Nguyễn Thị Hoa", "phone": "0901 234 567", "email": "", "password": "hoa-sen-2025",
        "password2": "hoa-sen-2025"}


def test_registration_page_renders(client):
    resp = client.get("/tai-khoan/dang-ky/")
    assert resp.status_code == 200 and "Đăng ký tài khoản" in resp.content.decode()


def test_citizen_registers_with_a_phone_and_is_logged_in(client):
    resp = client.post("/tai-khoan/dang-ky/", FORM)
    assert resp.status_code == 302 and resp["Location"] == "/tai-khoan/"
    user = User.objects.get(phone="0901234567")
    assert user.role == Role.CITIZEN and user.unit is None and user.username == "0901234567"
    assert client.get("/tai-khoan/").status_code == 200
    client.logout()
    assert client.login(username="0901234567", password="hoa-sen-2025")


def test_citizen_registers_with_an_email_only(client):
    resp = client.post("/tai-khoan/dang-ky/", {**FORM, "phone": "", "email": "Hoa@Example.vn"})
    assert resp.status_code == 302
    assert User.objects.get(email="hoa@example.vn").username == "hoa@example.vn"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"phone": "", "email": ""}, "Cần số điện thoại hoặc e-mail"),
        ({"phone": "12345"}, "Số điện thoại không hợp lệ"),
        ({"email": "khong-phai-email"}, "e-mail không hợp lệ"),
        ({"password": "123", "password2": "123"}, "Mật khẩu chưa đủ mạnh"),
        ({"password2": "khac-nhau-123"}, "không khớp"),
        ({"full_name": "  "}, "họ tên"),
    ],
)
def test_registration_errors_are_shown_and_nothing_is_created(client, change, message):
    resp = client.post("/tai-khoan/dang-ky/", {**FORM, **change})
    assert resp.status_code == 400
    assert message in resp.content.decode()
    assert User.objects.count() == 0


def test_a_phone_already_used_cannot_register_again(client):
    make_user(role=Role.CITIZEN, username="cu", phone="0901234567")
    resp = client.post("/tai-khoan/dang-ky/", FORM)
    assert resp.status_code == 400 and "đã được dùng" in resp.content.decode()


def test_profile_requires_login(client):
    resp = client.get("/tai-khoan/")
    assert resp.status_code == 302 and resp["Location"].startswith("/dang-nhap/")


def test_staff_profile_shows_role_unit_and_scope(client):
    unit = make_unit(parent=make_province("Tỉnh Thử"), name="Sở Tư pháp Thử")
    client.force_login(make_user(role=Role.UNIT_HEAD, unit=unit))
    html = client.get("/tai-khoan/").content.decode()
    assert "Người đứng đầu đơn vị" in html and "Sở Tư pháp Thử và các đơn vị trực thuộc" in html


def test_profile_edit_updates_contact_details(client):
    user = make_user(role=Role.CITIZEN, username="sua", phone="0911111111")
    client.force_login(user)
    resp = client.post("/tai-khoan/", {"full_name": "Lê Văn Sửa", "phone": "0922222222", "email": "sua@example.vn"})
    assert resp.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.phone, user.email) == ("Lê Văn Sửa", "0922222222", "sua@example.vn")


def cards(client) -> str:
    html = client.get("/").content.decode()
    return html[html.index('<div class="cards">'):]


ONE_STOP_CARD = '<a class="card" href="/mot-cua/">'
INDEX_CARD = '<a class="card" href="/chi-so/">'
ADMIN_CARD = '<a class="card" href="/quan-tri-he-thong/">'


def test_home_shows_role_appropriate_links(client):
    html = cards(client)
    assert "/tai-khoan/dang-ky/" in html and ONE_STOP_CARD not in html and INDEX_CARD not in html
    unit = make_unit(parent=make_province())
    client.force_login(make_user(role=Role.PROVINCE_LEADER, unit=unit))
    html = cards(client)
    assert INDEX_CARD in html and ONE_STOP_CARD not in html and ADMIN_CARD not in html
    client.force_login(make_user(role=Role.ONE_STOP_OFFICER, unit=unit))
    assert ONE_STOP_CARD in cards(client)
    client.force_login(make_user(role=Role.SYSTEM_ADMIN))
    assert ADMIN_CARD in cards(client)
    client.force_login(make_user(role=Role.CITIZEN))
    html = cards(client)
    assert "/tai-khoan/" in html and ONE_STOP_CARD not in html and "/tai-khoan/dang-ky/" not in html
