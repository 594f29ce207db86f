"""Trang báo cáo sơ kết / tổng kết CCHC (Vietnamese pages).

/bao-cao-cchc/?ky=2026                          choose the period, links to the preview and the downloads
/bao-cao-cchc/xem/?ky=2026                      the report as HTML (the same template as the PDF)
/bao-cao-cchc/tai/?ky=2026&dinh_dang=docx|pdf   the file
System administrators add &tinh=CODE. Everything comes from services.report_build (the CLI's function).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cchc.core.errors import DomainError

from . import access
from .services import CONTENT_TYPES, file_name, report_build, report_period


def _error(request, exc: DomainError):
    status = getattr(exc, "status_code", 400)
    return render(request, "core/error.html", {"status": status, "title": "Không lập được báo cáo", "message": exc.message},
                  status=status)


def period_choices(today) -> list[tuple[str, str]]:
    """This year's and last year's reports that have started: year first (the December conference), then H1."""
    out = []
    for year in (today.year, today.year - 1):
        out.append((str(year), f"Tổng kết năm {year}" + (" (tính đến ngày báo cáo)" if year == today.year else "")))
        out.append((f"{year}H1", f"Sơ kết 6 tháng đầu năm {year}"))
    return out


def _context(request):
    today = timezone.localdate()
    province = access.resolve_province(request.user, request.GET.get("tinh") or None)
    raw = (request.GET.get("ky") or "").strip() or str(today.year)
    period = report_period(raw, today)
    return province, period, today


@login_required
def index(request):
    try:
        province, period, today = _context(request)
    except DomainError as exc:
        return _error(request, exc)
    query = f"ky={period.code}" + (f"&tinh={province.code}" if request.GET.get("tinh") else "")
    return render(request, "reports/index.html", {"province": province, "period": period, "periods": period_choices(today),
                                                  "query": query, "tinh": request.GET.get("tinh", "")})


@login_required
def preview(request):
    try:
        province, period, _ = _context(request)
        report, _data = report_build(province=province, period_text=period.code, fmt="html")
    except DomainError as exc:
        return _error(request, exc)
    from .render import DOCUMENT_CSS

    query = f"ky={period.code}" + (f"&tinh={province.code}" if request.GET.get("tinh") else "")
    return render(request, "reports/preview.html", {"r": report, "css": DOCUMENT_CSS, "query": query})


@login_required
def download(request):
    fmt = (request.GET.get("dinh_dang") or "").strip().lower()
    try:
        province, period, _ = _context(request)
        if fmt not in ("docx", "pdf"):
            raise DomainError(f"dinh_dang: định dạng {fmt!r} không hỗ trợ (docx hoặc pdf).", code="invalid_choice", field="dinh_dang")
        _report, data = report_build(province=province, period_text=period.code, fmt=fmt)
    except DomainError as exc:
        return _error(request, exc)
    resp = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    resp["Content-Disposition"] = f'attachment; filename="{file_name(province, period, fmt)}"'
    return resp
