"""Contract tests: the OIDC client against the local fake provider (code flow, PKCE, state, nonce, JWKS)."""

import urllib.parse

import pytest

from cchc.accounts.models import Role, User
from cchc.core.models import AuditEvent
from cchc.identity import fake
from cchc.identity.models import FakeAuthCode, OidcLink, VerifiedIdentity
from cchc.units.tests.factories import make_province, make_unit, make_user

pytestmark = pytest.mark.django_db


def _query(url):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def start(client, next_url=""):
    resp = client.get("/dang-nhap/dinh-danh/" + (f"?next={next_url}" if next_url else ""))
    assert resp.status_code == 302
    return resp["Location"]


def choose(client, authorize_url, identity="an"):
    """The citizen picks a demo identity at the fake's authorize page; returns the callback URL."""
    page = client.get(authorize_url)
    assert page.status_code == 200 and "Nguyễn Văn An" in page.content.decode()
    resp = client.post(urllib.parse.urlsplit(authorize_url).path, {**_query(authorize_url), "identity": identity})
    assert resp.status_code == 302
    return resp["Location"]


def login(client, identity="an"):
    return client.get(choose(client, start(client), identity))


def test_login_page_offers_the_national_identity_button(client):
    body = client.get("/dang-nhap/").content.decode()
    assert "Đăng nhập bằng tài khoản định danh điện tử (VNeID)" in body and "/dang-nhap/dinh-danh/" in body


def test_button_hidden_and_start_404_when_off(client, settings):
    settings.OIDC_MODE = "off"
    assert "VNeID" not in client.get("/dang-nhap/").content.decode()
    assert client.get("/dang-nhap/dinh-danh/").status_code == 404
    assert client.get("/dinh-danh-gia-lap/jwks.json").status_code == 404


def test_authorization_request_carries_state_nonce_and_pkce_s256(client):
    q = _query(start(client))
    assert q["response_type"] == "code" and q["code_challenge_method"] == "S256"
    assert len(q["state"]) >= 20 and len(q["nonce"]) >= 20 and len(q["code_challenge"]) == 43
    assert "openid" in q["scope"].split()
    assert q["redirect_uri"] == "http://testserver/dang-nhap/dinh-danh/ket-qua/"


def test_first_login_creates_one_citizen_account_linked_to_the_verified_number(client):
    resp = login(client)
    assert resp.status_code == 302 and resp["Location"] == "/tai-khoan/"
    user = User.objects.get(id_number="080090001234")
    assert user.role == Role.CITIZEN and not user.has_usable_password() and user.full_name == "Nguyễn Văn An"
    assert VerifiedIdentity.objects.get(user=user).id_number == "080090001234"
    assert OidcLink.objects.get(user=user).issuer == fake.issuer()
    assert AuditEvent.objects.filter(action="identity.oidc_link").count() == 1
    assert client.get("/tai-khoan/").status_code == 200


def test_second_login_reuses_the_account(client):
    login(client)
    client.post("/dang-xuat/")
    login(client)
    assert User.objects.filter(id_number="080090001234").count() == 1
    assert OidcLink.objects.count() == 1 and AuditEvent.objects.filter(action="identity.oidc_login").count() == 2


def test_existing_citizen_declaring_the_number_is_linked_not_duplicated(client):
    existing = make_user(role=Role.CITIZEN, id_number="080090001234", full_name="An tự đăng ký")
    login(client)
    assert User.objects.filter(id_number="080090001234").count() == 1
    assert OidcLink.objects.get().user == existing
    assert int(client.session["_auth_user_id"]) == existing.pk


def test_two_citizen_accounts_with_the_number_are_refused(client):
    make_user(role=Role.CITIZEN, id_number="080090001234")
    make_user(role=Role.CITIZEN, id_number="080090001234")
    resp = login(client)
    assert resp.status_code == 400 and "nhiều tài khoản" in resp.content.decode()
    assert OidcLink.objects.count() == 0 and "_auth_user_id" not in client.session


def test_staff_account_with_the_same_number_is_never_the_oidc_account(client):
    staff = make_user(role=Role.SPECIALIST, unit=make_unit(parent=make_province()), id_number="080090001234")
    login(client)
    user = User.objects.get(oidc_links__isnull=False)
    assert user != staff and user.role == Role.CITIZEN
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_linked_account_later_made_staff_cannot_log_in_by_oidc(client):
    login(client)
    user = User.objects.get(oidc_links__isnull=False)
    user.role, user.unit = Role.UNIT_HEAD, make_unit(parent=make_province())
    user.save()
    client.post("/dang-xuat/")
    resp = login(client)
    assert resp.status_code == 400 and "cán bộ" in resp.content.decode() and "_auth_user_id" not in client.session


def test_organisation_identity_makes_an_organisation_account(client):
    login(client, "dntanan")
    assert User.objects.get(id_number="1101234567").is_organisation is True


def test_next_is_followed_only_on_this_site(client):
    resp = client.get(choose(client, start(client, "/ho-so-cua-toi/")))
    assert resp["Location"] == "/ho-so-cua-toi/"
    client.post("/dang-xuat/")
    resp = client.get(choose(client, start(client, "https://evil.example/")))
    assert resp["Location"] == "/tai-khoan/"


def _assert_refused(resp, text):
    assert resp.status_code == 400, resp.status_code
    body = resp.content.decode()
    assert text in body and "Không có tài khoản nào được tạo" in body
    assert User.objects.count() == 0 and OidcLink.objects.count() == 0 and VerifiedIdentity.objects.count() == 0


@pytest.mark.parametrize("misbehave, text", [
    ({"tamper": True}, "Chữ ký"),
    ({"nonce": "not-the-sessions-nonce"}, "nonce"),
    ({"aud": "another-client"}, "(aud)"),
    ({"iss": "https://attacker.example"}, "(iss)"),
    ({"exp_offset": -61}, "hết hạn"),
])
def test_bad_id_tokens_are_refused_and_create_nothing(client, misbehave, text):
    fake.MISBEHAVE.update(misbehave)
    _assert_refused(login(client), text)


def test_token_expired_within_the_leeway_is_accepted(client):
    fake.MISBEHAVE["exp_offset"] = -30  # 30 s past exp, inside the 60 s clock-skew leeway
    assert login(client).status_code == 302


def test_token_signed_by_another_key_is_refused(client):
    from cchc.identity import client as oidc
    from cchc.identity.jose import JsonWebKey, jwt

    other = JsonWebKey.generate_key("RSA", 2048, is_private=True)
    kid = fake.signing_key().kid
    token = jwt.encode({"alg": "RS256", "kid": kid}, {"iss": fake.issuer(), "aud": fake.client_id(), "sub": "x",
                                                     "exp": 9999999999, "nonce": "n", "id_number": "080090001234"}, other).decode()
    with pytest.raises(oidc.LoginRefused) as exc:
        oidc.verify_id_token(oidc.provider(), token, nonce="n")
    assert exc.value.code == "bad_signature"


def test_hs256_token_with_the_public_key_as_secret_is_refused():
    """Algorithm confusion: only RS256 is accepted."""
    import base64
    import hashlib
    import hmac
    import json

    from cchc.identity import client as oidc

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    public_pem = fake.signing_key().as_pem(is_private=False)
    head = b64(json.dumps({"alg": "HS256", "kid": fake.signing_key().kid}).encode())
    body = b64(json.dumps({"iss": fake.issuer(), "aud": fake.client_id(), "sub": "x", "exp": 9999999999, "nonce": "n"}).encode())
    token = f"{head}.{body}." + b64(hmac.new(public_pem, f"{head}.{body}".encode(), hashlib.sha256).digest())
    with pytest.raises(oidc.LoginRefused):
        oidc.verify_id_token(oidc.provider(), token, nonce="n")


def test_replayed_code_is_refused(client):
    callback = choose(client, start(client))
    assert client.get(callback).status_code == 302
    client.post("/dang-xuat/")
    # the same callback again (state already spent): refused before the code is even tried
    resp = client.get(callback)
    assert resp.status_code == 400 and "state" in resp.content.decode()
    # replay the code with a fresh, valid state: the provider says invalid_grant
    fresh_state = _query(start(client))["state"]
    q = _query(callback)
    resp = client.get("/dang-nhap/dinh-danh/ket-qua/?" + urllib.parse.urlencode({"code": q["code"], "state": fresh_state}))
    assert resp.status_code == 400 and "đã được dùng" in resp.content.decode()
    assert User.objects.count() == 1


def test_wrong_state_is_refused(client):
    callback = choose(client, start(client))
    q = _query(callback)
    resp = client.get("/dang-nhap/dinh-danh/ket-qua/?" + urllib.parse.urlencode({"code": q["code"], "state": "forged"}))
    _assert_refused(resp, "state")


def test_code_from_another_browser_fails_pkce(client, django_user_model):
    from django.test import Client

    attacker = Client()
    callback = choose(client, start(client))  # victim's code
    attacker_state = _query(start(attacker))["state"]
    resp = attacker.get("/dang-nhap/dinh-danh/ket-qua/?" + urllib.parse.urlencode({"code": _query(callback)["code"], "state": attacker_state}))
    _assert_refused(resp, "mã uỷ quyền")


def test_token_endpoint_over_http(client):
    """The fake's HTTP endpoints speak the protocol (discovery, JWKS, token with client_secret_post)."""
    meta = client.get("/dinh-danh-gia-lap/.well-known/openid-configuration").json()
    assert meta["issuer"] == fake.issuer() and meta["token_endpoint"] == "http://testserver/dinh-danh-gia-lap/token/"
    keys = client.get("/dinh-danh-gia-lap/jwks.json").json()["keys"]
    assert keys[0]["kty"] == "RSA" and "d" not in keys[0]
    resp = client.post("/dinh-danh-gia-lap/token/", {"grant_type": "authorization_code", "code": "x", "client_id": fake.client_id(),
                                                     "client_secret": "wrong"})
    assert resp.status_code == 401 and resp.json()["error"] == "invalid_client"


def test_expired_code_is_refused(client):
    callback = choose(client, start(client))
    FakeAuthCode.objects.update(expires_at="2000-01-01T00:00:00Z")
    _assert_refused(client.get(callback), "mã uỷ quyền")


def test_concurrent_first_login_meets_the_unique_constraint(client, monkeypatch):
    """A rival first login committed between our lookup and our insert: we link to its account, no duplicate."""
    from cchc.identity import services

    rival = make_user(role=Role.CITIZEN, id_number="080090001234")
    real = services._existing
    calls = {"n": 0}

    def racing(issuer, subject, id_number):
        calls["n"] += 1
        if calls["n"] == 1:
            VerifiedIdentity.objects.create(user=rival, id_number=id_number, issuer=issuer, verified_at="2026-12-05T00:00:00Z")
            OidcLink.objects.create(issuer=issuer, subject=subject, user=rival)
            return None  # our first pass did not see them
        return real(issuer, subject, id_number)

    monkeypatch.setattr(services, "_existing", racing)
    assert login(client).status_code == 302
    assert calls["n"] == 2 and int(client.session["_auth_user_id"]) == rival.pk
    assert User.objects.filter(id_number="080090001234").count() == 1
