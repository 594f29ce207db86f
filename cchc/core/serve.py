"""`cchc serve`: the production web server (gunicorn with cchc/gunicorn_conf.py).

    cchc serve [--bind 127.0.0.1:8000] [--workers N] [--threads N] [--timeout S] [-- extra gunicorn options]

The options override WEB_CONCURRENCY / WEB_THREADS / WEB_TIMEOUT / CCHC_BIND for this run. The command
replaces itself with gunicorn (exec), so a process manager's signals reach gunicorn's master directly
(HUP reloads workers, TERM stops gracefully). `cchc runserver` stays the development server.
"""

from __future__ import annotations

import os
import sys

WSGI_APP = "cchc.wsgi:application"
CONFIG = "python:cchc.gunicorn_conf"


def register(sub) -> None:
    p = sub.add_parser("serve", help="production web server (gunicorn; settings from the environment)")
    p.add_argument("--bind", help="address:port (default $CCHC_BIND or 127.0.0.1:8000)")
    p.add_argument("--workers", type=int, help="worker processes (default $WEB_CONCURRENCY or 2)")
    p.add_argument("--threads", type=int, help="threads per worker (default $WEB_THREADS or 4)")
    p.add_argument("--timeout", type=int, help="worker timeout in seconds (default $WEB_TIMEOUT or 30)")
    p.add_argument("--print-command", action="store_true", help="print the gunicorn command and exit")
    p.add_argument("extra", nargs="*", help="further gunicorn options, after --")
    p.set_defaults(func=handle, needs_django=False)


def gunicorn_command(args, env: dict) -> tuple[list[str], dict]:
    """The argv and environment `cchc serve` executes (pure: tested without starting anything)."""
    from cchc import settings_module
    from cchc.cli import CliError

    env = dict(env)
    for value, name, option in ((args.workers, "WEB_CONCURRENCY", "--workers"), (args.threads, "WEB_THREADS", "--threads"),
                                (args.timeout, "WEB_TIMEOUT", "--timeout")):
        if value is not None:
            if value < 1:
                raise CliError(f"{option} phải ≥ 1 (nhận {value})")
            env[name] = str(value)
    if args.bind:
        env["CCHC_BIND"] = args.bind
    env.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
    argv = [sys.executable, "-m", "gunicorn", "--config", CONFIG, *args.extra, WSGI_APP]
    return argv, env


def handle(args) -> int:
    from cchc.cli import CliError

    try:
        import gunicorn  # noqa: F401
    except ImportError:
        raise CliError("chưa cài gunicorn: chạy `.venv/bin/pip install -e .` (gunicorn là phụ thuộc của cchc)") from None
    argv, env = gunicorn_command(args, os.environ)
    if args.print_command:
        print(" ".join(argv))
        return 0
    sys.stdout.flush()
    os.execvpe(argv[0], argv, env)
    return 0  # pragma: no cover - exec does not return
