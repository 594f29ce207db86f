from django.apps import AppConfig


class ServiceIndexConfig(AppConfig):
    name = "cchc.serviceindex"
    label = "serviceindex"
    verbose_name = "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)"

    def ready(self) -> None:
        # The daily early warning joins the dossier scheduler's periodic tasks. The dossier app (lower) never
        # imports this one; the higher app registers itself, like cli.COMMAND_EXTENSIONS for commands.
        from cchc.dossiers import tasks as dossier_tasks

        from .tasks import warn_units_daily

        tasks = dossier_tasks.PERIODIC_TASKS
        if warn_units_daily not in tasks:  # before the sender, so the warning leaves in the same run
            at = tasks.index(dossier_tasks.send_pending_notifications) if dossier_tasks.send_pending_notifications in tasks else len(tasks)
            tasks.insert(at, warn_units_daily)
