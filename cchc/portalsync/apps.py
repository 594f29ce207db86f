from django.apps import AppConfig


class PortalsyncConfig(AppConfig):
    name = "cchc.portalsync"
    label = "portalsync"
    verbose_name = "Đồng bộ Cổng Dịch vụ công quốc gia"

    def ready(self):
        from cchc.dossiers import tasks as dossier_tasks
        from cchc.dossiers.signals import dossier_changed

        from . import services
        from . import tasks as sync_tasks

        dossier_changed.connect(services.on_dossier_changed, dispatch_uid="portalsync.outbox")
        dossier_tasks.register(sync_tasks.send_portal_events, schedule=dossier_tasks.EVERY_TICK)
        try:
            from cchc.integrations import registry
        except ImportError:
            registry = None
        if registry is not None:
            from . import selftest

            selftest.register(registry)
        from cchc.serviceindex import inputs as index_inputs

        from . import selectors

        # Decision 766 indicator 1.4 (hồ sơ đồng bộ lên Cổng DVC quốc gia) read from the outbox reconciliation
        selectors.register_indicator(index_inputs)
