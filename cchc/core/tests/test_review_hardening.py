"""Security review: NUL characters never reach the database, security headers, the deployment check."""

from __future__ import annotations

import json

import pytest
from django.core.checks import run_checks
from django.test import RequestFactory, override_settings

from cchc.core.middleware import StripNulFromQuery


def echo(request):
    from django.http import JsonResponse

    return JsonResponse({k: request.POST.getlist(k) for k in request.POST})


def test_a_nul_in_the_url_path_is_not_found_before_any_view_runs():
    from django.http import Http404

    with pytest.raises(Http404):
        StripNulFromQuery(echo)(RequestFactory().get("/don-vi/a%00b/"))


def test_a_nul_inside_a_json_body_is_a_400_naming_the_problem():
    body = json.dumps({"unit": "a\u0000b"})
    response = StripNulFromQuery(echo)(RequestFactory().post("/api/v1/x/", data=body, content_type="application/json"))
    assert response.status_code == 400
    assert json.loads(response.content)["code"] == "nul_character"


def test_json_without_nul_passes_untouched():
    body = json.dumps({"unit": "Xã Một", "comment": "không có ký tự lạ"}, ensure_ascii=False)
    response = StripNulFromQuery(echo)(RequestFactory().post("/api/v1/x/", data=body, content_type="application/json"))
    assert response.status_code == 200


def test_nul_characters_are_dropped_from_multipart_form_fields():
    request = RequestFactory().post("/chi-so/", data={"explanation": "a\x00b", "ok": "c"})
    assert request.content_type == "multipart/form-data"
    response = StripNulFromQuery(echo)(request)
    assert json.loads(response.content) == {"explanation": ["ab"], "ok": ["c"]}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/don-vi/a%00b/", "/api/v1/dossiers/a%00b/", "/api/v1/public/dossiers/a%00b/?token=x",
                                  "/thu-tuc/1.0%00/", "/khao-sat/a%00b/"])
def test_paths_with_a_nul_are_404_on_every_database(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get("/lich/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_deployment_check_refuses_the_built_in_secret_key():
    with override_settings(SECRET_KEY="cchc-insecure-development-key-change-me-in-production-0123456789"):
        ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert "cchc.E001" in ids
    with override_settings(SECRET_KEY="x8!Qm2#rT9vLk4@pZw7^nB3&yH6*cF1%sJ5(dG0)eK-uA_oI+iE=lR"):
        ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert "cchc.E001" not in ids


def test_ordinary_checks_stay_quiet_about_the_development_key():
    """`make demo` and the tests run without a SECRET_KEY: only `check --deploy` complains."""
    assert "cchc.E001" not in {m.id for m in run_checks()}


@pytest.mark.django_db
def test_login_is_refused_for_15_minutes_after_10_wrong_passwords(client, settings):
    from django.core.cache import cache

    from cchc.accounts.models import Role, User

    cache.clear()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    User.objects.create_user(username="canbo.thu", password="dung-mat-khau-1", role=Role.SPECIALIST)
    for _ in range(10):
        assert client.post("/dang-nhap/", {"username": "canbo.thu", "password": "sai"}).status_code == 200
    locked = client.post("/dang-nhap/", {"username": "canbo.thu", "password": "dung-mat-khau-1"})
    assert locked.status_code == 429
    assert "thử lại sau 15 phút" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    cache.clear()
    assert client.post("/dang-nhap/", {"username": "canbo.thu", "password": "dung-mat-khau-1"}).status_code == 302


@pytest.mark.django_db
def test_a_domain_error_from_any_cli_handler_is_a_message_and_exit_code_2(monkeypatch, capsys):
    import cchc.core.setup
    from cchc.cli import main

    monkeypatch.setattr(cchc.core.setup, "migrate_if_needed", lambda stdout=None: None)
    assert main(["users", "token", "khong-co-nguoi-nay"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lỗi: ") and "Traceback" not in err


@pytest.mark.django_db
def test_the_admin_login_form_leads_to_the_rate_limited_login_page(client):
    response = client.get("/quan-tri-he-thong/login/")
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=/quan-tri-he-thong/"
