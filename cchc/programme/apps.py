from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "cchc.programme"
    label = "programme"
    verbose_name = "Kế hoạch cải cách hành chính"

    def ready(self) -> None:
        # Higher app → lower registries: plan completion feeds the index engine's data-driven criteria, and
        # the daily reminders join the dossier scheduler's jobs (before the sender, so they leave in the same tick).
        from cchc.dossiers import tasks as dossier_tasks
        from cchc.indices import metrics

        from . import selectors
        from .tasks import remind_plan_tasks

        metrics.register("plan_task_completion_rate", "tỷ lệ nhiệm vụ kế hoạch CCHC hoàn thành đúng hạn",
                         selectors.metric_task_completion_rate)
        metrics.register("plan_issued_on_time", "ban hành kế hoạch CCHC năm đúng hạn (100 = đúng hạn)",
                         selectors.metric_plan_issued_on_time)
        dossier_tasks.register(remind_plan_tasks, schedule=dossier_tasks.EVERY_TICK,
                               before=dossier_tasks.send_pending_notifications)
