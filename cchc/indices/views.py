"""Index pages (Chỉ số CCHC): home with national index history, cycle screens, results, lost points, path to target.

Views parse input, call one of the index engine's services/selectors (cchc.indices.services /
selectors) and render. Every DomainError is shown to the user; nothing here computes a score.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cchc.accounts.permissions import can
from cchc.core.errors import DomainError

from . import lost_selectors, reports, selectors, services, workflow
from .models import Assessment, CycleState, CycleUnit

# "Quảng Ninh, 92,18" / "Quảng Ninh; 92.18" / "Quảng Ninh<TAB>92,18%" / "92,18": the value is the last number.
PEER_LINE = re.compile(r"^(?:(?P<name>.*?)\s*[,;\t]\s*)?(?P<value>\d+(?:[.,]\d+)?)\s*%?$")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NEXT_STATE_LABEL = {
    workflow.SELF_ASSESSMENT: "Bắt đầu tự đánh giá",
    workflow.APPRAISAL_1: "Chuyển sang thẩm định lần 1",
    workflow.EXPLANATION: "Mở giải trình",
    workflow.APPRAISAL_2: "Chuyển sang thẩm định lần 2",
    workflow.PUBLISHED: "Công bố kết quả (khóa số liệu)",
}


def group_label(group: str) -> str:
    """Vietnamese label of a ranking group."""
    return reports.group_label(group)


def _staff(request):
    user = request.user
    if not (getattr(user, "is_staff_member", False) or getattr(user, "is_system_admin", False)):
        raise PermissionDenied
    return user


def _cycle(request, pk: int):
    try:
        return selectors.cycle_get(cycle_id=pk, user=request.user)
    except DomainError:
        raise Http404 from None


def _home_province(user):
    if user.unit_id:
        return user.unit.province_unit
    return None


# groups a new cycle can be opened for (internal index: departments or communes/wards/special zones)
OPEN_GROUPS = {
    "department": ("Sở, ban, ngành", ["department"]),
    "commune": ("UBND xã, phường, đặc khu", ["commune", "ward", "special_zone"]),
}
DEADLINE_INPUTS = [("self_assessment_due", "Hạn nộp tự đánh giá"), ("explanation_due", "Hạn giải trình"),
                   ("publication_due", "Hạn công bố kết quả")]


@login_required
def cycle_new(request):
    """Mở kỳ đánh giá mới: criteria set, year, units (by group or one by one), previous-year cycle, deadlines.

    Only the PAR office of the province (appraise); errors name the field and keep what was typed.
    """
    from cchc.units.models import Unit

    user = _staff(request)
    organiser = _home_province(user)
    if organiser is None or not can(user, "appraise", organiser):
        raise PermissionDenied
    sets = selectors.criteria_sets_visible(user).filter(is_template=False).order_by("-year", "name")
    previous_cycles = selectors.cycles_visible(user).filter(organiser=organiser).order_by("-year", "name")
    candidates = {
        key: list(Unit.objects.filter(province=organiser, kind__in=kinds, is_active=True).order_by("name"))
        for key, (_label, kinds) in OPEN_GROUPS.items()
    }
    form = {"criteria_set": "", "year": str(dt.date.today().year), "name": "", "group": "department", "units": [], "previous": "",
            **{k: "" for k, _ in DEADLINE_INPUTS}}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form.update({k: request.POST.get(k, "").strip() for k in ("criteria_set", "year", "name", "group", "previous",
                                                                  *(k for k, _ in DEADLINE_INPUTS))})
        form["units"] = request.POST.getlist("units")
        try:
            cs = sets.filter(pk=int(form["criteria_set"])).first() if form["criteria_set"].isdigit() else None
            if cs is None:
                raise DomainError("Chọn bộ tiêu chí.", field="criteria_set")
            if not form["year"].isdigit():
                raise DomainError("Năm đánh giá phải là số (ví dụ 2026).", field="year")
            if form["group"] not in OPEN_GROUPS:
                raise DomainError("Chọn nhóm đơn vị được đánh giá.", field="group")
            pool = {str(u.pk): u for u in candidates[form["group"]]}
            chosen = [pool[x] for x in form["units"] if x in pool]
            if form["units"] and len(chosen) != len(form["units"]):
                raise DomainError("Đơn vị được chọn không thuộc nhóm đã chọn.", field="units")
            units = chosen or list(pool.values())
            previous = None
            if form["previous"]:
                previous = previous_cycles.filter(pk=int(form["previous"])).first() if form["previous"].isdigit() else None
                if previous is None:
                    raise DomainError("Kỳ năm trước không hợp lệ.", field="previous")
            kinds = OPEN_GROUPS[form["group"]][1]
            cycle = services.cycle_open(
                criteria_set=cs, organiser=organiser, year=int(form["year"]), units=units, actor=user, name=form["name"] or None,
                previous=previous, groups={u.pk: form["group"] if u.kind in kinds else u.kind for u in units},
                deadlines={k: form[k] for k, _ in DEADLINE_INPUTS if form[k]},
            )
        except DomainError as exc:
            errors[exc.field or "form"] = exc.message
        else:
            messages.success(request, f"Đã mở kỳ đánh giá “{cycle.name}” với {len(units)} đơn vị.")
            return redirect("indices:cycle", pk=cycle.pk)
    return render(request, "indices/cycle_new.html", {
        "organiser": organiser, "sets": sets, "previous_cycles": previous_cycles, "form": form, "errors": errors,
        "groups": [(k, label, candidates[k]) for k, (label, _kinds) in OPEN_GROUPS.items()], "deadlines": DEADLINE_INPUTS,
    }, status=400 if errors else 200)


def _progress(cycle):
    """{unit_id: (done, total)} of self-assessed leaves per participant."""
    from .models import Criterion

    total = Criterion.objects.filter(criteria_set_id=cycle.criteria_set_id, is_leaf=True).count()
    done = {}
    for unit_id in Assessment.objects.filter(cycle=cycle, self_points__isnull=False).values_list("unit_id", flat=True):
        done[unit_id] = done.get(unit_id, 0) + 1
    return total, done


@login_required
def cycle_detail(request, pk: int):
    """Kỳ đánh giá: state, next step (PAR office), participants with self-assessment progress."""
    user = _staff(request)
    cycle = _cycle(request, pk)
    total, done = _progress(cycle)
    participants = []
    for cu in selectors.cycle_units(cycle, user=user).order_by("group", "unit__name"):
        d = done.get(cu.unit_id, 0)
        participants.append({
            "cu": cu, "done": d, "total": total, "pct": round(d * 100 / total) if total else 0,
            "group_label": group_label(cu.group),
            "can_manage": services.may_write(user, "explain" if cycle.state == workflow.EXPLANATION else "self_assess", cycle, cu.unit),
            "can_appraise": services.may_write(user, "appraise", cycle, cu.unit),
        })
    complete = sum(1 for p in participants if p["total"] and p["done"] >= p["total"])
    next_states = sorted(workflow.ALLOWED_TRANSITIONS.get(cycle.state, set()), key=workflow.STATES.index)
    return render(request, "indices/cycle.html", {
        "cycle": cycle, "participants": participants, "states": CycleState.choices, "complete": complete,
        "state_index": workflow.STATES.index(cycle.state),
        "next_states": [(s, NEXT_STATE_LABEL.get(s, s)) for s in next_states],
        "can_appraise": can(user, "appraise", cycle.organiser),
        "progress": selectors.phase_progress(cycle) if next_states else None,
    })


@login_required
@require_POST
def cycle_transition(request, pk: int):
    user = _staff(request)
    cycle = _cycle(request, pk)
    try:
        version = request.POST.get("version")
        services.cycle_transition(
            cycle=cycle, to_state=request.POST.get("to_state", ""), actor=user, reason=request.POST.get("reason", ""),
            expected_version=int(version) if version and version.isdigit() else None,
            confirm=request.POST.get("confirm") == "1",
        )
        messages.success(request, "Đã chuyển bước kỳ đánh giá.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("indices:cycle", pk=pk)


def _sheet_rows(cycle, unit, user):
    """Criteria tree rows for one unit with its assessment (self / round 1 / explanation / round 2)."""
    from .models import Criterion

    assessments = {a.criterion_id: a for a in selectors.cycle_assessments(cycle, unit=unit, user=user)}
    rnd = workflow.appraisal_round(cycle.state)
    rows = []
    for c in Criterion.objects.filter(criteria_set_id=cycle.criteria_set_id).order_by("position"):
        a = assessments.get(c.pk)
        prefill = None
        if a is not None:
            chain = (a.appraisal2_points, a.appraisal1_points, a.self_points) if rnd == 2 else (
                (a.appraisal1_points, a.self_points) if rnd == 1 else (a.self_points,))
            prefill = next((v for v in chain if v is not None), None)
        rows.append({"c": c, "a": a, "prefill": prefill})
    return rows


def _unit_in_cycle(cycle, unit_id, user):
    cu = selectors.cycle_units(cycle, user=user).filter(unit_id=unit_id).select_related("unit").first()
    if cu is None:
        raise Http404
    return cu.unit


def _sheet_context(request, cycle, unit):
    user = request.user
    state = cycle.state
    mode = None
    if state == workflow.SELF_ASSESSMENT and services.may_write(user, "self_assess", cycle, unit):
        mode = "self"
    elif state in (workflow.APPRAISAL_1, workflow.APPRAISAL_2) and services.may_write(user, "appraise", cycle, unit):
        mode = "appraise"
    elif state == workflow.EXPLANATION and services.may_write(user, "explain", cycle, unit):
        mode = "explain"
    rows = _sheet_rows(cycle, unit, user)
    leaves = [r for r in rows if r["c"].is_leaf]
    done = sum(1 for r in leaves if r["a"] is not None and r["a"].self_points is not None)
    return {
        "cycle": cycle, "unit": unit, "rows": rows, "mode": mode, "done": done, "total": len(leaves),
        "round": workflow.appraisal_round(state),
    }


@login_required
def unit_sheet(request, pk: int, unit_id: int):
    """Phiếu chấm điểm của một đơn vị: self-assessment, appraisal side by side, explanation (by state)."""
    user = _staff(request)
    cycle = _cycle(request, pk)
    unit = _unit_in_cycle(cycle, unit_id, user)
    return render(request, "indices/sheet.html", _sheet_context(request, cycle, unit))


@login_required
@require_POST
def unit_sheet_save(request, pk: int, unit_id: int, code: str):
    """Save one row (self-assess / appraise / explain): htmx swaps the row, plain POST redirects back."""
    user = _staff(request)
    cycle = _cycle(request, pk)
    unit = _unit_in_cycle(cycle, unit_id, user)
    action = request.POST.get("action", "")
    error = None
    try:
        if action == "self":
            upload = request.FILES.get("ev_file")
            if upload is not None and upload.size > 10 * 1024 * 1024:
                raise DomainError("Tệp kiểm chứng quá lớn (tối đa 10 MB).", field="ev_file")
            date_text = request.POST.get("ev_date", "").strip()
            try:
                ev_date = dt.date.fromisoformat(date_text) if date_text else None
            except ValueError:
                raise DomainError("Ngày văn bản không hợp lệ (YYYY-MM-DD).", field="ev_date") from None
            reference = {"title": request.POST.get("ev_title", ""), "document_number": request.POST.get("ev_number", ""),
                         "document_date": ev_date, "url": request.POST.get("ev_url", "")}
            if upload is not None:
                reference["file"] = upload
                reference["title"] = reference["title"] or upload.name
            has_evidence = bool(reference["title"] or reference["document_number"])
            # one service call: points, explanation and the evidence (reference and/or file) in one transaction
            services.assessment_self_assess(
                cycle=cycle, unit=unit, criterion=code, points=request.POST.get("points", ""), actor=user,
                explanation=request.POST.get("explanation", ""), evidence=[reference] if has_evidence else [],
            )
        elif action == "appraise":
            services.assessment_appraise(cycle=cycle, unit=unit, criterion=code, points=request.POST.get("points", ""),
                                         actor=user, reason=request.POST.get("reason", ""))
        elif action == "explain":
            services.assessment_explain(cycle=cycle, unit=unit, criterion=code, explanation=request.POST.get("explanation", ""), actor=user)
        else:
            raise DomainError("Thao tác không hợp lệ.", field="action")
    except DomainError as exc:
        error = exc.message
    if request.htmx:
        ctx = _sheet_context(request, cycle, unit)
        row = next((r for r in ctx["rows"] if r["c"].code == code), None)
        if row is None:
            raise Http404
        ctx.update({"r": row, "error": error, "saved": error is None})
        response = render(request, "indices/_sheet_row.html", ctx, status=200)
        response["HX-Trigger"] = json.dumps({"sheetProgress": {"done": ctx["done"], "total": ctx["total"]}})
        return response
    if error:
        messages.error(request, f"{code}: {error}")
    else:
        messages.success(request, f"Đã lưu {code}.")
    return redirect(reverse("indices:sheet", args=[pk, unit_id]) + f"#row-{code}")


@login_required
def evidence_download(request, pk: int):
    """Tải tài liệu kiểm chứng: streamed after checking the user may view the assessed unit."""
    from django.http import FileResponse

    from .models import Evidence

    user = _staff(request)
    ev = Evidence.objects.select_related("assessment__unit", "assessment__cycle").filter(pk=pk).first()
    if ev is None or not ev.file or not can(user, "view", ev.assessment.unit):
        raise Http404
    try:
        _cycle(request, ev.assessment.cycle_id)
        handle = ev.file.open("rb")
    except (OSError, Http404):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=ev.file.name.rsplit("/", 1)[-1])


@login_required
def results(request, pk: int):
    """Bảng kết quả: ranks with arrows vs last year, field heat map (fields × units, colour by % of max)."""
    user = _staff(request)
    cycle = _cycle(request, pk)
    fmt = request.GET.get("format")
    if fmt in {"xlsx", "pdf"}:
        body = reports.ranking_xlsx(cycle_id=cycle.pk, user=user) if fmt == "xlsx" else reports.ranking_pdf(cycle_id=cycle.pk, user=user)
        response = HttpResponse(body, content_type={"xlsx": XLSX_TYPE, "pdf": "application/pdf"}[fmt])
        response["Content-Disposition"] = f'attachment; filename="xep-hang-ky-{cycle.pk}.{fmt}"'
        return response
    rows = selectors.cycle_results(cycle=cycle, user=user)
    fields = OrderedDict()
    for r in rows:
        for code, f in r["fields"].items():
            fields.setdefault(code, {"code": code, "title": f["title"], "max": f["max"]})
    groups = OrderedDict()
    for r in rows:
        groups.setdefault(r["group"], []).append(r)
    group_labels = {g: group_label(g) for g in groups}
    try:
        figures = selectors.group_figures(cycle=cycle, user=user)
    except Exception:  # noqa: BLE001 - group figures are an extra; the table must still show
        figures = {}
    return render(request, "indices/results.html", {
        "cycle": cycle, "groups": groups, "group_labels": group_labels, "fields": list(fields.values()), "figures": figures,
        "live": cycle.state != CycleState.PUBLISHED,
    })


@login_required
def lost_points(request, pk: int):
    """Báo cáo điểm bị trừ: largest loss first, unit in charge, explanation; XLSX/PDF downloads."""
    user = _staff(request)
    cycle = _cycle(request, pk)
    unit = None
    unit_param = request.GET.get("don_vi", "").strip()
    if unit_param.isdigit():  # anything else (?don_vi=abc) means "all units", never a 500
        unit = selectors.cycle_units(cycle, user=user).filter(unit_id=int(unit_param)).first()
        unit = unit.unit if unit else None
    rows = selectors.lost_points(cycle=cycle, user=user, unit=unit)
    fmt = request.GET.get("format")
    if fmt in {"xlsx", "pdf"}:
        return _report_download(request, cycle, fmt, unit=unit)
    return render(request, "indices/lost.html", {
        "cycle": cycle, "rows": rows, "unit": unit, "total_lost": round(sum(r["lost"] for r in rows), 2),
        "units": [cu.unit for cu in selectors.cycle_units(cycle, user=user).order_by("unit__name")],
        "has_reports": True,
        "national_link": lost_selectors.is_national_cycle(cycle) and lost_selectors.full_view(user, cycle.organiser.province_unit),
    })


def _report_download(request, cycle, fmt: str, unit=None):
    """XLSX/PDF of the lost-points report, built by the index engine's reports module."""
    fn = getattr(reports, f"lost_points_{fmt}")
    try:
        data = fn(cycle_id=cycle.pk, user=request.user, unit=unit)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("indices:lost", pk=cycle.pk)
    content_type = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}[fmt]
    response = HttpResponse(data, content_type=content_type)
    suffix = f"-{unit.code}" if unit is not None else ""
    response["Content-Disposition"] = f'attachment; filename="diem-bi-tru-ky-{cycle.pk}{suffix}.{fmt}"'
    return response


@login_required
def path_to_target(request, pk: int):
    """Lộ trình đạt hạng mục tiêu: target rank → points needed and the sub-criteria to recover first."""
    user = _staff(request)
    cycle = _cycle(request, pk)
    units = [cu.unit for cu in selectors.cycle_units(cycle, user=user).order_by("unit__name")]
    plan, error = None, None
    form = {"unit": request.GET.get("don_vi", ""), "target": request.GET.get("hang", ""), "peers": request.GET.get("bang_so_sanh", "")}
    if form["unit"] and form["target"]:
        unit = next((u for u in units if str(u.pk) == form["unit"]), None)
        try:
            if unit is None:
                raise DomainError("Chọn đơn vị.", field="unit")
            if not form["target"].isdigit() or int(form["target"]) < 1:
                raise DomainError("Hạng mục tiêu phải là số nguyên ≥ 1.", field="target")
            peers = None
            if form["peers"].strip():
                peers = []
                for n, line in enumerate(form["peers"].strip().splitlines(), start=1):
                    line = line.strip()
                    if not line:
                        continue
                    if re.fullmatch(r"\d+(?:[.,]\d+)?\s*%?", line):
                        peers.append({"unit": f"#{n}", "index_pct": line.rstrip("% ").replace(",", ".")})
                        continue
                    m = PEER_LINE.match(line)
                    if m is None:
                        raise DomainError(f"Bảng so sánh, dòng {n}: cần “tên, chỉ số %” (ví dụ “Quảng Ninh, 92,18”).", field="peers")
                    peers.append({"unit": (m.group("name") or f"#{n}").strip(), "index_pct": m.group("value").replace(",", ".")})
            plan = selectors.path_to_target(cycle=cycle, unit=unit, target_rank=int(form["target"]), peers=peers, user=user)
        except DomainError as exc:
            error = exc.message
    return render(request, "indices/target.html", {"cycle": cycle, "units": units, "form": form, "plan": plan, "error": error},
                  status=400 if error else 200)


def cycle_unit_ids(cycle) -> list[int]:
    return list(CycleUnit.objects.filter(cycle=cycle).values_list("unit_id", flat=True))
