"""OpenID Connect client (Relying Party): authorization code flow with PKCE, state and nonce.

Protocol: OpenID Connect Core 1.0 §3.1 (authorization code flow), §3.1.3.7 (ID token validation: signature
with the provider's JWKS, iss, aud, exp, nonce), RFC 7636 (PKCE, S256), RFC 6749 §4.1 and §10.12 (state).
Library: Authlib (PKCE challenge, JWK set, JWT decode/validate). Two transports, one code path:
- HttpTransport: the real provider (discovery document, JWKS and token endpoint over HTTPS, urllib);
- LocalFakeTransport: the local fake provider (fake.py) called in-process.

Settings: OIDC_MODE ("off" | "fake" | "real"), OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
OIDC_ID_NUMBER_CLAIM (claim carrying the personal ID number; VNeID's claim names are not public),
OIDC_ACCOUNT_TYPE_CLAIM, OIDC_SCOPE.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.conf import settings
from django.urls import reverse

from . import fake
from .jose import ExpiredTokenError, JoseError, JsonWebKey, JsonWebToken

PENDING_KEY = "oidc_pending"
PENDING_TTL = 600  # seconds a login may take at the provider
MAX_PENDING = 5  # parallel tabs
LEEWAY = 60  # clock skew allowed on exp/iat (seconds)
LOGIN_LABEL = "Đăng nhập bằng tài khoản định danh điện tử (VNeID)"


class LoginRefused(Exception):
    """The login was refused; `message` is for the citizen, `code` for logs and tests. Nothing was written."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


class LocalFakeTransport:
    name = "fake"

    def discovery(self) -> dict:
        return fake.discovery()

    def jwks(self, uri: str) -> dict:
        return fake.jwks()

    def token(self, uri: str, form: dict) -> dict:
        try:
            return fake.token_exchange(form)
        except fake.TokenError as exc:
            return {"error": exc.error, "error_description": exc.description}


class HttpTransport:
    name = "http"
    timeout = 10

    def __init__(self, issuer: str):
        self.issuer = issuer.rstrip("/")

    def _get(self, url: str) -> dict:
        with urllib.request.urlopen(url, timeout=self.timeout) as resp:  # noqa: S310 (https URLs from settings)
            return json.loads(resp.read().decode())

    def discovery(self) -> dict:
        return self._get(self.issuer + "/.well-known/openid-configuration")

    def jwks(self, uri: str) -> dict:
        return self._get(uri)

    def token(self, uri: str, form: dict) -> dict:
        data = urllib.parse.urlencode(form).encode()
        req = urllib.request.Request(uri, data=data, headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                return json.loads(resp.read().decode())
        except urllib.error.HTTPError as exc:  # 400/401 carry the OAuth error body
            try:
                return json.loads(exc.read().decode())
            except ValueError:
                return {"error": f"http_{exc.code}"}


@dataclass
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    transport: object

    @property
    def is_fake(self) -> bool:
        return self.transport.name == "fake"


def provider() -> Provider | None:
    mode = getattr(settings, "OIDC_MODE", "off")
    if mode == "fake":
        return Provider(fake.issuer(), fake.client_id(), fake.client_secret(), LocalFakeTransport())
    if mode == "real" and settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID:
        return Provider(settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET, HttpTransport(settings.OIDC_ISSUER))
    return None


def login_option(request):
    """For the login page (core.views.LOGIN_OPTIONS): (label, url) or None when OIDC is off."""
    if provider() is None:
        return None
    url = reverse("identity:start")
    nxt = request.GET.get("next") or ""
    if nxt:
        url += "?" + urllib.parse.urlencode({"next": nxt})
    return (LOGIN_LABEL, url)


def redirect_uri(request) -> str:
    return request.build_absolute_uri(reverse("identity:callback"))


def authorization_url(request, prov: Provider, *, next_url: str = "") -> str:
    """Start a login: remember state, nonce and the PKCE verifier in the session; the provider's authorize URL."""
    meta = prov.transport.discovery()
    state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    pending = {k: v for k, v in request.session.get(PENDING_KEY, {}).items() if v["at"] > time.time() - PENDING_TTL}
    while len(pending) >= MAX_PENDING:
        pending.pop(min(pending, key=lambda k: pending[k]["at"]))
    pending[state] = {"nonce": nonce, "verifier": verifier, "next": next_url, "at": time.time()}
    request.session[PENDING_KEY] = pending
    params = {"response_type": "code", "client_id": prov.client_id, "redirect_uri": redirect_uri(request),
              "scope": getattr(settings, "OIDC_SCOPE", "openid profile"), "state": state, "nonce": nonce,
              "code_challenge": create_s256_code_challenge(verifier), "code_challenge_method": "S256"}
    return meta["authorization_endpoint"] + "?" + urllib.parse.urlencode(params)


def take_pending(request, state: str) -> dict:
    """The pending login for this state, removed from the session (a state is used once)."""
    pending = request.session.get(PENDING_KEY, {})
    entry = pending.pop(state, None) if state else None
    request.session[PENDING_KEY] = pending
    if entry is None or entry["at"] <= time.time() - PENDING_TTL:
        raise LoginRefused("Phiên đăng nhập không hợp lệ hoặc đã hết hạn (state không khớp). Vui lòng đăng nhập lại.", "bad_state")
    return entry


def exchange_code(request, prov: Provider, *, code: str, verifier: str) -> str:
    meta = prov.transport.discovery()
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri(request),
            "client_id": prov.client_id, "client_secret": prov.client_secret, "code_verifier": verifier}
    try:
        body = prov.transport.token(meta["token_endpoint"], form)
    except OSError as exc:
        raise LoginRefused("Không kết nối được tới hệ thống định danh điện tử. Vui lòng thử lại sau.", "provider_unreachable") from exc
    if "error" in body or not body.get("id_token"):
        raise LoginRefused(
            "Hệ thống định danh từ chối mã uỷ quyền (mã không hợp lệ, đã hết hạn hoặc đã được dùng). Vui lòng đăng nhập lại.",
            "token_" + str(body.get("error") or "missing_id_token"))
    return body["id_token"]


_REFUSALS = {
    "signature": "Chữ ký của thẻ định danh (ID token) không hợp lệ.",
    "iss": "Thẻ định danh không do nhà cung cấp định danh đã cấu hình phát hành (iss).",
    "aud": "Thẻ định danh không cấp cho hệ thống này (aud).",
    "exp": "Thẻ định danh đã hết hạn (exp).",
    "nonce": "Thẻ định danh không khớp phiên đăng nhập (nonce).",
    "sub": "Thẻ định danh thiếu mã định danh (sub).",
}


def verify_id_token(prov: Provider, id_token: str, *, nonce: str) -> dict:
    """OpenID Connect Core §3.1.3.7: RS256 signature by a key of the provider's JWKS, then iss, aud, exp, nonce."""
    meta = prov.transport.discovery()
    if meta.get("issuer") != prov.issuer:
        raise LoginRefused(_REFUSALS["iss"], "bad_iss")
    keyset = JsonWebKey.import_key_set(prov.transport.jwks(meta["jwks_uri"]))
    options = {"iss": {"essential": True, "value": prov.issuer}, "aud": {"essential": True, "value": prov.client_id},
               "exp": {"essential": True}, "sub": {"essential": True}, "nonce": {"essential": True, "value": nonce}}
    try:
        claims = JsonWebToken(["RS256"]).decode(id_token, keyset, claims_options=options)
    except (JoseError, ValueError) as exc:
        raise LoginRefused(_REFUSALS["signature"], "bad_signature") from exc
    try:
        claims.validate(leeway=LEEWAY)
    except JoseError as exc:
        name = "exp" if isinstance(exc, ExpiredTokenError) else (getattr(exc, "claim_name", None) or "signature")
        raise LoginRefused(_REFUSALS.get(name, _REFUSALS["signature"]), f"bad_{name}") from exc
    aud = claims.get("aud")
    if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != prov.client_id:
        raise LoginRefused(_REFUSALS["aud"], "bad_aud")
    return dict(claims)
