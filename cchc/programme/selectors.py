"""Reads of the PAR plan: scope, the completion statistic (one definition), exports, index metrics, report section.

Completion (hoàn thành nhiệm vụ) of a set of tasks over a period [start, end] as of `today`:
- due = tasks whose deadline falls in [start, min(end, today)] and that are not cancelled (a task not yet due does
  not count: a year's rate read in June covers the tasks due by June);
- done on time = done with completion date ≤ deadline (the deadline day itself is on time, rules.task_timeliness);
- done late = done after the deadline; not done = due − done; overdue open = not done and today > deadline;
- rate = done on time ÷ due × 100 (None when nothing was due).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from cchc.accounts.permissions import descendant_ids, filter_by_scope, scope_q
from cchc.core.numbers import format_vn

from . import rules
from .models import COMMUNICATION_KINDS, MEETING_KINDS, Plan, PlanStatus, PlanTask, TaskKind, TaskStatus


def plans_visible(user) -> QuerySet[Plan]:
    """Plans a staff user may read: those of units in their scope, and the province plan of their own province
    (every official of the province reads it: it assigns their tasks). Citizens: none."""
    if not getattr(user, "is_authenticated", False) or not (user.is_superuser or user.is_staff_member):
        return Plan.objects.none()
    q = scope_q(user, "unit")
    if q is None:
        return Plan.objects.all()
    if user.unit_id:
        q |= Q(unit_id=user.unit.province_id or user.unit_id)
    return Plan.objects.filter(q)


def tasks_visible(user) -> QuerySet[PlanTask]:
    """Tasks of the visible plans, plus tasks whose unit in charge is in scope or that name the user."""
    if not getattr(user, "is_authenticated", False) or not (user.is_superuser or user.is_staff_member):
        return PlanTask.objects.none()
    q = scope_q(user, "unit")
    if q is None:
        return PlanTask.objects.all()
    return PlanTask.objects.filter(Q(plan__in=plans_visible(user)) | q | Q(responsible=user)).distinct()


def _counts(tasks, *, start: date, end: date, today: date) -> dict:
    stop = min(end, today)
    due = done_on_time = done_late = overdue = 0
    for t in tasks:
        if t.status == TaskStatus.CANCELLED or not (start <= t.deadline <= stop):
            continue
        due += 1
        verdict = rules.task_timeliness(deadline=t.deadline, status=t.status, completed_on=t.completed_on, today=today)
        done_on_time += verdict == rules.ON_TIME
        done_late += verdict == rules.LATE
        overdue += verdict == rules.OVERDUE
    return {"due": due, "done_on_time": done_on_time, "done_late": done_late, "not_done": due - done_on_time - done_late,
            "overdue_open": overdue, "rate": round(done_on_time * 100 / due, 2) if due else None}


def completion(*, tasks: QuerySet[PlanTask] | None = None, units=None, start: date, end: date, today: date | None = None,
               by_unit: bool = False) -> dict:
    """Hoàn thành nhiệm vụ (the one definition, see the module docstring). `units`: tasks whose unit in charge is
    one of them or below them. `by_unit`: {unit_id: counts} keyed by the unit in charge."""
    today = today or timezone.localdate()
    qs = tasks if tasks is not None else PlanTask.objects.all()
    if units is not None:
        qs = qs.filter(unit_id__in=descendant_ids([getattr(u, "pk", u) for u in units]))
    rows = list(qs.filter(deadline__gte=start, deadline__lte=min(end, today)).only("unit_id", "deadline", "status", "completed_on"))
    if not by_unit:
        return _counts(rows, start=start, end=end, today=today)
    grouped: dict[int, list] = {}
    for t in rows:
        grouped.setdefault(t.unit_id, []).append(t)
    return {uid: _counts(ts, start=start, end=end, today=today) for uid, ts in grouped.items()}


def annotate_timeliness(tasks, today: date | None = None) -> list[PlanTask]:
    today = today or timezone.localdate()
    out = []
    for t in tasks:
        t.verdict = t.timeliness(today)
        t.verdict_label = rules.LABELS[t.verdict]
        out.append(t)
    return out


VERDICT_ORDER = {rules.OVERDUE: 0, rules.OPEN: 1, rules.LATE: 2, rules.ON_TIME: 3, rules.CANCELLED: 4}


def my_unit_tasks(user, today: date | None = None) -> list[PlanTask]:
    """Nhiệm vụ của đơn vị tôi: tasks whose unit in charge is the user's unit (or below), or that name the user;
    overdue first, then open by deadline, then done."""
    if not getattr(user, "unit_id", None) and not getattr(user, "is_superuser", False):
        return []
    q = Q(responsible=user)
    if user.unit_id:
        q |= Q(unit_id__in=descendant_ids([user.unit_id]))
    qs = filter_by_scope(PlanTask.objects.filter(q), user, "unit") | PlanTask.objects.filter(responsible=user)
    rows = annotate_timeliness(qs.distinct().select_related("plan", "unit", "responsible"), today)
    rows.sort(key=lambda t: (VERDICT_ORDER[t.verdict], t.deadline, t.pk))
    return rows


# ----------------------------------------------------------------------------------------------- export per person

EXPORT_COLUMNS = ["Họ và tên", "Tài khoản", "Chức vụ", "Đơn vị công tác", "Kế hoạch", "STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì",
                  "Thời hạn", "Trạng thái", "Ngày hoàn thành", "Kết quả", "Chỉ tiêu", "Đạt được"]


def person_rows(*, tasks: QuerySet[PlanTask], year: int, today: date | None = None) -> list[list]:
    """One row per task per responsible person (tasks of `year` by deadline with a named head), for the annual
    evaluation of officials (đánh giá, xếp loại hằng năm)."""
    today = today or timezone.localdate()
    rows = []
    qs = tasks.filter(deadline__year=year, responsible__isnull=False).select_related("responsible", "responsible__unit", "plan", "unit")
    for t in sorted(qs, key=lambda t: (t.responsible.display_name(), t.deadline, t.pk)):
        u = t.responsible
        verdict = t.timeliness(today)
        rows.append([u.display_name(), u.username, u.position, u.unit.name if u.unit_id else "", t.plan.number or t.plan.title, t.order,
                     t.content, t.unit.name, t.deadline.strftime("%d/%m/%Y"), t.get_status_display(),
                     t.completed_on.strftime("%d/%m/%Y") if t.completed_on else "", rules.LABELS[verdict],
                     f"{format_vn(t.target_value, 2, strip_zeros=True)} {t.target_unit}".strip() if t.target_value is not None else "",
                     f"{format_vn(t.achieved_value, 2, strip_zeros=True)} {t.target_unit}".strip() if t.achieved_value is not None else ""])
    return rows


def person_export_xlsx(*, tasks: QuerySet[PlanTask], year: int, today: date | None = None) -> bytes:
    from openpyxl import Workbook

    from cchc.core.xlsx import workbook_bytes

    wb = Workbook()
    ws = wb.active
    ws.title = f"Nhiệm vụ CCHC {year}"
    ws.append(EXPORT_COLUMNS)
    for row in person_rows(tasks=tasks, year=year, today=today):
        ws.append(row)
    return workbook_bytes(wb)


# ------------------------------------------------------------------------------------------------ index metrics

def metric_task_completion_rate(cycle, unit_ids: list[int]) -> dict:
    """plan_task_completion_rate: % of the unit's tasks (unit in charge = the unit or a unit below it) due in the
    cycle's year up to today that were done on time; no task due → no figure."""
    year = cycle.year
    out = {}
    for uid in unit_ids:
        c = completion(units=[uid], start=date(year, 1, 1), end=date(year, 12, 31))
        if c["rate"] is not None:
            out[uid] = c["rate"]
    return out


def metric_plan_issued_on_time(cycle, unit_ids: list[int]) -> dict:
    """plan_issued_on_time: 100 if the unit's plan for the cycle's year was issued on or before its deadline, 0 if
    issued late or still a draft after the deadline; no plan recorded (or undecided) → no figure."""
    today = timezone.localdate()
    out = {}
    for plan in Plan.objects.filter(unit_id__in=unit_ids, year=cycle.year):
        verdict = rules.plan_on_time(plan.issued_on if plan.status == PlanStatus.ISSUED else None, plan.issue_deadline, today=today)
        if verdict is not None:
            out[plan.unit_id] = 100 if verdict else 0
    return out


# ----------------------------------------------------------------------------------------- conference report

def _fig(key, label, value, unit, query):
    return {"key": key, "label": label, "value": value, "unit": unit, "query": query}


def report_section(province, start: date, end: date, today: date | None = None) -> dict:
    """Kết quả thực hiện kế hoạch CCHC for the conference report (sơ kết / tổng kết) of `province` over [start, end]."""
    today = today or min(timezone.localdate(), end)
    pid = getattr(province, "pk", province)
    plan = Plan.objects.filter(unit_id=pid, year=end.year).first()
    tasks = PlanTask.objects.filter(Q(plan__unit_id=pid) | Q(plan__unit__province_id=pid))
    c = completion(tasks=tasks, start=start, end=end, today=today)
    in_period = tasks.filter(deadline__gte=start, deadline__lte=end).exclude(status=TaskStatus.CANCELLED)
    done_in_period = tasks.filter(status=TaskStatus.DONE, completed_on__gte=start, completed_on__lte=min(end, today))
    comm = done_in_period.filter(kind__in=COMMUNICATION_KINDS)
    meet = done_in_period.filter(kind__in=MEETING_KINDS)
    span = f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"
    scope = "PlanTask của kế hoạch tỉnh và kế hoạch các đơn vị trong tỉnh"
    figures = [
        _fig("plan_number", "Kế hoạch CCHC năm", (plan.number if plan and plan.status == PlanStatus.ISSUED else None), "",
             f"Plan(unit=tỉnh, year={end.year}, status=issued).number"),
        _fig("plan_issued_on", "Ngày ban hành kế hoạch",
             plan.issued_on.strftime("%d/%m/%Y") if plan and plan.issued_on and plan.status == PlanStatus.ISSUED else None, "",
             f"Plan(unit=tỉnh, year={end.year}).issued_on"),
        _fig("plan_issued_on_time", "Ban hành kế hoạch đúng hạn",
             None if plan is None else rules.plan_on_time(plan.issued_on if plan.status == PlanStatus.ISSUED else None,
                                                          plan.issue_deadline, today=today), "",
             "Plan.issued_on ≤ Plan.issue_deadline (ngày hạn vẫn là đúng hạn)"),
        _fig("tasks_due", "Nhiệm vụ đến hạn", c["due"], "nhiệm vụ",
             f"{scope}; thời hạn trong {span} và không muộn hơn {today:%d/%m/%Y}; trừ nhiệm vụ hủy bỏ"),
        _fig("tasks_done_on_time", "Hoàn thành đúng hạn", c["done_on_time"], "nhiệm vụ",
             "trong số đến hạn: status=done và completed_on ≤ deadline"),
        _fig("tasks_done_late", "Hoàn thành quá hạn", c["done_late"], "nhiệm vụ", "trong số đến hạn: status=done và completed_on > deadline"),
        _fig("tasks_not_done", "Chưa hoàn thành", c["not_done"], "nhiệm vụ", "trong số đến hạn: status ≠ done"),
        _fig("completion_rate", "Tỷ lệ hoàn thành đúng hạn", c["rate"], "%", "hoàn thành đúng hạn ÷ đến hạn × 100"),
        _fig("tasks_in_period", "Nhiệm vụ có thời hạn trong kỳ", in_period.count(), "nhiệm vụ", f"{scope}; thời hạn trong {span}; trừ hủy bỏ"),
        _fig("communication_activities", "Hoạt động tuyên truyền CCHC đã thực hiện", comm.count(), "hoạt động",
             f"{scope}; kind ∈ họp báo, tin bài, cuộc thi; status=done, completed_on trong {span}"),
        _fig("meetings", "Hội nghị đối thoại doanh nghiệp, trả lời kiến nghị cử tri", meet.count(), "cuộc",
             f"{scope}; kind ∈ đối thoại doanh nghiệp, kiến nghị cử tri; status=done, completed_on trong {span}"),
    ]
    per_unit = completion(tasks=tasks, start=start, end=end, today=today, by_unit=True)
    from cchc.units.models import Unit

    names = dict(Unit.objects.filter(pk__in=list(per_unit)).values_list("pk", "name"))
    unit_rows = sorted(per_unit.items(), key=lambda kv: (-(kv[1]["rate"] or 0), names.get(kv[0], "")))
    kinds = [TaskKind.PRESS_BRIEFING, TaskKind.ARTICLE, TaskKind.CONTEST, TaskKind.BUSINESS_MEETING, TaskKind.VOTER_PETITIONS]
    return {
        "title": "Kết quả thực hiện kế hoạch cải cách hành chính",
        "figures": figures,
        "tables": [
            {"title": "Kết quả thực hiện nhiệm vụ theo đơn vị chủ trì",
             "columns": ["Đơn vị", "Đến hạn", "Đúng hạn", "Quá hạn", "Chưa hoàn thành", "Tỷ lệ đúng hạn (%)"],
             "rows": [[names.get(uid, str(uid)), r["due"], r["done_on_time"], r["done_late"], r["not_done"], r["rate"]]
                      for uid, r in unit_rows if r["due"]]},
            {"title": "Công tác tuyên truyền, đối thoại",
             "columns": ["Loại hoạt động", "Đã thực hiện"],
             "rows": [[TaskKind(k).label, done_in_period.filter(kind=k).count()] for k in kinds]},
        ],
    }
