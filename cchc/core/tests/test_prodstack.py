"""The production stack: settings from the environment, 503 instead of 500 when the database is away,
health endpoints, the Content-Security-Policy, staff session length, the production profile's deploy
checks, `cchc serve` (gunicorn) and the read-replica router."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client

from cchc.core import envconf
from cchc.core.availability import RETRY_AFTER_SECONDS, is_database_unavailable

ROOT = Path(__file__).resolve().parents[3]


# --- settings from the environment -------------------------------------------------------------------

def test_cache_url_redis_is_the_shared_redis_backend():
    conf = envconf.cache_from_url("redis://127.0.0.1:6379/0")
    assert conf["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert conf["LOCATION"] == "redis://127.0.0.1:6379/0" and conf["KEY_PREFIX"] == "cchc"
    assert envconf.cache_from_url("rediss://cache.internal:6380/2")["LOCATION"] == "rediss://cache.internal:6380/2"


def test_cache_url_default_and_locmem_are_per_process():
    assert envconf.cache_from_url(None)["BACKEND"].endswith("LocMemCache")
    assert envconf.cache_from_url("")["LOCATION"] == "cchc"
    assert envconf.cache_from_url("locmem://khac")["LOCATION"] == "khac"


def test_cache_url_with_an_unknown_scheme_names_the_variable():
    with pytest.raises(envconf.ConfigError, match="CACHE_URL='memcached://x'"):
        envconf.cache_from_url("memcached://x")


PG = {"ENGINE": "django.db.backends.postgresql", "NAME": "cchc", "CONN_MAX_AGE": 60, "OPTIONS": {}}


def test_postgres_tuning_defaults():
    db = envconf.tune_postgres(PG, {})
    assert db["CONN_MAX_AGE"] == 60 and db["CONN_HEALTH_CHECKS"] is True
    assert db["OPTIONS"] == {"connect_timeout": 5}  # no statement timeout unless asked (CLI, task worker)
    assert PG["OPTIONS"] == {}  # the input is not modified


def test_postgres_tuning_from_the_environment():
    db = envconf.tune_postgres(PG, {"CONN_MAX_AGE": "0", "CONN_HEALTH_CHECKS": "0", "DB_STATEMENT_TIMEOUT": "25000",
                                    "DB_CONNECT_TIMEOUT": "1"})
    assert db["CONN_MAX_AGE"] == 0 and db["CONN_HEALTH_CHECKS"] is False
    assert db["OPTIONS"] == {"connect_timeout": 1, "options": "-c statement_timeout=25000"}


def test_statement_timeout_zero_is_none_and_bad_values_name_the_variable():
    assert "options" not in envconf.tune_postgres(PG, {"DB_STATEMENT_TIMEOUT": "0"})["OPTIONS"]
    with pytest.raises(envconf.ConfigError, match="DB_STATEMENT_TIMEOUT='-1'"):
        envconf.tune_postgres(PG, {"DB_STATEMENT_TIMEOUT": "-1"})
    with pytest.raises(envconf.ConfigError, match="CONN_MAX_AGE='mot phut'"):
        envconf.tune_postgres(PG, {"CONN_MAX_AGE": "mot phut"})
    with pytest.raises(envconf.ConfigError, match="DB_CONNECT_TIMEOUT='0'"):  # 0 would mean "wait forever"
        envconf.tune_postgres(PG, {"DB_CONNECT_TIMEOUT": "0"})


def test_throttles_and_login_limit_use_the_configured_default_cache(settings):
    """DRF throttles, the lookup limit and the login limit all call the "default" alias, so CACHE_URL=redis
    makes them count across workers."""
    from rest_framework.throttling import SimpleRateThrottle

    assert SimpleRateThrottle.cache is cache  # django.core.cache.cache == caches["default"]
    assert settings.CACHES["default"] == envconf.cache_from_url(os.environ.get("CACHE_URL"),
                                                                key_prefix=os.environ.get("CACHE_KEY_PREFIX", "cchc"))


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


THROTTLE_SCRIPT = """
import os, sys, django
django.setup()
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle
class View: throttle_scope = "public_lookup"
allowed = 0
for _ in range(3):
    request = Request(RequestFactory().get("/api/v1/public/dossiers/X/", REMOTE_ADDR="203.0.113.9"))
    allowed += ScopedRateThrottle().allow_request(request, View())
print(allowed)
"""


@pytest.mark.skipif(not _redis_up(), reason="Redis không chạy trên 127.0.0.1:6379")
def test_with_redis_two_processes_share_one_throttle_count():
    """Two worker processes, 3 requests each, a limit of 5 per minute: the second process is refused once."""
    prefix = f"cchc-test-{uuid.uuid4().hex}"
    env = {**os.environ, "CACHE_URL": "redis://127.0.0.1:6379/0", "CCHC_PUBLIC_LOOKUP_RATE": "5/min",
           "DJANGO_SETTINGS_MODULE": "cchc.settings", "PYTHONPATH": str(ROOT), "CACHE_KEY_PREFIX": prefix}
    runs = [subprocess.run([sys.executable, "-c", THROTTLE_SCRIPT], env=env, capture_output=True, text=True, timeout=60)
            for _ in range(2)]
    assert [r.stderr[-500:] for r in runs if r.returncode] == []
    assert [int(r.stdout.strip().splitlines()[-1]) for r in runs] == [3, 2]


# --- 503 with Retry-After when the database is away ---------------------------------------------------

def _database_down():
    from django.db import connections

    return mock.patch.object(type(connections["default"]), "ensure_connection",
                             side_effect=OperationalError("connection to server at 127.0.0.1 failed: Connection refused"))


@pytest.mark.django_db
def test_a_page_answers_503_with_retry_after_when_the_database_is_down():
    client = Client(raise_request_exception=False)
    with _database_down():
        response = client.get("/thu-tuc/?q=khai+sinh")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "Tạm thời không sẵn sàng" in response.content.decode()


@pytest.mark.django_db
def test_the_api_answers_503_json_with_retry_after_when_the_database_is_down():
    client = Client(raise_request_exception=False)
    with _database_down():
        response = client.get("/api/v1/public/dossiers/H00-000000-0000/?token=ABCDEFGH")
    assert response.status_code == 503 and response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json()["code"] == "service_unavailable"


@pytest.mark.django_db
def test_a_bug_stays_a_500():
    client = Client(raise_request_exception=False)
    from cchc.core import views

    real_render = views.render

    def render(request, template, *args, **kwargs):
        if template == "core/home.html":
            raise ZeroDivisionError("lỗi lập trình")
        return real_render(request, template, *args, **kwargs)

    with mock.patch("cchc.core.views.render", side_effect=render):
        response = client.get("/")
    assert response.status_code == 500 and "Retry-After" not in response


@pytest.mark.django_db(transaction=True)
def test_real_driver_errors_are_told_apart():
    """PostgreSQL: a statement cancelled by statement_timeout is 'try again' (503). SQLite: a missing table is
    an OperationalError too, but a bug, so it stays a 500."""
    from django.db import transaction

    if connection.vendor == "postgresql":
        with pytest.raises(OperationalError) as caught, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 1")
            cursor.execute("SELECT pg_sleep(0.2)")
        assert is_database_unavailable(caught.value)
    else:
        with pytest.raises(OperationalError) as caught, connection.cursor() as cursor:
            cursor.execute("SELECT * FROM bang_khong_ton_tai")
        assert not is_database_unavailable(caught.value)
        import sqlite3

        try:
            raise OperationalError("database is locked") from sqlite3.OperationalError("database is locked")
        except OperationalError as exc:
            assert is_database_unavailable(exc)
    assert not is_database_unavailable(ValueError("x")) and not is_database_unavailable(None)


# --- health endpoints ---------------------------------------------------------------------------------

def test_healthz_answers_without_database_or_allowed_host():
    response = Client().get("/healthz", HTTP_HOST="khong-duoc-phep.example")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_checks_database_and_cache():
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.django_db
def test_readyz_is_503_with_retry_after_when_the_database_is_down():
    with _database_down():
        response = Client().get("/readyz")
    assert response.status_code == 503 and response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {"status": "unavailable", "checks": {"database": "lỗi: OperationalError", "cache": "ok"}}


@pytest.mark.django_db
def test_readyz_is_503_when_the_cache_is_down():
    with mock.patch.object(cache, "set", side_effect=ConnectionError("redis down")):
        response = Client().get("/readyz")
    assert response.status_code == 503 and response.json()["checks"] == {"database": "ok", "cache": "lỗi: ConnectionError"}


# --- Content-Security-Policy --------------------------------------------------------------------------

@pytest.mark.django_db
def test_pages_carry_a_csp_whose_nonce_is_on_every_inline_script():
    response = Client().get("/thu-tuc/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy and "'unsafe-eval'" not in policy
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline, "the search page has an inline script"
    assert all(f'nonce="{nonce}"' in attrs for attrs in inline)
    assert Client().get("/thu-tuc/")["Content-Security-Policy"] != policy  # a fresh nonce per response


def test_json_answers_carry_no_csp():
    assert "Content-Security-Policy" not in Client().get("/healthz")


def test_csp_modes():
    from cchc.core.csp import header_name

    assert header_name("1") == "Content-Security-Policy" and header_name("") == "Content-Security-Policy"
    assert header_name("report-only") == "Content-Security-Policy-Report-Only"
    assert header_name("0") is None and header_name("off") is None


def test_no_template_has_an_inline_handler_or_a_script_without_nonce():
    """The policy blocks onclick="…" and nonce-less inline scripts: a template that adds one breaks in the
    browser, so it fails here first."""
    offenders = []
    for path in (ROOT / "cchc").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)([^>]*)>", text):
            if "nonce=" not in match.group(1):
                offenders.append(f"{path.relative_to(ROOT)}: <script{match.group(1)}>")
        for match in re.finditer(r"<[a-z][^>]*\s(on[a-z]+)=", text):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(1)}=")
    assert offenders == []


# --- session length -----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_staff_sessions_last_one_working_day_and_citizens_keep_theirs(settings):
    from cchc.accounts.models import Role
    from cchc.units.tests.factories import make_province, make_unit, make_user

    officer, citizen = Client(), Client()
    officer.force_login(make_user(role=Role.ONE_STOP_OFFICER, unit=make_unit(parent=make_province())))
    citizen.force_login(make_user(role=Role.CITIZEN))
    assert officer.session.get_expiry_age() == settings.STAFF_SESSION_SECONDS == 8 * 3600
    assert citizen.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 14 * 24 * 3600


# --- production profile -------------------------------------------------------------------------------

def _cchc(args, extra_env, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
                "CCHC_VAR_DIR": str(tmp_path), **extra_env})
    return subprocess.run([sys.executable, "-m", "cchc.cli", *args], env=env, capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)


DEPLOY_ENV = {"CCHC_ENV": "production", "SECRET_KEY": "k" * 20 + uuid.uuid4().hex + "x" * 20,
              "ALLOWED_HOSTS": "dichvucong.example.gov.vn"}


def test_check_deploy_with_the_production_profile_is_clean_but_for_the_documented_preload_warning(tmp_path):
    result = _cchc(["check", "--deploy", "--fail-level", "WARNING"], DEPLOY_ENV, tmp_path)
    output = result.stdout + result.stderr
    assert set(re.findall(r"\(([\w.]+\.[EW]\d+)\)", output)) == {"security.W021"}, output  # docs/deploy.md


def test_check_deploy_names_the_development_key_and_the_per_process_cache(tmp_path):
    result = _cchc(["check", "--deploy"], {"CCHC_ENV": "production", "CACHE_URL": "locmem://cchc",
                                           "ALLOWED_HOSTS": "dichvucong.example.gov.vn"}, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "cchc.E001" in output and "cchc.W001" in output


def test_settings_module_follows_cchc_env(monkeypatch):
    from cchc import settings_module

    monkeypatch.setenv("CCHC_ENV", "production")
    assert settings_module() == "cchc.settings_production"
    monkeypatch.setenv("CCHC_ENV", "development")
    assert settings_module() == "cchc.settings"
    monkeypatch.delenv("CCHC_ENV")
    assert settings_module() == "cchc.settings"


# --- cchc serve (gunicorn) ----------------------------------------------------------------------------

def test_serve_builds_the_gunicorn_command_from_options_over_the_environment():
    import argparse

    from cchc.cli import CliError
    from cchc.core.serve import gunicorn_command

    args = argparse.Namespace(bind="127.0.0.1:9000", workers=3, threads=None, timeout=None, extra=["--log-level", "debug"])
    argv, env = gunicorn_command(args, {"WEB_THREADS": "6"})
    assert argv[1:] == ["-m", "gunicorn", "--config", "python:cchc.gunicorn_conf", "--log-level", "debug",
                        "cchc.wsgi:application"]
    assert env["WEB_CONCURRENCY"] == "3" and env["WEB_THREADS"] == "6" and env["CCHC_BIND"] == "127.0.0.1:9000"
    with pytest.raises(CliError, match="--threads phải ≥ 1"):
        gunicorn_command(argparse.Namespace(bind=None, workers=None, threads=0, timeout=None, extra=[]), {})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@contextmanager
def _served(tmp_path, database_url):
    """`cchc serve` with 1 worker × 2 threads on a free port; yields (base_url, output_lines)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"PYTHONPATH": str(ROOT), "DATABASE_URL": database_url, "CCHC_VAR_DIR": str(tmp_path),
                "WEB_ACCESS_LOG": "", "CACHE_URL": "locmem://cchc"})
    proc = subprocess.Popen([sys.executable, "-m", "cchc.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                             "--threads", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                _get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", output
    finally:
        proc.terminate()
        output.extend(proc.communicate(timeout=30)[0].splitlines())


def test_cchc_serve_runs_gunicorn_with_bounded_workers_and_health_endpoints(tmp_path):
    with _served(tmp_path, f"sqlite:///{tmp_path / 'serve.sqlite3'}") as (base, output):
        status, headers, body = _get(f"{base}/healthz")
        assert status == 200 and headers["Server"] == "gunicorn" and json.loads(body) == {"status": "ok"}
        status, _, body = _get(f"{base}/readyz")
        assert status == 200 and json.loads(body)["checks"] == {"database": "ok", "cache": "ok"}
    assert any("1 workers × 2 threads = at most 2 database connections" in line for line in output)


@pytest.mark.parametrize("engine", ["postgresql", "sqlite"])
def test_a_real_server_whose_database_is_away_answers_503_never_500(tmp_path, engine):
    """Real driver errors, not mocks: PostgreSQL refusing connections (nothing listens on the port) and a
    SQLite file that cannot be opened. Pages, the API and /readyz answer 503 with Retry-After."""
    url = (f"postgres://postgres@127.0.0.1:{_free_port()}/cchc" if engine == "postgresql"
           else f"sqlite:///{tmp_path / 'khong-co-thu-muc' / 'db.sqlite3'}")
    with _served(tmp_path, url) as (base, _):
        assert _get(f"{base}/healthz")[0] == 200
        assert _get(f"{base}/dang-nhap/")[0] == 200  # a page that needs no database still answers
        for path in ("/readyz", "/thu-tuc/?q=khai+sinh", "/api/v1/public/dossiers/H00-000000-0000/?token=ABCDEFGH"):
            status, headers, body = _get(base + path)
            assert (path, status, headers.get("Retry-After")) == (path, 503, str(RETRY_AFTER_SECONDS))
        assert json.loads(_get(f"{base}/api/v1/public/dossiers/H00-000000-0000/?token=ABCDEFGH")[2])["code"] == \
            "service_unavailable"


# --- read replica -------------------------------------------------------------------------------------

def test_replica_router_sends_dashboard_reads_to_the_replica_and_keeps_logins_on_the_primary():
    from django.contrib.sessions.models import Session

    from cchc.accounts.models import User
    from cchc.core.dbrouter import ReplicaRouter, reading_from_replica
    from cchc.dossiers.models import Dossier

    router = ReplicaRouter()
    with mock.patch("cchc.core.dbrouter.replica_configured", return_value=True):
        assert router.db_for_read(Dossier) is None  # outside a dashboard request: Django's default
        with reading_from_replica():
            assert router.db_for_read(Dossier) == "replica"
            assert router.db_for_read(Session) == "default" and router.db_for_read(User) == "default"
            assert router.db_for_write(Dossier) == "default"
        assert router.db_for_read(Dossier) is None
    assert router.allow_migrate("replica", "dossiers") is False and router.allow_migrate("default", "dossiers")


def test_replica_router_without_a_replica_reads_the_primary(settings):
    from cchc.core.dbrouter import ReplicaRouter, reading_from_replica
    from cchc.dossiers.models import Dossier

    assert "replica" not in settings.DATABASES
    with reading_from_replica():
        assert ReplicaRouter().db_for_read(Dossier) is None


def test_only_gets_under_the_replica_paths_use_the_replica():
    from cchc.core.dbrouter import routes_to_replica

    prefixes = ("/mot-cua/thong-ke/",)
    assert routes_to_replica("GET", "/mot-cua/thong-ke/", prefixes)
    assert routes_to_replica("HEAD", "/mot-cua/thong-ke/?thang=2026-10", prefixes)
    assert not routes_to_replica("POST", "/mot-cua/thong-ke/", prefixes)
    assert not routes_to_replica("GET", "/mot-cua/thong-ke", prefixes)  # the redirect to the slash form: primary
    assert not routes_to_replica("GET", "/mot-cua/ho-so/", prefixes)


def test_replica_middleware_marks_only_its_requests():
    from django.test import RequestFactory

    from cchc.core import dbrouter

    seen = []
    middleware = dbrouter.ReplicaForPaths(lambda request: seen.append(dbrouter._use_replica.get()))
    middleware.prefixes = ("/mot-cua/thong-ke/",)
    middleware(RequestFactory().get("/mot-cua/thong-ke/"))
    middleware(RequestFactory().post("/mot-cua/thong-ke/"))
    middleware(RequestFactory().get("/mot-cua/"))
    assert seen == [True, False, False] and dbrouter._use_replica.get() is False
