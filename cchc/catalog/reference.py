"""Reference data of the catalogue: the national procedure list, the search synonym table and the checklists.

Loaded only when missing (empty tables), so `ensure_ready()` stays fast on a loaded database.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOGUE_FILE = DATA_DIR / "tthc_catalogue.csv"
SYNONYMS_FILE = DATA_DIR / "synonyms.csv"
CHECKLISTS_FILE = DATA_DIR / "checklists.csv"
# The crawl (2026) describes the procedures as amended for two-tier local government, in force from 1/7/2025
CHECKLISTS_FROM = dt.date(2025, 7, 1)


def synonym_rows() -> list[tuple[str, str]]:
    with SYNONYMS_FILE.open(encoding="utf-8") as handle:
        return [(r["term"], r["expansion"]) for r in csv.DictReader(handle)]


def checklist_rows() -> list[dict]:
    """checklists.csv without its "#" source lines."""
    with CHECKLISTS_FILE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def load(*, stdout=None) -> dict:
    from .models import Checklist, Procedure, SearchSynonym
    from .services import SHIPPED_CHECKLIST_SOURCE, checklists_load, procedure_import, synonyms_load

    summary: dict = {}
    if not Procedure.objects.exists():
        result = procedure_import(path=CATALOGUE_FILE)
        summary["procedures"] = {k: (len(v) if k == "rejected" else v) for k, v in result.items() if k != "file"}
        if stdout is not None:
            stdout.write(
                f"Danh mục TTHC: {result['created']} thủ tục, {len(result['rejected'])} dòng bị loại, "
                f"{result['flagged_time']} thời hạn cần xác minh\n"
            )
    if not SearchSynonym.objects.exists():
        summary["synonyms"] = synonyms_load(rows=synonym_rows())
    if not Checklist.objects.filter(source__startswith=SHIPPED_CHECKLIST_SOURCE).exists():
        result = checklists_load(rows=checklist_rows(), effective_from=CHECKLISTS_FROM)
        summary["checklists"] = result
        if stdout is not None:
            stdout.write(f"Thành phần hồ sơ: {result['procedures']} thủ tục, {result['lines']} dòng\n")
    return summary
