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



@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs=None, **kwargs):
    """With several workers a per-process cache counts throttles and the login limit per worker."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [checks.Warning(
            "Bộ nhớ đệm (CACHE_URL) là bộ nhớ riêng của từng tiến trình: giới hạn truy cập và giới hạn đăng nhập "
            "đếm riêng cho mỗi worker.",
            hint="Đặt CACHE_URL=redis://127.0.0.1:6379/0 (xem docs/deploy.md).",
            id="cchc.W001",
        )]
    return []
