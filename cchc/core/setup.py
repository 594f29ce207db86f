"""Bring a database to a usable state: migrations, reference data, demo province.

Each app that ships reference data has `reference.py` with `load(*, stdout=None) -> dict`; each app that
adds to the demo province has `demo.py` with `build(ctx: dict, *, stdout=None) -> None`. Both are
idempotent: running them again changes nothing that is already there.
"""

from __future__ import annotations

import importlib
import sys

REFERENCE_LOADERS = [
    "cchc.units.reference",
    "cchc.calendar.reference",
    "cchc.catalog.reference",
    "cchc.indices.reference",
    "cchc.surveys.reference",
    "cchc.serviceindex.reference",
]

DEMO_BUILDERS = [
    "cchc.units.demo",
    "cchc.accounts.demo",
    "cchc.catalog.demo",
    "cchc.dossiers.demo",
    "cchc.dossiers.signing",
    "cchc.indices.demo",
    "cchc.surveys.demo",
    "cchc.inspections.demo",
    "cchc.integrations.demo",
    "cchc.commendations.demo",
    "cchc.portalsync.demo",
    "cchc.feedback.demo",
    "cchc.programme.demo",
    "cchc.counters.demo",
]


def _optional(module_name: str):
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise


def migrate_if_needed(stdout=None) -> bool:
    """Apply pending migrations; return True if any were applied."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return False
    call_command("migrate", interactive=False, verbosity=0, stdout=stdout or sys.stderr)
    return True


def load_reference(stdout=None) -> dict:
    summary = {}
    for name in REFERENCE_LOADERS:
        module = _optional(name)
        if module is not None:
            summary[name.split(".")[1]] = module.load(stdout=stdout)
    return summary


def ensure_ready(stdout=None) -> None:
    """For CLI commands that read reference data: migrate and load it if this database lacks it."""
    migrate_if_needed(stdout=stdout)
    load_reference(stdout=stdout)


def build_demo(stdout=None) -> dict:
    ctx: dict = {"logins": []}
    for name in DEMO_BUILDERS:
        module = _optional(name)
        if module is not None:
            module.build(ctx, stdout=stdout)
    return ctx
