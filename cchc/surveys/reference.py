"""Reference data of cchc.surveys: the SIPAS questionnaire (version 1); and, for the demo, the shipped
published national results.

Idempotent and fast when loaded: the questionnaire is created once per (code, version); each shipped
CSV is imported through `published_results_import`, which is itself idempotent (natural key per
figure), so a demo database made with an older data file receives the rows added since, and a
second run reports every row as unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
# Aggregates first: the results import checks a complete table's mean against the published average.
SHIPPED = ("par_sipas_aggregates.csv", "par_index_published.csv", "sipas_published.csv")


def questionnaire_spec() -> dict:
    return json.loads((DATA_DIR / "sipas_questionnaire_v1.json").read_text(encoding="utf-8"))


def ensure_questionnaire():
    from .models import Questionnaire
    from .services import questionnaire_create

    spec = questionnaire_spec()
    existing = Questionnaire.objects.filter(code=spec["code"], version=spec["version"]).first()
    if existing is not None:
        return existing, False
    q = questionnaire_create(
        code=spec["code"], version=spec["version"], title=spec["title"], methodology=spec["methodology"],
        effective_from=dt.date.fromisoformat(spec["effective_from"]), description=spec["description"],
        aspects=spec["aspects"],
    )
    return q, True


def load(*, stdout=None) -> dict:
    """Reference data every installation needs: the SIPAS questionnaire.

    The published national results are NOT loaded here: they are the province's own records, entered with
    `cchc index import-results FILE` (so a first import reports what it imported and flagged); the demo
    province loads the shipped files through `load_published`.
    """
    with transaction.atomic():
        _, created = ensure_questionnaire()
    return {"questionnaire_created": created}


def load_published(*, stdout=None) -> dict:
    """Import the shipped published PAR INDEX / SIPAS results and national aggregates (demo).

    Every run imports every shipped file (idempotent: unchanged rows stay unchanged), so rows added to
    the shipped files reach an existing demo database too.
    """
    from .services import published_results_import

    summary: dict = {}
    for name in SHIPPED:
        result = published_results_import(path=DATA_DIR / name, actor=None)
        summary[name] = {k: (len(v) if isinstance(v, list) else v) for k, v in result.items()}
        if stdout is not None:
            stdout.write(f"surveys: {name}: {summary[name]}\n")
    return summary
