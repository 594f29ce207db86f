from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cchc.core"
    label = "core"
    verbose_name = "Lõi nền tảng"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401 - registers the deployment checks
        from .sessions import limit_staff_session

        user_logged_in.connect(limit_staff_session, dispatch_uid="cchc.core.sessions.limit_staff_session")
