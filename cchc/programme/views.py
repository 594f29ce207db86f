"""Trang Kế hoạch CCHC (Vietnamese pages). Views parse input, call one service or selector, and render.

/ke-hoach-cchc/                         plans in scope (year filter) + create form for those who may
/ke-hoach-cchc/<pk>/                    plan: issue form, tasks table (sort, filter by unit/status/overdue), add task
/ke-hoach-cchc/nhiem-vu/<pk>/           task: details, status, progress reports with evidence
/ke-hoach-cchc/nhiem-vu/<pk>/sua/       edit a task (content, unit, head, deadline, target, status): htmx swaps the
                                        form into the plan table's row and the row back; without JS a page
/ke-hoach-cchc/cua-don-vi/              Nhiệm vụ của đơn vị tôi (overdue first)
/ke-hoach-cchc/xuat-ca-nhan/?nam=YYYY   XLSX, one row per task per responsible person (annual evaluation)
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cchc.core.errors import DomainError, ForbiddenError
from cchc.dossiers.templatetags.dossier_format import human
from cchc.dossiers.views import staff_required

from . import rules, selectors, services
from .forms import TaskEditForm
from .models import PAR_FIELDS, PlanTask, ProgressReport, TaskKind, TaskStatus

SORTS = {"han": ("deadline", "order"), "stt": ("order", "id"), "don_vi": ("unit__name", "deadline"),
         "trang_thai": ("status", "deadline")}


def _err(request, exc: DomainError):
    messages.error(request, exc.message)


def _plan_or_404(user, pk):
    p = selectors.plans_visible(user).select_related("unit", "issuing_unit").filter(pk=pk).first()
    if p is None:
        raise Http404
    return p


@staff_required
@require_http_methods(["GET", "POST"])
def plan_list(request):
    today = timezone.localdate()
    if request.method == "POST":
        try:
            plan = services.plan_create(actor=request.user, unit=request.POST.get("unit"), year=request.POST.get("year"),
                                        title=request.POST.get("title") or None or f"Kế hoạch cải cách hành chính năm {request.POST.get('year')}")
        except DomainError as exc:
            _err(request, exc)
            return redirect("programme:list")
        messages.success(request, "Đã lập dự thảo kế hoạch.")
        return redirect("programme:plan", pk=plan.pk)
    year = request.GET.get("nam") or ""
    qs = selectors.plans_visible(request.user).select_related("unit")
    if year.isdigit():
        qs = qs.filter(year=int(year))
    plans = list(qs[:300])
    for p in plans:
        p.stats = selectors.completion(tasks=p.tasks.all(), start=p.issue_deadline.replace(year=p.year, month=1, day=1),
                                       end=p.issue_deadline.replace(year=p.year, month=12, day=31), today=today)
        p.on_time = rules.plan_on_time(p.issued_on if p.status == "issued" else None, p.issue_deadline, today=today)
    u = request.user
    editable_units = []
    if u.unit_id:
        home = u.unit
        province = home.province or home
        editable_units = [x for x in ([province] if province.pk != home.pk else []) + [home] if services.can_edit_plan(u, x)]
    return render(request, "programme/plan_list.html", {"plans": plans, "year": year, "years": sorted({p.year for p in plans} | {today.year}, reverse=True),
                                                         "editable_units": editable_units, "this_year": today.year + (1 if today.month == 12 else 0)})


@staff_required
@require_http_methods(["GET", "POST"])
def plan_detail(request, pk: int):
    plan = _plan_or_404(request.user, pk)
    editable = services.can_edit_plan(request.user, plan.unit)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "issue":
                services.plan_issue(plan=plan, actor=request.user, number=request.POST.get("number"), issued_on=request.POST.get("issued_on"),
                                    expected_version=request.POST.get("version") or None)
                messages.success(request, "Đã ghi nhận ban hành kế hoạch.")
            elif action == "task":
                services.task_create(plan=plan, actor=request.user, content=request.POST.get("content"), kind=request.POST.get("kind") or "regular",
                                     unit=request.POST.get("unit"), deadline=request.POST.get("deadline"),
                                     responsible=request.POST.get("responsible") or None, expected_output=request.POST.get("expected_output", ""),
                                     target_value=request.POST.get("target_value") or None, target_unit=request.POST.get("target_unit", ""),
                                     field=request.POST.get("field") or None, cooperating=request.POST.getlist("cooperating"))
                messages.success(request, "Đã thêm nhiệm vụ.")
            else:
                raise DomainError("action: thao tác không hợp lệ.", code="invalid", field="action")
        except DomainError as exc:
            _err(request, exc)
        return redirect("programme:plan", pk=plan.pk)
    today = timezone.localdate()
    q = request.GET
    sort = q.get("sap_xep") if q.get("sap_xep") in SORTS else "stt"
    tasks = plan.tasks.select_related("unit", "responsible").order_by(*SORTS[sort])
    unit_code, status, verdict = q.get("don_vi", ""), q.get("trang_thai", ""), q.get("tinh_trang", "")
    if unit_code:
        tasks = tasks.filter(unit__code=unit_code)
    if status in TaskStatus.values:
        tasks = tasks.filter(status=status)
    rows = selectors.annotate_timeliness(tasks, today)
    if verdict in rules.LABELS:
        rows = [t for t in rows if t.verdict == verdict]
    year_stats = selectors.completion(tasks=plan.tasks.all(), start=today.replace(year=plan.year, month=1, day=1),
                                      end=today.replace(year=plan.year, month=12, day=31), today=today)
    from cchc.units.models import Unit

    units_in_plan = Unit.objects.filter(pk__in=plan.tasks.values("unit_id")).order_by("name")
    province_id = plan.unit.province_id or plan.unit.pk
    choices = Unit.objects.filter(province_id=province_id, is_active=True).exclude(kind="one_stop_desk").order_by("kind", "name") if editable else []
    return render(request, "programme/plan_detail.html", {
        "plan": plan, "rows": rows, "editable": editable, "sort": sort, "unit_code": unit_code, "status": status, "verdict": verdict,
        "statuses": TaskStatus.choices, "verdicts": list(rules.LABELS.items()), "units_in_plan": units_in_plan, "stats": year_stats,
        "on_time": rules.plan_on_time(plan.issued_on if plan.status == "issued" else None, plan.issue_deadline, today=today),
        "kinds": TaskKind.choices, "fields": PAR_FIELDS, "unit_choices": choices, "today": today,
    })


@staff_required
@require_http_methods(["GET", "POST"])
def task_detail(request, pk: int):
    task = selectors.tasks_visible(request.user).select_related("plan", "plan__unit", "unit", "responsible").filter(pk=pk).first()
    if task is None:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "progress":
                services.progress_report_add(task=task, actor=request.user, content=request.POST.get("content"),
                                             percent=request.POST.get("percent") or None, uploaded_file=request.FILES.get("file"))
                messages.success(request, "Đã gửi báo cáo tiến độ.")
            elif action == "status":
                services.task_set_status(task=task, actor=request.user, status=request.POST.get("status"),
                                         completed_on=request.POST.get("completed_on") or None,
                                         achieved_value=request.POST.get("achieved_value") or None, reason=request.POST.get("reason", ""),
                                         expected_version=request.POST.get("version") or None)
                messages.success(request, "Đã cập nhật trạng thái.")
            else:
                raise DomainError("action: thao tác không hợp lệ.", code="invalid", field="action")
        except DomainError as exc:
            _err(request, exc)
        return redirect("programme:task", pk=task.pk)
    today = timezone.localdate()
    [task] = selectors.annotate_timeliness([task], today)
    return render(request, "programme/task_detail.html", {
        "task": task, "reports": task.reports.select_related("author"), "cooperating": task.cooperating.order_by("name"),
        "can_report": services.can_report_task(request.user, task), "can_cancel": services.can_edit_plan(request.user, task.plan.unit),
        "statuses": TaskStatus.choices, "today": today,
    })


def _apply_edit(form: TaskEditForm, actor) -> bool:
    """Save the edit through the services in one transaction (content → task_update, status → task_set_status);
    False when nothing changed. A DomainError rolls both back."""
    task, d = form.task, form.cleaned_data
    changes = form.changes()
    status_changed = d["status"] != task.status
    if not changes and not status_changed:
        return False
    with transaction.atomic():
        version = d["version"]
        if changes:
            version = services.task_update(task=task, actor=actor, expected_version=version, **changes).version
        if status_changed:
            services.task_set_status(task=task, actor=actor, status=d["status"], completed_on=d.get("completed_on"),
                                     reason=d.get("reason") or "", expected_version=version)
    return True


@staff_required
@require_http_methods(["GET", "POST"])
def task_edit(request, pk: int):
    """Sửa nhiệm vụ (plan editors). htmx: GET swaps the form into the table row, POST answers the re-rendered row
    (or the form with its errors, status 200 so htmx swaps it); `?dong=1` gives the row back (Hủy). Without htmx
    the same form is a page; errors answer 400, success goes back to the plan."""
    task = selectors.tasks_visible(request.user).select_related("plan__unit", "unit", "responsible").filter(pk=pk).first()
    if task is None:
        raise Http404
    if not services.can_edit_plan(request.user, task.plan.unit):
        raise PermissionDenied
    today = timezone.localdate()
    if request.method == "GET" and request.GET.get("dong"):
        [task] = selectors.annotate_timeliness([task], today)
        return render(request, "programme/_task_row.html", {"t": task, "editable": True})
    form = TaskEditForm(request.POST or None, task=task)
    saved = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = _apply_edit(form, request.user)
        except DomainError as exc:
            if isinstance(exc, ForbiddenError):
                raise PermissionDenied(exc.message) from None
            field = exc.field if exc.field in form.fields and exc.field != "version" else None
            form.add_error(field, human(exc.message) if field else exc.message)
        else:
            if not request.htmx:
                messages.success(request, "Đã lưu nhiệm vụ." if saved else "Không có thay đổi.")
                return redirect(reverse("programme:plan", args=[task.plan_id]) + f"#task-{task.pk}")
            task = PlanTask.objects.select_related("plan__unit", "unit", "responsible").get(pk=task.pk)
            [task] = selectors.annotate_timeliness([task], today)
            return render(request, "programme/_task_row.html", {"t": task, "editable": True,
                                                                "note": "Đã lưu." if saved else "Không có thay đổi."})
    if request.htmx:
        return render(request, "programme/_task_row_form.html", {"t": task, "form": form})
    return render(request, "programme/task_edit.html", {"t": task, "form": form}, status=400 if form.is_bound else 200)


@staff_required
def my_tasks(request):
    today = timezone.localdate()
    rows = selectors.my_unit_tasks(request.user, today)
    counts = {k: sum(1 for t in rows if t.verdict == k) for k in rules.LABELS}
    return render(request, "programme/my_tasks.html", {"rows": rows, "counts": counts, "today": today})


@staff_required
def person_export(request):
    raw = request.GET.get("nam") or str(timezone.localdate().year)
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        return render(request, "core/error.html", {"status": 400, "title": "Năm không hợp lệ",
                                                   "message": "nam: năm phải từ 2000 đến 2100."}, status=400)
    data = selectors.person_export_xlsx(tasks=selectors.tasks_visible(request.user), year=int(raw))
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="nhiem-vu-cchc-ca-nhan-{raw}.xlsx"'
    return resp


@staff_required
def evidence_download(request, pk: int):
    from cchc.dossiers import storage

    report = ProgressReport.objects.filter(pk=pk, task__in=selectors.tasks_visible(request.user)).first()
    if report is None or not report.file_path or not storage.exists(report.file_path):
        raise Http404
    return FileResponse(storage.open_file(report.file_path), as_attachment=False,
                        filename=report.original_name or Path(report.file_path).name,
                        content_type=report.content_type or "application/octet-stream")
