import pytest
from django.contrib.auth import authenticate

from cchc.accounts.backends import normalise_phone
from cchc.accounts.models import Role
from cchc.units.tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-9"


@pytest.mark.parametrize(
    "raw, normal",
    [("0912345678", "0912345678"), ("0912 345 678", "0912345678"), ("+84 912 345 678", "0912345678"),
     ("84912345678", "0912345678"), ("0912.345.678", "0912345678")],
)
def test_phone_numbers_are_normalised(raw, normal):
    assert normalise_phone(raw) == normal


@pytest.fixture
def citizen():
    return make_user(role=Role.CITIZEN, username="dan", phone="0912345678", email="dan@example.vn")


@pytest.mark.parametrize("ident", ["dan", "0912345678", "+84 912 345 678", "dan@example.vn", "DAN@Example.VN"])
def test_login_by_username_phone_or_email(citizen, ident):
    assert authenticate(username=ident, password=PASSWORD) == citizen


def test_wrong_password_or_unknown_identifier_fails(citizen):
    assert authenticate(username="0912345678", password="sai-mat-khau") is None
    assert authenticate(username="0999999999", password=PASSWORD) is None
    assert authenticate(username="ai@example.vn", password=PASSWORD) is None


def test_a_phone_shared_by_two_accounts_logs_nobody_in(citizen):
    make_user(role=Role.CITIZEN, username="dan2", phone="0912345678")
    assert authenticate(username="0912345678", password=PASSWORD) is None
    assert authenticate(username="dan", password=PASSWORD) == citizen


def test_inactive_users_cannot_log_in():
    make_user(role=Role.CITIZEN, username="khoa", is_active=False)
    assert authenticate(username="khoa", password=PASSWORD) is None


def test_login_page_accepts_the_phone_number(client, citizen):
    resp = client.post("/dang-nhap/", {"username": "0912 345 678", "password": PASSWORD})
    assert resp.status_code == 302
    assert client.get("/api/v1/me/").json()["username"] == "dan"
