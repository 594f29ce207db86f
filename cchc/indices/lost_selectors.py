"""Giải trình điểm bị trừ Chỉ số CCHC cấp tỉnh — reads: which cycles are the province's national index, the
lost sub-criteria with the department in charge and its explanation, counts, a department's worklist, and
the default department of a field.

Lost points are never typed: they come from the cycle's results (`selectors.cycle_results_data`, the one
definition — max − final points, final = appraisal 2 ?? appraisal 1 ?? self; the frozen snapshot once
published). A sub-criterion without any score is not a lost point to explain (the result was not entered);
it is counted apart as "chưa có điểm".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from cchc.accounts.permissions import can
from cchc.core.errors import DomainError, NotFoundError
from cchc.core.textfold import fold

from . import lost_workflow as lw
from .models import (
    AssessmentCycle,
    Criterion,
    CycleState,
    CycleUnit,
    DepartmentKind,
    LostPointAssignment,
    LostPointDefault,
    LostPointStatus,
    TargetGroup,
)
from .selectors import cycle_results_data

# units a province may put in charge of a field (not communes: the national index is the province's own work)
ASSIGNABLE_KINDS = ("department", "province_office", "service_centre", "central_agency", "public_service_unit")

# a department kind → folded name prefixes that identify it in any province's registry
KIND_PATTERNS: dict[str, tuple[str, ...]] = {
    DepartmentKind.HOME_AFFAIRS: ("so noi vu",),
    DepartmentKind.JUSTICE: ("so tu phap",),
    DepartmentKind.PROVINCE_OFFICE: ("van phong uy ban nhan dan", "van phong ubnd"),
    DepartmentKind.FINANCE: ("so tai chinh",),
    DepartmentKind.SCIENCE_TECHNOLOGY: ("so khoa hoc va cong nghe",),
    DepartmentKind.SERVICE_CENTRE: ("trung tam phuc vu hanh chinh cong",),
    DepartmentKind.INSPECTORATE: ("thanh tra tinh",),
}


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# ------------------------------------------------------------------------------------- which cycles


def national_provinces(cycle: AssessmentCycle) -> list:
    """The provinces assessed in `cycle` when it is a national-index cycle (criteria set for provinces), else []."""
    from cchc.units.models import UnitKind

    if cycle.criteria_set.target_group != TargetGroup.PROVINCE:
        return []
    return [cu.unit for cu in CycleUnit.objects.filter(cycle=cycle, unit__kind=UnitKind.PROVINCE).select_related("unit").order_by("unit__name")]


def is_national_cycle(cycle: AssessmentCycle) -> bool:
    return bool(national_provinces(cycle))


def national_cycles_for(user):
    """National-index cycles whose lost points the user may follow (the province's PAR office and leaders)."""
    from cchc.units.models import UnitKind

    unit = getattr(user, "unit", None)
    province = unit.province_unit if unit is not None else None
    qs = AssessmentCycle.objects.filter(criteria_set__target_group=TargetGroup.PROVINCE,
                                        participants__unit__kind=UnitKind.PROVINCE).select_related("criteria_set").distinct()
    if getattr(user, "is_system_admin", False):
        return qs.order_by("-year", "name")
    if province is None or not can(user, "view", province) or not full_view(user, province):
        return qs.none()
    return qs.filter(participants__unit=province).order_by("-year", "name")


def full_view(user, province) -> bool:
    """Sees every lost point of the province: its PAR office, leaders and the system admin (every row);
    a department sees only what it is in charge of or cooperates on."""
    from cchc.accounts.models import Role

    if user is None:
        return True
    if getattr(user, "is_system_admin", False):
        return True
    return user.role in (Role.PAR_OFFICE, Role.PROVINCE_LEADER) and can(user, "view", province)


# ---------------------------------------------------------------------------------------- lost rows


def _lost_items(cycle: AssessmentCycle, provinces) -> tuple[list[dict], dict[int, list[str]]]:
    """(lost items of the provinces with unit_id, {unit_id: codes without a score}) from the cycle's results."""
    wanted = {p.pk for p in provinces}
    items, missing = [], {}
    for r in cycle_results_data(cycle):
        if r["unit_id"] not in wanted:
            continue
        gone = set(r.get("missing") or [])
        missing[r["unit_id"]] = sorted(gone)
        for item in r["lost"]:
            if item["code"] in gone or item["lost"] <= 0:
                continue
            items.append({**item, "unit_id": r["unit_id"], "unit": r["unit"]})
    return items, missing


def _row(item: dict, a: LostPointAssignment | None, crit: Criterion, field: Criterion | None, today: dt.date) -> dict:
    last = None
    if a is not None:
        explanations = list(a.explanations.all())
        last = explanations[-1] if explanations else None
    status = a.status if a is not None else LostPointStatus.UNASSIGNED
    return {
        "assignment_id": a.pk if a else None,
        "unit_id": item["unit_id"], "unit": item["unit"],
        "criterion_id": crit.pk, "code": crit.code, "title": crit.title,
        "field_code": field.code if field else "", "field_title": field.title if field else "",
        "max": Decimal(str(item["max"])), "points": Decimal(str(item["points"])), "lost": Decimal(str(item["lost"])),
        "responsible": crit.responsible,
        "department_id": a.department_id if a else None,
        "department": (a.department.short_name or a.department.name) if a else "",
        "department_name": a.department.name if a else "",
        "cooperating": [u.short_name or u.name for u in a.cooperating.all()] if a else [],
        "cooperating_ids": [u.pk for u in a.cooperating.all()] if a else [],
        "status": status, "status_label": LostPointStatus(status).label,
        "deadline": a.deadline if a else None,
        "overdue": lw.is_overdue(status, a.deadline if a else None, today),
        "cause": last.cause if last else "", "remedy": last.remedy if last else "",
        "explained_at": last.submitted_at if last else None,
        "explained_by": (last.submitted_by.display_name if last and last.submitted_by_id else ""),
        "review_note": a.review_note if a else "",
        "version": a.version if a else None,
    }


def national_lost_points(
    *, cycle: AssessmentCycle, user=None, today: dt.date | None = None, department=None, status: str | None = None,
    province=None,
) -> list[dict]:
    """Điểm bị trừ của tỉnh trong Chỉ số CCHC cấp tỉnh, per sub-criterion in the order of the criteria tree:
    max, points, lost, department in charge, cooperating units, status, deadline, overdue, the latest
    cause and remedy.

    Scoped: the province's PAR office and leaders see every row; anyone else only the rows whose
    department or cooperating unit is their own unit. Filters: `department` (a Unit; rows in charge of it),
    `status` (a LostPointStatus value; "overdue" = overdue rows).
    Raises DomainError (field "cycle") when the cycle is not a national-index cycle.
    """
    provinces = national_provinces(cycle)
    if province is not None:
        provinces = [p for p in provinces if p.pk == province.pk]
    if not provinces:
        raise DomainError("Kỳ đánh giá này không phải Chỉ số CCHC cấp tỉnh có tỉnh là đơn vị được đánh giá.",
                          code="not_national_cycle", field="cycle")
    if status and status != "overdue" and status not in LostPointStatus.values:
        raise DomainError(f"Trạng thái {status!r} không hợp lệ.", code="invalid", field="status")
    day = _today(today)
    items, _missing = _lost_items(cycle, provinces)
    crits = {c.code: c for c in Criterion.objects.filter(criteria_set_id=cycle.criteria_set_id)}
    assignments = {
        (a.unit_id, a.criterion_id): a
        for a in LostPointAssignment.objects.filter(cycle=cycle).select_related("department")
        .prefetch_related("cooperating", "explanations__submitted_by")
    }
    fields = {c.pk: c for c in crits.values() if c.parent_id is None}
    parents = {c.pk: c.parent_id for c in crits.values()}

    def field_of(crit):
        pk = crit.pk
        while parents.get(pk):
            pk = parents[pk]
        return fields.get(pk)

    rows = []
    for item in items:
        crit = crits.get(item["code"])
        if crit is None:
            continue
        rows.append(_row(item, assignments.get((item["unit_id"], crit.pk)), crit, field_of(crit), day))
    rows.sort(key=lambda r: (r["unit"], crits[r["code"]].position))
    by_province = {p.pk: p for p in provinces}
    if user is not None:
        home = getattr(user, "unit_id", None)
        visible = []
        for r in rows:
            if full_view(user, by_province[r["unit_id"]]):
                visible.append(r)
            elif home and r["assignment_id"] and (r["department_id"] == home or home in r["cooperating_ids"]):
                visible.append(r)
        rows = visible
    if department is not None:
        rows = [r for r in rows if r["department_id"] == department.pk]
    if status == "overdue":
        rows = [r for r in rows if r["overdue"]]
    elif status:
        rows = [r for r in rows if r["status"] == status]
    return rows


def summary(rows: list[dict]) -> dict:
    """Counts for the top of the status page: rows and lost points by status, overdue, departments."""
    by_status = Counter(r["status"] for r in rows)
    lost_by_status: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        lost_by_status[r["status"]] += r["lost"]
    return {
        "rows": len(rows),
        "lost": sum((r["lost"] for r in rows), Decimal(0)),
        "by_status": [{"status": s, "label": LostPointStatus(s).label, "count": by_status.get(s, 0), "lost": lost_by_status.get(s, Decimal(0))}
                      for s in lw.STATES],
        "overdue": sum(1 for r in rows if r["overdue"]),
        "departments": len({r["department_id"] for r in rows if r["department_id"]}),
    }


def by_field(rows: list[dict]) -> list[dict]:
    """Rows grouped by field (lĩnh vực), in tree order, with the field's lost total."""
    groups: dict[str, dict] = {}
    for r in rows:
        g = groups.setdefault(f"{r['unit_id']}|{r['field_code']}", {"code": r["field_code"], "title": r["field_title"], "unit": r["unit"],
                                                                     "rows": [], "lost": Decimal(0)})
        g["rows"].append(r)
        g["lost"] += r["lost"]
    return list(groups.values())


def missing_scores(*, cycle: AssessmentCycle) -> list[str]:
    """Codes of the sub-criteria of the national cycle's provinces with no score at all (not listed as lost)."""
    _items, missing = _lost_items(cycle, national_provinces(cycle))
    return sorted({code for codes in missing.values() for code in codes})


# ----------------------------------------------------------------------------------- one assignment


def assignment_get(*, pk: int, user=None) -> LostPointAssignment:
    """One assignment the user may see (the province's PAR office/leaders, the department, a cooperating unit)."""
    a = (LostPointAssignment.objects.select_related("cycle__criteria_set", "unit", "criterion", "department", "assigned_by", "reviewed_by")
         .prefetch_related("cooperating", "explanations__submitted_by").filter(pk=pk).first())
    if a is None or (user is not None and not may_see(user, a)):
        raise NotFoundError("Không tìm thấy việc giải trình điểm bị trừ.")
    return a


def may_see(user, a: LostPointAssignment) -> bool:
    if full_view(user, a.unit):
        return True
    home = getattr(user, "unit_id", None)
    if not home or not getattr(user, "is_active", False):
        return False
    return home == a.department_id or a.cooperating.filter(pk=home).exists()


def assignment_row(a: LostPointAssignment, *, today: dt.date | None = None) -> dict:
    """The status-page row of one assignment (lost figures from the cycle's results)."""
    for r in national_lost_points(cycle=a.cycle, today=today, province=a.unit):
        if r["assignment_id"] == a.pk:
            return r
    raise NotFoundError("Tiêu chí thành phần này không còn bị trừ điểm trong kết quả của kỳ.", code="not_lost", field="criterion")


def worklist(*, user, today: dt.date | None = None, include_closed: bool = True) -> list[dict]:
    """Điểm bị trừ cần giải trình: the rows the user's unit is in charge of (and those it cooperates on),
    across national cycles; open ones first (overdue first), then by deadline."""
    home = getattr(user, "unit_id", None)
    if not home:
        return []
    cycles = AssessmentCycle.objects.filter(
        Q(lost_point_assignments__department_id=home) | Q(lost_point_assignments__cooperating__id=home)
    ).select_related("criteria_set").distinct()
    rows = []
    for cycle in cycles:
        for r in national_lost_points(cycle=cycle, today=today):
            if r["department_id"] == home:
                rows.append({**r, "cycle_id": cycle.pk, "cycle": cycle.name, "role": "chủ trì"})
            elif home in r["cooperating_ids"]:
                rows.append({**r, "cycle_id": cycle.pk, "cycle": cycle.name, "role": "phối hợp"})
    if not include_closed:
        rows = [r for r in rows if r["status"] != LostPointStatus.ACCEPTED]
    order = {LostPointStatus.MORE_REQUESTED: 0, LostPointStatus.ASSIGNED: 1, LostPointStatus.EXPLAINED: 2, LostPointStatus.ACCEPTED: 3}
    rows.sort(key=lambda r: (r["role"] != "chủ trì", not r["overdue"], order.get(r["status"], 9), r["deadline"] or dt.date.max, r["code"]))
    return rows


def worklist_count(user, today: dt.date | None = None) -> int:
    """How many lost points wait for the user's unit (assigned or more requested), for links and the nav."""
    home = getattr(user, "unit_id", None)
    if not home:
        return 0
    return LostPointAssignment.objects.filter(department_id=home, status__in=list(lw.OPEN)).count()


# ------------------------------------------------------------------------------- who is in charge


def assignable_units(province):
    """Units of the province that can be put in charge of a field (departments, the province office, ...)."""
    from cchc.units.models import Unit

    return Unit.objects.filter(province=province, kind__in=ASSIGNABLE_KINDS, is_active=True).order_by("name")


def unit_of_kind(province, kind: str, units=None):
    """The province's unit of a department kind (e.g. "tu_phap" → Sở Tư pháp tỉnh X), or None."""
    patterns = KIND_PATTERNS.get(kind, ())
    for u in (units if units is not None else assignable_units(province)):
        name = u.name_folded or fold(u.name)
        if any(name.startswith(p) for p in patterns):
            return u
    return None


def unit_named(province, text: str, units=None):
    """The province's unit whose name starts with `text` (folded): "Sở Tư pháp" → Sở Tư pháp tỉnh X."""
    key = fold(text)
    if not key:
        return None
    for u in (units if units is not None else assignable_units(province)):
        if (u.name_folded or fold(u.name)).startswith(key) or fold(u.short_name) == key:
            return u
    return None


def default_rows(province) -> list[LostPointDefault]:
    """The mapping in force for a province: its own rows, then the platform's for prefixes it did not set."""
    own = list(LostPointDefault.objects.filter(province=province).select_related("department"))
    have = {r.criterion_prefix for r in own}
    platform = [r for r in LostPointDefault.objects.filter(province__isnull=True) if r.criterion_prefix not in have]
    return sorted(own + platform, key=lambda r: [int(p) if p.isdigit() else p for p in r.criterion_prefix.split(".")])


def default_for(province, crit: Criterion, *, rows=None, units=None) -> tuple[object | None, list, str]:
    """(department, cooperating units, how it was found) for one sub-criterion by the default mapping.

    Longest matching code prefix ("3.2" before "3"); a province's own row wins over the platform's. A row
    names an exact unit or a department kind, resolved in the province's registry by name. Without a
    matching row, the criterion's own `responsible_unit` / `responsible` text is used.
    """
    rows = default_rows(province) if rows is None else rows
    units = list(assignable_units(province)) if units is None else units
    best = None
    for r in rows:
        p = r.criterion_prefix
        if crit.code == p or crit.code.startswith(p + "."):
            if best is None or len(p) > len(best.criterion_prefix) or (len(p) == len(best.criterion_prefix) and r.province_id):
                best = r
    if best is not None:
        dept = best.department if best.department_id else unit_of_kind(province, best.department_kind, units)
        coop = [u for u in (unit_of_kind(province, k, units) for k in best.cooperating_kinds or []) if u is not None and u != dept]
        if dept is not None:
            return dept, coop, f"phân công mặc định {best.criterion_prefix}"
    if crit.responsible_unit_id and crit.responsible_unit in units:
        return crit.responsible_unit, [], "cơ quan phụ trách của tiêu chí"
    dept = unit_named(province, crit.responsible, units)
    if dept is not None:
        return dept, [], "cơ quan phụ trách của tiêu chí"
    return None, [], ""


def cycle_allows_assignment(cycle: AssessmentCycle) -> bool:
    return cycle.state == CycleState.PUBLISHED
