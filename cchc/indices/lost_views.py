"""Pages for the national lost points (giải trình điểm bị trừ Chỉ số CCHC cấp tỉnh): the PAR office's status
page, a department's worklist and the explanation form. Views parse input, call one service or selector of
`lost_services` / `lost_selectors`, and render; every DomainError is shown with its field.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.accounts.models import Role
from cchc.core.errors import DomainError

from . import lost_selectors as ls
from . import lost_services as svc
from .models import AssessmentCycle, LostPointStatus

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_DEADLINE_DAYS = 30


def _staff(request):
    user = request.user
    if not (getattr(user, "is_staff_member", False) or getattr(user, "is_system_admin", False)):
        raise PermissionDenied
    return user


def _national_cycle(user, pk: int):
    """The cycle and its province, for a user who follows every row (PAR office, leaders); 404/403 otherwise."""
    cycle = AssessmentCycle.objects.select_related("criteria_set", "organiser").filter(pk=pk).first()
    if cycle is None:
        raise Http404
    provinces = ls.national_provinces(cycle)
    if not provinces:
        raise Http404
    province = provinces[0]
    if not ls.full_view(user, province):
        raise Http404
    return cycle, province


def _is_par_office(user, province) -> bool:
    from cchc.accounts.permissions import can

    return user.role == Role.PAR_OFFICE and can(user, "appraise", province)


def _status_context(request, cycle, province, *, errors=None):
    user = request.user
    today = timezone.localdate()
    departments = list(ls.assignable_units(province))
    dept_param = request.GET.get("co_quan", "").strip()
    status = request.GET.get("trang_thai", "").strip()
    department = next((u for u in departments if str(u.pk) == dept_param), None)
    if status and status != "overdue" and status not in LostPointStatus.values:
        status = ""
    all_rows = ls.national_lost_points(cycle=cycle, user=user, today=today)
    rows = [r for r in all_rows if (department is None or r["department_id"] == department.pk)
            and (not status or (r["overdue"] if status == "overdue" else r["status"] == status))]
    return {
        "cycle": cycle, "province": province, "groups": ls.by_field(rows), "rows": rows, "summary": ls.summary(all_rows),
        "shown": len(rows), "departments": departments, "department": department, "status": status,
        "statuses": [(s, LostPointStatus(s).label) for s in ("unassigned", "assigned", "more_requested", "explained", "accepted")],
        "can_assign": _is_par_office(user, province) and ls.cycle_allows_assignment(cycle),
        "unassigned": sum(1 for r in all_rows if r["status"] == LostPointStatus.UNASSIGNED),
        "default_deadline": (today + dt.timedelta(days=DEFAULT_DEADLINE_DAYS)).isoformat(), "today": today,
        "missing": ls.missing_scores(cycle=cycle), "defaults": ls.default_rows(province), "errors": errors or {},
        "query": request.GET.urlencode(),
    }


@login_required
def national_status(request, pk: int):
    """Theo dõi giải trình điểm bị trừ (PAR office, leaders): per field → sub-criterion, max, points, lost,
    department, status, deadline, overdue; filters; counts; XLSX; "giao theo mặc định"."""
    user = _staff(request)
    cycle, province = _national_cycle(user, pk)
    if request.GET.get("format") == "xlsx":
        from .reports import national_lost_points_xlsx

        body = national_lost_points_xlsx(cycle_id=cycle.pk, user=user)
        response = HttpResponse(body, content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="giai-trinh-diem-bi-tru-ky-{cycle.pk}.xlsx"'
        return response
    errors = {}
    if request.method == "POST":
        try:
            out = svc.lost_points_assign_default(cycle=cycle, deadline=request.POST.get("deadline", ""), actor=user)
        except DomainError as exc:
            errors[exc.field or "form"] = exc.message
        else:
            msg = f"Đã giao theo mặc định {out['assigned']} tiêu chí thành phần (hạn {dt.date.fromisoformat(out['deadline']):%d/%m/%Y})"
            if out["already"]:
                msg += f"; {out['already']} tiêu chí đã giao trước đó được giữ nguyên"
            if out["unresolved"]:
                msg += f"; chưa xác định được cơ quan chủ trì cho {', '.join(out['unresolved'])} — giao thủ công"
            messages.success(request, msg + ".")
            return redirect("indices:lost_national", pk=cycle.pk)
    return render(request, "indices/lost_status.html", _status_context(request, cycle, province, errors=errors),
                  status=400 if errors else 200)


@login_required
@require_POST
def national_assign(request, pk: int):
    """Giao / giao lại một tiêu chí thành phần (PAR office); htmx swaps the row, a plain POST redirects back."""
    user = _staff(request)
    cycle, province = _national_cycle(user, pk)
    from cchc.units.models import Unit

    code = request.POST.get("criterion", "")
    error = None
    try:
        dept_id = request.POST.get("department", "")
        department = Unit.objects.filter(pk=int(dept_id)).first() if dept_id.isdigit() else None
        coop_ids = [int(x) for x in request.POST.getlist("cooperating") if x.isdigit()]
        cooperating = list(Unit.objects.filter(pk__in=coop_ids))
        version = request.POST.get("version", "")
        svc.lost_point_assign(cycle=cycle, criterion=code, department=department, cooperating=cooperating,
                              deadline=request.POST.get("deadline", ""), actor=user,
                              expected_version=int(version) if version.isdigit() else None)
    except DomainError as exc:
        error = exc.message
    if request.htmx:
        ctx = _status_context(request, cycle, province)
        row = next((r for r in ctx["rows"] if r["code"] == code), None)
        if row is None:
            raise Http404
        ctx.update({"r": row, "row_error": error, "saved": error is None})
        return render(request, "indices/_lost_row.html", ctx)
    if error:
        messages.error(request, f"{code}: {error}")
    else:
        messages.success(request, f"Đã giao {code}.")
    return redirect(reverse("indices:lost_national", args=[pk]) + f"#tc-{code}")


@login_required
def worklist(request):
    """Điểm bị trừ cần giải trình: what the user's department is in charge of (and cooperates on); for the PAR
    office and leaders, the national cycles to follow."""
    user = _staff(request)
    rows = ls.worklist(user=user)
    open_rows = [r for r in rows if r["role"] == "chủ trì" and r["status"] in ("assigned", "more_requested")]
    return render(request, "indices/lost_worklist.html", {
        "rows": rows, "open_count": len(open_rows), "overdue_count": sum(1 for r in open_rows if r["overdue"]),
        "national_cycles": ls.national_cycles_for(user), "unit": user.unit,
    })


def _detail_context(user, a, *, errors=None, form=None):
    today = timezone.localdate()
    row = ls.assignment_row(a, today=today)
    can_explain = svc_may(lambda: svc._require_department(user, a)) and a.status in ("assigned", "more_requested", "explained")
    can_review = svc_may(lambda: svc._require_par_office(user, a.unit)) and a.status == "explained"
    last = a.explanations.all().order_by("-submitted_at", "-pk").first()
    form = form or {"cause": last.cause if last else "", "remedy": last.remedy if last else ""}
    return {
        "a": a, "r": row, "history": list(a.explanations.all().select_related("submitted_by").order_by("submitted_at", "pk")),
        "can_explain": can_explain, "can_review": can_review, "errors": errors or {}, "form": form, "today": today,
        "full_view": ls.full_view(user, a.unit), "next_deadline": max(today, a.deadline).isoformat(),
    }


def svc_may(check) -> bool:
    try:
        check()
    except DomainError:
        return False
    return True


@login_required
def assignment_detail(request, apk: int):
    """Giải trình một tiêu chí thành phần: the department writes cause and remedy; the PAR office accepts or
    asks for more. GET shows the figures, the history and the form the user may use."""
    user = _staff(request)
    try:
        a = ls.assignment_get(pk=apk, user=user)
    except DomainError:
        raise Http404 from None
    errors, form = {}, None
    if request.method == "POST":
        action = request.POST.get("action", "")
        version = request.POST.get("version", "")
        expected = int(version) if version.isdigit() else None
        form = {"cause": request.POST.get("cause", ""), "remedy": request.POST.get("remedy", ""), "note": request.POST.get("note", ""),
                "deadline": request.POST.get("deadline", "")}
        try:
            if action == "explain":
                svc.lost_point_explain(assignment=a, cause=form["cause"], remedy=form["remedy"], actor=user, expected_version=expected)
                messages.success(request, f"Đã gửi giải trình tiêu chí {a.criterion.code}.")
            elif action in ("accept", "request_more"):
                svc.lost_point_review(assignment=a, decision=action, note=form["note"], deadline=form["deadline"] or None, actor=user,
                                      expected_version=expected)
                messages.success(request, f"Đã {'chấp nhận giải trình' if action == 'accept' else 'yêu cầu bổ sung'} tiêu chí {a.criterion.code}.")
            else:
                raise DomainError("Thao tác không hợp lệ.", field="action")
        except DomainError as exc:
            errors[exc.field or "form"] = exc.message
            a = ls.assignment_get(pk=apk, user=user)
        else:
            return redirect("indices:lost_item", apk=a.pk)
    return render(request, "indices/lost_detail.html", _detail_context(user, a, errors=errors, form=form), status=400 if errors else 200)


def lost_page_link(cycle) -> bool:
    """Does the cycle's lost-points page link to the national explanation page?"""
    return ls.is_national_cycle(cycle)


def worklist_link_count(user) -> int:
    return ls.worklist_count(user)

