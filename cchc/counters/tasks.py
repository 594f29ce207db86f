"""Nightly job: close the previous days' queues (tickets still waiting become no-shows)."""

from django_tasks import task

from .services import tickets_close_day


@task()
def close_queue_days() -> dict:
    """Đóng hàng đợi: tickets of earlier days still waiting or called become no-shows (không đến)."""
    return {"closed": tickets_close_day()}
