"""calendar_for, override and working-hours services, the reference loader and the admin (database)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from cchc.accounts.models import Role
from cchc.calendar import reference
from cchc.calendar.models import HolidayOverride, ProvinceWorkingHours
from cchc.calendar.services import (
    calendar_for,
    holiday_override_delete,
    holiday_override_save,
    province_working_hours_set,
)
from cchc.calendar.shipped import shipped_overrides
from cchc.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from cchc.core.models import AuditEvent
from cchc.units.models import UnitKind
from cchc.units.tests.factories import make_province, make_unit, make_user

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


def test_without_any_rows_the_shipped_national_overrides_apply():
    assert HolidayOverride.objects.count() == 0
    cal = calendar_for(None)
    assert not cal.is_working_day(date(2026, 1, 2))
    assert cal.is_working_day(date(2026, 1, 10))


def test_reference_load_is_idempotent_and_audited():
    first = reference.load()
    assert first["overrides_created"] == len(shipped_overrides())
    assert reference.load() == {"overrides_created": 0, "overrides_total": len(shipped_overrides())}
    assert AuditEvent.objects.filter(action="calendar.override_loaded").count() == len(shipped_overrides())
    row = HolidayOverride.objects.get(date=date(2026, 1, 2), province__isnull=True)
    assert row.legal_document.startswith("Công văn 12729/VPCP-KGVX") and not row.is_working_day


def test_reference_load_keeps_an_administrators_edit():
    reference.load()
    holiday_override_save(actor=None, date=date(2026, 11, 24), is_working_day=False, name="Ngày Văn hóa Việt Nam")
    reference.load()
    assert not HolidayOverride.objects.get(date=date(2026, 11, 24), province__isnull=True).is_working_day


def test_an_edit_in_the_database_is_seen_by_the_next_calendar_for_call():
    reference.load()
    before = calendar_for(None)
    assert before.is_working_day(date(2026, 3, 2))
    row = holiday_override_save(actor=None, date=date(2026, 3, 2), is_working_day=False, name="Nghỉ đột xuất", legal_document="CV 1/UBND")
    after = calendar_for(None)
    assert not after.is_working_day(date(2026, 3, 2)) and after.fingerprint != before.fingerprint
    holiday_override_delete(actor=None, override_id=row.pk)
    assert calendar_for(None).is_working_day(date(2026, 3, 2))
    assert calendar_for(None).fingerprint == before.fingerprint


def test_calendar_for_is_cached_while_nothing_changes():
    reference.load()
    assert calendar_for(None) is calendar_for(None)


def test_a_province_override_applies_to_that_province_only_and_wins_over_a_national_row():
    reference.load()
    hanoi, hue = make_province("Thành phố Hà Nội"), make_province("Thành phố Huế")
    holiday_override_save(actor=None, date=date(2026, 1, 10), is_working_day=False, name="Không làm bù", province=hanoi)
    holiday_override_save(actor=None, date=date(2026, 3, 9), is_working_day=False, name="Lễ hội riêng", province=hanoi)
    assert not calendar_for(hanoi).is_working_day(date(2026, 1, 10))
    assert not calendar_for(hanoi).is_working_day(date(2026, 3, 9))
    assert calendar_for(hue).is_working_day(date(2026, 1, 10)) and calendar_for(hue).is_working_day(date(2026, 3, 9))
    assert calendar_for(None).is_working_day(date(2026, 3, 9))
    # a unit inside the province uses its province's calendar
    desk = make_unit(kind=UnitKind.ONE_STOP_DESK, parent=hanoi)
    assert not calendar_for(desk).is_working_day(date(2026, 3, 9))


def test_province_working_hours_move_opening_and_closing():
    province = make_province()
    province_working_hours_set(
        actor=None, province=province, morning_start=time(8, 0), morning_end=time(12, 0),
        afternoon_start=time(13, 0), afternoon_end=time(17, 0), legal_document="QĐ 12/UBND",
    )
    cal = calendar_for(province)
    assert cal.counted_from(vn("2026-03-02T07:45")) == vn("2026-03-02T08:00")
    assert cal.due(vn("2026-03-02T09:00"), 0, "same_day") == vn("2026-03-02T17:00")
    assert calendar_for(None).counted_from(vn("2026-03-02T07:45")) == vn("2026-03-02T07:45")
    event = AuditEvent.objects.get(action="calendar.hours_set")
    assert event.data["after"]["morning_start"] == "08:00"


def test_bad_working_hours_are_refused_and_nothing_is_written():
    province = make_province()
    with pytest.raises(DomainError):
        province_working_hours_set(
            actor=None, province=province, morning_start=time(12, 0), morning_end=time(8, 0),
            afternoon_start=time(13, 0), afternoon_end=time(17, 0),
        )
    assert not ProvinceWorkingHours.objects.exists()


def test_working_hours_are_set_on_provinces_only():
    department = make_unit(kind=UnitKind.DEPARTMENT, parent=make_province())
    with pytest.raises(DomainError):
        province_working_hours_set(
            actor=None, province=department, morning_start=time(8, 0), morning_end=time(12, 0),
            afternoon_start=time(13, 0), afternoon_end=time(17, 0),
        )


def test_override_save_updates_the_row_of_the_same_date_and_audits_before_and_after():
    holiday_override_save(actor=None, date=date(2026, 3, 2), is_working_day=False, name="Nghỉ")
    holiday_override_save(actor=None, date=date(2026, 3, 2), is_working_day=True, name="Làm việc lại")
    assert HolidayOverride.objects.filter(date=date(2026, 3, 2)).count() == 1
    last = AuditEvent.objects.filter(action="calendar.override_saved").order_by("-id").first()
    assert (last.from_state, last.to_state) == ("off", "working")
    assert last.data["before"]["name"] == "Nghỉ"


def test_moving_an_override_onto_a_date_that_has_one_is_a_conflict():
    a = holiday_override_save(actor=None, date=date(2026, 3, 2), is_working_day=False, name="A")
    holiday_override_save(actor=None, date=date(2026, 3, 3), is_working_day=False, name="B")
    with pytest.raises(ConflictError):
        holiday_override_save(actor=None, date=date(2026, 3, 3), is_working_day=False, name="A", override_id=a.pk)


def test_an_override_needs_a_name_and_deleting_a_missing_one_is_not_found():
    with pytest.raises(DomainError):
        holiday_override_save(actor=None, date=date(2026, 3, 2), is_working_day=False, name="  ")
    with pytest.raises(NotFoundError):
        holiday_override_delete(actor=None, override_id=999999)


def test_only_system_admins_edit_national_rows_and_province_staff_their_own_province():
    province, other = make_province(), make_province()
    officer = make_user(role=Role.ONE_STOP_OFFICER, unit=province)
    par_office = make_user(role=Role.PAR_OFFICE, unit=province)
    admin = make_user(role=Role.SYSTEM_ADMIN)
    with pytest.raises(ForbiddenError):
        holiday_override_save(actor=par_office, date=date(2026, 3, 2), is_working_day=False, name="X")
    with pytest.raises(ForbiddenError):
        holiday_override_save(actor=officer, date=date(2026, 3, 2), is_working_day=False, name="X", province=province)
    with pytest.raises(ForbiddenError):
        holiday_override_save(actor=par_office, date=date(2026, 3, 2), is_working_day=False, name="X", province=other)
    holiday_override_save(actor=par_office, date=date(2026, 3, 2), is_working_day=False, name="X", province=province)
    holiday_override_save(actor=admin, date=date(2026, 3, 2), is_working_day=False, name="X")
    assert HolidayOverride.objects.count() == 2


def test_admin_pages_list_and_save_overrides_through_the_service(client):
    admin = make_user(role=Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/quan-tri-he-thong/calendar/holidayoverride/").status_code == 200
    response = client.post(
        "/quan-tri-he-thong/calendar/holidayoverride/add/",
        {"date": "2026-03-02", "is_working_day": "", "name": "Nghỉ đột xuất", "legal_document": "CV 9", "source_url": "", "note": ""},
    )
    assert response.status_code == 302, response.content[:500]
    assert HolidayOverride.objects.get(date=date(2026, 3, 2)).name == "Nghỉ đột xuất"
    assert AuditEvent.objects.filter(action="calendar.override_saved", actor_id=admin.pk).exists()
    assert not calendar_for(None).is_working_day(date(2026, 3, 2))


def test_admin_refuses_working_hours_out_of_order_without_writing(client):
    admin = make_user(role=Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    province = make_province()
    response = client.post(
        "/quan-tri-he-thong/calendar/provinceworkinghours/add/",
        {"province": province.pk, "morning_start": "12:00", "morning_end": "08:00", "afternoon_start": "13:00",
         "afternoon_end": "17:00", "legal_document": ""},
    )
    assert response.status_code == 200 and "Giờ làm việc không hợp lệ" in response.content.decode()
    assert not ProvinceWorkingHours.objects.exists()
