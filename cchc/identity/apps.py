from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "cchc.identity"
    label = "identity"
    verbose_name = "Đăng nhập bằng định danh điện tử (OpenID Connect)"

    def ready(self):
        from cchc.core import views as core_views

        from . import client

        # the login page (core) lists the other ways to log in through this hook: core never imports identity
        core_views.LOGIN_OPTIONS.append(client.login_option)
        try:
            from cchc.integrations import registry
        except ImportError:  # the integrations registry lands separately; the login works without it
            return
        from . import selftest

        selftest.register(registry)
