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
        from .tasks import poll_postal_shipments, send_notices

        register_adapter()
        dossier_tasks.register(poll_postal_shipments, schedule=dossier_tasks.EVERY_TICK)
        # notices to the applicant (e-mail / SMS / Zalo): written with the dossier change, sent every tick
        from cchc.dossiers import views as dossier_views
        from cchc.dossiers.signals import dossier_changed

        from .notices import checks as notice_checks
        from .notices import services as notice_services
        from .notices.panel import dossier_notices_section

        dossier_changed.connect(notice_services.on_dossier_changed, dispatch_uid="integrations.notices")
        dossier_tasks.register(send_notices, schedule=dossier_tasks.EVERY_TICK)
        notice_checks.register_adapters()
        dossier_views.register_detail_section(dossier_notices_section)
        from .payment.panel import dossier_payments_section

        dossier_views.register_detail_section(dossier_payments_section)  # payments, receipts and refunds
        # 766 indicator 3.6 (thanh toán trực tuyến) reads the payment records (serviceindex never imports this app)
        inputs.register_provider("3.6", selectors.indicator_3_6)
