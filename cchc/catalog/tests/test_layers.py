"""The catalogue is a lower app: it never imports the dossier engine or anything above it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CATALOG = Path(__file__).resolve().parents[1]
HIGHER = ("cchc.dossiers", "cchc.indices", "cchc.surveys")


def _modules():
    for path in sorted(CATALOG.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        yield path


@pytest.mark.parametrize("path", list(_modules()), ids=lambda p: str(p.relative_to(CATALOG)))
def test_catalog_modules_import_no_higher_app(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(HIGHER):
            bad.append(node.module)
        elif isinstance(node, ast.Import):
            bad += [a.name for a in node.names if a.name.startswith(HIGHER)]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "get_model" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and first.value in ("dossiers", "indices", "surveys"):
                bad.append(f"get_model({first.value!r})")
    assert bad == [], f"{path.name} imports {bad}"
