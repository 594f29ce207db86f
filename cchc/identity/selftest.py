"""Contract checks of the identity-provider adapter for `cchc integrations selftest` (cchc.integrations.registry).

Against the local fake: discovery, JWKS, a full code + PKCE exchange with a verified ID token, a replayed code
refused, a tampered token refused (all inside a rolled-back transaction: nothing stays). Against a real provider:
the discovery document (issuer matches, code flow and S256 offered) and a JWKS with an RS256 key; the interactive
login itself cannot be self-tested.
"""

from __future__ import annotations

import secrets

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.db import transaction

from . import client, fake


class _Rollback(Exception):
    pass


def _provider():
    prov = client.provider()
    if prov is None:
        raise RuntimeError("CCHC_OIDC=off: đăng nhập định danh điện tử chưa bật")
    return prov


def check_discovery():
    prov = _provider()
    meta = prov.transport.discovery()
    missing = [k for k in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri") if not meta.get(k)]
    ok = not missing and meta["issuer"] == prov.issuer and "code" in meta.get("response_types_supported", []) \
        and "S256" in meta.get("code_challenge_methods_supported", ["S256"])
    return ok, f"issuer={meta.get('issuer')}" + (f"; thiếu {', '.join(missing)}" if missing else "")


def check_jwks():
    prov = _provider()
    keys = prov.transport.jwks(prov.transport.discovery()["jwks_uri"]).get("keys", [])
    rsa = [k for k in keys if k.get("kty") == "RSA" and k.get("use", "sig") == "sig"]
    private = [k for k in keys if "d" in k]
    return bool(rsa) and not private, f"{len(rsa)} khoá RSA ký" + ("; LỘ khoá bí mật" if private else "")


def _code_flow(*, replay: bool = False, tamper: bool = False):
    prov = _provider()
    if not prov.is_fake:
        return True, "bỏ qua: cần người dùng đăng nhập tại nhà cung cấp thật"
    verifier, nonce = secrets.token_urlsafe(48), secrets.token_urlsafe(16)
    redirect = "https://selftest.invalid/callback"
    result = (False, "")
    try:
        with transaction.atomic():
            req = fake.authorize_check({"response_type": "code", "client_id": prov.client_id, "redirect_uri": redirect,
                                        "scope": "openid", "state": "s", "nonce": nonce,
                                        "code_challenge": create_s256_code_challenge(verifier), "code_challenge_method": "S256"})
            code = fake.authorize_grant(req, "an")
            form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect, "client_id": prov.client_id,
                    "client_secret": prov.client_secret, "code_verifier": verifier}
            body = prov.transport.token("", form)
            if replay:
                again = prov.transport.token("", form)
                result = (again.get("error") == "invalid_grant", f"lần hai: {again.get('error')}")
            else:
                token = body["id_token"]
                if tamper:
                    head, payload, sig = token.split(".")
                    token = ".".join([head, payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB"), sig])
                try:
                    claims = client.verify_id_token(prov, token, nonce=nonce)
                    result = (not tamper, f"sub={claims['sub']}")
                except client.LoginRefused as exc:
                    result = (tamper, exc.code)
            raise _Rollback
    except _Rollback:
        pass
    return result


def register(registry) -> None:
    registry.register(registry.Adapter(
        name="identity_oidc",
        endpoint=lambda: (client.provider().issuer if client.provider() else "off"),
        description="Đăng nhập định danh điện tử (OpenID Connect)",
        checks=[
            registry.Check("discovery", check_discovery),
            registry.Check("jwks", check_jwks),
            registry.Check("code_pkce_id_token", lambda: _code_flow()),
            registry.Check("replayed_code_refused", lambda: _code_flow(replay=True)),
            registry.Check("tampered_token_refused", lambda: _code_flow(tamper=True)),
        ],
    ))
