"""Throttles and the login limit count the real client: X-Forwarded-For only from trusted proxies; wrong
passwords per resolved account and address, with a slowdown instead of a lock-out for everyone else."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from cchc.core import loginlimit
from cchc.core.clientip import client_ip

rf = RequestFactory()


def _req(remote="203.0.113.7", xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return rf.get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_req(xff="1.2.3.4")) == "203.0.113.7"


def test_a_trusted_proxy_hands_over_the_nearest_untrusted_hop(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    # the client may write anything on the left; the proxy appended the real address on the right
    assert client_ip(_req("127.0.0.1", "6.6.6.6, 198.51.100.9, 10.0.0.5")) == "198.51.100.9"
    assert client_ip(_req("127.0.0.1", "198.51.100.9")) == "198.51.100.9"
    assert client_ip(_req("127.0.0.1", "không-phải-ip")) == "127.0.0.1"
    assert client_ip(_req("127.0.0.1")) == "127.0.0.1"
    assert client_ip(_req("203.0.113.7", "198.51.100.9")) == "203.0.113.7"  # not from a trusted proxy


def test_the_trusted_proxies_setting_reads_the_environment_shape(settings):
    settings.TRUSTED_PROXIES = " 127.0.0.1 , ::1"
    assert client_ip(_req("::1", "198.51.100.9")) == "198.51.100.9"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/procedures/?q=khai+sinh", "/api/v1/public/dossiers/H00-000000-0000/?token=X"])
def test_changing_x_forwarded_for_does_not_reset_the_public_api_count(client, settings, url):
    cache.clear()
    settings.TRUSTED_PROXIES = []
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public_lookup": "3/min"}}
    codes = [client.get(url, HTTP_X_FORWARDED_FOR=f"10.9.9.{i}").status_code for i in range(5)]
    assert codes[3:] == [429, 429] and 429 not in codes[:3]


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_has_its_own_count(client, settings):
    cache.clear()
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public_lookup": "2/min"}}
    url = "/api/v1/procedures/"
    a = [client.get(url, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code for _ in range(3)]
    b = client.get(url, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code
    assert a == [200, 200, 429] and b == 200


@pytest.mark.django_db
def test_changing_x_forwarded_for_does_not_reset_the_lookup_page_count(client, settings):
    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public_lookup": "2/min"}}
    codes = [client.get("/tra-cuu-ho-so/", {"code": "H00-000000-0000", "token": "X"},
                        HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code for i in range(4)]
    assert codes == [404, 404, 429, 429]


# ------------------------------------------------------------------ login limit

PHONE_SPELLINGS = [
    "0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "(0912) 345 678", "+84912345678",
    "+84 912 345 678", "84912345678", " 0912345678 ", "0912  345  678", "+84.912.345.678", "091 234 5678",
]


@pytest.fixture
def officer(db, settings):
    from cchc.accounts.models import Role, User

    cache.clear()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return User.objects.create_user(username="canbo.so", password="dung-mat-khau-1", role=Role.SPECIALIST, phone="0912345678")


@pytest.fixture
def delays(monkeypatch):
    slept = []
    monkeypatch.setattr(loginlimit, "_sleep", slept.append)
    return slept


def test_every_spelling_of_one_phone_is_one_account(officer):
    assert len({loginlimit.account_key(s) for s in [*PHONE_SPELLINGS, "canbo.so"]}) == 1
    assert loginlimit.account_key("0999 000 111") == loginlimit.account_key("+84999000111")  # unknown, still one
    assert loginlimit.account_key("") == ""


def test_twelve_spellings_share_the_limit_of_one_account_and_address(client, officer, delays):
    attacker = "198.51.100.66"
    codes = []
    for spelling in PHONE_SPELLINGS:
        codes += [client.post("/dang-nhap/", {"username": spelling, "password": "sai"}, REMOTE_ADDR=attacker).status_code
                  for _ in range(10)]
    assert codes[:10] == [200] * 10  # checked and refused as wrong
    assert set(codes[10:]) == {429}  # the other 110 attempts are not even checked
    thirteenth = client.post("/dang-nhap/", {"username": "+84-912-345-678", "password": "dung-mat-khau-1"}, REMOTE_ADDR=attacker)
    assert thirteenth.status_code == 429 and "_auth_user_id" not in client.session

    other = client.post("/dang-nhap/", {"username": "0912345678", "password": "dung-mat-khau-1"}, REMOTE_ADDR="203.0.113.10")
    assert other.status_code == 302 and client.session["_auth_user_id"] == str(officer.pk)
    assert delays == [0.5]  # slowed after 10 failures on the account, never locked out


def test_the_limit_starts_at_the_tenth_failure_exactly(client, officer, delays):
    for _ in range(9):
        client.post("/dang-nhap/", {"username": "canbo.so", "password": "sai"}, REMOTE_ADDR="198.51.100.1")
    ninth_ok = client.post("/dang-nhap/", {"username": "canbo.so", "password": "dung-mat-khau-1"}, REMOTE_ADDR="198.51.100.1")
    assert ninth_ok.status_code == 302 and delays == []
    client.logout()
    for _ in range(10):
        client.post("/dang-nhap/", {"username": "canbo.so", "password": "sai"}, REMOTE_ADDR="198.51.100.2")
    assert client.post("/dang-nhap/", {"username": "canbo.so", "password": "dung-mat-khau-1"},
                       REMOTE_ADDR="198.51.100.2").status_code == 429


def test_the_slowdown_grows_with_failures_and_is_capped(officer):
    attempt = loginlimit.LoginAttempt(rf.post("/dang-nhap/", {"username": "canbo.so"}, REMOTE_ADDR="198.51.100.3"))
    seen = []
    for _ in range(20):
        seen.append(attempt.delay_seconds())
        attempt.failed()
    assert seen[:10] == [0.0] * 10
    assert seen[10:14] == [0.5, 1.0, 1.5, 2.0] and max(seen) == loginlimit.SLOWDOWN_MAX_SECONDS


def test_one_address_spraying_many_accounts_is_refused_at_the_hundredth_failure(client, officer, delays):
    for i in range(loginlimit.FAILURES_PER_ADDRESS):
        assert client.post("/dang-nhap/", {"username": f"khong-co-{i}", "password": "sai"},
                           REMOTE_ADDR="198.51.100.77").status_code == 200
    assert client.post("/dang-nhap/", {"username": "canbo.so", "password": "dung-mat-khau-1"},
                       REMOTE_ADDR="198.51.100.77").status_code == 429
    assert client.post("/dang-nhap/", {"username": "canbo.so", "password": "dung-mat-khau-1"},
                       REMOTE_ADDR="198.51.100.78").status_code == 302


def test_a_forged_forwarded_header_does_not_give_a_fresh_address(client, officer, settings, delays):
    settings.TRUSTED_PROXIES = []
    for i in range(10):
        client.post("/dang-nhap/", {"username": "canbo.so", "password": "sai"}, REMOTE_ADDR="198.51.100.5",
                    HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
    assert client.post("/dang-nhap/", {"username": "canbo.so", "password": "dung-mat-khau-1"}, REMOTE_ADDR="198.51.100.5",
                       HTTP_X_FORWARDED_FOR="10.0.0.99").status_code == 429
