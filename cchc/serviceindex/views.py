"""Trang Chỉ số 766 (pages, Vietnamese): the index with groups as bars, drill-down, early warning.

/chi-so-766/?ky=2026-10&don_vi=CODE&linh_vuc=…     the index of the province / a unit / a field
/chi-so-766/chi-tieu/<code>/?ky=…&don_vi=…          indicator → units below → dossiers / procedures with reasons
/chi-so-766/canh-bao/?so_ngay=2&don_vi=…            dossiers going late within N working days, points at risk
Every figure comes from compute / early_warning (the same functions as the API and the CLI).
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from cchc.core.errors import DomainError

from . import access, compute, early_warning
from .api import drilldown
from .periods import PeriodError, check_year, parse_period


def _error(request, exc: DomainError):
    return render(request, "core/error.html", {"status": getattr(exc, "status_code", 400), "title": "Không xem được Chỉ số 766",
                                               "message": exc.message}, status=getattr(exc, "status_code", 400))


def _period(request, today: date):
    raw = (request.GET.get("ky") or "").strip() or f"{today.year}-{today.month:02d}"
    try:
        return check_year(parse_period(raw)), None
    except PeriodError as exc:
        return parse_period(f"{today.year}-{today.month:02d}"), f"Kỳ không hợp lệ: {exc}; đang hiển thị tháng này."


def period_choices(today: date) -> list[tuple[str, str]]:
    """Kỳ chọn được: the last 12 months, the quarters and the years of this year and the last."""
    out = []
    y, m = today.year, today.month
    for _ in range(12):
        p = parse_period(f"{y}-{m:02d}")
        out.append((p.label, p.label_vi))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    for year in (today.year, today.year - 1):
        for q in range(4, 0, -1):
            p = parse_period(f"{year}-Q{q}")
            if p.date_from <= today:
                out.append((p.label, p.label_vi))
        out.append((str(year), f"Năm {year}"))
    return out


def unit_choices(user, province, unit) -> list:
    """Đơn vị chọn được: the province (not for unit heads), the viewer's unit and the units directly below it."""
    from cchc.accounts.models import Role

    if user.role == Role.UNIT_HEAD and not user.is_superuser:
        base = user.unit
        return [base, *compute.child_units(province, base)]
    return [None, *compute.child_units(province, None)]


def _fields(province) -> list[str]:
    from cchc.catalog.models import ProvinceProcedure

    return sorted({f for f in ProvinceProcedure.objects.filter(province=province).values_list("procedure__field", flat=True) if f})


@login_required
def index(request):
    """Chỉ số 766 của tỉnh / đơn vị: total, groups as bars, indicators with drill-down links, early warning."""
    now = timezone.now()
    today = timezone.localtime(now).date()
    period, notice = _period(request, today)
    try:
        province, unit = access.resolve_view(request.user, province_code=request.GET.get("tinh"), unit_code=request.GET.get("don_vi"))
        field = (request.GET.get("linh_vuc") or "").strip() or None
        result = compute.compute_index(province=province, period=period, unit=unit, field=field, now=now)
        warning = early_warning.going_late(province=province, days=early_warning.DEFAULT_DAYS, unit=unit, now=now)
    except DomainError as exc:
        return _error(request, exc)
    total = result["total"]
    chart = {"labels": [g["name"] for g in result["groups"]], "points": [g["points"] for g in result["groups"]],
             "max": [g["max"] for g in result["groups"]]}
    return render(request, "serviceindex/index.html", {
        "result": result, "total": total, "province": province, "unit": unit, "field": field, "period": period,
        "percent": round(total["points"] * 100 / total["max"], 2) if total["max"] else None,
        "notice": notice, "periods": period_choices(today), "units": unit_choices(request.user, province, unit),
        "fields": _fields(province), "chart": chart, "warning": warning, "warning_units": warning["units"][:8],
        "warning_dossiers": warning["dossiers"][:10], "may_enter": access.may_enter(request.user, province),
        "now": now,
    })


@login_required
def indicator_detail(request, code: str):
    """Chỉ tiêu → đơn vị → hồ sơ / thủ tục làm mất điểm."""
    today = timezone.localdate()
    period, notice = _period(request, today)
    try:
        province, unit = access.resolve_view(request.user, province_code=request.GET.get("tinh"), unit_code=request.GET.get("don_vi"))
        field = (request.GET.get("linh_vuc") or "").strip() or None
        drill = drilldown(province=province, period=period, indicator=code, unit=unit, field=field)
        result = compute.compute_index(province=province, period=period, unit=unit, field=field)
    except DomainError as exc:
        return _error(request, exc)
    current = next((i for g in result["groups"] for i in g["indicators"] if i["code"] == code), None)
    parent = None
    if unit is not None and unit.parent_id and unit.parent_id != province.pk and access.may_view(request.user):
        try:
            access.resolve_view(request.user, province_code=province.code, unit_code=unit.parent.code)
            parent = unit.parent
        except DomainError:
            parent = None
    return render(request, "serviceindex/indicator.html", {
        "drill": drill, "current": current, "field": field, "province": province, "unit": unit, "period": period, "notice": notice,
        "parent": parent, "show_province_link": unit is not None and access.may_view(request.user) and request.user.role != "unit_head",
    })


@login_required
def warnings_page(request):
    """Cảnh báo sớm: every dossier going late within N working days, and the points at risk per unit."""
    raw = (request.GET.get("so_ngay") or str(early_warning.DEFAULT_DAYS)).strip()
    days = int(raw) if raw.isdigit() and 1 <= int(raw) <= early_warning.MAX_DAYS else early_warning.DEFAULT_DAYS
    notice = None if raw == str(days) else f"Số ngày làm việc phải từ 1 đến {early_warning.MAX_DAYS}; đang dùng {days}."
    try:
        province, unit = access.resolve_view(request.user, province_code=request.GET.get("tinh"), unit_code=request.GET.get("don_vi"))
        warning = early_warning.going_late(province=province, days=days, unit=unit)
    except DomainError as exc:
        return _error(request, exc)
    return render(request, "serviceindex/warnings.html", {"warning": warning, "province": province, "unit": unit, "days": days,
                                                         "notice": notice, "day_choices": [1, 2, 3, 5, 10]})


@login_required
def warning_panel(request):
    """(htmx) The early-warning panel for the unit head's dashboard (empty for those who may not see it)."""
    from django.http import HttpResponse

    if not access.may_view(request.user):
        return HttpResponse("")
    try:
        province, unit = access.resolve_view(request.user)
        warning = early_warning.going_late(province=province, days=early_warning.DEFAULT_DAYS, unit=unit)
    except DomainError:
        return HttpResponse("")
    return render(request, "serviceindex/_warning_panel.html", {"warning": warning, "warning_units": warning["units"][:8],
                                                               "warning_dossiers": warning["dossiers"][:10], "unit": unit,
                                                               "standalone": True})
