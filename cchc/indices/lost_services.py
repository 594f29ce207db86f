"""Giải trình điểm bị trừ Chỉ số CCHC cấp tỉnh — writes (one transaction per use case, audited, permission-checked).

The PAR office (cơ quan thường trực CCHC) of the province assigns each lost sub-criterion of the published
national-index cycle to the department in charge (cơ quan chủ trì), accepts its explanation or asks for
more; only that department (its head, its staff) explains: cause (nguyên nhân) and remedial action (giải
pháp khắc phục). `actor=None` is the system (demo, loaders): permission checks are skipped. `today` is the
day the rules are checked against (default: today in the platform's time zone) — tests and the demo pass it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.accounts.permissions import can
from cchc.core.audit import audit_record, audit_record_many
from cchc.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError

from . import lost_selectors as ls
from . import lost_workflow as lw
from .models import (
    AssessmentCycle,
    Criterion,
    DepartmentKind,
    LostPointAssignment,
    LostPointDefault,
    LostPointExplanation,
    LostPointStatus,
)

TEXT_MAX = 4000  # nguyên nhân / giải pháp / ý kiến: at most this many characters
DEADLINE_HORIZON_DAYS = 366  # a deadline is at most a year ahead


def _person(actor):
    return actor if getattr(actor, "pk", None) else None


def _forbid(who: str, extra: str = "") -> ForbiddenError:
    return ForbiddenError(f"{lw.RULES[who]}{extra}.", code="not_writer", extra={"rule": who})


def _require_par_office(actor, province) -> None:
    """The PAR office of the assessed province (not a superuser acting as one: the action names a person)."""
    if actor is None:
        return
    if not (actor.is_active and actor.role == Role.PAR_OFFICE and can(actor, "appraise", province)):
        raise _forbid(lw.PAR_OFFICE, f"; bạn không thuộc cơ quan thường trực CCHC của {province.name}")


def _require_department(actor, a: LostPointAssignment) -> None:
    """Only the department in charge: its head (unit_head), its staff (specialist), or the PAR office when the
    PAR office works in that department (Sở Nội vụ explains the fields it is in charge of)."""
    if actor is None:
        return
    ok = actor.is_active and actor.unit_id == a.department_id and actor.role in (Role.UNIT_HEAD, Role.SPECIALIST, Role.PAR_OFFICE)
    if not ok:
        raise _forbid(lw.DEPARTMENT, f" ({a.department.name})")


def _national(cycle: AssessmentCycle, unit=None):
    """The assessed province of a national-index cycle whose results are published (else 400/409)."""
    provinces = ls.national_provinces(cycle)
    if not provinces:
        raise DomainError("Kỳ đánh giá này không phải Chỉ số CCHC cấp tỉnh có tỉnh là đơn vị được đánh giá; "
                          "giải trình điểm bị trừ theo cơ quan chủ trì chỉ áp dụng cho kỳ đó.", code="not_national_cycle", field="cycle")
    if unit is not None:
        match = [p for p in provinces if p.pk == unit.pk]
        if not match:
            raise DomainError(f"{unit.name} không phải tỉnh được đánh giá trong kỳ này.", code="not_participant", field="unit")
        province = match[0]
    elif len(provinces) == 1:
        province = provinces[0]
    else:
        raise DomainError("Kỳ có nhiều tỉnh được đánh giá: chọn tỉnh.", code="required", field="unit")
    if not ls.cycle_allows_assignment(cycle):
        raise ConflictError("Chỉ giao giải trình điểm bị trừ sau khi kết quả của kỳ đã công bố (điểm bị trừ đã chốt).",
                            code="wrong_state", field="cycle")
    return province


def _deadline(value, *, today: dt.date, actor, field: str = "deadline") -> dt.date:
    """A deadline: a date (or ISO text) not before today (for a person) and at most a year ahead."""
    if value in (None, ""):
        raise DomainError("Cần hạn giải trình (ngày).", code="required", field=field)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise DomainError(f"Hạn giải trình {value!r} không phải ngày hợp lệ (YYYY-MM-DD).", code="invalid", field=field) from None
    if not isinstance(value, dt.date):
        raise DomainError("Hạn giải trình không phải ngày hợp lệ.", code="invalid", field=field)
    if actor is not None and value < today:
        raise DomainError(f"Hạn giải trình ({value:%d/%m/%Y}) không được trước hôm nay ({today:%d/%m/%Y}).", code="deadline_past", field=field)
    if value > today + dt.timedelta(days=DEADLINE_HORIZON_DAYS):
        raise DomainError(f"Hạn giải trình ({value:%d/%m/%Y}) quá xa: tối đa {DEADLINE_HORIZON_DAYS} ngày kể từ hôm nay.",
                          code="deadline_too_far", field=field)
    return value


def _text(value, *, field: str, label: str, required: bool = True) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not text:
        raise DomainError(f"{label} không được để trống.", code="required", field=field)
    if len(text) > TEXT_MAX:
        raise DomainError(f"{label} dài {len(text)} ký tự, tối đa {TEXT_MAX}.", code="too_long", field=field)
    return text


def _unit_in_charge(province, unit, *, field: str):
    if unit is None:
        raise DomainError("Chọn cơ quan chủ trì.", code="required", field=field)
    if unit.province_id != province.pk or unit.kind not in ls.ASSIGNABLE_KINDS or not unit.is_active:
        raise DomainError(f"{unit.name} không phải sở, ban, ngành đang hoạt động của {province.name}.", code="invalid_unit", field=field)
    return unit


def _lost_item(cycle, province, crit: Criterion) -> dict:
    for r in ls.national_lost_points(cycle=cycle, province=province):
        if r["criterion_id"] == crit.pk:
            return r
    raise DomainError(f"{crit.code} không bị trừ điểm trong kết quả của {province.name} (đạt tối đa hoặc chưa có điểm): không cần giải trình.",
                      code="not_lost", field="criterion")


def _criterion(cycle: AssessmentCycle, criterion) -> Criterion:
    crit = criterion if isinstance(criterion, Criterion) else Criterion.objects.filter(
        criteria_set_id=cycle.criteria_set_id, code=str(criterion or "").strip()).first()
    if crit is None or crit.criteria_set_id != cycle.criteria_set_id:
        raise NotFoundError(f"Không có tiêu chí {criterion!r} trong bộ tiêu chí của kỳ.", code="unknown_criterion", field="criterion")
    if not crit.is_leaf:
        raise DomainError(f"{crit.code} có tiêu chí con; giao giải trình theo tiêu chí thành phần.", code="not_leaf", field="criterion")
    return crit


def _lock(a: LostPointAssignment | int) -> LostPointAssignment:
    pk = a.pk if isinstance(a, LostPointAssignment) else a
    obj = LostPointAssignment.objects.select_for_update().filter(pk=pk).first()
    if obj is None:
        raise NotFoundError("Không tìm thấy việc giải trình điểm bị trừ.")
    return LostPointAssignment.objects.select_related("cycle__criteria_set", "unit", "criterion", "department").get(pk=obj.pk)


def _check_version(a: LostPointAssignment, expected_version) -> None:
    if expected_version is not None and int(expected_version) != a.version:
        raise ConflictError("Việc giải trình vừa được người khác thay đổi; hãy tải lại trang.", code="stale_version", field="version")


def _move(a: LostPointAssignment, action: str) -> tuple[str, str]:
    to_state = lw.target_of(action)
    if not lw.can_transition(a.status, to_state):
        raise ConflictError(f"Không thể {ACTION_LABEL[action]} khi việc giải trình đang ở trạng thái “{LostPointStatus(a.status).label}”.",
                            code="invalid_transition", field="status")
    from_state = a.status
    a.status = to_state
    a.version += 1
    return from_state, to_state


ACTION_LABEL = {"assign": "giao lại", "explain": "giải trình", "accept": "chấp nhận giải trình", "request_more": "yêu cầu bổ sung"}


def _cooperating_units(province, units: Iterable, department) -> list:
    out = []
    for u in units or []:
        _unit_in_charge(province, u, field="cooperating")
        if u.pk != department.pk and u not in out:
            out.append(u)
    return out


# ------------------------------------------------------------------------------------------- assign


@transaction.atomic
def lost_point_assign(
    *, cycle: AssessmentCycle | int, criterion, department, deadline, cooperating: Iterable = (), unit=None, actor=None,
    today: dt.date | None = None, expected_version: int | None = None,
) -> LostPointAssignment:
    """Giao (hoặc giao lại) giải trình một tiêu chí thành phần bị trừ điểm cho cơ quan chủ trì, with cooperating
    units and a deadline. Re-assigning is allowed while the department has not explained (or after a
    request for more); an explained or accepted row is reviewed, not re-assigned."""
    c = AssessmentCycle.objects.select_for_update().select_related("criteria_set").filter(
        pk=cycle.pk if isinstance(cycle, AssessmentCycle) else cycle).first()
    if c is None:
        raise NotFoundError("Không tìm thấy kỳ đánh giá.", field="cycle")
    province = _national(c, unit)
    _require_par_office(actor, province)
    crit = _criterion(c, criterion)
    day = ls._today(today)
    dept = _unit_in_charge(province, department, field="department")
    due = _deadline(deadline, today=day, actor=actor)
    coop = _cooperating_units(province, cooperating, dept)
    _lost_item(c, province, crit)
    now, who = timezone.now(), _person(actor)
    a = LostPointAssignment.objects.select_for_update().filter(cycle=c, unit=province, criterion=crit).first()
    if a is None:
        a = LostPointAssignment.objects.create(cycle=c, unit=province, criterion=crit, department=dept, deadline=due,
                                               status=LostPointStatus.ASSIGNED, assigned_by=who, assigned_at=now)
        from_state, before = LostPointStatus.UNASSIGNED, {}
    else:
        _check_version(a, expected_version)
        before = {"department": a.department.code, "deadline": a.deadline.isoformat()}
        from_state, _to = _move(a, "assign")
        a.department, a.deadline, a.assigned_by, a.assigned_at = dept, due, who, now
        a.save()
    a.cooperating.set(coop)
    audit_record(actor=actor, action="indices.lost_point.assign", obj=a, object_id=f"{c.pk}/{province.code}/{crit.code}",
                 from_state=from_state, to_state=a.status,
                 data={"department": dept.code, "deadline": due.isoformat(), "cooperating": [u.code for u in coop], "before": before})
    return a


@transaction.atomic
def lost_points_assign_default(
    *, cycle: AssessmentCycle | int, deadline, unit=None, actor=None, today: dt.date | None = None,
) -> dict:
    """Giao theo mặc định: every lost sub-criterion not yet assigned goes to the department the default mapping
    names for its field (`lost_selectors.default_for`), with one deadline. Rows already assigned are left as
    they are. Returns {"assigned": n, "already": m, "unresolved": [codes with no department found]}."""
    c = AssessmentCycle.objects.select_for_update().select_related("criteria_set").filter(
        pk=cycle.pk if isinstance(cycle, AssessmentCycle) else cycle).first()
    if c is None:
        raise NotFoundError("Không tìm thấy kỳ đánh giá.", field="cycle")
    province = _national(c, unit)
    _require_par_office(actor, province)
    day = ls._today(today)
    due = _deadline(deadline, today=day, actor=actor)
    rows = ls.default_rows(province)
    units = list(ls.assignable_units(province))
    crits = {x.pk: x for x in Criterion.objects.filter(criteria_set_id=c.criteria_set_id, is_leaf=True).select_related("responsible_unit")}
    existing = set(LostPointAssignment.objects.filter(cycle=c, unit=province).values_list("criterion_id", flat=True))
    now, who = timezone.now(), _person(actor)
    created, events, unresolved, already = [], [], [], 0
    for r in ls.national_lost_points(cycle=c, province=province, today=day):
        if r["criterion_id"] in existing:
            already += 1
            continue
        crit = crits[r["criterion_id"]]
        dept, coop, how = ls.default_for(province, crit, rows=rows, units=units)
        if dept is None:
            unresolved.append(crit.code)
            continue
        a = LostPointAssignment.objects.create(cycle=c, unit=province, criterion=crit, department=dept, deadline=due,
                                               status=LostPointStatus.ASSIGNED, assigned_by=who, assigned_at=now)
        if coop:
            a.cooperating.set(coop)
        created.append(a)
        events.append(dict(actor=actor, action="indices.lost_point.assign", obj=a, object_id=f"{c.pk}/{province.code}/{crit.code}",
                           from_state=LostPointStatus.UNASSIGNED, to_state=LostPointStatus.ASSIGNED,
                           data={"department": dept.code, "deadline": due.isoformat(), "cooperating": [u.code for u in coop], "by": how}))
    events.append(dict(actor=actor, action="indices.lost_point.assign_default", obj=c, object_id=f"{c.pk}/{province.code}",
                       data={"assigned": len(created), "already": already, "unresolved": unresolved, "deadline": due.isoformat()}))
    audit_record_many(events)
    return {"assigned": len(created), "already": already, "unresolved": unresolved, "deadline": due.isoformat()}


# ------------------------------------------------------------------------------------------ explain


@transaction.atomic
def lost_point_explain(
    *, assignment: LostPointAssignment | int, cause: str, remedy: str, actor=None, expected_version: int | None = None,
    today: dt.date | None = None,
) -> LostPointExplanation:
    """Giải trình: the department in charge gives the cause and the remedial action (both required). The lost
    points stored with it are read from the cycle's results. Allowed when assigned, after a request for
    more, and to revise an explanation not yet reviewed."""
    a = _lock(assignment)
    _require_department(actor, a)
    _check_version(a, expected_version)
    cause_text = _text(cause, field="cause", label="Nguyên nhân")
    remedy_text = _text(remedy, field="remedy", label="Giải pháp khắc phục")
    item = _lost_item(a.cycle, a.unit, a.criterion)
    from_state, to_state = _move(a, "explain")
    a.save()
    ex = LostPointExplanation.objects.create(assignment=a, lost=item["lost"], cause=cause_text, remedy=remedy_text,
                                             submitted_by=_person(actor), submitted_at=timezone.now())
    day = ls._today(today)
    audit_record(actor=actor, action="indices.lost_point.explain", obj=a, object_id=f"{a.cycle_id}/{a.unit.code}/{a.criterion.code}",
                 from_state=from_state, to_state=to_state,
                 data={"lost": str(item["lost"]), "explanation": ex.pk, "late": day > a.deadline})
    return ex


# ------------------------------------------------------------------------------------------- review


@transaction.atomic
def lost_point_review(
    *, assignment: LostPointAssignment | int, decision: str, note: str = "", deadline=None, actor=None,
    expected_version: int | None = None, today: dt.date | None = None,
) -> LostPointAssignment:
    """Xem xét giải trình (PAR office): `decision` "accept" (đã chấp nhận; note optional) or "request_more"
    (yêu cầu bổ sung; note required, saying what is missing; a new deadline is required when the old one
    has passed, optional otherwise)."""
    if decision not in ("accept", "request_more"):
        raise DomainError("Quyết định phải là “accept” (chấp nhận) hoặc “request_more” (yêu cầu bổ sung).", code="invalid", field="decision")
    a = _lock(assignment)
    _require_par_office(actor, a.unit)
    _check_version(a, expected_version)
    day = ls._today(today)
    text = _text(note, field="note", label="Nội dung yêu cầu bổ sung", required=decision == "request_more")
    new_deadline = None
    if decision == "request_more":
        if deadline not in (None, ""):
            new_deadline = _deadline(deadline, today=day, actor=actor)
        elif actor is not None and a.deadline < day:
            raise DomainError(f"Hạn cũ ({a.deadline:%d/%m/%Y}) đã qua: đặt hạn mới cho phần bổ sung.", code="required", field="deadline")
    from_state, to_state = _move(a, decision)
    before_deadline = a.deadline
    if new_deadline is not None:
        a.deadline = new_deadline
    a.review_note, a.reviewed_by, a.reviewed_at = text, _person(actor), timezone.now()
    a.save()
    audit_record(actor=actor, action=f"indices.lost_point.{decision}", obj=a, object_id=f"{a.cycle_id}/{a.unit.code}/{a.criterion.code}",
                 from_state=from_state, to_state=to_state, reason=text,
                 data={"deadline": a.deadline.isoformat(), "deadline_before": before_deadline.isoformat()})
    return a


# -------------------------------------------------------------------------------- default mapping


@transaction.atomic
def lost_point_defaults_set(*, province, rows: Iterable[Mapping], actor=None) -> list[LostPointDefault]:
    """Đặt phân công mặc định của tỉnh: replaces the province's own rows (the platform's stay underneath).

    Each row: {"criterion_prefix": "2", "department": <Unit> or None, "department_kind": "tu_phap" or "",
    "cooperating_kinds": ["van_phong_ubnd"], "note": ""}. Everything is checked before anything is written.
    """
    _require_par_office(actor, province)
    clean, seen = [], set()
    for i, raw in enumerate(rows, start=1):
        prefix = str(raw.get("criterion_prefix") or "").strip()
        if not prefix or not all(p.isdigit() for p in prefix.split(".")):
            raise DomainError(f"Dòng {i}: mã lĩnh vực/tiêu chí {prefix!r} không hợp lệ (ví dụ “2” hoặc “3.2”).", code="invalid",
                              field="criterion_prefix", extra={"row": i})
        if prefix in seen:
            raise DomainError(f"Dòng {i}: mã {prefix} lặp lại.", code="duplicate", field="criterion_prefix", extra={"row": i})
        seen.add(prefix)
        dept = raw.get("department")
        kind = str(raw.get("department_kind") or "").strip()
        if dept is not None:
            _unit_in_charge(province, dept, field="department")
        elif kind not in DepartmentKind.values:
            raise DomainError(f"Dòng {i}: cần cơ quan chủ trì hoặc loại cơ quan hợp lệ ({', '.join(DepartmentKind.values)}).",
                              code="invalid", field="department_kind", extra={"row": i})
        coop = [str(k).strip() for k in (raw.get("cooperating_kinds") or [])]
        bad = [k for k in coop if k not in DepartmentKind.values]
        if bad:
            raise DomainError(f"Dòng {i}: loại cơ quan phối hợp {bad[0]!r} không hợp lệ.", code="invalid", field="cooperating_kinds", extra={"row": i})
        clean.append(LostPointDefault(province=province, criterion_prefix=prefix, department=dept, department_kind=kind if dept is None else kind,
                                      cooperating_kinds=coop, note=str(raw.get("note") or "")[:255]))
    before = list(LostPointDefault.objects.filter(province=province).values_list("criterion_prefix", flat=True))
    LostPointDefault.objects.filter(province=province).delete()
    LostPointDefault.objects.bulk_create(clean)
    audit_record(actor=actor, action="indices.lost_point.defaults", obj=province, object_type="indices.lostpointdefault",
                 object_id=province.code, data={"before": before, "after": [r.criterion_prefix for r in clean]})
    return list(LostPointDefault.objects.filter(province=province).order_by("criterion_prefix"))
