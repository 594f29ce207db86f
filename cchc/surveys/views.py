"""SIPAS pages: questionnaires, surveys with results per aspect, paper entry, the public online form.

Views only parse input, call one service and render; DomainError messages are shown to the user.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cchc.accounts.permissions import can, filter_by_scope
from cchc.core.errors import DomainError
from cchc.core.templatetags.vn_format import vn_points
from cchc.units.models import Unit, UnitKind

from . import selectors, services, sipas
from .models import Questionnaire, Survey, SurveyStatus, SurveyUnit

LIKERT = list(sipas.LIKERT_LABELS.items())
AGREEMENT = list(sipas.AGREEMENT_LABELS.items())
SHORT_ASPECT_TITLES = {
    "access": "Tiếp cận dịch vụ", "procedure": "Thủ tục hành chính", "civil_servant": "Công chức giải quyết",
    "result": "Kết quả dịch vụ", "feedback": "Góp ý, phản ánh",
}


def _staff(request):
    user = request.user
    if not getattr(user, "is_staff_member", False) and not getattr(user, "is_system_admin", False):
        raise PermissionDenied
    return user


def _survey_for(request, pk: int) -> Survey:
    survey = selectors.survey_list(user=request.user).filter(pk=pk).first()
    if survey is None:
        raise Http404
    return survey


@login_required
def survey_home(request):
    """Danh sách bộ phiếu và đợt khảo sát."""
    user = _staff(request)
    province = user.unit.province_unit if user.unit_id else None
    return render(request, "surveys/home.html", {
        "questionnaires": Questionnaire.objects.prefetch_related("aspects").all(),
        "surveys": selectors.survey_list(user=user),
        "can_open": province is not None and can(user, "manage", province),
    })


@login_required
def questionnaire_detail(request, pk: int):
    _staff(request)
    q = get_object_or_404(Questionnaire.objects.prefetch_related("aspects__questions"), pk=pk)
    return render(request, "surveys/questionnaire.html", {"q": q, "rule": sipas.SipasRule.from_dict(q.scoring_rule), "likert": LIKERT})


def _default_units(province):
    kinds = [UnitKind.DEPARTMENT, UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE, UnitKind.SERVICE_CENTRE]
    return Unit.objects.filter(province=province, kind__in=kinds, is_active=True).order_by("kind", "name")


@login_required
def survey_open(request):
    """Mở đợt khảo sát (PAR office): questionnaire, period, units, margin e."""
    user = _staff(request)
    province = user.unit.province_unit if user.unit_id else None
    if province is None or not can(user, "manage", province):
        raise PermissionDenied
    units = list(_default_units(province))
    error = None
    today = dt.date.today()
    form = {"title": f"Khảo sát SIPAS năm {today.year}", "year": today.year, "start": f"{today.year}-01-01",
            "end": f"{today.year}-12-31", "margin": "0.05", "units": [u.pk for u in units[:12]]}
    if request.method == "POST":
        form = {"title": request.POST.get("title", "").strip(), "year": request.POST.get("year", ""),
                "start": request.POST.get("start", ""), "end": request.POST.get("end", ""),
                "margin": request.POST.get("margin", "0.05"),
                "units": [int(v) for v in request.POST.getlist("units") if v.isdigit()],
                "questionnaire": request.POST.get("questionnaire", "")}
        try:
            q = Questionnaire.objects.filter(pk=form["questionnaire"] or 0).first() or Questionnaire.objects.filter(is_active=True).first()
            if q is None:
                raise DomainError("Chưa có bộ phiếu nào.", field="questionnaire")
            try:
                year = int(form["year"])
                start, end = dt.date.fromisoformat(form["start"]), dt.date.fromisoformat(form["end"])
                margin = float(form["margin"].replace(",", "."))
            except ValueError:
                raise DomainError("Năm, ngày (YYYY-MM-DD) hoặc sai số e không hợp lệ.", field="period") from None
            chosen = [u for u in units if u.pk in set(form["units"])]
            survey = services.survey_open(
                questionnaire=q, title=form["title"] or f"Khảo sát SIPAS {year}", year=year, period_start=start,
                period_end=end, units=chosen, province=province, margin=margin, actor=user,
            )
            messages.success(request, "Đã mở đợt khảo sát và tính cỡ mẫu cho từng đơn vị.")
            return redirect("surveys:survey", pk=survey.pk)
        except DomainError as exc:
            error = exc.message
    return render(request, "surveys/open.html", {
        "units": units, "form": form, "error": error, "questionnaires": Questionnaire.objects.filter(is_active=True),
    }, status=400 if error else 200)


@login_required
def survey_detail(request, pk: int):
    """Kết quả đợt khảo sát: index per aspect and overall with margin of error, sample design per unit."""
    user = _staff(request)
    survey = _survey_for(request, pk)
    visible = {s.unit_id for s in selectors.survey_units(survey=survey, user=user)}
    results = selectors.survey_results(survey=survey, units=list(visible))
    aspects = list(survey.questionnaire.aspects.order_by("order"))
    rows = []
    for _unit_id, data in sorted(results.items(), key=lambda kv: kv[1]["unit"].name):
        res = data["result"]
        rows.append({
            "unit": data["unit"], "sample": data["sample"], "result": res, "sources": data["sources"],
            "reached": data["sample_reached"],
            "aspects": [res.aspects.get(a.code) for a in aspects],
            "can_enter": can(user, "process", data["unit"]) or can(user, "manage", data["unit"]),
            "can_manage": can(user, "manage", data["unit"]),
        })
    rule = sipas.SipasRule.from_dict(survey.questionnaire.scoring_rule)
    return render(request, "surveys/survey.html", {
        "push_targets": _push_targets(user, survey),
        "survey": survey, "aspects": aspects, "rows": rows, "rule": rule,
        "satisfied_labels": [sipas.LIKERT_LABELS[v] for v in rule.satisfied_levels if v in sipas.LIKERT_LABELS],
        "invite": request.session.pop("sipas_invite", None),
        "short_titles": SHORT_ASPECT_TITLES,
    })


@login_required
@require_POST
def sample_set(request, pk: int, unit_id: int):
    """Nhập N (số hồ sơ đã giải quyết) cho một đơn vị khi chưa lấy được từ hệ thống một cửa."""
    user = _staff(request)
    survey = _survey_for(request, pk)
    sample = get_object_or_404(SurveyUnit, survey=survey, unit_id=unit_id)
    try:
        raw = request.POST.get("population", "").strip()
        if not raw.isdigit():
            raise DomainError("N phải là số nguyên không âm.", field="population")
        services.survey_sample_set(survey=survey, unit=sample.unit, population=int(raw), actor=user)
        messages.success(request, f"Đã cập nhật N cho {sample.unit.name}.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("surveys:survey", pk=pk)


@login_required
@require_POST
def survey_close(request, pk: int):
    user = _staff(request)
    survey = _survey_for(request, pk)
    try:
        services.survey_close(survey=survey, actor=user)
        messages.success(request, "Đã kết thúc thu phiếu.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("surveys:survey", pk=pk)


@login_required
@require_POST
def invitation_create(request, pk: int):
    """Tạo đường dẫn một lần cho người dân trả lời trực tuyến."""
    user = _staff(request)
    survey = _survey_for(request, pk)
    unit = Unit.objects.filter(pk=request.POST.get("unit") or 0).first()
    try:
        if unit is None:
            raise DomainError("Chọn đơn vị.", field="unit")
        inv = services.invitation_create(survey=survey, unit=unit, dossier_code=request.POST.get("dossier_code", ""), actor=user)
        request.session["sipas_invite"] = {"unit": unit.name, "url": request.build_absolute_uri(reverse("surveys:public", args=[inv.token]))}
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("surveys:survey", pk=pk)


def _points(value) -> str:
    """10.00 → "10", 2.50 → "2,5": points as Vietnamese readers write them (comma decimal)."""
    return vn_points(value)


def _push_targets(user, survey) -> list[tuple[str, str]]:
    """(value "cycle_id:code", label) for survey-method sub-criteria of open cycles the user appraises."""
    from cchc.indices.models import Criterion, CycleState, ScoringMethod
    from cchc.indices.selectors import cycles_visible

    out = []
    cycles = cycles_visible(user).exclude(state=CycleState.PUBLISHED).select_related("organiser")
    for cycle in cycles:
        if not can(user, "appraise", cycle.organiser):
            continue
        for crit in Criterion.objects.filter(criteria_set_id=cycle.criteria_set_id, is_leaf=True, method=ScoringMethod.SURVEY):
            out.append((f"{cycle.pk}:{crit.code}", f"{cycle.name} — {crit.code} {crit.title[:80]} (tối đa {_points(crit.max_points)})"))
    return out


@login_required
@require_POST
def push_to_cycle(request, pk: int):
    """Đưa chỉ số SIPAS của các đơn vị vào tiêu chí điều tra xã hội học của một kỳ đánh giá."""
    from cchc.indices.models import AssessmentCycle

    user = _staff(request)
    survey = _survey_for(request, pk)
    target = request.POST.get("target", "")
    allowed = {value for value, _ in _push_targets(user, survey)}
    try:
        if target not in allowed:
            raise DomainError("Chọn kỳ đánh giá và tiêu chí điều tra xã hội học.", field="target")
        cycle_id, code = target.split(":", 1)
        cycle = AssessmentCycle.objects.get(pk=int(cycle_id))
        out = services.sipas_scores_push(survey=survey, cycle=cycle, criterion_code=code, actor=user)
        skipped = f"; {len(out['skipped'])} đơn vị trong kỳ chưa có chỉ số SIPAS" if out["skipped"] else ""
        messages.success(request, f"Đã đưa điểm SIPAS của {out['rows']} đơn vị vào tiêu chí {out['criterion']}{skipped}.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("surveys:survey", pk=pk)


def _answers_from_post(post, questions) -> dict:
    """Answers from the radio buttons, or from the quick-entry string ("45443 ..." one digit per question,
    in order; 0, '-' or '.' = no opinion; spaces ignored) when it is filled."""
    quick = "".join(ch for ch in (post.get("quick") or "") if not ch.isspace())
    if quick:
        if len(quick) != len(questions):
            raise DomainError(
                f"Nhập nhanh cần đúng {len(questions)} ký tự (một ký tự cho mỗi câu), đang có {len(quick)}.", field="quick"
            )
        answers = {}
        for q, ch in zip(questions, quick, strict=True):
            if ch in "0-.":
                answers[q.code] = ""
            elif ch in "12345":
                answers[q.code] = ch
            else:
                raise DomainError(f"Nhập nhanh: ký tự '{ch}' ở câu {q.code} không hợp lệ (1–5, hoặc 0 = không ý kiến).", field="quick")
        return answers
    return {q.code: post.get(f"q_{q.code}", "") for q in questions}


@login_required
def paper_entry(request, pk: int):
    """Nhập phiếu giấy: keyboard-friendly grid of 1–5 choices per question."""
    user = _staff(request)
    survey = _survey_for(request, pk)
    units = [s.unit for s in filter_by_scope(SurveyUnit.objects.filter(survey=survey).select_related("unit"), user, "unit")
             if can(user, "process", s.unit) or can(user, "manage", s.unit)]
    if not units:
        raise PermissionDenied
    questions = list(survey.questionnaire.questions.select_related("aspect").order_by("order"))
    error, values = None, {}
    selected = request.POST.get("unit") or request.GET.get("unit") or str(units[0].pk)
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == selected), None)
        try:
            values = _answers_from_post(request.POST, questions)
            if unit is None:
                raise DomainError("Chọn đơn vị được khảo sát.", field="unit")
            services.response_enter_paper(
                survey=survey, unit=unit, answers=values, paper_number=request.POST.get("paper_number", ""),
                comment=request.POST.get("comment", ""), actor=user,
            )
            messages.success(request, "Đã lưu phiếu. Nhập phiếu tiếp theo.")
            return redirect(f"{reverse('surveys:paper', args=[pk])}?unit={unit.pk}")
        except DomainError as exc:
            error = exc.message
    return render(request, "surveys/paper.html", {
        "survey": survey, "units": units, "selected": selected, "questions": questions, "likert": LIKERT,
        "values": values, "error": error, "paper_number": request.POST.get("paper_number", ""),
        "quick": request.POST.get("quick", "") if error else "",
    }, status=400 if error else 200)


def public_answer(request, token: str):
    """Phiếu trực tuyến cho người dân (không cần đăng nhập), dùng một lần."""
    inv = selectors.invitation_by_token(token)
    if inv is None:
        raise Http404
    survey = inv.survey
    questions = list(survey.questionnaire.questions.select_related("aspect").order_by("order"))
    error, values, done = None, {}, inv.used_at is not None
    closed = survey.status != SurveyStatus.OPEN
    if request.method == "POST" and not done:
        values = {q.code: request.POST.get(f"q_{q.code}", "") for q in questions}
        try:
            services.response_submit_online(token=token, answers=values, comment=request.POST.get("comment", ""))
            return render(request, "surveys/public_done.html", {"unit": inv.unit})
        except DomainError as exc:
            error = exc.message
    return render(request, "surveys/public.html", {
        "inv": inv, "survey": survey, "questions": questions, "likert": LIKERT, "agreement": AGREEMENT, "values": values, "error": error,
        "done": done, "closed": closed,
    }, status=400 if error else 200)
