"""Nhà cung cấp định danh giả lập: a local OpenID Connect provider for tests and the demo (never in production).

It speaks the same protocol as a real provider (OpenID Connect Core 1.0, authorization code flow, RFC 7636 PKCE
S256, ID token signed RS256 with the key published in the JWKS): discovery document, JWKS, an authorize page
that lists demo identities to choose from, and a token endpoint. The signing key is generated once and kept in
the database (FakeSigningKey). The client (client.py) talks to it in-process (LocalFakeTransport) so a single
worker never waits on itself; its pages are also served over HTTP under /dinh-danh-gia-lap/.

`MISBEHAVE` lets contract tests make the fake sign bad tokens (wrong audience, expired, wrong nonce, bad
signature): the client must refuse each.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .jose import JsonWebKey, jwt
from .models import FakeAuthCode, FakeSigningKey

BASE_PATH = "/dinh-danh-gia-lap/"
CODE_TTL = timedelta(minutes=2)
TOKEN_TTL_SECONDS = 300

# Demo identities (giả lập, not real people): key → claims. Numbers follow the 12-digit personal ID format
# (Decree 137/2015/ND-CP art. 7: province code 3 digits, sex/century 1, birth year 2, random 6).
DEMO_IDENTITIES = {
    "an": {"name": "Nguyễn Văn An", "id_number": "080090001234", "birthdate": "1990-03-14", "phone_number": "0912000111",
           "account_type": "citizen"},
    "binh": {"name": "Trần Thị Bình", "id_number": "080185004321", "birthdate": "1985-11-02", "phone_number": "0912000222",
             "account_type": "citizen"},
    "cuong": {"name": "Lê Minh Cường", "id_number": "080072009876", "birthdate": "1972-06-30", "phone_number": "",
              "account_type": "citizen"},
    "dntanan": {"name": "Công ty TNHH Thương mại Tân An", "id_number": "1101234567", "birthdate": "",
                "phone_number": "", "account_type": "organisation"},
}

MISBEHAVE: dict = {}  # contract tests only: {"aud": "...", "exp_offset": -10, "nonce": "...", "tamper": True, "iss": "..."}


def issuer() -> str:
    return settings.OIDC_FAKE_ISSUER


def client_id() -> str:
    return "cchc-demo"


def client_secret() -> str:
    return hashlib.sha256(("fake-oidc:" + settings.SECRET_KEY).encode()).hexdigest()[:32]


def _subject(key: str) -> str:
    """A stable pairwise-looking subject per demo identity (not the ID number, as real providers do)."""
    return "fake-" + hashlib.sha256(("sub:" + key).encode()).hexdigest()[:20]


def signing_key():
    """The provider's RSA key (created at first use, kept in the database; race-safe)."""
    row = FakeSigningKey.objects.order_by("id").first()
    if row is None:
        key = JsonWebKey.generate_key("RSA", 2048, is_private=True)
        pem = key.as_pem(is_private=True).decode()
        kid = key.thumbprint()
        try:
            with transaction.atomic():
                FakeSigningKey.objects.create(kid=kid, private_pem=pem)
        except IntegrityError:
            pass
        row = FakeSigningKey.objects.order_by("id").first()
    key = JsonWebKey.import_key(row.private_pem, {"kty": "RSA", "kid": row.kid, "use": "sig", "alg": "RS256"})
    return key


def jwks() -> dict:
    key = signing_key()
    public = key.as_dict(is_private=False)
    public.update({"kid": key.kid or key.thumbprint(), "use": "sig", "alg": "RS256"})
    return {"keys": [public]}


def discovery(base_url: str = "") -> dict:
    """The discovery document (OpenID Connect Discovery 1.0 §3); endpoints absolute when base_url is given."""
    return {
        "issuer": issuer(),
        "authorization_endpoint": f"{base_url}{BASE_PATH}uy-quyen/",
        "token_endpoint": f"{base_url}{BASE_PATH}token/",
        "jwks_uri": f"{base_url}{BASE_PATH}jwks.json",
        "response_types_supported": ["code"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_post"],
        "scopes_supported": ["openid", "profile"],
        "claims_supported": ["sub", "name", "birthdate", "phone_number", "id_number", "account_type"],
    }


class AuthorizeError(Exception):
    def __init__(self, error: str, description: str):
        super().__init__(description)
        self.error, self.description = error, description


def authorize_check(params) -> dict:
    """Check an authorization request (RFC 6749 §4.1.1 + PKCE); returns the cleaned request."""
    if params.get("response_type") != "code":
        raise AuthorizeError("unsupported_response_type", "response_type phải là code.")
    if params.get("client_id") != client_id():
        raise AuthorizeError("unauthorized_client", "client_id không được đăng ký.")
    if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
        raise AuthorizeError("invalid_request", "Thiếu PKCE (code_challenge, phương thức S256).")
    if "openid" not in (params.get("scope") or "").split():
        raise AuthorizeError("invalid_scope", "Phạm vi phải có openid.")
    if not params.get("redirect_uri") or not params.get("state"):
        raise AuthorizeError("invalid_request", "Thiếu redirect_uri hoặc state.")
    return {k: params.get(k, "") for k in ("client_id", "redirect_uri", "state", "nonce", "code_challenge", "scope")}


def authorize_grant(request_params: dict, identity_key: str) -> str:
    """The citizen chose a demo identity: issue a one-time authorization code."""
    if identity_key not in DEMO_IDENTITIES:
        raise AuthorizeError("access_denied", "Danh tính không có trong danh sách giả lập.")
    code = secrets.token_urlsafe(32)
    FakeAuthCode.objects.create(
        code=code, client_id=request_params["client_id"], redirect_uri=request_params["redirect_uri"],
        nonce=request_params.get("nonce", ""), code_challenge=request_params["code_challenge"],
        identity_key=identity_key, expires_at=timezone.now() + CODE_TTL,
    )
    return code


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class TokenError(Exception):
    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


def token_exchange(form) -> dict:
    """Token endpoint (RFC 6749 §4.1.3, RFC 7636 §4.6): a code is spent once; a replay is invalid_grant."""
    if form.get("grant_type") != "authorization_code":
        raise TokenError("unsupported_grant_type", "grant_type phải là authorization_code.")
    if form.get("client_id") != client_id() or not secrets.compare_digest(form.get("client_secret", ""), client_secret()):
        raise TokenError("invalid_client", "Xác thực ứng dụng khách thất bại.", status=401)
    with transaction.atomic():
        row = FakeAuthCode.objects.select_for_update().filter(code=form.get("code", "")).first()
        if row is None or row.used_at is not None or row.expires_at <= timezone.now():
            raise TokenError("invalid_grant", "Mã uỷ quyền không hợp lệ, đã hết hạn hoặc đã được dùng.")
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
    if row.redirect_uri != form.get("redirect_uri") or row.client_id != form.get("client_id"):
        raise TokenError("invalid_grant", "redirect_uri không khớp với yêu cầu uỷ quyền.")
    if not secrets.compare_digest(_s256(form.get("code_verifier", "")), row.code_challenge):
        raise TokenError("invalid_grant", "code_verifier không khớp code_challenge (PKCE).")
    return {"access_token": secrets.token_urlsafe(24), "token_type": "Bearer", "expires_in": TOKEN_TTL_SECONDS,
            "id_token": id_token_for(row.identity_key, nonce=row.nonce)}


def id_token_for(identity_key: str, *, nonce: str) -> str:
    person = DEMO_IDENTITIES[identity_key]
    now = int(time.time())
    claims = {"iss": issuer(), "sub": _subject(identity_key), "aud": client_id(), "iat": now,
              "exp": now + TOKEN_TTL_SECONDS + MISBEHAVE.get("exp_offset", 0), "nonce": nonce,
              "name": person["name"], "account_type": person["account_type"],
              settings.OIDC_ID_NUMBER_CLAIM: person["id_number"]}
    if person["birthdate"]:
        claims["birthdate"] = person["birthdate"]
    if person["phone_number"]:
        claims["phone_number"] = person["phone_number"]
    for name in ("aud", "nonce", "iss"):
        if name in MISBEHAVE:
            claims[name] = MISBEHAVE[name]
    if "exp_offset" in MISBEHAVE:
        claims["exp"] = now + MISBEHAVE["exp_offset"]
        claims["iat"] = now + MISBEHAVE["exp_offset"] - TOKEN_TTL_SECONDS
    key = signing_key()
    token = jwt.encode({"alg": "RS256", "kid": key.kid or key.thumbprint(), "typ": "JWT"}, claims, key).decode()
    if MISBEHAVE.get("tamper"):
        head, body, sig = token.split(".")
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        payload = payload.replace(person["id_number"].encode(), b"0" * len(person["id_number"]))
        token = ".".join([head, base64.urlsafe_b64encode(payload).rstrip(b"=").decode(), sig])
    return token
