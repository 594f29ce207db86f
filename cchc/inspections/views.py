"""Pages of inspections (kiểm tra CCHC): plan + inspection list, inspection detail, follow-up form, overdue list.

Views only parse input, call one service or selector and render; DomainError messages are shown to the user.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.accounts.permissions import can
from cchc.core.errors import DomainError

from . import selectors, services
from .models import InspectionStatus, RecommendationStatus


def _staff(request):
    user = request.user
    if not getattr(user, "is_staff_member", False) and not getattr(user, "is_system_admin", False):
        raise PermissionDenied
    return user


def _inspection(request, pk):
    obj = selectors.inspections_visible(request.user).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


@login_required
def home(request):
    """Kế hoạch kiểm tra năm và danh sách cuộc kiểm tra."""
    user = _staff(request)
    plans = list(selectors.plans_visible(user))
    years = sorted({p.year for p in plans}, reverse=True)
    raw = request.GET.get("nam", "")
    year = int(raw) if raw.isdigit() else (years[0] if years else timezone.localdate().year)
    today = timezone.localdate()
    inspections = list(selectors.inspections_visible(user).filter(plan__year=year).prefetch_related("members__unit", "recommendations"))
    for insp in inspections:
        recs = list(insp.recommendations.all())
        insp.n_recs = len(recs)
        insp.n_overdue = sum(1 for r in recs if r.is_overdue(today))
        insp.n_done = sum(1 for r in recs if r.status in (RecommendationStatus.DONE_ON_TIME, RecommendationStatus.DONE_LATE))
    year_plans = [p for p in plans if p.year == year]
    stats = None
    if year_plans:
        stats = selectors.plan_done_rate(province=year_plans[0].province, year=year, as_of=today)
    return render(request, "inspections/home.html", {
        "plans": year_plans, "years": years, "year": year, "inspections": inspections, "stats": stats,
        "can_see_overdue": selectors.can_see_overdue_list(user),
    })


@login_required
def detail(request, pk: int):
    """Cuộc kiểm tra: team, findings, recommendations with status and follow-ups; closure for the PAR office."""
    user = _staff(request)
    insp = _inspection(request, pk)
    today = timezone.localdate()
    recs = list(insp.recommendations.select_related("responsible_unit", "finding").prefetch_related("follow_ups"))
    for r in recs:
        r.state, r.state_label = selectors.recommendation_status_label(r, today)
        r.can_report = r.status == RecommendationStatus.OPEN and insp.status == InspectionStatus.CONDUCTED and services.can_follow_up(user, r)
    findings = list(selectors.findings_visible(user, insp))
    return render(request, "inspections/detail.html", {
        "insp": insp, "members": list(insp.members.select_related("unit")), "findings": findings, "recs": recs,
        "sees_officials": selectors.can_see_official_findings(user, insp),
        "can_close": insp.status == InspectionStatus.CONDUCTED and can(user, "appraise", insp.plan.province),
        "open_recs": [r for r in recs if r.status == RecommendationStatus.OPEN],
    })


@login_required
@require_POST
def close(request, pk: int):
    user = _staff(request)
    insp = _inspection(request, pk)
    carry = {}
    for key, value in request.POST.items():
        if key.startswith("carry_") and key[6:].isdigit() and request.POST.get(f"use_{key[6:]}"):
            carry[int(key[6:])] = value
    try:
        services.inspection_close(inspection=insp, carry_over=carry, note=request.POST.get("note", ""), actor=user)
        messages.success(request, "Đã kết thúc cuộc kiểm tra.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("inspections:detail", pk=insp.pk)


@login_required
def follow_up(request, pk: int):
    """Báo cáo kết quả thực hiện kiến nghị (đơn vị thực hiện), with an optional evidence file."""
    user = _staff(request)
    rec = selectors.recommendations_visible(user).filter(pk=pk).first()
    if rec is None:
        raise Http404
    if not services.can_follow_up(user, rec):
        raise PermissionDenied
    error = None
    if request.method == "POST":
        try:
            services.follow_up_submit(recommendation=rec, text=request.POST.get("text", ""), completes=bool(request.POST.get("completes")),
                                      evidence=request.FILES.get("evidence"), actor=user)
            messages.success(request, "Đã gửi báo cáo thực hiện kiến nghị.")
            return redirect("inspections:detail", pk=rec.inspection_id)
        except DomainError as exc:
            error = exc
    today = timezone.localdate()
    rec.state, rec.state_label = selectors.recommendation_status_label(rec, today)
    return render(request, "inspections/follow_up.html", {"rec": rec, "error": error, "form": request.POST, "today": today,
                                                          "follow_ups": list(rec.follow_ups.all())},
                  status=400 if error else 200)


@login_required
def overdue(request):
    """Kiến nghị quá hạn: PAR office (whole province) and unit heads (their units)."""
    user = _staff(request)
    if not selectors.can_see_overdue_list(user):
        raise PermissionDenied
    today = timezone.localdate()
    recs = list(selectors.overdue_recommendations(user=user, as_of=today))
    for r in recs:
        r.days_late = (today - r.deadline).days
    return render(request, "inspections/overdue.html", {"recs": recs, "today": today})
