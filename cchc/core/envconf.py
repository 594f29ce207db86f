"""Settings read from the environment: the cache and the database tuning of the production stack.

Pure functions of their arguments (no Django import), so `cchc/settings.py` stays a flat list and the
rules are unit-tested: tests call these with a dict instead of re-importing the settings module.

CACHE_URL       locmem://NAME (default: per process, the embedded default) | redis://HOST:PORT/DB
                (rediss:// for TLS) | dummy:// (no caching; for experiments only)
CONN_MAX_AGE    seconds a database connection is kept between requests (default 60; 0 closes each time)
CONN_HEALTH_CHECKS  1/0: ping a kept connection before reusing it (default 1 on PostgreSQL)
DB_STATEMENT_TIMEOUT  milliseconds after which PostgreSQL cancels one statement (default 0 = none;
                the gunicorn config sets 30000 for page requests; the task worker and CLI keep none)
DB_CONNECT_TIMEOUT  seconds to wait for PostgreSQL to accept a connection (default 5): a database that is
                down answers 503 quickly instead of holding the worker thread
DATABASE_REPLICA_URL  optional read replica for dashboards and reports (cchc.core.dbrouter)
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
LOCMEM_BACKEND = "django.core.cache.backends.locmem.LocMemCache"
DUMMY_BACKEND = "django.core.cache.backends.dummy.DummyCache"
DEFAULT_CACHE_URL = "locmem://cchc"


class ConfigError(ValueError):
    """A setting in the environment cannot be used; the message names the variable and the rule."""


def cache_from_url(url: str | None, *, key_prefix: str = "cchc") -> dict:
    """CACHES["default"] for CACHE_URL. Throttles, the login limit and every `cache.*` call use this alias,
    so with Redis they count across all workers and machines."""
    url = (url or DEFAULT_CACHE_URL).strip()
    scheme = urlsplit(url).scheme.lower()
    if scheme in {"redis", "rediss", "unix"}:
        return {"BACKEND": REDIS_BACKEND, "LOCATION": url, "KEY_PREFIX": key_prefix, "TIMEOUT": 300}
    if scheme == "locmem":
        return {"BACKEND": LOCMEM_BACKEND, "LOCATION": urlsplit(url).netloc or "cchc", "KEY_PREFIX": key_prefix}
    if scheme == "dummy":
        return {"BACKEND": DUMMY_BACKEND}
    raise ConfigError(f"CACHE_URL={url!r}: chỉ nhận redis://, rediss://, unix://, locmem:// hoặc dummy://")


def _int(env: Mapping[str, str], name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: phải là số nguyên") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r}: phải ≥ {minimum}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def tune_postgres(db: dict, env: Mapping[str, str]) -> dict:
    """Apply CONN_MAX_AGE, CONN_HEALTH_CHECKS, DB_CONNECT_TIMEOUT and DB_STATEMENT_TIMEOUT to a PostgreSQL
    entry of DATABASES (a new dict; SQLite entries are not passed here)."""
    db = {**db, "OPTIONS": dict(db.get("OPTIONS") or {})}
    db["CONN_MAX_AGE"] = _int(env, "CONN_MAX_AGE", 60)
    db["CONN_HEALTH_CHECKS"] = _bool(env, "CONN_HEALTH_CHECKS", True)
    db["OPTIONS"].setdefault("connect_timeout", _int(env, "DB_CONNECT_TIMEOUT", 5, minimum=1))
    timeout_ms = _int(env, "DB_STATEMENT_TIMEOUT", 0)
    if timeout_ms:
        # libpq "options": sent at connection start, so every statement of the connection has the limit
        # without an extra round trip per request.
        existing = db["OPTIONS"].get("options", "")
        db["OPTIONS"]["options"] = f"{existing} -c statement_timeout={timeout_ms}".strip()
    return db


INTEGRATION_PREFIX = "CCHC_INTEGRATION_"


def integrations_from_env(env: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """settings.INTEGRATIONS from CCHC_INTEGRATION_<ADAPTER>_<KEY>=value (docs/integrations.md).

    CCHC_INTEGRATION_PAYMENT_BACKEND=vnpay, CCHC_INTEGRATION_PAYMENT_URL=https://…,
    CCHC_INTEGRATION_PAYMENT_SECRET=… → {"payment": {"backend": "vnpay", "url": "https://…", "secret": "…"}}.
    The adapter name is the first word after the prefix, the key the rest (lower case, so TMN_CODE → tmn_code).
    An adapter that is not configured is absent here; the registry's default backend is "fake"."""
    out: dict[str, dict[str, str]] = {}
    for name, value in env.items():
        if not name.startswith(INTEGRATION_PREFIX):
            continue
        adapter, _, key = name[len(INTEGRATION_PREFIX):].partition("_")
        if not adapter or not key:
            raise ConfigError(f"{name}: phải có dạng {INTEGRATION_PREFIX}<BỘ_KẾT_NỐI>_<KHOÁ>")
        out.setdefault(adapter.lower(), {})[key.lower()] = value.strip()
    return out
