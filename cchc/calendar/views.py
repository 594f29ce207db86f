"""Pages of cchc.calendar: /lich/ (a year's days off and make-up days) and the due-time calculator (htmx)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.shortcuts import redirect, render

from cchc.core.errors import DomainError

from .parsing import parse_amount, parse_moment
from .selectors import due_summary, overrides_for_year, province_by_code
from .services import calendar_for
from .workdays import UNIT_LABELS_VI, UNIT_SAME_DAY, UNITS

UNIT_LABELS = UNIT_LABELS_VI
WEEKDAYS_VI = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


def _provinces():
    from cchc.units.models import Unit, UnitKind

    try:
        return list(Unit.objects.filter(kind=UnitKind.PROVINCE, is_active=True).order_by("name").values("code", "name"))
    except Exception:  # database not migrated yet: the page still shows the national calendar
        return []


def _province(request, errors: list):
    try:
        return province_by_code(request.GET.get("tinh"), field="tinh")
    except DomainError as exc:
        errors.append(exc.message[:1].upper() + exc.message[1:])
        return None


def calendar_page(request):
    """Lịch làm việc: ngày nghỉ và ngày làm bù của một năm, giờ làm việc, máy tính hạn giải quyết."""
    errors: list[str] = []
    today = date.today()
    try:
        year = int(request.GET.get("nam") or today.year)
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        errors.append("Năm không hợp lệ; hiển thị năm hiện tại.")
        year = today.year
    province = _province(request, errors)
    cal = calendar_for(province)
    start, end = date(year, 1, 1), date(year, 12, 31)
    days_off = [
        {"date": d, "weekday": WEEKDAYS_VI[d.weekday()], "name": n} for d, n in cal.non_working_weekdays(start, end)
    ]
    make_up = [
        {"date": d, "weekday": WEEKDAYS_VI[d.weekday()], "name": n} for d, n in cal.working_weekend_days(start, end)
    ]
    context = {
        "year": year,
        "years": sorted(set(range(today.year - 3, today.year + 3)) | {year}),  # the shown year is always selectable
        "province": province,
        "provinces": _provinces(),
        "hours": cal.hours.as_strings(),
        "working_days": cal.working_days_between(start, end),
        "days_off": days_off,
        "make_up": make_up,
        "overrides": overrides_for_year(year, province),
        "errors": errors,
        "units": [(u, UNIT_LABELS[u]) for u in UNITS],
        "calendar_version": cal.fingerprint,
        "form": {"received": "", "amount": "", "unit": "working_days"},
    }
    return render(request, "calendar/index.html", context)


def due_calculator(request):
    """Máy tính hạn giải quyết: trả phần kết quả cho htmx, hoặc cả trang khi gọi trực tiếp."""
    q = request.GET
    if not q and not request.htmx:  # opened without input (a bookmark, the back button): show the form on /lich/
        return redirect("calendar:page")
    unit = q.get("don_vi") or "working_days"
    result, error = None, None
    try:
        if unit not in UNITS:
            raise DomainError("Đơn vị thời hạn không hợp lệ.", field="don_vi")
        amount = parse_amount(q.get("so") or "0", field="so") if unit != UNIT_SAME_DAY else 0
        received = parse_moment(q.get("tiep_nhan"), field="tiep_nhan", tz=ZoneInfo("Asia/Ho_Chi_Minh"))
        province = province_by_code(q.get("tinh"), field="tinh")
        summary = due_summary(received=received, amount=amount, unit=unit, province=province)
        result = {
            "received": datetime.fromisoformat(summary["received"]),
            "counted_from": datetime.fromisoformat(summary["counted_from"]),
            "due": datetime.fromisoformat(summary["due"]),
            "label": "trong ngày" if unit == UNIT_SAME_DAY else f"{q.get('so')} {UNIT_LABELS[unit]}",
        }
        for key in ("received", "counted_from", "due"):
            result[key + "_weekday"] = WEEKDAYS_VI[result[key].weekday()]
    except DomainError as exc:
        error = exc.message[:1].upper() + exc.message[1:]
    template = "calendar/_due_result.html" if request.htmx else "calendar/due_page.html"
    status = 400 if error and not request.htmx else 200  # htmx swaps only 2xx answers
    return render(request, template, {"result": result, "error": error, "q": q}, status=status)
