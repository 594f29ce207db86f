"""Scheduler jobs of the integrations (registered with cchc.dossiers.tasks.register from AppConfig.ready)."""

from django_tasks import task


@task()
def poll_postal_shipments() -> dict:
    """Cập nhật hành trình bưu gửi từ đơn vị bưu chính (polling)."""
    from .postal.services import postal_poll

    return postal_poll()


@task()
def send_notices() -> dict:
    """Gửi thông báo cho người nộp hồ sơ (e-mail, SMS, Zalo): the due deliveries, with retries."""
    from .notices.services import deliveries_send

    return deliveries_send()
