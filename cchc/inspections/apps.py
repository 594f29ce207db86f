from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cchc.inspections"
    label = "inspections"
    verbose_name = "Kiểm tra công tác CCHC"

    def ready(self):
        # the daily recommendation reminders join the dossier scheduler's jobs before the sender (as programme's do)
        from cchc.dossiers import tasks as dossier_tasks
        from cchc.indices import metrics

        from . import selectors
        from .tasks import remind_recommendations

        metrics.register("inspection_plan_done_rate", "tỷ lệ thực hiện kế hoạch kiểm tra CCHC (cuộc đã kiểm tra ÷ theo kế hoạch)",
                         selectors.metric_plan_done_rate)
        metrics.register("recommendations_followed_up_rate", "tỷ lệ kiến nghị sau kiểm tra đã thực hiện (đến hạn trong năm)",
                         selectors.metric_recommendations_followed_up_rate)
        dossier_tasks.register(remind_recommendations, schedule=dossier_tasks.EVERY_TICK,
                               before=dossier_tasks.send_pending_notifications)
