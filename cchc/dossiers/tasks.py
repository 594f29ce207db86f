"""Periodic dossier jobs (django-tasks) and when the scheduler runs them.

django-crontask needs Python ≥ 3.12, so periodic runs come from `cchc dossiers scheduler` (a loop that asks
`jobs_due(now)` every N minutes and enqueues those jobs; `cchc db_worker` executes them) or from cron, e.g.
    */15 * * * *  cd /srv/cchc && .venv/bin/cchc dossiers scheduler --once

Two schedules (`JOBS` is the one registry; higher apps add theirs with `register`):
- EVERY_TICK: every scheduler tick: the overdue watch and the notification sender.
- NIGHTLY: once per local day, at the first tick at or after NIGHTLY_FROM (02:00, Asia/Ho_Chi_Minh): the purge
  of abandoned online-form files and of orphan files. Each nightly job is claimed for the day in
  `PeriodicRun` (unique job + day) before it runs, so two schedulers or a cron tick and a loop never run it
  twice; a night the scheduler was down is caught up at its first tick after 02:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from . import services

EVERY_TICK = "every_tick"
NIGHTLY = "nightly"
NIGHTLY_FROM = time(2, 0)


@task()
def watch_overdue() -> dict:
    """Flag dossiers due today, overdue and late steps; queue notifications (idempotent per day)."""
    return services.dossiers_watch()


@task()
def send_pending_notifications() -> dict:
    """Send the pending notifications of the outbox through `services.channels`."""
    return services.notifications_send_pending()


@task()
def purge_pending_uploads() -> dict:
    """Dọn tệp chờ nộp: files of online forms abandoned for longer than online.PENDING_TTL (audited)."""
    from . import online

    return {"purged": online.pending_uploads_purge(), "older_than_hours": online.PENDING_TTL.total_seconds() / 3600}


@task()
def purge_orphan_files() -> dict:
    """Dọn tệp mồ côi: stored files no row names, older than storage.ORPHAN_GRACE (audited)."""
    from . import storage

    deleted = storage.orphan_files_purge()
    return {"deleted": len(deleted), "older_than_hours": storage.ORPHAN_GRACE.total_seconds() / 3600}


@dataclass(frozen=True)
class PeriodicJob:
    """Việc định kỳ: a task and its schedule (EVERY_TICK or NIGHTLY)."""

    task: object
    schedule: str

    @property
    def name(self) -> str:
        return task_name(self.task)


def task_name(t) -> str:
    return t.name if hasattr(t, "name") else t.func.__name__


JOBS = [
    PeriodicJob(watch_overdue, EVERY_TICK),
    PeriodicJob(send_pending_notifications, EVERY_TICK),
    PeriodicJob(purge_pending_uploads, NIGHTLY),
    PeriodicJob(purge_orphan_files, NIGHTLY),
]


def register(t, *, schedule: str = EVERY_TICK, before=None) -> PeriodicJob:
    """Add a task of a higher app to the scheduler (its AppConfig.ready calls this; the dossier app never imports
    it). Idempotent; `before` (a task already registered) places it ahead of that task in a tick, e.g. a warning
    that queues notifications before `send_pending_notifications` sends them."""
    if schedule not in (EVERY_TICK, NIGHTLY):
        raise ValueError(f"schedule: lịch chạy không hợp lệ {schedule!r}")
    for job in JOBS:
        if job.task is t:
            return job
    job = PeriodicJob(t, schedule)
    at = next((i for i, j in enumerate(JOBS) if before is not None and j.task is before), len(JOBS))
    JOBS.insert(at, job)
    return job


def _claim(job: PeriodicJob, *, day, now: datetime) -> bool:
    """Take the day's run of a nightly job; False when it was already taken (by this or another scheduler)."""
    from .models import PeriodicRun

    try:
        with transaction.atomic():
            PeriodicRun.objects.create(job=job.name, run_on=day, claimed_at=now)
    except IntegrityError:
        return False
    return True


def _now() -> datetime:
    return timezone.now()


def jobs_due(*, now: datetime | None = None, jobs: list[PeriodicJob] | None = None) -> list[PeriodicJob]:
    """The jobs a scheduler tick at `now` runs: every EVERY_TICK job, and each NIGHTLY job whose run for the
    local day of `now` is not taken yet, when the local time is at or after NIGHTLY_FROM (claimed here)."""
    now = now or _now()
    local = timezone.localtime(now)
    due = []
    for job in JOBS if jobs is None else jobs:
        if job.schedule == EVERY_TICK:
            due.append(job)
        elif job.schedule == NIGHTLY:
            if local.time() >= NIGHTLY_FROM and _claim(job, day=local.date(), now=now):
                due.append(job)
        else:
            raise ValueError(f"schedule: lịch chạy không hợp lệ {job.schedule!r}")
    return due
