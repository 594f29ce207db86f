"""The overrides shipped with the code (data/overrides.csv): pure, no Django import.

Used by the reference loader, by `calendar_for` when the database has no national rows, by the benchmark
and by the pure tests.
"""

from __future__ import annotations

import csv
from datetime import date
from functools import lru_cache
from pathlib import Path

from .workdays import Override, WorkCalendar, WorkingHours

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_OVERRIDES = DATA_DIR / "overrides.csv"
_YES = {"có", "co", "true", "1", "yes", "x"}


def read_overrides(path: Path) -> tuple[Override, ...]:
    rows = []
    with Path(path).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rows.append(
                Override(
                    date=date.fromisoformat(row["date"].strip()),
                    is_working_day=row["is_working_day"].strip().lower() in _YES,
                    name=row["name"].strip(),
                    legal_document=(row.get("legal_document") or "").strip(),
                    source_url=(row.get("source_url") or "").strip(),
                    meta={"note": (row.get("note") or "").strip()},
                )
            )
    return tuple(rows)


@lru_cache(maxsize=1)
def shipped_overrides() -> tuple[Override, ...]:
    """National overrides shipped with the code (official notices 2023–2026), in file order."""
    return read_overrides(SHIPPED_OVERRIDES)


def national_calendar(*, hours: WorkingHours | None = None, years=range(2010, 2041)) -> WorkCalendar:
    """The national calendar from the `holidays` package and the shipped overrides only (no database)."""
    return WorkCalendar.vietnam(overrides=shipped_overrides(), hours=hours or WorkingHours(), years=years)
