"""Periodic inspections task, run by `cchc dossiers scheduler` (apps.ready registers it in dossiers.tasks.JOBS)."""

from __future__ import annotations

from django_tasks import task

from . import reminders


@task()
def remind_recommendations() -> dict:
    """Nhắc hạn kiến nghị sau kiểm tra (idempotent per recommendation per day)."""
    return reminders.remind()
