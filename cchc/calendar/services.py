"""Services of cchc.calendar: build the calendar in force for a province, and edit its overrides.

`calendar_for(province)` is what the rest of the platform calls to compute due times. It is cached per
province and rebuilt automatically when the overrides or working hours in the database change (the cache
key includes a cheap fingerprint of those rows, so every process sees an admin's edit at once).
If the calendar tables do not exist yet, or hold no national rows, the overrides shipped in
`cchc/calendar/data/overrides.csv` are used, so due dates are right on a brand-new database too.
"""

from __future__ import annotations

import logging
import threading
from datetime import date, time

from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Max, Q

from cchc.core.audit import audit_record
from cchc.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError

from .models import HolidayOverride, ProvinceWorkingHours
from .shipped import shipped_overrides
from .workdays import Override, WorkCalendar, WorkingHours

logger = logging.getLogger(__name__)
_cache: dict[tuple, WorkCalendar] = {}
_cache_lock = threading.Lock()
_CACHE_MAX = 256
CALENDAR_YEARS = range(2010, 2041)  # holidays computed for these years; outside them only weekends count


def _province_id(province) -> int | None:
    if province is None:
        return None
    if isinstance(province, int):
        return province
    pid = getattr(province, "province_id", None)
    return pid if pid is not None else province.pk


def _safe_read(fn):
    """Run a read; None if the calendar tables are missing (database not migrated yet)."""
    try:
        if connection.in_atomic_block:
            with transaction.atomic():  # a savepoint, so a failed read does not break the caller's transaction
                return fn()
        return fn()
    except DatabaseError:
        return None


def _db_state(pid: int | None):
    def read():
        national = HolidayOverride.objects.filter(province__isnull=True).aggregate(n=Count("id"), m=Max("updated_at"))
        own = None
        hours = None
        if pid is not None:
            own = HolidayOverride.objects.filter(province_id=pid).aggregate(n=Count("id"), m=Max("updated_at"))
            hours = ProvinceWorkingHours.objects.filter(province_id=pid).values_list(
                "morning_start", "morning_end", "afternoon_start", "afternoon_end", "updated_at"
            ).first()
        return (
            national["n"], str(national["m"]),
            own and own["n"], own and str(own["m"]),
            hours,
        )

    return _safe_read(read)


def _db_overrides(pid: int | None, *, include_national: bool) -> list[Override]:
    q = Q(province_id=pid) if pid is not None else Q(pk__in=[])
    if include_national:
        q |= Q(province__isnull=True)
    rows = HolidayOverride.objects.filter(q).order_by("date").values_list(
        "date", "is_working_day", "name", "legal_document", "source_url", "province_id"
    )
    national = [Override(d, w, n, doc, url) for d, w, n, doc, url, p in rows if p is None]
    own = [Override(d, w, n, doc, url) for d, w, n, doc, url, p in rows if p is not None]
    return national + own  # province rows last: they win on the same date


def calendar_for(province=None) -> WorkCalendar:
    """Lịch làm việc in force for `province` (a units.Unit, a unit inside a province, its id, or None = national)."""
    pid = _province_id(province)
    state = _db_state(pid)
    key = (pid, state)
    cal = _cache.get(key)
    if cal is not None:
        return cal
    hours = WorkingHours()
    if state is None:  # tables missing: shipped national overrides, default hours
        overrides = list(shipped_overrides())
    else:
        national_rows = state[0]
        overrides = [] if national_rows else list(shipped_overrides())
        overrides += _db_overrides(pid, include_national=bool(national_rows))
        if state[4] is not None:
            ms, me, as_, ae, _ = state[4]
            try:
                hours = WorkingHours(morning=(ms, me), afternoon=(as_, ae))
            except ValueError:  # a row written around the service; keep computing with the default hours
                logger.warning("Giờ làm việc không hợp lệ của tỉnh id=%s; dùng giờ mặc định.", pid)
    cal = WorkCalendar.vietnam(overrides=overrides, hours=hours, years=CALENDAR_YEARS)
    with _cache_lock:
        if len(_cache) >= _CACHE_MAX:
            _cache.clear()
        _cache[key] = cal
    return cal


def calendar_cache_clear() -> None:
    with _cache_lock:
        _cache.clear()


# ---------------------------------------------------------------------------- writes (audited)
def _check_may_edit(actor, province) -> None:
    if actor is None or isinstance(actor, str):  # system jobs (reference loader, CLI setup)
        return
    from cchc.accounts.permissions import can

    allowed = can(actor, "admin") if province is None else can(actor, "manage", province)
    if not allowed:
        raise ForbiddenError("Bạn không có quyền sửa lịch làm việc của đơn vị này.", code="calendar_forbidden")


def _require_province(province):
    from cchc.units.models import UnitKind

    if province is not None and province.kind not in (UnitKind.PROVINCE, UnitKind.OLD_PROVINCE):
        raise DomainError("Chỉ đặt lịch riêng cho cấp tỉnh/thành phố.", code="calendar_not_province", field="province")


def _override_snapshot(obj: HolidayOverride | None) -> dict:
    if obj is None:
        return {}
    return {
        "date": obj.date.isoformat(), "is_working_day": obj.is_working_day, "name": obj.name,
        "legal_document": obj.legal_document, "source_url": obj.source_url,
        "province": obj.province.code if obj.province_id else None,
    }


@transaction.atomic
def holiday_override_save(
    *,
    actor,
    date: date,
    is_working_day: bool,
    name: str,
    legal_document: str = "",
    source_url: str = "",
    note: str = "",
    province=None,
    override_id: int | None = None,
) -> HolidayOverride:
    """Đặt (tạo hoặc sửa) một điều chỉnh lịch cho một ngày, toàn quốc hoặc của một tỉnh; ghi nhật ký.

    Without `override_id` the row of that date (and province) is created or updated; with it, that row is
    edited, and may move to another date or province.
    """
    _require_province(province)
    _check_may_edit(actor, province)
    name = (name or "").strip()
    if not name:
        raise DomainError("Cần ghi tên ngày nghỉ / lý do điều chỉnh.", code="required", field="name")
    clash = HolidayOverride.objects.select_for_update().filter(date=date)
    clash = clash.filter(province__isnull=True) if province is None else clash.filter(province=province)
    if override_id is not None:
        obj = HolidayOverride.objects.select_for_update().filter(pk=override_id).first()
        if obj is None:
            raise NotFoundError("Không tìm thấy điều chỉnh lịch.", code="calendar_override_not_found")
        _check_may_edit(actor, obj.province)
        if clash.exclude(pk=obj.pk).exists():
            raise ConflictError("Ngày này đã có một điều chỉnh lịch.", code="calendar_override_exists", field="date")
    else:
        obj = clash.first()
    before = _override_snapshot(obj)
    if obj is None:
        obj = HolidayOverride(date=date, province=province)
    obj.date, obj.province = date, province
    obj.is_working_day = bool(is_working_day)
    obj.name = name
    obj.legal_document = (legal_document or "").strip()
    obj.source_url = (source_url or "").strip()
    obj.note = note or ""
    obj.save()
    audit_record(
        actor=actor, action="calendar.override_saved", obj=obj,
        from_state="" if not before else ("working" if before["is_working_day"] else "off"),
        to_state="working" if obj.is_working_day else "off",
        reason=obj.legal_document, data={"before": before, "after": _override_snapshot(obj)},
    )
    return obj


@transaction.atomic
def holiday_override_delete(*, actor, override_id: int, reason: str = "") -> None:
    """Xóa một điều chỉnh lịch (ngày đó trở về theo luật/thư viện); ghi nhật ký."""
    obj = HolidayOverride.objects.select_for_update().filter(pk=override_id).first()
    if obj is None:
        raise NotFoundError("Không tìm thấy điều chỉnh lịch.", code="calendar_override_not_found")
    _check_may_edit(actor, obj.province)
    before = _override_snapshot(obj)
    audit_record(
        actor=actor, action="calendar.override_deleted", obj=obj,
        from_state="working" if obj.is_working_day else "off", to_state="deleted", reason=reason, data={"before": before},
    )
    obj.delete()


@transaction.atomic
def province_working_hours_set(
    *,
    actor,
    province,
    morning_start: time,
    morning_end: time,
    afternoon_start: time,
    afternoon_end: time,
    legal_document: str = "",
) -> ProvinceWorkingHours:
    """Đặt giờ làm việc của một tỉnh; ghi nhật ký."""
    if province is None:
        raise DomainError("Cần chọn tỉnh/thành phố.", code="required", field="province")
    _require_province(province)
    _check_may_edit(actor, province)
    try:
        WorkingHours(morning=(morning_start, morning_end), afternoon=(afternoon_start, afternoon_end))
    except ValueError as exc:
        raise DomainError(str(exc), code="calendar_bad_hours", field="morning_start") from exc
    obj = ProvinceWorkingHours.objects.select_for_update().filter(province=province).first()
    before = None if obj is None else WorkingHours(
        morning=(obj.morning_start, obj.morning_end), afternoon=(obj.afternoon_start, obj.afternoon_end)
    ).as_strings()
    if obj is None:
        obj = ProvinceWorkingHours(province=province)
    obj.morning_start, obj.morning_end = morning_start, morning_end
    obj.afternoon_start, obj.afternoon_end = afternoon_start, afternoon_end
    obj.legal_document = legal_document or ""
    obj.save()
    after = WorkingHours(morning=(morning_start, morning_end), afternoon=(afternoon_start, afternoon_end)).as_strings()
    audit_record(
        actor=actor, action="calendar.hours_set", obj=obj, reason=obj.legal_document,
        data={"province": province.code, "before": before, "after": after},
    )
    return obj
