from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "cchc.feedback"
    label = "feedback"
    verbose_name = "Phản ánh, kiến nghị và đối thoại"

    def ready(self) -> None:
        from . import hooks

        hooks.register_all()
