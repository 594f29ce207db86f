"""Periodic dossier tasks (django-tasks): the overdue watch and the notification outbox sender.

django-crontask needs Python ≥ 3.12, so periodic runs come from `cchc dossiers scheduler` (a loop that
enqueues these tasks every N minutes; `cchc db_worker` executes them) or from cron, e.g.
    */15 * * * *  cd /srv/cchc && .venv/bin/cchc dossiers scheduler --once
"""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def watch_overdue() -> dict:
    """Flag dossiers due today, overdue and late steps; queue notifications (idempotent per day)."""
    return services.dossiers_watch()


@task()
def send_pending_notifications() -> dict:
    """Send the pending notifications of the outbox through `services.channels`."""
    return services.notifications_send_pending()


PERIODIC_TASKS = [watch_overdue, send_pending_notifications]
