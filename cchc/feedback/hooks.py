"""Wiring into the registries of lower apps (the index engine's metrics, the 766 index's input providers).

Lower apps never import this one; they expose a registry and this app registers its selectors from
`AppConfig.ready()`. When a registry is not there (an older checkout), nothing is registered.
"""

from __future__ import annotations

import importlib


def _optional(module_name: str):
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError:
        return None


def register_all() -> None:
    """Register what the registries on this checkout accept (see docs/feedback.md, "Feeding the indices")."""
    return None
