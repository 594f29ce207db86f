"""Pages of commendations (khen thưởng CCHC): the year's rules, the proposal with its basis, edits and decision."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.accounts.permissions import can
from cchc.core.errors import DomainError
from cchc.units.models import Unit

from . import selectors, services
from .models import FORM_ORDER, Candidate, Form, Proposal, RuleKind


def _staff(request):
    user = request.user
    if not getattr(user, "is_staff_member", False) and not getattr(user, "is_system_admin", False):
        raise PermissionDenied
    return user


def _province(user):
    return user.unit.province_unit if user.unit_id else None


@login_required
def home(request):
    """Khen thưởng CCHC của một năm."""
    user = _staff(request)
    province = _province(user)
    proposals = list(selectors.proposals_visible(user))
    raw = request.GET.get("nam", "")
    default_year = proposals[0].year if proposals else timezone.localdate().year - 1
    year = int(raw) if raw.isdigit() else default_year
    proposal = next((p for p in proposals if p.year == year), None)
    candidates = list(proposal.candidates.select_related("unit")) if proposal else []
    candidates.sort(key=lambda c: (c.removed, FORM_ORDER.index(c.form), c.manual, c.pk))
    can_edit = province is not None and can(user, "appraise", province)
    cycles = []
    if can_edit:
        from cchc.indices.models import AssessmentCycle

        cycles = list(AssessmentCycle.objects.filter(organiser=province).order_by("-year", "name"))
    return render(request, "commendations/home.html", {
        "year": year, "years": sorted({p.year for p in proposals} | {year}, reverse=True), "proposal": proposal,
        "candidates": candidates, "rules": list(selectors.rules_visible(user).filter(year=year)), "can_edit": can_edit,
        "editable": can_edit and (proposal is None or proposal.status == "draft"), "forms": Form.choices, "kinds": RuleKind.choices,
        "cycles": cycles, "today": timezone.localdate(),
    })


def _back(year):
    return redirect(f"/khen-thuong/?nam={year}")


def _run(request, fn, ok: str):
    try:
        fn()
        messages.success(request, ok)
    except DomainError as exc:
        messages.error(request, exc.message)


@login_required
@require_POST
def rule_add(request):
    user = _staff(request)
    province = _province(user)
    year = request.POST.get("year", "")
    if province is None or not year.isdigit():
        raise PermissionDenied

    def go():
        from cchc.indices.models import AssessmentCycle

        cycle_id = request.POST.get("cycle", "")
        cycle = AssessmentCycle.objects.filter(pk=int(cycle_id)).first() if cycle_id.isdigit() else None
        top_n = request.POST.get("top_n", "")
        services.rule_create(province=province, year=int(year), kind=request.POST.get("kind", ""), form=request.POST.get("form", ""),
                             cycle=cycle, top_n=int(top_n) if top_n.isdigit() else None, actor=user)
    _run(request, go, "Đã thêm tiêu chí.")
    return _back(year)


@login_required
@require_POST
def compute(request):
    user = _staff(request)
    province = _province(user)
    year = request.POST.get("year", "")
    if province is None or not year.isdigit():
        raise PermissionDenied
    _run(request, lambda: services.proposal_compute(province=province, year=int(year), actor=user), "Đã tính danh sách đề nghị từ các tiêu chí.")
    return _back(year)


@login_required
@require_POST
def candidate_add(request, pk: int):
    user = _staff(request)
    proposal = services.proposal_get(user=user, pk=pk) if selectors.proposals_visible(user).filter(pk=pk).exists() else None
    if proposal is None:
        raise PermissionDenied

    def go():
        code = request.POST.get("unit", "").strip()
        unit = Unit.objects.filter(code=code).first() if code else None
        if code and unit is None:
            raise DomainError("unit: không tìm thấy đơn vị.", field="unit")
        services.candidate_add(proposal=proposal, unit=unit, official_name=request.POST.get("official_name", ""),
                               official_position=request.POST.get("official_position", ""), form=request.POST.get("form", ""),
                               reason=request.POST.get("reason", ""), actor=user)
    _run(request, go, "Đã bổ sung vào danh sách.")
    return _back(proposal.year)


@login_required
@require_POST
def candidate_remove(request, pk: int):
    user = _staff(request)
    c = Candidate.objects.filter(pk=pk, proposal__in=selectors.proposals_visible(user)).select_related("proposal__province").first()
    if c is None:
        raise PermissionDenied
    _run(request, lambda: services.candidate_remove(candidate=c, reason=request.POST.get("reason", ""), actor=user), "Đã loại khỏi danh sách.")
    return _back(c.proposal.year)


@login_required
@require_POST
def decide(request, pk: int):
    user = _staff(request)
    proposal: Proposal | None = selectors.proposals_visible(user).filter(pk=pk).first()
    if proposal is None:
        raise PermissionDenied

    def go():
        try:
            day = dt.date.fromisoformat(request.POST.get("decision_date", ""))
        except ValueError:
            raise DomainError("decision_date: ngày không hợp lệ.", field="decision_date") from None
        services.proposal_decide(proposal=proposal, decision_number=request.POST.get("decision_number", ""), decision_date=day, actor=user)
    _run(request, go, "Đã ghi quyết định khen thưởng.")
    return _back(proposal.year)
