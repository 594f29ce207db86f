"""Scheduler job: send the due national-portal events (registered in cchc.dossiers.tasks from AppConfig.ready)."""

from django_tasks import task

from . import services


@task()
def send_portal_events() -> dict:
    """Gửi sự kiện đồng bộ Cổng DVC quốc gia đến hạn (retries with backoff; dead letters after MAX_ATTEMPTS)."""
    return services.events_send_due()
