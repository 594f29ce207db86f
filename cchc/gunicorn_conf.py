"""gunicorn settings for cchc, from the environment (cấu hình máy chủ web sản xuất).

    cchc serve                                   # = gunicorn -c python:cchc.gunicorn_conf cchc.wsgi:application
    WEB_CONCURRENCY=4 WEB_THREADS=8 cchc serve --bind 127.0.0.1:8000

CCHC_BIND        address to listen on (default 127.0.0.1:8000; nginx in front, see deploy/nginx-cchc.conf)
WEB_CONCURRENCY  worker processes (default 2: one per core on the reference machine)
WEB_THREADS      threads per worker (default 4); each thread keeps at most one database connection, so the
                 web tier never asks PostgreSQL for more than WEB_CONCURRENCY × WEB_THREADS connections
WEB_TIMEOUT      seconds a silent worker may take before it is restarted (default 30)
WEB_MAX_REQUESTS requests after which a worker is replaced (default 5000, ±10 % jitter): memory stays flat
WEB_ACCESS_LOG   "-" (stdout, default) or a file path; "" turns the access log off
DB_STATEMENT_TIMEOUT  set here to 25000 ms unless given: a page query never runs longer than the worker
                 timeout; the task worker and the CLI do not load this file and keep no limit

Why gthread: requests are short, mostly database-bound; threads share one copy of the code and catalogue
caches per process, and a fixed pool per worker is what bounds the database connections (the development
server opens one thread, and so one connection, per TCP connection).
"""

import os

from cchc import settings_module


def _int(name: str, default: int) -> int:
    try:
        return max(0, int(os.environ.get(name, "") or default))
    except ValueError:
        return default


bind = os.environ.get("CCHC_BIND", "127.0.0.1:8000").split(",")
workers = max(1, _int("WEB_CONCURRENCY", 2))
threads = max(1, _int("WEB_THREADS", 4))
worker_class = "gthread"
timeout = max(5, _int("WEB_TIMEOUT", 30))
graceful_timeout = timeout
keepalive = 5
max_requests = _int("WEB_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
proc_name = "cchc"
# nginx on the same machine sets X-Forwarded-Proto; only it is trusted to (gunicorn's own default too)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# the upload limit is Django's (DATA_UPLOAD_MAX_MEMORY_SIZE, the documents view); headers stay bounded here
limit_request_line = 8190
limit_request_fields = 100
# gunicorn ≥ 26 opens a control socket under $HOME by default; two servers on one machine (web + bench)
# would fight over it. WEB_CONTROL_SOCKET=/run/cchc/gunicorn.ctl turns it on at a path of its own.
control_socket_disable = not os.environ.get("WEB_CONTROL_SOCKET")
if os.environ.get("WEB_CONTROL_SOCKET"):
    control_socket = os.environ["WEB_CONTROL_SOCKET"]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
os.environ.setdefault("DB_STATEMENT_TIMEOUT", str(max(1000, (timeout - 5) * 1000)))


def when_ready(server):
    server.log.info(
        "cchc: %d workers × %d threads = at most %d database connections from the web tier "
        "(statement timeout %s ms)", workers, threads, workers * threads, os.environ["DB_STATEMENT_TIMEOUT"])
