"""Reference data of cchc.calendar: the national overrides shipped in data/overrides.csv (2023–2026).

Idempotent: a date that already has a national row is left as it is (an administrator may have edited it);
only missing dates are added, in one transaction with one audit event per row.
"""

from __future__ import annotations

from django.db import transaction

from cchc.core.audit import audit_record_many

from .models import HolidayOverride
from .services import calendar_cache_clear
from .shipped import shipped_overrides


def load(*, stdout=None) -> dict:
    shipped = shipped_overrides()
    existing = set(HolidayOverride.objects.filter(province__isnull=True).values_list("date", flat=True))
    missing = [o for o in shipped if o.date not in existing]
    if not missing:
        return {"overrides_created": 0, "overrides_total": len(existing)}
    with transaction.atomic():
        rows = HolidayOverride.objects.bulk_create(
            [
                HolidayOverride(
                    date=o.date, is_working_day=o.is_working_day, name=o.name, legal_document=o.legal_document,
                    source_url=o.source_url, note=o.meta.get("note", ""), province=None,
                )
                for o in missing
            ]
        )
        audit_record_many(
            [
                dict(
                    actor=None, action="calendar.override_loaded", object_type="calendar.holidayoverride",
                    object_id=o.date.isoformat(), to_state="working" if o.is_working_day else "off",
                    reason=o.legal_document, data={"date": o.date.isoformat(), "name": o.name, "source_url": o.source_url},
                )
                for o in missing
            ]
        )
    calendar_cache_clear()
    if stdout is not None:
        stdout.write(f"calendar: đã nạp {len(rows)} điều chỉnh lịch nghỉ toàn quốc\n")
    return {"overrides_created": len(rows), "overrides_total": len(existing) + len(rows)}
