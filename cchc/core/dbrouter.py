"""Read replica for dashboards and reports (bản sao chỉ đọc), opt-in with DATABASE_REPLICA_URL.

When the variable is set, settings add DATABASES["replica"], this router and the ReplicaForPaths middleware.
GET and HEAD requests whose path starts with one of DATABASE_REPLICA_PATHS (default: the dossier dashboard
/mot-cua/thong-ke/) run their reads of the domain apps on the replica; writes, every other request, the
CLI and the task worker use "default". Sessions, users, tokens and tasks always read from "default" so that
a login that has not reached the replica yet cannot look like a logout.

A streaming replica lags by a fraction of a second under normal load: a dashboard may miss the last
second's dossiers, never show one that does not exist. Code may also ask for it explicitly:

    with reading_from_replica():
        rows = selectors.dashboard_rows(...)
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

REPLICA_ALIAS = "replica"
# apps whose reads must see the latest write (login, session, token, task queue): never from the replica
PRIMARY_ONLY_APPS = {"sessions", "auth", "accounts", "authtoken", "contenttypes", "admin", "django_tasks_db"}

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("cchc_use_replica", default=False)


@contextmanager
def reading_from_replica():
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


def replica_configured() -> bool:
    from django.conf import settings

    return REPLICA_ALIAS in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _use_replica.get() or not replica_configured():
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return "default"
        return REPLICA_ALIAS

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def routes_to_replica(method: str, path: str, prefixes) -> bool:
    return method in ("GET", "HEAD") and any(path.startswith(p) for p in prefixes)


class ReplicaForPaths:
    """Mark dashboard and report GETs so ReplicaRouter sends their reads to the replica."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "DATABASE_REPLICA_PATHS", ()))

    def __call__(self, request):
        if routes_to_replica(request.method, request.path_info, self.prefixes):
            with reading_from_replica():
                return self.get_response(request)
        return self.get_response(request)
