import json

import pytest
from rest_framework.authtoken.models import Token

from cchc.accounts.models import Role, User
from cchc.cli import main
from cchc.units import reference
from cchc.units.tests.factories import make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_setup(monkeypatch):
    monkeypatch.setattr("cchc.core.setup.ensure_ready", lambda stdout=None: reference.load())


def run(capsys, *argv):
    code = main(["users", *argv])
    return code, capsys.readouterr()


def test_token_is_created_once_and_printed_as_json(capsys):
    make_user(role=Role.CITIZEN, username="an")
    code, out = run(capsys, "token", "an", "--json")
    assert code == 0
    data = json.loads(out.out)
    assert data == {"username": "an", "token": Token.objects.get(user__username="an").key}
    code, out = run(capsys, "token", "an", "--json")
    assert json.loads(out.out)["token"] == data["token"]
    assert Token.objects.count() == 1


def test_token_without_json_prints_only_the_key(capsys):
    make_user(role=Role.CITIZEN, username="binh")
    code, out = run(capsys, "token", "binh")
    assert code == 0 and out.out.strip() == Token.objects.get(user__username="binh").key


def test_token_authenticates_api_calls(capsys, api_client):
    make_user(role=Role.CITIZEN, username="chi")
    run(capsys, "token", "chi", "--json")
    key = Token.objects.get(user__username="chi").key
    resp = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert resp.status_code == 200 and resp.json()["username"] == "chi"


def test_token_for_an_unknown_user_exits_2(capsys):
    code, out = run(capsys, "token", "khong-co", "--json")
    assert code == 2 and out.err.startswith("lỗi:") and out.out == ""


def test_create_staff_user_in_a_unit(capsys):
    unit = make_unit(code="STP-X")
    code, out = run(capsys, "create", "cv1", "--role", "specialist", "--unit", "STP-X", "--password", "abc12345xyz", "--json")
    assert code == 0
    assert json.loads(out.out) == {"username": "cv1", "role": "specialist", "unit": "STP-X", "has_password": True}
    user = User.objects.get(username="cv1")
    assert user.unit == unit and user.check_password("abc12345xyz")


def test_create_accepts_the_vietnamese_role_label(capsys):
    make_unit(code="STP-Y")
    code, _ = run(capsys, "create", "gd1", "--role", "Người đứng đầu đơn vị", "--unit", "STP-Y")
    assert code == 0 and User.objects.get(username="gd1").role == Role.UNIT_HEAD


@pytest.mark.parametrize(
    "argv",
    [
        ["create", "x1", "--role", "boss", "--unit", "STP-Z"],
        ["create", "x2", "--role", "specialist"],
        ["create", "x3", "--role", "specialist", "--unit", "KHONG-CO"],
        ["create", "x4", "--role", "citizen", "--unit", "STP-Z"],
        ["create", "dup", "--role", "specialist", "--unit", "STP-Z"],
    ],
)
def test_create_rejects_bad_input_with_exit_2(capsys, argv):
    make_unit(code="STP-Z")
    make_user(role=Role.CITIZEN, username="dup")
    code, out = run(capsys, *argv)
    assert code == 2 and out.err.startswith("lỗi:")
    assert not User.objects.filter(username=argv[1]).exclude(username="dup").exists()
