from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cchc.inspections"
    label = "inspections"
    verbose_name = "Kiểm tra công tác CCHC"

    def ready(self):
        from cchc.indices import metrics

        from . import selectors

        metrics.register("inspection_plan_done_rate", "tỷ lệ thực hiện kế hoạch kiểm tra CCHC (cuộc đã kiểm tra ÷ theo kế hoạch)",
                         selectors.metric_plan_done_rate)
        metrics.register("recommendations_followed_up_rate", "tỷ lệ kiến nghị sau kiểm tra đã thực hiện (đến hạn trong năm)",
                         selectors.metric_recommendations_followed_up_rate)
