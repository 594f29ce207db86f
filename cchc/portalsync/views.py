"""Page for the PAR office: /dong-bo-cong-dvc/ — reconciliation with the national portal and failed sends."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.accounts.permissions import can
from cchc.core.errors import DomainError
from cchc.units.models import Unit, UnitKind

from . import selectors, services


def _province(request):
    """The province the viewer oversees: a PAR office / system admin; ?tinh=CODE for system admins."""
    user = request.user
    code = (request.GET.get("tinh") or request.POST.get("tinh") or "").strip()
    if code:
        province = Unit.objects.filter(code=code, kind=UnitKind.PROVINCE).first()
    else:
        province = user.unit.province_unit if getattr(user, "unit_id", None) else None
    if province is None or not can(user, "appraise", province):
        raise PermissionDenied
    return province


@login_required
def reconcile_page(request):
    """Đối soát đồng bộ Cổng DVC quốc gia."""
    province = _province(request)
    today = timezone.localdate()
    try:
        date_from = date.fromisoformat(request.GET["tu"]) if request.GET.get("tu") else today.replace(day=1)
        date_to = date.fromisoformat(request.GET["den"]) if request.GET.get("den") else today
    except ValueError:
        date_from, date_to = today.replace(day=1), today
        messages.error(request, "tu/den: ngày phải theo dạng YYYY-MM-DD; đang hiển thị tháng này.")
    report = selectors.reconcile(province=province, received_from=date_from, received_to=date_to)
    return render(request, "portalsync/reconcile.html", {
        "province": province, "report": report, "date_from": date_from, "date_to": date_to,
        "sync_pct": None if report["sync_rate"] is None else report["sync_rate"] * 100,
        "counts": selectors.outbox_counts(province=province), "failed": selectors.failed_events(province=province),
        "max_attempts": services.MAX_ATTEMPTS,
    })


@login_required
@require_POST
def requeue(request):
    province = _province(request)
    try:
        ev = services.event_requeue(event_id=request.POST.get("event_id", ""), actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    except Exception:  # a malformed UUID
        messages.error(request, "event_id: mã sự kiện không hợp lệ.")
    else:
        messages.success(request, f"Đã đưa sự kiện của hồ sơ {ev.dossier_code} vào hàng đợi gửi lại.")
    return redirect(f"/dong-bo-cong-dvc/?tinh={province.code}")
