"""Pages of inspections (kiểm tra CCHC): plan + inspection list (plan form), new inspection with its team, detail
(conducted / finding / recommendation / closure forms for the PAR office), follow-up form, overdue list.

Views only parse input, call one service or selector and render; DomainError messages are shown to the user.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cchc.accounts.permissions import can
from cchc.core.errors import DomainError, ForbiddenError

from . import forms, selectors, services
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


def _par_province(user):
    """The province whose PAR office the user is (writes plans, inspections, findings, recommendations), else None."""
    unit = getattr(user, "unit", None)
    if unit is None:
        return None
    province = unit.province_unit
    return province if can(user, "appraise", province) else None


def _forbidden(exc: DomainError) -> None:
    if isinstance(exc, ForbiddenError):
        raise PermissionDenied(exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def home(request):
    """Kế hoạch kiểm tra năm và danh sách cuộc kiểm tra; the PAR office issues the year's plan here."""
    user = _staff(request)
    province = _par_province(user)
    plan_form = None
    if request.method == "POST":
        if province is None:
            raise PermissionDenied
        plan_form = forms.PlanForm(request.POST)
        if plan_form.is_valid():
            d = plan_form.cleaned_data
            try:
                plan = services.plan_create(province=province, year=d["year"], title=d["title"], document_number=d["document_number"],
                                            issued_on=d["issued_on"], actor=user)
            except DomainError as exc:
                _forbidden(exc)
                forms.put_error(plan_form, exc)
            else:
                messages.success(request, f"Đã lập kế hoạch kiểm tra CCHC năm {plan.year}.")
                return redirect(f"{reverse('inspections:home')}?nam={plan.year}")
    plans = list(selectors.plans_visible(user))
    years = sorted({p.year for p in plans}, reverse=True)
    raw = request.GET.get("nam", "")
    if plan_form is not None and plan_form.cleaned_data.get("year"):
        raw = str(plan_form.cleaned_data["year"])
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
    if province is not None and plan_form is None:
        next_year = today.year + (1 if today.month >= 11 else 0)
        taken = {p.year for p in plans if p.province_id == province.pk}
        suggest = next(y for y in (year, today.year, next_year, next_year + 1) if y not in taken)
        plan_form = forms.PlanForm(initial={"year": suggest, "title": f"Kế hoạch kiểm tra công tác cải cách hành chính năm {suggest}"})
    own_plan = next((p for p in year_plans if province is not None and p.province_id == province.pk), None)
    return render(request, "inspections/home.html", {
        "plans": year_plans, "years": years, "year": year, "inspections": inspections, "stats": stats,
        "can_see_overdue": selectors.can_see_overdue_list(user), "plan_form": plan_form, "own_plan": own_plan,
        "is_par": province is not None,
    }, status=400 if plan_form is not None and plan_form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request, plan_pk: int):
    """Thêm cuộc kiểm tra vào kế hoạch: unit, planned dates, scope and the interdisciplinary team (PAR office)."""
    user = _staff(request)
    plan = selectors.plans_visible(user).filter(pk=plan_pk).first()
    if plan is None:
        raise Http404
    if not can(user, "appraise", plan.province):
        raise PermissionDenied
    form = forms.InspectionForm(request.POST or None, province=plan.province)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            insp = services.inspection_create(plan=plan, unit=d["unit"], scope=d["scope"], planned_start=d["planned_start"],
                                              planned_end=d["planned_end"], members=d["team"], actor=user)
        except DomainError as exc:
            _forbidden(exc)
            forms.put_error(form, exc)
        else:
            messages.success(request, f"Đã thêm cuộc kiểm tra {insp.unit.name}.")
            return redirect("inspections:detail", pk=insp.pk)
    return render(request, "inspections/inspection_new.html", {"plan": plan, "form": form},
                  status=400 if form.is_bound else 200)


def _detail_context(request, insp, **bound) -> dict:
    user = request.user
    today = timezone.localdate()
    recs = list(insp.recommendations.select_related("responsible_unit", "finding").prefetch_related("follow_ups"))
    for r in recs:
        r.state, r.state_label = selectors.recommendation_status_label(r, today)
        r.can_report = r.status == RecommendationStatus.OPEN and insp.status == InspectionStatus.CONDUCTED and services.can_follow_up(user, r)
    findings = list(selectors.findings_visible(user, insp))
    is_par = can(user, "appraise", insp.plan.province)
    conducted = insp.status == InspectionStatus.CONDUCTED
    ctx = {
        "insp": insp, "members": list(insp.members.select_related("unit")), "findings": findings, "recs": recs,
        "sees_officials": selectors.can_see_official_findings(user, insp),
        "can_close": conducted and is_par, "is_par": is_par,
        "open_recs": [r for r in recs if r.status == RecommendationStatus.OPEN], "close_error": None,
    }
    if is_par and insp.status == InspectionStatus.PLANNED:
        ctx["conducted_form"] = bound.get("conducted_form") or forms.ConductedForm(
            initial={"actual_start": insp.planned_start, "actual_end": min(insp.planned_end, today)})
    if is_par and conducted:
        ctx["finding_form"] = bound.get("finding_form") or forms.FindingForm()
        ctx["recommendation_form"] = bound.get("recommendation_form") or forms.RecommendationForm(inspection=insp, findings=findings)
        ctx["action_choices"] = [c for c in forms.ActionTaken.choices if c[0]]
    ctx.update({k: v for k, v in bound.items() if k not in ctx or v is not None})
    return ctx


@login_required
def detail(request, pk: int):
    """Cuộc kiểm tra: team, findings, recommendations with status and follow-ups; the PAR office's forms."""
    _staff(request)
    insp = _inspection(request, pk)
    return render(request, "inspections/detail.html", _detail_context(request, insp))


def _detail_write(request, pk: int, form_name: str, make_form, call, done_message: str):
    """One POST of the detail page: bind the form, call the service, redirect on success; otherwise re-render the
    page with the form's errors under the fields (400), or 403 when the service refuses the user."""
    _staff(request)
    insp = _inspection(request, pk)
    if not can(request.user, "appraise", insp.plan.province):
        raise PermissionDenied
    form = make_form(insp)
    if form.is_valid():
        try:
            call(insp, form.cleaned_data)
        except DomainError as exc:
            _forbidden(exc)
            forms.put_error(form, exc)
        else:
            messages.success(request, done_message)
            return redirect("inspections:detail", pk=insp.pk)
    return render(request, "inspections/detail.html", _detail_context(request, insp, **{form_name: form}), status=400)


@login_required
@require_POST
def conducted(request, pk: int):
    """Ghi nhận đã kiểm tra (actual dates, conclusion notice number)."""
    return _detail_write(
        request, pk, "conducted_form", lambda insp: forms.ConductedForm(request.POST),
        lambda insp, d: services.inspection_record_conducted(inspection=insp, actual_start=d["actual_start"], actual_end=d["actual_end"],
                                                             conclusion_number=d["conclusion_number"], actor=request.user),
        "Đã ghi nhận cuộc kiểm tra đã tiến hành; có thể ghi phát hiện và kiến nghị.")


@login_required
@require_POST
def finding_new(request, pk: int):
    """Ghi phát hiện, including one about an official's conduct and the action taken."""
    return _detail_write(
        request, pk, "finding_form", lambda insp: forms.FindingForm(request.POST),
        lambda insp, d: services.finding_add(inspection=insp, actor=request.user, **d),
        "Đã ghi phát hiện.")


@login_required
@require_POST
def finding_action(request, pk: int, finding_pk: int):
    """Ghi hình thức xử lý đối với cán bộ sau kiểm tra."""
    _staff(request)
    insp = _inspection(request, pk)
    finding = selectors.findings_visible(request.user, insp).filter(pk=finding_pk).first()
    if finding is None:
        raise Http404
    if not can(request.user, "appraise", insp.plan.province):
        raise PermissionDenied
    form = forms.FindingActionForm(request.POST)
    if form.is_valid():
        try:
            services.finding_record_action(finding=finding, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _forbidden(exc)
            messages.error(request, forms.human(exc.message))
        else:
            messages.success(request, "Đã ghi hình thức xử lý.")
    else:
        messages.error(request, "Hình thức xử lý: chọn một hình thức.")
    return redirect("inspections:detail", pk=insp.pk)


@login_required
@require_POST
def recommendation_new(request, pk: int):
    """Ghi kiến nghị with its responsible unit and deadline."""
    def make(insp):
        return forms.RecommendationForm(request.POST, inspection=insp, findings=list(selectors.findings_visible(request.user, insp)))

    def call(insp, d):
        finding = insp.findings.filter(pk=d["finding"]).first() if d.get("finding") else None
        services.recommendation_add(inspection=insp, text=d["text"], responsible_unit=d["responsible_unit"], deadline=d["deadline"],
                                    finding=finding, actor=request.user)

    return _detail_write(request, pk, "recommendation_form", make, call, "Đã ghi kiến nghị.")


@login_required
@require_POST
def close(request, pk: int):
    """Kết thúc cuộc kiểm tra; the open-recommendations rule (409) is shown next to the form, in Vietnamese."""
    user = _staff(request)
    insp = _inspection(request, pk)
    carry = {}
    for key, value in request.POST.items():
        # carried over when ticked, or when a reason was typed (an officer who wrote the reason meant it)
        if key.startswith("carry_") and key[6:].isdigit() and (request.POST.get(f"use_{key[6:]}") or value.strip()):
            carry[int(key[6:])] = value
    for key in request.POST:
        if key.startswith("use_") and key[4:].isdigit() and int(key[4:]) not in carry:
            carry[int(key[4:])] = ""  # ticked without a reason: the service names the missing reason
    try:
        services.inspection_close(inspection=insp, carry_over=carry, note=request.POST.get("note", ""), actor=user)
    except DomainError as exc:
        _forbidden(exc)
        ctx = _detail_context(request, insp)
        ctx["close_error"] = forms.human(exc.message)
        ctx["close_open"] = set(exc.extra.get("open", []))
        ctx["close_post"] = request.POST
        for r in ctx["open_recs"]:
            r.carry_checked = bool(request.POST.get(f"use_{r.pk}"))
            r.carry_reason = request.POST.get(f"carry_{r.pk}", "")
        return render(request, "inspections/detail.html", ctx, status=exc.status_code)
    messages.success(request, "Đã kết thúc cuộc kiểm tra.")
    return redirect("inspections:detail", pk=insp.pk)


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request, pk: int):
    """Báo cáo kết quả thực hiện kiến nghị (đơn vị thực hiện), with an optional evidence file."""
    user = _staff(request)
    rec = selectors.recommendations_visible(user).filter(pk=pk).first()
    if rec is None:
        raise Http404
    if not services.can_follow_up(user, rec):
        raise PermissionDenied
    form = forms.FollowUpForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.follow_up_submit(recommendation=rec, text=d["text"], completes=d["completes"], evidence=d["evidence"], actor=user)
        except DomainError as exc:
            _forbidden(exc)
            forms.put_error(form, exc)
        else:
            messages.success(request, "Đã gửi báo cáo thực hiện kiến nghị.")
            return redirect("inspections:detail", pk=rec.inspection_id)
    today = timezone.localdate()
    rec.state, rec.state_label = selectors.recommendation_status_label(rec, today)
    return render(request, "inspections/follow_up.html", {"rec": rec, "form": form, "today": today, "late": today > rec.deadline,
                                                          "follow_ups": list(rec.follow_ups.all())},
                  status=400 if form.is_bound else 200)


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
