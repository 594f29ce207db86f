"""Periodic 766 task, run by `cchc dossiers scheduler` (apps.ready registers it in dossiers.tasks.JOBS)."""

from __future__ import annotations

from django_tasks import task

from . import early_warning


@task()
def warn_units_daily() -> dict:
    """Cảnh báo sớm: queue the daily early-warning e-mail to unit heads (idempotent per day)."""
    return early_warning.warn_units()
