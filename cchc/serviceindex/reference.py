"""Shipped 766 indicator set (idempotent loader, run by `cchc setup`): data/qd766_v1.json."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"
SHIPPED = ["qd766_v1.json"]


def load(*, stdout=None) -> dict:
    """Create the shipped versions that are missing; an existing version is never touched."""
    from .models import IndicatorSet
    from .services import indicator_set_create

    created = []
    for name in SHIPPED:
        spec = json.loads((DATA / name).read_text(encoding="utf-8"))
        if IndicatorSet.objects.filter(family=spec["family"], version=spec["version"]).exists():
            continue
        indicator_set_create(spec=spec, actor=None)
        created.append(f"{spec['family']} v{spec['version']}")
    if stdout is not None and created:
        stdout.write(f"serviceindex: đã nạp bộ chỉ số {', '.join(created)}\n")
    return {"indicator_sets_created": len(created)}
