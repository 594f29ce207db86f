from django.apps import AppConfig


class CommendationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cchc.commendations"
    label = "commendations"
    verbose_name = "Khen thưởng CCHC"
