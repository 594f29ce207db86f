"""The `cchc` console script.

Platform commands (stable; `--json` prints machine-readable output on stdout):
  cchc calendar due|workdays ...     working-day calendar
  cchc catalog import|search ...     procedure catalogue
  cchc units import ...              communes/wards registry
  cchc index score|import-results|report ...
  cchc users token USERNAME
  cchc audit verify
  cchc setup                         migrate and load reference data (idempotent)
  cchc demo                          build the demo province (idempotent)
  cchc backup -o FILE | restore FILE  database + uploaded files, one archive, either database
  cchc serve [--workers N ...]       production web server (gunicorn, settings from the environment)
  cchc integrations selftest [--json] [--only NAME]   contract checks of the outside-system adapters
Anything else is passed to Django's management commands with the settings preset:
  cchc migrate, cchc runserver, cchc createsuperuser, cchc spectacular, ...

Errors: a CliError prints "lỗi: ..." on stderr and exits with its code (2 for bad input); a DomainError
raised by a service does the same with exit code 2, so handlers need not convert it.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys

from cchc import settings_module

# command name -> module with `register(subparsers)`; each module adds exactly that command.
PLATFORM_COMMANDS = {
    "calendar": "cchc.calendar.cli",
    "catalog": "cchc.catalog.cli",
    "units": "cchc.units.cli",
    "index": "cchc.indices.cli",
    "users": "cchc.accounts.cli",
    "dossiers": "cchc.dossiers.cli",
    "rollups": "cchc.dossiers.rollups_cli",
    "audit": "cchc.core.cli",
    "setup": "cchc.core.cli",
    "demo": "cchc.core.cli",
    "backup": "cchc.core.cli",
    "restore": "cchc.core.cli",
    "serviceindex": "cchc.serviceindex.cli",
    "portalsync": "cchc.portalsync.cli",
    "serve": "cchc.core.serve",
    "integrations": "cchc.integrations.cli",
    "report": "cchc.reports.cli",
}

# modules with `extend(subparsers)` that add actions to another app's command group (a higher app
# extending a lower app's command; lower apps never import higher ones), called after every `register`.
COMMAND_EXTENSIONS = ["cchc.surveys.cli"]


class CliError(Exception):
    """Bad input or a failed precondition: message for a person, and the exit code."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.message = message
        self.code = code


def emit_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
    import django

    django.setup()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cchc", description="Nền tảng cải cách hành chính (CCHC)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    seen = set()
    for module_name in PLATFORM_COMMANDS.values():
        if module_name in seen:
            continue
        seen.add(module_name)
        importlib.import_module(module_name).register(sub)
    for module_name in COMMAND_EXTENSIONS:
        importlib.import_module(module_name).extend(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
    if not argv or argv[0] in {"-h", "--help"}:
        build_parser().print_help()
        print("\nMọi lệnh quản trị Django khác cũng dùng được: cchc migrate, cchc runserver, cchc spectacular, ...")
        return 0
    if argv[0] not in PLATFORM_COMMANDS:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["cchc", *argv])
        return 0
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "func", None)
    if handler is None:
        parser.parse_args([argv[0], "--help"])
        return 2
    try:
        if getattr(args, "needs_django", True):
            django_setup()
        result = handler(args)
        return int(result or 0)
    except CliError as exc:
        sys.stderr.write(f"lỗi: {exc.message}\n")
        return exc.code
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a service's DomainError is bad input too: one place turns it into "lỗi: …", exit 2
        from cchc.core.errors import DomainError

        if not isinstance(exc, DomainError):
            raise
        sys.stderr.write(f"lỗi: {exc.message}\n")
        return 2


def run() -> None:  # pragma: no cover - console entry
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
