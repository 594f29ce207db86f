from django.apps import AppConfig


class ServiceIndexConfig(AppConfig):
    name = "cchc.serviceindex"
    label = "serviceindex"
    verbose_name = "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)"

    def ready(self) -> None:
        # The daily early warning joins the dossier scheduler's jobs (every tick, before the sender). The dossier app (lower) never
        # imports this one; the higher app registers itself, like cli.COMMAND_EXTENSIONS for commands.
        from cchc.dossiers import tasks as dossier_tasks

        from .tasks import warn_units_daily

        dossier_tasks.register(warn_units_daily, schedule=dossier_tasks.EVERY_TICK,
                               before=dossier_tasks.send_pending_notifications)
