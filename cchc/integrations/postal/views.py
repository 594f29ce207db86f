"""Pages: "Theo dõi bưu gửi" for the citizen and staff; staff list and hand-over."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cchc.accounts.permissions import filter_by_scope, in_scope
from cchc.core.errors import DomainError
from cchc.dossiers.models import Dossier
from cchc.integrations.models import PostalShipment

from . import services


def _staff(user) -> bool:
    return bool(getattr(user, "is_staff_member", False) or user.is_superuser)


@login_required
def my_shipments(request):
    """Theo dõi bưu gửi (citizen): results of my dossiers sent by post."""
    rows = PostalShipment.objects.filter(dossier__applicant_user=request.user).select_related("dossier", "dossier__procedure").prefetch_related("events")
    return render(request, "integrations/postal_list.html", {"rows": rows, "staff": False})


@login_required
def staff_shipments(request):
    if not _staff(request.user):
        raise Http404
    rows = filter_by_scope(PostalShipment.objects.select_related("dossier", "dossier__unit").prefetch_related("events"), request.user, "dossier__unit")[:200]
    return render(request, "integrations/postal_list.html", {"rows": rows, "staff": True, "error": request.GET.get("loi", "")})


@login_required
@require_POST
def handover(request):
    if not _staff(request.user):
        raise Http404
    d = Dossier.objects.filter(code=request.POST.get("code", "").strip()).first()
    if d is None or not in_scope(request.user, d.unit):
        rows = filter_by_scope(PostalShipment.objects.select_related("dossier"), request.user, "dossier__unit")[:200]
        return render(request, "integrations/postal_list.html", {"rows": rows, "staff": True, "error": "code: không tìm thấy hồ sơ trong phạm vi của bạn."}, status=400)
    try:
        s = services.postal_handover(dossier=d, actor=request.user)
    except DomainError as exc:
        rows = filter_by_scope(PostalShipment.objects.select_related("dossier"), request.user, "dossier__unit")[:200]
        return render(request, "integrations/postal_list.html", {"rows": rows, "staff": True, "error": exc.message}, status=exc.status_code)
    return redirect("integrations:postal_track", waybill=s.waybill)


@login_required
def track(request, waybill: str):
    s = PostalShipment.objects.select_related("dossier", "dossier__unit", "dossier__procedure").filter(waybill=waybill).first()
    if s is None or not (s.dossier.applicant_user_id == request.user.pk or (_staff(request.user) and in_scope(request.user, s.dossier.unit))):
        raise Http404
    return render(request, "integrations/postal_track.html", {"s": s, "events": s.events.all(), "staff": _staff(request.user)})
