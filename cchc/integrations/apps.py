from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "cchc.integrations"
    label = "integrations"
    verbose_name = "Kết nối hệ thống ngoài (thanh toán, bưu chính, …)"

    def ready(self) -> None:
        from cchc.serviceindex import inputs

        from . import selectors
        from .payment import checks

        checks.register()
        from cchc.dossiers import tasks as dossier_tasks

        from .postal.services import register_adapter
        from .tasks import poll_postal_shipments

        register_adapter()
        dossier_tasks.register(poll_postal_shipments, schedule=dossier_tasks.EVERY_TICK)
        # 766 indicator 3.6 (thanh toán trực tuyến) reads the payment records (serviceindex never imports this app)
        inputs.register_provider("3.6", selectors.indicator_3_6)
