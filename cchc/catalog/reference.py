"""Reference data of the catalogue: the national procedure list and the search synonym table.

Loaded only when missing (empty tables), so `ensure_ready()` stays fast on a loaded database.
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOGUE_FILE = DATA_DIR / "tthc_catalogue.csv"
SYNONYMS_FILE = DATA_DIR / "synonyms.csv"


def synonym_rows() -> list[tuple[str, str]]:
    with SYNONYMS_FILE.open(encoding="utf-8") as handle:
        return [(r["term"], r["expansion"]) for r in csv.DictReader(handle)]


def load(*, stdout=None) -> dict:
    from .models import Procedure, SearchSynonym
    from .services import procedure_import, synonyms_load

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
    return summary
