"""Settings, read from environment variables only (12-factor).

DATABASE_URL  sqlite:///path or postgres://user@host:port/name (default: SQLite under var/)
SECRET_KEY, DEBUG, ALLOWED_HOSTS (comma separated), TIME_ZONE, LANGUAGE_CODE,
CCHC_MEDIA_ROOT (uploaded files, outside the web root), EMAIL_URL-like settings via EMAIL_*.
"""

import os
from pathlib import Path

import dj_database_url

from cchc.core import envconf

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CCHC_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "cchc-insecure-development-key-change-me-in-production-0123456789")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "cchc.core",
    "cchc.units",
    "cchc.accounts",
    "cchc.calendar",
    "cchc.catalog",
    "cchc.dossiers",
    "cchc.indices",
    "cchc.surveys",
    "cchc.serviceindex",
    "cchc.integrations",
    "cchc.inspections",
    "cchc.reports",
    "cchc.commendations",
    "cchc.identity",
    "cchc.portalsync",
    "cchc.feedback",

    "cchc.programme",
    "cchc.counters",
]

MIDDLEWARE = [
    "cchc.core.health.HealthMiddleware",  # /healthz, /readyz: before host checks, HTTPS redirect and sessions
    "django.middleware.security.SecurityMiddleware",
    "cchc.core.csp.ContentSecurityPolicy",  # CSP=1|report-only|0; scripts need request.csp_nonce
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cchc.core.middleware.AdminOnlyForSystemAdmins",
    "cchc.core.middleware.StripNulFromQuery",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cchc" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cchc.core.context_processors.platform",
            ],
            # the number filters (vn_number, vn_points, vn_signed) and the reader filter (reader_text) in every template
            "builtins": ["cchc.core.templatetags.vn_format"],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'cchc.sqlite3'}"
if "DATABASE_URL" not in os.environ:
    # The embedded default lives under var/; create it so `cchc ...` works on a fresh checkout.
    try:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # read-only checkout: the database error that follows names the path
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # CONN_MAX_AGE, CONN_HEALTH_CHECKS, DB_CONNECT_TIMEOUT, DB_STATEMENT_TIMEOUT (cchc.core.envconf)
    DATABASES["default"] = envconf.tune_postgres(DATABASES["default"], os.environ)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at BEGIN,
        # so two writers queue instead of failing with "database is locked" at their first write.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("CCHC_SQLITE_TEST_NAME") or None}
else:
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("CCHC_PG_TEST_NAME") or None}
# A streaming replica for dashboards and reports (opt-in): GET requests under DATABASE_REPLICA_PATHS read
# from it, everything else (and every write) uses "default". See docs/deploy.md, cchc.core.dbrouter.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = envconf.tune_postgres(
        dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60), os.environ)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["cchc.core.dbrouter.ReplicaRouter"]
    MIDDLEWARE.append("cchc.core.dbrouter.ReplicaForPaths")
DATABASE_REPLICA_PATHS = [p.strip() for p in os.environ.get("DATABASE_REPLICA_PATHS", "/mot-cua/thong-ke/").split(",")
                          if p.strip()]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["cchc.accounts.backends.UsernamePhoneEmailBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/dang-nhap/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "vi")
# The pages are written in Vietnamese; Django's own strings (admin, forms, validation) follow them whatever
# the browser asks for (an English Accept-Language must not give an English admin next to Vietnamese pages).
LANGUAGES = [("vi", "Tiếng Việt")]
# Vietnamese for the Django strings its own "vi" catalogue lacks ("Show counts", …): cchc/locale wins.
LOCALE_PATHS = [BASE_DIR / "cchc" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "cchc" / "static"]
MEDIA_ROOT = Path(os.environ.get("CCHC_MEDIA_ROOT", VAR_DIR / "files"))
# Uploads are never served directly (views check permissions and stream them); this prefix is routed nowhere.
MEDIA_URL = "/_private-files/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "cchc.core.openapi.ApiSchema",  # + 4xx answers, nullable nested objects
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "cchc.core.errors.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "public_lookup": os.environ.get("CCHC_PUBLIC_LOOKUP_RATE", "30/min"),
        "anon": "120/min",
        "queue_issue": os.environ.get("CCHC_QUEUE_ISSUE_RATE", "60/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "cchc API",
    "DESCRIPTION": "Nền tảng cải cách hành chính: hồ sơ một cửa, danh mục TTHC, chỉ số CCHC.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # distinct names for choice sets whose field names collide (status, kind): no warnings under --fail-on-warn
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "cchc.units.models.UnitKind",
        "DossierStatusEnum": "cchc.dossiers.workflow.STATUS_CHOICES",
        "DocumentKindEnum": "cchc.dossiers.models.DossierDocument.KIND_CHOICES",
        "FeedbackKindEnum": "cchc.feedback.models.Kind",
        "FeedbackChannelEnum": "cchc.feedback.models.Channel",
        "ChannelEnum": "cchc.dossiers.models.Channel",  # the dossier channel keeps its name
        # a dossier's payment state (5 values) vs what a client may record (not_required is the system's own)
        "PaymentStatusEnum": "cchc.dossiers.models.PaymentStatus",
        "PaymentRecordStatusEnum": "cchc.dossiers.models.PAYMENT_RECORDABLE",
        "FeedbackStatusEnum": "cchc.feedback.models.Status",
        "FeedbackSubjectEnum": "cchc.feedback.models.Subject",
    },
}

# CACHE_URL: locmem://cchc (per process, the embedded default) or redis://127.0.0.1:6379/0 in production, so the
# API throttles, the lookup limit and the login limit (all on this "default" alias) count across workers.
# CACHE_KEY_PREFIX (default "cchc") separates instances sharing one Redis (one per province in a national setup).
CACHES = {"default": envconf.cache_from_url(os.environ.get("CACHE_URL"), key_prefix=os.environ.get("CACHE_KEY_PREFIX", "cchc"))}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("CCHC_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cchc@localhost")

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
# citizens: SESSION_COOKIE_AGE (14 days); staff: STAFF_SESSION_SECONDS (8 h) from login (cchc.core.sessions)
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(14 * 24 * 3600)))
STAFF_SESSION_SECONDS = int(os.environ.get("STAFF_SESSION_SECONDS", str(8 * 3600)))
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
X_FRAME_OPTIONS = "DENY"
# Production hardening. Headers are always on; HTTPS-only switches are opt-in through the environment so
# `make demo`, tests and a plain-HTTP local server keep working without variables. `cchc check --deploy`
# reports an error while SECRET_KEY is the built-in development key (cchc.core.checks).
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page (base.html hx-headers), never from the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0") or 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
# Key of the audit chain's HMAC hashes and signed checkpoint (cchc.core.audit); kept outside the database.
# Empty: derived from SECRET_KEY. Set it in production and never change it (old events would fail to verify).
AUDIT_KEY = os.environ.get("AUDIT_KEY", "")
# Parallel audit chains (streams): appends of different objects wait on different head rows. Raising it later is
# safe (new heads are created and signed); lowering it only stops new events from going to the higher streams.
AUDIT_STREAMS = int(os.environ.get("AUDIT_STREAMS", "16") or 16)

# Phản ánh, kiến nghị (docs/feedback.md): working days to classify/transfer and to answer, counted after the day of
# receipt. UNCONFIRMED against Decree 20/2008/NĐ-CP as amended by 92/2017/NĐ-CP, hence settings.
FEEDBACK_CLASSIFY_WORKING_DAYS = int(os.environ.get("CCHC_FEEDBACK_CLASSIFY_DAYS", "2"))
FEEDBACK_ANSWER_WORKING_DAYS = int(os.environ.get("CCHC_FEEDBACK_ANSWER_DAYS", "10"))
# Proxies whose X-Forwarded-For is believed (IPs or networks, comma-separated); none by default, so the
# throttles and the login limit count per REMOTE_ADDR (cchc.core.clientip).
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
if env_bool("CCHC_BEHIND_TLS_PROXY", False):  # only behind a proxy that sets X-Forwarded-Proto itself
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Outside systems (payment gateway, postal carrier, …): CCHC_INTEGRATION_<ADAPTER>_<KEY>; default backend "fake"
# (the local fake). See docs/integrations.md and cchc.integrations.registry.
INTEGRATIONS = envconf.integrations_from_env(os.environ)
# Notices to the applicant (cchc.integrations.notices): CCHC_SMS = fake | esms | off, CCHC_ZALO = fake | zns | off —
# shorthands of CCHC_INTEGRATION_SMS_BACKEND / CCHC_INTEGRATION_ZALO_BACKEND (keys, template ids: CCHC_INTEGRATION_*).
for _adapter in ("sms", "zalo"):
    if os.environ.get(f"CCHC_{_adapter.upper()}", "").strip():
        INTEGRATIONS.setdefault(_adapter, {}).setdefault("backend", os.environ[f"CCHC_{_adapter.upper()}"].strip().lower())
# Log in with the national electronic identity (OpenID Connect, cchc.identity, docs/integrations.md).
# CCHC_OIDC: "fake" (local fake provider: development, tests, demo; refused by settings_production), "real", "off".
OIDC_MODE = os.environ.get("CCHC_OIDC", "fake").strip().lower()
OIDC_ISSUER = os.environ.get("CCHC_OIDC_ISSUER", "")
OIDC_CLIENT_ID = os.environ.get("CCHC_OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("CCHC_OIDC_CLIENT_SECRET", "")
OIDC_SCOPE = os.environ.get("CCHC_OIDC_SCOPE", "openid profile")
# the claim carrying the personal ID number / enterprise code: VNeID's claim names are not public, set it from the
# provider's integration documents
OIDC_ID_NUMBER_CLAIM = os.environ.get("CCHC_OIDC_ID_NUMBER_CLAIM", "id_number")
OIDC_ACCOUNT_TYPE_CLAIM = os.environ.get("CCHC_OIDC_ACCOUNT_TYPE_CLAIM", "account_type")
OIDC_FAKE_ISSUER = os.environ.get("CCHC_OIDC_FAKE_ISSUER", "https://dinh-danh-gia-lap.cchc.invalid")

# Queue display board (cchc.counters): how often htmx re-fetches the board's live frame, in milliseconds
# (min 500); tests shorten it, a TV keeps the default 2.5 s.
QUEUE_BOARD_POLL_MS = max(500, int(os.environ.get("CCHC_QUEUE_BOARD_POLL_MS", "2500")))
# Demonstration only (`make demo` sets it): the kiosk issues numbers outside working hours too, and says so on the
# page, so that a visitor on a Sunday evening can follow a ticket from kiosk to counter to board.
QUEUE_KIOSK_ALWAYS_OPEN = env_bool("CCHC_QUEUE_KIOSK_ALWAYS_OPEN", False)

# National public-service portal synchronisation (cchc.portalsync): "fake" (local fake portal), "http"
# (PORTALSYNC_URL, PORTALSYNC_TOKEN; protocol not public, see docs/integrations.md) or "off" (events wait).
PORTALSYNC_MODE = os.environ.get("CCHC_PORTALSYNC", "fake").strip().lower()
PORTALSYNC_URL = os.environ.get("CCHC_PORTALSYNC_URL", "")
PORTALSYNC_TOKEN = os.environ.get("CCHC_PORTALSYNC_TOKEN", "")

# Kế hoạch CCHC: plan-issue deadline as MM-DD of the year before the plan year (province rule; each plan keeps its own
# editable deadline), and how many days before a task's deadline its head is reminded.
PROGRAMME_PLAN_DEADLINE = os.environ.get("CCHC_PLAN_DEADLINE", "12-31")
PROGRAMME_REMIND_DAYS = int(os.environ.get("CCHC_PLAN_REMIND_DAYS", "7"))

# The province this installation serves (its code): the default of public pages such as /cong-khai/. Empty: the
# province whose staff use the platform.
PLATFORM_PROVINCE = os.environ.get("CCHC_PROVINCE", "").strip()
