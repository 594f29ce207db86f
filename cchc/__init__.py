"""cchc: open platform for administrative reform (cải cách hành chính) in Vietnamese provinces."""

__version__ = "0.1.0"


def settings_module() -> str:
    """The settings module when DJANGO_SETTINGS_MODULE is not set: CCHC_ENV=production selects
    cchc.settings_production (HTTPS-only cookies, HSTS, Redis cache); anything else cchc.settings."""
    import os

    return "cchc.settings_production" if os.environ.get("CCHC_ENV", "").strip().lower() == "production" else "cchc.settings"
