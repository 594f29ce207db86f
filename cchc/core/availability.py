"""Database saturated or down → 503 with Retry-After, never a 500 (Dịch vụ tạm thời không sẵn sàng).

Django turns every uncaught exception into the handler500 view while the exception is still being handled,
so `server_error` below sees it through sys.exc_info(): a database OperationalError (PostgreSQL down or
restarting, "too many clients already", a connect timeout, a statement cancelled by statement_timeout;
SQLite "database is locked" after its busy timeout) answers 503 with Retry-After and a body that needs no
database (the usual error page renders base.html, whose context may query). Anything else is the usual 500.

Clients that retry with their Idempotency-Key after a 503 are safe: nothing was committed (the request's
transaction failed), or the replay returns the first answer.
"""

from __future__ import annotations

import sqlite3
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse

RETRY_AFTER_SECONDS = 5
MESSAGE = "Hệ thống đang quá tải hoặc cơ sở dữ liệu tạm thời không sẵn sàng. Vui lòng thử lại sau ít giây."

PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>503 · Tạm thời không sẵn sàng</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1>503 · Tạm thời không sẵn sàng</h1><p>{message}</p><p><a href="">Thử lại</a></p></body></html>"""


TRANSIENT_SQLITE_MESSAGES = ("database is locked", "database table is locked", "unable to open database",
                             "disk i/o error", "database or disk is full")


def is_database_unavailable(exc: BaseException | None) -> bool:
    """True for the database errors that mean "try again later", not a bug. On PostgreSQL every
    OperationalError is one (connection refused or lost, too many clients, admin shutdown, statement
    cancelled by statement_timeout, lock not available); InterfaceError is a connection already closed.
    SQLite raises OperationalError for bugs too ("no such table", syntax), so there only a locked, busy,
    unopenable or full database counts."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, (OperationalError, InterfaceError)):
            cause = exc.__cause__
            if isinstance(cause, sqlite3.Error):
                message = str(cause).lower()
                return any(m in message for m in TRANSIENT_SQLITE_MESSAGES)
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def unavailable_response(request) -> HttpResponse:
    """503 with Retry-After: JSON for the API, a page without database access for everything else."""
    if request is not None and request.path.startswith("/api/"):
        response = JsonResponse({"detail": MESSAGE, "code": "service_unavailable"}, status=503)
    else:
        response = HttpResponse(PAGE.format(message=MESSAGE), status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500: 503 when the database is the cause, otherwise the usual error page."""
    exc = sys.exc_info()[1]
    if is_database_unavailable(exc):
        return unavailable_response(request)
    from cchc.core.views import server_error as page

    try:
        return page(request)
    except Exception as render_exc:  # the error page itself needs the database (user, context processors)
        if is_database_unavailable(render_exc):
            return unavailable_response(request)
        raise
