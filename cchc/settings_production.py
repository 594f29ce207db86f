"""Production settings profile (cấu hình vận hành thật): `CCHC_ENV=production` or
`DJANGO_SETTINGS_MODULE=cchc.settings_production`.

Everything in cchc.settings (all of it from the environment), with the HTTPS-only switches turned on by
default instead of off, for the one-machine layout of docs/deploy.md (nginx terminates TLS and sets
X-Forwarded-Proto; gunicorn listens on 127.0.0.1):
- cookies Secure, HTTPS redirect, HSTS one year with subdomains (not preload: the preload list is for a
  registrable domain, and a province portal is a subdomain of its gov.vn domain);
- the shared cache on Redis (CACHE_URL, default redis://127.0.0.1:6379/0), so throttles and the login
  limit count across workers;
- DEBUG off whatever the environment says.
Each switch still yields to its environment variable (SESSION_COOKIE_SECURE=0 and so on) for a staging
site without TLS. `cchc check --deploy` with this profile is clean except security.W021 (no HSTS
preload, on purpose) — tested in cchc/core/tests/test_prodstack.py.
"""

import os

from cchc.core import envconf
from cchc.settings import *  # noqa: F403
from cchc.settings import env_bool

DEBUG = False
# the local fake identity provider lets anyone pick an identity: never in production (off unless "real")
if OIDC_MODE == "fake":  # noqa: F405
    OIDC_MODE = "off"
if PORTALSYNC_MODE == "fake":  # noqa: F405 — a fake portal would report a sync that never happened
    PORTALSYNC_MODE = "off"
# fake SMS / Zalo would report messages "delivered" that never left: off (they wait, visibly) unless a real backend is set
for _adapter in ("sms", "zalo"):
    if (INTEGRATIONS.get(_adapter) or {}).get("backend", "fake").strip().lower() in ("", "fake"):  # noqa: F405
        INTEGRATIONS = {**INTEGRATIONS, _adapter: {**(INTEGRATIONS.get(_adapter) or {}), "backend": "off"}}  # noqa: F405
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "") or 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
if env_bool("CCHC_BEHIND_TLS_PROXY", True):  # nginx overwrites X-Forwarded-Proto (deploy/nginx-cchc.conf)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CACHES = {"default": envconf.cache_from_url(os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/0"),
                                           key_prefix=os.environ.get("CACHE_KEY_PREFIX", "cchc"))}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # 5xx with their traceback; 503 from cchc.core.availability is logged here too (django.request)
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
