from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "cchc.integrations"
    label = "integrations"
    verbose_name = "Kết nối hệ thống ngoài (thanh toán, bưu chính, …)"
