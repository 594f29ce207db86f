"""Pages about apology letters (phiếu xin lỗi):

  /mot-cua/xin-loi/      staff: overdue dossiers without a letter (counts, links, "Lập văn bản xin lỗi"), letters
                         issued this year, and the unit's choice to publish its letters (head only, audited)
  /cong-khai-xin-loi/    public: letters of units that chose to publish them (masked applicant)
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cchc.accounts.permissions import filter_by_scope
from cchc.core.errors import DomainError

from . import issuance, selectors
from .models import ApologyLetter, ApologyPublication
from .views import _error_page, due_badge, staff_required


def _units_in_scope(user):
    from cchc.units.models import Unit

    return filter_by_scope(Unit.objects.all(), user, "parent") | Unit.objects.filter(pk=getattr(user, "unit_id", None))


@staff_required
@require_http_methods(["GET", "POST"])
def apologies(request):
    """Xin lỗi hồ sơ quá hạn: the head's work list and the unit's publication setting."""
    from cchc.accounts.models import Role

    user = request.user
    unit = getattr(user, "unit", None)
    if request.method == "POST":
        if unit is None:
            return _error_page(request, 403, "Không có quyền", "Tài khoản không thuộc đơn vị nào.")
        try:
            issuance.apology_publication_set(unit=unit, enabled=request.POST.get("cong_khai") == "1", actor=user)
        except DomainError as exc:
            return _error_page(request, getattr(exc, "status_code", 400), "Không thực hiện được", exc.message)
        messages.success(request, "Đã lưu lựa chọn công khai phiếu xin lỗi của đơn vị.")
        return redirect("dossiers:apologies")
    units = _units_in_scope(user)
    now = timezone.now()
    qs = selectors.late_without_apology(units=units, now=now)
    page = Paginator(qs, 50).get_page(request.GET.get("trang"))
    rows = list(page.object_list)
    for d in rows:
        d.badge = due_badge(d, now)
        d.signing_unit = d.handling_unit or d.unit
    letters = (ApologyLetter.objects.filter(issuing_unit__in=units)
               .select_related("dossier", "dossier__procedure", "signatory", "issued_by", "issuing_unit")
               .order_by("-issued_at")[:50])
    publication = ApologyPublication.objects.filter(unit=unit).first() if unit is not None else None
    return render(request, "dossiers/apologies.html", {
        "page": page, "rows": rows, "counts": selectors.apology_counts(units=units, now=now), "letters": letters,
        "unit": unit, "publication": publication, "signatories": selectors.unit_signatories(unit),
        "can_publish": getattr(user, "role", None) == Role.UNIT_HEAD or user.is_superuser,
    })


def public_apologies(request):
    """Công khai xin lỗi: what units chose to publish (no login)."""
    rows = selectors.published_apologies(limit=300)
    page = Paginator(rows, 50).get_page(request.GET.get("trang"))
    return render(request, "dossiers/public_apologies.html", {"page": page, "rows": page.object_list})
