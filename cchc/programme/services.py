"""Use cases of the PAR plan (writes). Each locks what it changes, checks the rule, writes the audit row.

Who may write (deny by default, `cchc.accounts.permissions.can`):
- a province plan (plan.unit is a province) and its tasks: the PAR office of that province ("appraise");
- a unit plan and its tasks: the unit's head or the PAR office ("manage" on the unit);
- a progress report / status of a task: the head of the unit in charge (or of a unit above it), the head named
  responsible, or the PAR office.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cchc.accounts.permissions import can
from cchc.core.audit import audit_record
from cchc.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from cchc.units.models import Unit, UnitKind

from . import rules
from .models import Plan, PlanStatus, PlanTask, ProgressReport, TaskKind, TaskStatus

MAX_TEXT = 5000


def default_deadline(year: int) -> date:
    raw = str(getattr(settings, "PROGRAMME_PLAN_DEADLINE", "12-31"))
    try:
        month, day = (int(x) for x in raw.split("-"))
        return rules.default_issue_deadline(year, (month, day))
    except ValueError:
        return rules.default_issue_deadline(year)


def can_edit_plan(user, plan_unit) -> bool:
    if plan_unit.kind == UnitKind.PROVINCE:
        return can(user, "appraise", plan_unit)
    return can(user, "manage", plan_unit)


def can_report_task(user, task: PlanTask) -> bool:
    if getattr(user, "pk", None) and task.responsible_id == user.pk:
        return True
    return can(user, "manage", task.unit) or can_edit_plan(user, task.plan.unit)


def _date(value, field: str, *, required=True) -> date | None:
    if value in (None, ""):
        if required:
            raise DomainError(f"{field}: bắt buộc nhập ngày (YYYY-MM-DD).", code="required", field=field)
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError(f"{field}: ngày không hợp lệ {value!r} (YYYY-MM-DD).", code="invalid_date", field=field) from None


def _text(value, field: str, *, required=False, max_length=MAX_TEXT) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise DomainError(f"{field}: bắt buộc nhập.", code="required", field=field)
    if len(text) > max_length:
        raise DomainError(f"{field}: tối đa {max_length} ký tự.", code="max_length", field=field)
    return text


def _number(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise DomainError(f"{field}: không phải số {value!r}.", code="invalid_number", field=field) from None
    if not d.is_finite() or d < 0 or d >= Decimal("1e10"):
        raise DomainError(f"{field}: số phải từ 0 đến dưới 10 tỷ.", code="out_of_range", field=field)
    return d.quantize(Decimal("0.01"))


def _unit(value, field: str, *, within=None) -> Unit:
    if isinstance(value, Unit):
        unit = value
    else:
        key = str(value or "").strip()
        unit = Unit.objects.filter(pk=int(key)).first() if key.isdigit() else Unit.objects.filter(code=key).first()
        if unit is None:
            raise DomainError(f"{field}: không có đơn vị {value!r}.", code="unknown_unit", field=field)
    if within is not None and unit.pk != within.pk and (unit.province_id or unit.pk) != (within.province_id or within.pk):
        raise DomainError(f"{field}: đơn vị {unit.name} không thuộc tỉnh của kế hoạch.", code="outside_province", field=field)
    return unit


def _check_version(obj, expected):
    if expected is not None and int(expected) != obj.version:
        raise ConflictError("Dữ liệu vừa được người khác thay đổi; hãy tải lại.", code="stale_version", field="version")


# ------------------------------------------------------------------------------------------------------ plans

PLAN_FIELDS = ("title", "number", "issued_on", "issuing_unit", "issue_deadline")


def _apply_plan(plan: Plan, data: dict) -> list[str]:
    changed = []
    if "title" in data:
        plan.title = _text(data["title"], "title", required=True, max_length=500)
        changed.append("title")
    if "number" in data:
        plan.number = _text(data["number"], "number", max_length=60)
        changed.append("number")
    if "issued_on" in data:
        plan.issued_on = _date(data["issued_on"], "issued_on", required=False)
        changed.append("issued_on")
    if "issuing_unit" in data:
        plan.issuing_unit = _unit(data["issuing_unit"], "issuing_unit") if data["issuing_unit"] not in (None, "") else None
        changed.append("issuing_unit")
    if "issue_deadline" in data:
        plan.issue_deadline = _date(data["issue_deadline"], "issue_deadline")
        changed.append("issue_deadline")
    return changed


@transaction.atomic
def plan_create(*, unit, year, actor, **data) -> Plan:
    """Lập kế hoạch CCHC năm (draft). One plan per unit and year; deadline defaults to the province rule."""
    unit = _unit(unit, "unit")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError("year: năm không hợp lệ.", code="invalid", field="year") from None
    if not 2000 <= year <= 2100:
        raise DomainError("year: năm phải từ 2000 đến 2100.", code="out_of_range", field="year")
    if not can_edit_plan(actor, unit):
        raise ForbiddenError("Bạn không có quyền lập kế hoạch CCHC của đơn vị này.", code="forbidden", field="unit")
    if Plan.objects.filter(unit=unit, year=year).exists():
        raise ConflictError(f"{unit.name} đã có kế hoạch CCHC năm {year}.", code="duplicate", field="year")
    plan = Plan(unit=unit, year=year, issue_deadline=default_deadline(year), created_by=actor if getattr(actor, "pk", None) else None)
    data.setdefault("title", f"Kế hoạch cải cách hành chính năm {year}")
    _apply_plan(plan, {k: v for k, v in data.items() if k in PLAN_FIELDS})
    if plan.issuing_unit_id is None:
        plan.issuing_unit = unit
    plan.save()
    audit_record(actor=actor, action="programme.plan.create", obj=plan, to_state=plan.status,
                 data={"unit": unit.code, "year": year, "issue_deadline": plan.issue_deadline.isoformat()})
    return plan


def _lock_plan(plan) -> Plan:
    pk = plan.pk if isinstance(plan, Plan) else plan
    p = Plan.objects.select_for_update().filter(pk=pk).first()
    if p is None:
        raise NotFoundError("Không có kế hoạch này.", code="not_found", field="plan")
    return p


@transaction.atomic
def plan_update(*, plan, actor, expected_version=None, **data) -> Plan:
    p = _lock_plan(plan)
    if not can_edit_plan(actor, p.unit):
        raise ForbiddenError("Bạn không có quyền sửa kế hoạch này.", code="forbidden")
    _check_version(p, expected_version)
    changed = _apply_plan(p, {k: v for k, v in data.items() if k in PLAN_FIELDS})
    if p.status == PlanStatus.ISSUED and (not p.number or p.issued_on is None):
        raise DomainError("Kế hoạch đã ban hành phải có số và ngày ban hành.", code="required", field="number" if not p.number else "issued_on")
    p.version += 1
    p.save()
    audit_record(actor=actor, action="programme.plan.update", obj=p, data={"fields": changed})
    return p


@transaction.atomic
def plan_issue(*, plan, actor, number, issued_on, expected_version=None) -> Plan:
    """Ban hành: record the document number and date; on time iff issued_on ≤ issue_deadline."""
    p = _lock_plan(plan)
    if not can_edit_plan(actor, p.unit):
        raise ForbiddenError("Bạn không có quyền ban hành kế hoạch này.", code="forbidden")
    _check_version(p, expected_version)
    if p.status == PlanStatus.ISSUED:
        raise ConflictError("Kế hoạch đã ban hành.", code="already_issued", field="status")
    p.number = _text(number, "number", required=True, max_length=60)
    p.issued_on = _date(issued_on, "issued_on")
    if p.issued_on > timezone.localdate():
        raise DomainError("issued_on: ngày ban hành không được sau hôm nay.", code="future_date", field="issued_on")
    p.status, p.version = PlanStatus.ISSUED, p.version + 1
    p.save()
    audit_record(actor=actor, action="programme.plan.issue", obj=p, from_state=PlanStatus.DRAFT, to_state=PlanStatus.ISSUED,
                 data={"number": p.number, "issued_on": p.issued_on.isoformat(), "on_time": p.issued_on <= p.issue_deadline})
    return p


# ------------------------------------------------------------------------------------------------------ tasks

TASK_FIELDS = ("content", "kind", "unit", "responsible", "cooperating", "deadline", "expected_output", "target_value",
               "target_unit", "achieved_value", "field", "order")


def _apply_task(task: PlanTask, data: dict, plan: Plan) -> tuple[list[str], list[Unit] | None]:
    from cchc.accounts.models import User

    changed, cooperating = [], None
    for key in TASK_FIELDS:
        if key not in data:
            continue
        v = data[key]
        if key == "content":
            task.content = _text(v, "content", required=True)
        elif key == "kind":
            if v not in TaskKind.values:
                raise DomainError(f"kind: loại nhiệm vụ không hợp lệ {v!r}; chọn một trong {', '.join(TaskKind.values)}.",
                                  code="invalid_choice", field="kind")
            task.kind = v
        elif key == "unit":
            task.unit = _unit(v, "unit", within=plan.unit)
        elif key == "responsible":
            if v in (None, ""):
                task.responsible = None
            else:
                user = v if isinstance(v, User) else User.objects.filter(username=str(v)).first() or \
                    (User.objects.filter(pk=int(v)).first() if str(v).isdigit() else None)
                if user is None or not user.is_staff_member:
                    raise DomainError(f"responsible: không có cán bộ {v!r}.", code="unknown_user", field="responsible")
                task.responsible = user
        elif key == "cooperating":
            cooperating = [_unit(u, "cooperating", within=plan.unit) for u in (v or [])]
        elif key == "deadline":
            task.deadline = _date(v, "deadline")
        elif key in ("expected_output", "target_unit"):
            setattr(task, key, _text(v, key, max_length=500 if key == "expected_output" else 60))
        elif key in ("target_value", "achieved_value"):
            setattr(task, key, _number(v, key))
        elif key == "field":
            if v in (None, ""):
                task.field = None
            elif str(v) not in {str(i) for i in range(1, 9)}:
                raise DomainError("field: lĩnh vực CCHC phải từ 1 đến 8.", code="invalid_choice", field="field")
            else:
                task.field = int(v)
        elif key == "order":
            try:
                task.order = max(0, int(v or 0))
            except (TypeError, ValueError):
                raise DomainError("order: số thứ tự không hợp lệ.", code="invalid", field="order") from None
        changed.append(key)
    if task.responsible_id and task.unit_id and task.responsible.unit_id is not None:
        if (task.responsible.unit.province_id or task.responsible.unit_id) != (plan.unit.province_id or plan.unit.pk):
            raise DomainError("responsible: cán bộ không thuộc tỉnh của kế hoạch.", code="outside_province", field="responsible")
    return changed, cooperating


@transaction.atomic
def task_create(*, plan, actor, **data) -> PlanTask:
    p = _lock_plan(plan)
    if not can_edit_plan(actor, p.unit):
        raise ForbiddenError("Bạn không có quyền thêm nhiệm vụ vào kế hoạch này.", code="forbidden")
    for required in ("content", "unit", "deadline"):
        if data.get(required) in (None, ""):
            raise DomainError(f"{required}: bắt buộc nhập.", code="required", field=required)
    task = PlanTask(plan=p)
    _, cooperating = _apply_task(task, data, p)
    if not data.get("order"):
        task.order = (p.tasks.count() + 1)
    task.save()
    if cooperating is not None:
        task.cooperating.set(cooperating)
    audit_record(actor=actor, action="programme.task.create", obj=task, to_state=task.status,
                 data={"plan": p.pk, "unit": task.unit.code, "deadline": task.deadline.isoformat()})
    return task


def _lock_task(task) -> PlanTask:
    pk = task.pk if isinstance(task, PlanTask) else task
    t = PlanTask.objects.select_for_update().filter(pk=pk).first()
    if t is None:
        raise NotFoundError("Không có nhiệm vụ này.", code="not_found", field="task")
    return t


@transaction.atomic
def task_update(*, task, actor, expected_version=None, **data) -> PlanTask:
    """Sửa nhiệm vụ (plan editors); status / completion go through `task_set_status`."""
    t = _lock_task(task)
    if not can_edit_plan(actor, t.plan.unit):
        raise ForbiddenError("Bạn không có quyền sửa nhiệm vụ này.", code="forbidden")
    _check_version(t, expected_version)
    changed, cooperating = _apply_task(t, data, t.plan)
    t.version += 1
    t.save()
    if cooperating is not None:
        t.cooperating.set(cooperating)
    audit_record(actor=actor, action="programme.task.update", obj=t, data={"fields": changed})
    return t


STATUS_FLOW = {
    TaskStatus.NOT_STARTED: {TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED},
    TaskStatus.IN_PROGRESS: {TaskStatus.DONE, TaskStatus.CANCELLED, TaskStatus.NOT_STARTED},
    TaskStatus.DONE: {TaskStatus.IN_PROGRESS},  # reopened by mistake-fix; the completion date is cleared
    TaskStatus.CANCELLED: {TaskStatus.NOT_STARTED},
}


@transaction.atomic
def task_set_status(*, task, actor, status, completed_on=None, achieved_value=None, reason: str = "",
                    expected_version=None) -> PlanTask:
    """Cập nhật trạng thái: done needs a completion date (≤ today); cancelling needs a reason (plan editors only)."""
    t = _lock_task(task)
    if not can_report_task(actor, t):
        raise ForbiddenError("Bạn không có quyền cập nhật nhiệm vụ này.", code="forbidden")
    _check_version(t, expected_version)
    if status not in TaskStatus.values:
        raise DomainError(f"status: trạng thái không hợp lệ {status!r}.", code="invalid_choice", field="status")
    if status != t.status and status not in STATUS_FLOW[t.status]:
        raise ConflictError(f"Không thể chuyển từ “{t.get_status_display()}” sang “{TaskStatus(status).label}”.",
                            code="invalid_transition", field="status")
    if status == TaskStatus.CANCELLED:
        if not can_edit_plan(actor, t.plan.unit):
            raise ForbiddenError("Chỉ người lập kế hoạch được hủy nhiệm vụ.", code="forbidden", field="status")
        reason = _text(reason, "reason", required=True, max_length=1000)
    from_state = t.status
    if status == TaskStatus.DONE:
        done_on = _date(completed_on, "completed_on")
        if done_on > timezone.localdate():
            raise DomainError("completed_on: ngày hoàn thành không được sau hôm nay.", code="future_date", field="completed_on")
        t.completed_on = done_on
    else:
        t.completed_on = None
    if achieved_value not in (None, ""):
        t.achieved_value = _number(achieved_value, "achieved_value")
    t.status, t.version = status, t.version + 1
    t.save()
    audit_record(actor=actor, action="programme.task.status", obj=t, from_state=from_state, to_state=status, reason=reason,
                 data={"completed_on": t.completed_on.isoformat() if t.completed_on else None,
                       "timeliness": t.timeliness(timezone.localdate())})
    return t


@transaction.atomic
def progress_report_add(*, task, actor, content, percent=None, reported_on=None, uploaded_file=None) -> ProgressReport:
    """Báo cáo tiến độ with an optional evidence file: the dossiers' one upload check (type by content, ≤ 10 MB),
    stored through the same storage (folder "plans/"), deleted again if the transaction rolls back."""
    from cchc.dossiers import storage
    from cchc.dossiers.services import MAX_UPLOAD_BYTES, upload_check

    t = _lock_task(task)
    if not can_report_task(actor, t):
        raise ForbiddenError("Bạn không có quyền báo cáo tiến độ nhiệm vụ này.", code="forbidden")
    if t.status == TaskStatus.CANCELLED:
        raise ConflictError("Nhiệm vụ đã hủy bỏ.", code="task_cancelled", field="task")
    text = _text(content, "content", required=True)
    pct = None
    if percent not in (None, ""):
        try:
            pct = int(percent)
        except (TypeError, ValueError):
            raise DomainError("percent: tiến độ phải là số nguyên.", code="invalid", field="percent") from None
        if not 0 <= pct <= 100:
            raise DomainError("percent: tiến độ phải từ 0 đến 100.", code="out_of_range", field="percent")
    on = _date(reported_on, "reported_on", required=False) or timezone.localdate()
    if on > timezone.localdate():
        raise DomainError("reported_on: ngày báo cáo không được sau hôm nay.", code="future_date", field="reported_on")
    report = ProgressReport(task=t, reported_on=on, author=actor if getattr(actor, "pk", None) else None, content=text, percent=pct)
    with storage.files_atomic():
        if uploaded_file is not None:
            ext, content_type = upload_check(uploaded_file, field="file")
            stored = storage.save_stream(uploaded_file, folder="plans", ext=ext, max_bytes=MAX_UPLOAD_BYTES)
            report.file_path, report.size, report.sha256 = stored.name, stored.size, stored.sha256
            report.original_name = Path(getattr(uploaded_file, "name", "") or "").name[:255]
            report.content_type = content_type
        report.save()
        if t.status == TaskStatus.NOT_STARTED:
            t.status, t.version = TaskStatus.IN_PROGRESS, t.version + 1
            t.save(update_fields=["status", "version"])
        audit_record(actor=actor, action="programme.progress.add", obj=report,
                     data={"task": t.pk, "percent": pct, "file": report.file_path or None, "sha256": report.sha256 or None})
    return report
