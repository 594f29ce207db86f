"""Periodic plan task, run by `cchc dossiers scheduler` (apps.ready registers it in dossiers.tasks.JOBS)."""

from __future__ import annotations

from django_tasks import task

from . import reminders


@task()
def remind_plan_tasks() -> dict:
    """Nhắc hạn nhiệm vụ kế hoạch CCHC (idempotent per task per day)."""
    return reminders.remind()
