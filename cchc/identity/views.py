"""Pages: log in with the national electronic identity (OpenID Connect) and the local fake provider's pages."""

from __future__ import annotations

import urllib.parse

from django.contrib.auth import login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import client, fake, services

BACKEND = "cchc.accounts.backends.UsernamePhoneEmailBackend"


def _refused(request, exc: client.LoginRefused):
    return render(request, "identity/refused.html", {"message": exc.message, "code": exc.code}, status=400)


def _safe_next(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return ""


def start(request):
    """Bắt đầu đăng nhập định danh điện tử: redirect to the provider's authorize endpoint."""
    prov = client.provider()
    if prov is None:
        raise Http404("Đăng nhập định danh điện tử chưa được bật.")
    try:
        url = client.authorization_url(request, prov, next_url=_safe_next(request, request.GET.get("next", "")))
    except OSError:
        return _refused(request, client.LoginRefused("Không kết nối được tới hệ thống định danh điện tử.", "provider_unreachable"))
    return redirect(url)


def callback(request):
    """Redirect URI: check state, exchange the code (PKCE), verify the ID token, log the citizen in."""
    prov = client.provider()
    if prov is None:
        raise Http404("Đăng nhập định danh điện tử chưa được bật.")
    try:
        pending = client.take_pending(request, request.GET.get("state", ""))
        if request.GET.get("error"):
            raise client.LoginRefused("Bạn đã huỷ hoặc hệ thống định danh từ chối đăng nhập "
                                      f"({request.GET.get('error')}).", "provider_error")
        code = request.GET.get("code", "")
        if not code:
            raise client.LoginRefused("Thiếu mã uỷ quyền (code).", "missing_code")
        id_token = client.exchange_code(request, prov, code=code, verifier=pending["verifier"])
        claims = client.verify_id_token(prov, id_token, nonce=pending["nonce"])
        user = services.citizen_from_claims(issuer=prov.issuer, claims=claims)
    except client.LoginRefused as exc:
        return _refused(request, exc)
    login(request, user, backend=BACKEND)
    return redirect(pending["next"] or "accounts:profile")


# ---- the local fake provider (OIDC_MODE=fake only) ----

def _fake_only():
    prov = client.provider()
    if prov is None or not prov.is_fake:
        raise Http404("Nhà cung cấp định danh giả lập chưa được bật.")


def fake_discovery(request):
    _fake_only()
    return JsonResponse(fake.discovery(request.build_absolute_uri("/").rstrip("/")))


def fake_jwks(request):
    _fake_only()
    return JsonResponse(fake.jwks())


def fake_authorize(request):
    """Trang uỷ quyền giả lập: choose a demo identity; POST issues the code and returns to the client."""
    _fake_only()
    params = request.POST if request.method == "POST" else request.GET
    try:
        req = fake.authorize_check(params)
    except fake.AuthorizeError as exc:
        return render(request, "identity/fake_authorize.html", {"error": exc.description}, status=400)
    if request.method == "POST":
        try:
            code = fake.authorize_grant(req, request.POST.get("identity", ""))
        except fake.AuthorizeError as exc:
            return render(request, "identity/fake_authorize.html",
                          {"error": exc.description, "req": req, "identities": fake.DEMO_IDENTITIES.items()}, status=400)
        sep = "&" if "?" in req["redirect_uri"] else "?"
        return redirect(req["redirect_uri"] + sep + urllib.parse.urlencode({"code": code, "state": req["state"]}))
    return render(request, "identity/fake_authorize.html", {"req": req, "identities": fake.DEMO_IDENTITIES.items()})


@csrf_exempt  # a back-channel endpoint authenticated by client_secret (RFC 6749 §2.3.1), not a browser form
@require_POST
def fake_token(request):
    _fake_only()
    try:
        return JsonResponse(fake.token_exchange(request.POST), headers={"Cache-Control": "no-store"})
    except fake.TokenError as exc:
        return JsonResponse({"error": exc.error, "error_description": exc.description}, status=exc.status)
