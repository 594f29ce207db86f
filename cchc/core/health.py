"""Health endpoints for the process manager and the load balancer (kiểm tra tình trạng dịch vụ).

GET /healthz  the process answers (no database, no cache): 200 {"status": "ok"}
GET /readyz   the process can serve: the database answers `SELECT 1` (and the replica when configured) and
              the cache stores and reads a key. 200 {"status": "ok", "checks": {...}}, or 503 with
              Retry-After and {"status": "unavailable", "checks": {"database": "lỗi: ..."}}.

Answered by the first middleware, before host validation, HTTPS redirect, sessions or authentication, so a
probe on 127.0.0.1 over plain HTTP works in production settings and costs no session row. The bodies name
no secret: only which component failed and the class of the error.
"""

from __future__ import annotations

import uuid

from django.http import JsonResponse

PATHS = {"/healthz", "/healthz/", "/readyz", "/readyz/"}


def _check_database(alias: str) -> str:
    from django.db import connections

    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as exc:  # any failure means "not ready"; the class tells which
        return f"lỗi: {type(exc).__name__}"


def _check_cache() -> str:
    from django.core.cache import cache

    key = f"core:readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", 10)
        ok = cache.get(key) == "1"
        cache.delete(key)
        return "ok" if ok else "lỗi: giá trị không đọc lại được"
    except Exception as exc:
        return f"lỗi: {type(exc).__name__}"


def readiness() -> tuple[bool, dict]:
    from django.conf import settings

    checks = {"database": _check_database("default")}
    if "replica" in settings.DATABASES:
        checks["replica"] = _check_database("replica")
    checks["cache"] = _check_cache()
    return all(v == "ok" for v in checks.values()), checks


class HealthMiddleware:
    """Answer /healthz and /readyz before any other middleware (first in MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in PATHS or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.path_info.startswith("/healthz"):
            response = JsonResponse({"status": "ok"})
        else:
            ok, checks = readiness()
            response = JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)
            if not ok:
                from cchc.core.availability import RETRY_AFTER_SECONDS

                response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
