"""Reference data: the 34 provincial units from 1 July 2025 and the 63 provinces before them.

Sources (see docs/units.md): Nghị quyết 202/2025/QH15 (12/06/2025) on the merger of provinces,
Quyết định 19/2025/QĐ-TTg (Bảng danh mục và mã số các đơn vị hành chính Việt Nam) for the new codes,
the classic GSO codes 01 … 96 for the 63 old provinces.

Model: two rows per province even when it was not merged: the old row keeps the old code as
history (kind OLD_PROVINCE, valid_to 2025-06-30, `code` = "old-<code>", `admin_code` = "<code>")
and links to its successor; the new row has the official new code as `code` and `admin_code`,
valid_from 2025-07-01. So series on the 63-province system and on the 34-province system both work.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.db import transaction

from cchc.core.textfold import nfc

from .models import Unit, UnitKind

DATA_DIR = Path(__file__).resolve().parent / "data"
REFORM_DATE = dt.date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = dt.date(2025, 6, 30)
OLD_CODE_PREFIX = "old-"

REGIONS = (
    "Đồng bằng sông Hồng",
    "Trung du và miền núi phía Bắc",
    "Bắc Trung Bộ và Duyên hải miền Trung",
    "Tây Nguyên",
    "Đông Nam Bộ",
    "Đồng bằng sông Cửu Long",
)


def old_province_code(admin_code: str) -> str:
    """Unit.code of a pre-2025 province from its GSO code: "72" -> "old-72"."""
    return f"{OLD_CODE_PREFIX}{admin_code}"


def _rows(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return [{k: nfc(v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def new_province_rows() -> list[dict]:
    return _rows("provinces_2025.csv")


def old_province_rows() -> list[dict]:
    return _rows("provinces_63.csv")


def _wanted() -> tuple[dict[str, dict], dict[str, str]]:
    """code -> field values, and old code -> successor code."""
    wanted: dict[str, dict] = {}
    for row in new_province_rows():
        wanted[row["code"]] = dict(
            name=row["name"], short_name=row["short_name"], kind=UnitKind.PROVINCE, region=row["region"],
            valid_from=REFORM_DATE, valid_to=None, admin_code=row["code"], aliases=row["aliases"], is_active=True,
        )
    successors = {}
    for row in old_province_rows():
        code = old_province_code(row["code"])
        wanted[code] = dict(
            name=row["name"], short_name=row["short_name"], kind=UnitKind.OLD_PROVINCE, region=row["region"],
            valid_from=None, valid_to=LAST_DAY_BEFORE_REFORM, admin_code=row["code"], aliases=row["aliases"],
            is_active=False,
        )
        successors[code] = row["successor"]
    return wanted, successors


def load(*, stdout=None) -> dict:
    """Create or update the 97 province rows and their successor links (idempotent)."""
    wanted, successors = _wanted()
    existing = {u.code: u for u in Unit.objects.filter(code__in=list(wanted))}
    created = updated = 0
    with transaction.atomic():
        for code, fields in wanted.items():
            unit = existing.get(code)
            if unit is None:
                unit = Unit(code=code, **fields)
                unit.save()
                existing[code] = unit
                created += 1
                continue
            changed = [k for k, v in fields.items() if getattr(unit, k) != v]
            if changed:
                for k in changed:
                    setattr(unit, k, fields[k])
                unit.save()
                updated += 1
        through = Unit.successors.through
        have = set(
            through.objects.filter(from_unit__code__in=list(successors)).values_list("from_unit_id", "to_unit_id")
        )
        need = {(existing[old].pk, existing[new].pk) for old, new in successors.items()}
        missing = need - have
        if missing:
            through.objects.bulk_create([through(from_unit_id=a, to_unit_id=b) for a, b in missing])
        if created or updated or missing:
            from cchc.core.audit import audit_record

            audit_record(
                actor="system", action="units.reference_load", object_type="units.unit", object_id="provinces",
                data={"created": created, "updated": updated, "links": len(missing)},
            )
    summary = {"provinces": 34, "old_provinces": 63, "created": created, "updated": updated, "links_added": len(missing)}
    if stdout is not None and (created or updated or missing):
        stdout.write(f"units: {created} tạo mới, {updated} cập nhật, {len(missing)} liên kết kế thừa\n")
    return summary
