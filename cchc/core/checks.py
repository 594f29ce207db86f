"""Deployment checks of cchc's own settings (run by `cchc check --deploy`; never by tests or `make demo`)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

DEV_SECRET_KEY_PREFIX = "cchc-insecure-"


@checks.register(checks.Tags.security, deploy=True)
def secret_key_is_set(app_configs=None, **kwargs):
    """SECRET_KEY must come from the environment in production: the built-in one is public (it is in git)."""
    key = str(getattr(settings, "SECRET_KEY", "") or "")
    if key.startswith(DEV_SECRET_KEY_PREFIX):
        return [checks.Error(
            "SECRET_KEY là khoá phát triển mặc định (công khai trong mã nguồn).",
            hint="Đặt biến môi trường SECRET_KEY (≥ 50 ký tự ngẫu nhiên) trước khi chạy thật.",
            id="cchc.E001",
        )]
    return []

