from django.apps import AppConfig


class CountersConfig(AppConfig):
    name = "cchc.counters"
    label = "counters"
    verbose_name = "Lấy số thứ tự và bảng hiển thị"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the scheduler lives in the lower dossiers app; this app registers its nightly close of the day's queue
        from cchc.dossiers import tasks as dossier_tasks

        from .tasks import close_queue_days

        dossier_tasks.register(close_queue_days, schedule=dossier_tasks.NIGHTLY)
