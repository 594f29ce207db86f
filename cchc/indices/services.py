"""Chỉ số CCHC — write services (one transaction per use case, audited, permission-checked).

Every function is keyword-only. `actor=None` means the system (reference loaders, demo, CLI imports);
then permission checks are skipped. Published cycles are frozen: every write refuses with ConflictError.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import DatabaseError, transaction
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.accounts.permissions import can
from cchc.core.audit import audit_record, audit_record_many
from cchc.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from cchc.core.numbers import format_points

from . import scoring, workflow
from .models import (
    Assessment,
    AssessmentCycle,
    CriteriaSet,
    Criterion,
    CriterionDatum,
    CycleResult,
    CycleState,
    CycleUnit,
    Evidence,
    PointSource,
    ScoringMethod,
    TargetGroup,
)

logger = logging.getLogger(__name__)

CRITERION_FIELDS = ("code", "parent", "title", "max_points", "method", "rule", "responsible", "evidence_required", "effort", "confirmed")


def _require(actor, action: str, unit) -> None:
    if actor is None:
        return
    if not can(actor, action, unit):
        raise ForbiddenError("Bạn không có quyền thực hiện thao tác này với đơn vị này.", code="forbidden")


def _own_staff(actor, unit) -> bool:
    """Cán bộ của chính đơn vị được đánh giá.

    The actor works in the unit itself; a province (assessed in the national index) acts through its PAR
    office (cơ quan thường trực CCHC). Higher, lower or neighbouring units are never the unit's own staff,
    whatever their scope (a department head is not the province, a desk head is not the commune).
    """
    from cchc.units.models import UnitKind

    home = getattr(actor, "unit", None)
    if home is None:
        return False
    if home.pk == unit.pk:
        return True
    return unit.kind == UnitKind.PROVINCE and actor.role == Role.PAR_OFFICE and can(actor, "appraise", unit)


def _require_writer(actor, action: str, cycle: AssessmentCycle, unit) -> None:
    """Who may write what in each phase (`workflow.WRITE_RULES`): 403 naming the rule otherwise."""
    if actor is None:  # the system (demo, imports)
        return
    writer = workflow.writer_for(action)
    if writer == workflow.ASSESSED_UNIT:
        allowed = can(actor, "manage", unit) and _own_staff(actor, unit)
    else:  # the appraiser: the PAR office of the organising unit
        allowed = (actor.is_active and not actor.is_superuser and actor.role == Role.PAR_OFFICE
                   and can(actor, "appraise", cycle.organiser) and can(actor, "appraise", unit))
    if not allowed:
        raise ForbiddenError(f"{workflow.rule_text(action)}; bạn không được ghi cho {unit.name}.", code="not_writer",
                             extra={"rule": action})


def may_write(actor, action: str, cycle: AssessmentCycle, unit) -> bool:
    """Would `_require_writer` let `actor` write `action` for `unit` (pages use it to offer the form)?"""
    try:
        _require_writer(actor, action, cycle, unit)
    except ForbiddenError:
        return False
    return actor is not None


def _points(value, *, field: str = "points") -> Decimal:
    try:
        return scoring.parse_number(value)
    except ValueError as exc:
        raise DomainError(f"Điểm không hợp lệ: {exc}", code="invalid_points", field=field) from None


# ------------------------------------------------------------------------------------- criteria sets


def _normalise_rows(rows: Iterable[Mapping]) -> list[dict]:
    out = []
    for i, raw in enumerate(rows, start=2):
        row = {k: raw.get(k) for k in CRITERION_FIELDS}
        row["row"] = raw.get("row", i)
        row["code"] = str(row["code"] or "").strip()
        row["parent"] = str(row["parent"] or "").strip() or None
        row["title"] = str(row["title"] or "").strip()
        mp = row["max_points"]
        if mp is None or (isinstance(mp, str) and not mp.strip()):
            row["max_points"] = None
        else:
            try:
                row["max_points"] = scoring.parse_number(mp, what="điểm tối đa")
            except ValueError as exc:
                raise DomainError(f"Dòng {row['row']}: {exc}", code="invalid_row", field="max_points", extra={"row": row["row"]}) from None
        method = str(row["method"] or ScoringMethod.SELF_ASSESSED).strip()
        if method not in ScoringMethod.values:
            raise DomainError(f"Dòng {row['row']}: phương pháp chấm {method!r} không hợp lệ", code="invalid_row", field="method", extra={"row": row["row"]})
        row["method"] = method
        rule = row["rule"] or {}
        if method in (ScoringMethod.DATA_THRESHOLD, ScoringMethod.DATA_STEPS):
            if not isinstance(rule, Mapping) or "type" not in rule:
                raise DomainError(f"Dòng {row['row']}: tiêu chí tính từ số liệu cần quy tắc tính điểm", code="invalid_row", field="rule", extra={"row": row["row"]})
            try:
                scoring.points_from_rule(rule, Decimal(0), Decimal(1))
            except (ValueError, KeyError, TypeError) as exc:
                raise DomainError(f"Dòng {row['row']}: quy tắc tính điểm không hợp lệ ({exc})", code="invalid_row", field="rule", extra={"row": row["row"]}) from None
        row["rule"] = dict(rule) if isinstance(rule, Mapping) else {}
        if row["effort"] not in (None, ""):
            try:
                scoring.effort_value(row["effort"])
            except ValueError as exc:
                raise DomainError(f"Dòng {row['row']}: {exc}", code="invalid_row", field="effort", extra={"row": row["row"]}) from None
        row["effort"] = str(row["effort"] or "")
        row["responsible"] = str(row["responsible"] or "")
        row["evidence_required"] = str(row["evidence_required"] or "")
        conf = row["confirmed"]
        row["confirmed"] = True if conf in (None, "") else (conf if isinstance(conf, bool) else str(conf).strip().lower() in {"1", "true", "yes", "có", "x"})
        out.append(row)
    return out


def validate_criteria_rows(rows: Iterable[Mapping]) -> tuple[list[dict], scoring.CriteriaTree]:
    """Validate criteria rows (dicts with CRITERION_FIELDS): the pure tree rules plus methods/rules.

    Raises DomainError naming the row (`extra={"row": n}`) — maxima that do not add up, repeated codes,
    unknown parents, leaves without maximum.
    """
    norm = _normalise_rows(rows)
    try:
        tree = scoring.build_tree(
            [scoring.CriterionRow(code=r["code"], parent=r["parent"], title=r["title"], max_points=r["max_points"], row=r["row"]) for r in norm]
        )
    except scoring.ScoringError as exc:
        raise DomainError(f"Dòng {exc.row}: {exc.message}", code="invalid_tree", field=exc.column, extra={"row": exc.row}) from None
    return norm, tree


def _write_tree(criteria_set: CriteriaSet, norm: list[dict], tree: scoring.CriteriaTree) -> None:
    by_code: dict[str, Criterion] = {}
    rows = {r["code"]: r for r in norm}
    # parents first (tree order by depth), positions follow the input order
    position = {code: i for i, code in enumerate(tree.order)}
    for code in sorted(tree.order, key=lambda c: (tree.nodes[c].depth, position[c])):
        node, r = tree.nodes[code], rows[code]
        obj = Criterion.objects.create(
            criteria_set=criteria_set, code=code, parent=by_code.get(node.parent) if node.parent else None,
            level=node.depth, position=position[code], title=r["title"], max_points=node.max_points,
            is_leaf=node.is_leaf, method=r["method"], rule=r["rule"], responsible=r["responsible"],
            evidence_required=r["evidence_required"], effort=r["effort"], confirmed=r["confirmed"],
        )
        by_code[code] = obj
    criteria_set.max_total = tree.max_total
    criteria_set.save(update_fields=["max_total", "updated_at"])


@transaction.atomic
def criteria_set_create(
    *, code: str, name: str, year: int, target_group: str, rows: Iterable[Mapping], actor=None, owner=None,
    version: int = 1, decision_no: str = "", source_url: str = "", is_template: bool = False, confirmed: bool = True,
    notes: str = "",
) -> CriteriaSet:
    """Tạo bộ tiêu chí from rows (code, parent, title, max_points, method, rule, responsible, ...)."""
    if owner is not None:
        _require(actor, "appraise", owner)
    elif actor is not None and not can(actor, "admin"):
        raise ForbiddenError("Chỉ quản trị hệ thống được tạo bộ tiêu chí dùng chung.")
    if target_group not in TargetGroup.values:
        raise DomainError(f"Đối tượng đánh giá không hợp lệ: {target_group!r}", code="invalid", field="target_group")
    if CriteriaSet.objects.filter(code=code).exists():
        raise ConflictError(f"Mã bộ tiêu chí {code!r} đã tồn tại.", code="duplicate", field="code")
    norm, tree = validate_criteria_rows(rows)
    cs = CriteriaSet.objects.create(
        code=code, name=name, year=year, target_group=target_group, version=version, decision_no=decision_no,
        source_url=source_url, owner=owner, is_template=is_template, confirmed=confirmed, notes=notes,
    )
    _write_tree(cs, norm, tree)
    audit_record(actor=actor, action="indices.criteria_set.create", obj=cs, to_state="created",
                 data={"criteria": len(norm), "max_total": str(tree.max_total)})
    return cs


def _set_in_use(cs: CriteriaSet) -> bool:
    return cs.cycles.exclude(state=CycleState.DRAFT).exists()


@transaction.atomic
def criteria_set_replace_tree(*, criteria_set: CriteriaSet, rows: Iterable[Mapping], actor=None) -> CriteriaSet:
    """Thay cây tiêu chí (import into an existing set). Refused once a cycle using it has started."""
    cs = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if cs.owner is not None:
        _require(actor, "appraise", cs.owner)
    elif actor is not None and not can(actor, "admin"):
        raise ForbiddenError("Chỉ quản trị hệ thống được thay bộ tiêu chí dùng chung.")
    if _set_in_use(cs):
        raise ConflictError("Bộ tiêu chí đang được dùng trong kỳ đánh giá đã bắt đầu; hãy sao chép thành phiên bản mới.", code="in_use")
    norm, tree = validate_criteria_rows(rows)
    Criterion.objects.filter(criteria_set=cs, parent__isnull=False).delete()
    Criterion.objects.filter(criteria_set=cs).delete()
    _write_tree(cs, norm, tree)
    audit_record(actor=actor, action="indices.criteria_set.replace_tree", obj=cs, data={"criteria": len(norm)})
    return cs


def criteria_set_rows(criteria_set: CriteriaSet) -> list[dict]:
    """The tree as rows in position order (what export writes and copy reuses)."""
    out = []
    for c in criteria_set.criteria.select_related("parent").order_by("position"):
        out.append({
            "code": c.code, "parent": c.parent.code if c.parent_id else "", "title": c.title,
            "max_points": c.max_points, "method": c.method, "rule": c.rule, "responsible": c.responsible,
            "evidence_required": c.evidence_required, "effort": c.effort, "confirmed": c.confirmed,
        })
    return out


@transaction.atomic
def criteria_set_copy(
    *, source: CriteriaSet, owner, year: int, actor=None, code: str | None = None, name: str | None = None,
    target_group: str | None = None,
) -> CriteriaSet:
    """Sao chép bộ tiêu chí: a province copies a template (or any set) to edit it as its own."""
    _require(actor, "appraise", owner)
    code = code or f"{source.code}-{owner.code}-{year}".lower()[:80]
    if CriteriaSet.objects.filter(code=code).exists():
        raise ConflictError(f"Mã bộ tiêu chí {code!r} đã tồn tại.", code="duplicate", field="code")
    rows = criteria_set_rows(source)
    norm, tree = validate_criteria_rows(rows)
    cs = CriteriaSet.objects.create(
        code=code, name=name or f"{source.name} — {owner.name}", year=year,
        target_group=target_group or source.target_group, version=1, decision_no=source.decision_no,
        source_url=source.source_url, owner=owner, is_template=False, confirmed=source.confirmed, copied_from=source,
        notes=source.notes,
    )
    _write_tree(cs, norm, tree)
    audit_record(actor=actor, action="indices.criteria_set.copy", obj=cs, data={"from": source.code})
    return cs


_EDITABLE = {"title", "max_points", "method", "rule", "responsible", "evidence_required", "effort", "confirmed", "responsible_unit"}


@transaction.atomic
def criterion_update(*, criterion: Criterion, actor=None, **changes) -> Criterion:
    """Sửa tiêu chí. Changing a leaf's maximum updates its ancestors' maxima and the set total.

    Maxima of non-leaves are derived and cannot be set directly. Refused once a cycle using the set
    has started (copy it into a new version instead).
    """
    crit = Criterion.objects.select_for_update().select_related("criteria_set").get(pk=criterion.pk)
    cs = crit.criteria_set
    if cs.owner is not None:
        _require(actor, "appraise", cs.owner)
    elif actor is not None and not can(actor, "admin"):
        raise ForbiddenError("Chỉ quản trị hệ thống được sửa bộ tiêu chí dùng chung.")
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise DomainError(f"Không sửa được trường: {', '.join(sorted(unknown))}", code="invalid", field=sorted(unknown)[0])
    if _set_in_use(cs):
        raise ConflictError("Bộ tiêu chí đang được dùng trong kỳ đánh giá đã bắt đầu.", code="in_use")
    before = {k: str(getattr(crit, k)) for k in changes if k != "responsible_unit"}
    if "max_points" in changes:
        if not crit.is_leaf:
            raise DomainError("Điểm tối đa của tiêu chí có tiêu chí con là tổng điểm các tiêu chí con.", code="derived_max", field="max_points")
        new_max = _points(changes["max_points"], field="max_points")
        if new_max < 0:
            raise DomainError("Điểm tối đa không được âm.", code="invalid_points", field="max_points")
        delta = new_max - crit.max_points
        crit.max_points = new_max
        parent_id = crit.parent_id
        while parent_id:
            parent = Criterion.objects.select_for_update().get(pk=parent_id)
            parent.max_points += delta
            parent.save(update_fields=["max_points"])
            parent_id = parent.parent_id
        CriteriaSet.objects.filter(pk=cs.pk).update(max_total=cs.max_total + delta)
    for key, value in changes.items():
        if key != "max_points":
            setattr(crit, key, value)
    crit.save()
    audit_record(actor=actor, action="indices.criterion.update", obj=crit, object_id=f"{cs.code}/{crit.code}",
                 data={"before": before, "after": {k: str(v) for k, v in changes.items()}})
    return crit


# --------------------------------------------------------------------------------------------- cycles


def _lock_cycle(cycle: AssessmentCycle | int) -> AssessmentCycle:
    pk = cycle.pk if isinstance(cycle, AssessmentCycle) else cycle
    obj = AssessmentCycle.objects.select_for_update().select_related("criteria_set", "organiser").filter(pk=pk).first()
    if obj is None:
        raise NotFoundError("Không tìm thấy kỳ đánh giá.")
    return obj


def _writable(cycle: AssessmentCycle, expected_state: str | None = None) -> None:
    if cycle.state == CycleState.PUBLISHED:
        raise ConflictError("Kỳ đánh giá đã công bố và bị khóa; không thể thay đổi.", code="cycle_published")
    if expected_state and cycle.state != expected_state:
        label = CycleState(expected_state).label
        raise ConflictError(f"Thao tác này chỉ làm được ở bước “{label}” (kỳ đang ở “{CycleState(cycle.state).label}”).", code="wrong_state")


DEADLINE_FIELDS = {"self_assessment_due": "hạn nộp tự đánh giá", "explanation_due": "hạn giải trình", "publication_due": "hạn công bố kết quả"}


def _cycle_deadlines(deadlines: Mapping[str, object], year: int) -> dict:
    """Validate the deadlines of a new cycle: known keys, dates, within the year or the next, in order."""
    import datetime as dt

    unknown = set(deadlines) - set(DEADLINE_FIELDS)
    if unknown:
        raise DomainError(f"Không có hạn {sorted(unknown)[0]!r}.", code="invalid", field=sorted(unknown)[0])
    out, last = {}, None
    for key, label in DEADLINE_FIELDS.items():
        value = deadlines.get(key)
        if value in (None, ""):
            continue
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                raise DomainError(f"{label.capitalize()} không phải ngày hợp lệ.", code="invalid", field=key) from None
        if not dt.date(year, 1, 1) <= value <= dt.date(year + 1, 12, 31):
            raise DomainError(f"{label.capitalize()} phải nằm trong năm {year} hoặc năm {year + 1}.", code="invalid", field=key)
        if last is not None and value < last[1]:
            raise DomainError(f"{label.capitalize()} ({value:%d/%m/%Y}) không được trước {last[0]} ({last[1]:%d/%m/%Y}).",
                              code="invalid", field=key)
        out[key], last = value, (label, value)
    return out


@transaction.atomic
def cycle_open(
    *, criteria_set: CriteriaSet, organiser, year: int, units: Iterable, actor=None, name: str | None = None,
    previous: AssessmentCycle | None = None, groups: Mapping[int, str] | None = None,
    deadlines: Mapping[str, object] | None = None,
) -> AssessmentCycle:
    """Mở kỳ đánh giá for a year and a set of units (state draft). Groups default to the unit kind.

    `deadlines`: optional dates {"self_assessment_due", "explanation_due", "publication_due"}, each between
    1/1 of the year and 31/12 of the next year, in that order (equal dates allowed).
    """
    _require(actor, "appraise", organiser)
    if criteria_set is None:
        raise DomainError("Chọn bộ tiêu chí.", code="required", field="criteria_set")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError("Năm đánh giá phải là số từ 2000 đến 2100.", code="invalid", field="year")
    dates = _cycle_deadlines(deadlines or {}, year)
    units = list(units)
    if not units:
        raise DomainError("Kỳ đánh giá cần ít nhất một đơn vị.", code="no_units", field="units")
    if actor is not None:
        for u in units:
            if not can(actor, "appraise", u):
                raise ForbiddenError(f"Đơn vị {u.name} nằm ngoài phạm vi của bạn.")
    if previous is not None and previous.year >= year:
        raise DomainError(f"Kỳ năm trước phải thuộc năm trước {year} (kỳ đã chọn là năm {previous.year}).", code="invalid", field="previous")
    if previous is not None and previous.organiser_id != organiser.pk:
        raise DomainError("Kỳ năm trước phải do cùng đơn vị tổ chức.", code="invalid", field="previous")
    cycle = AssessmentCycle.objects.create(
        criteria_set=criteria_set, organiser=organiser, year=year, previous=previous, **dates,
        name=name or f"{criteria_set.name} — năm {year}", created_by=actor if getattr(actor, "pk", None) else None,
    )
    groups = groups or {}
    CycleUnit.objects.bulk_create([CycleUnit(cycle=cycle, unit=u, group=groups.get(u.pk) or u.kind) for u in units])
    audit_record(actor=actor, action="indices.cycle.open", obj=cycle, to_state=cycle.state,
                 data={"units": len(units), "year": year, **{k: v.isoformat() for k, v in dates.items()}})
    return cycle


@transaction.atomic
def cycle_transition(
    *, cycle: AssessmentCycle | int, to_state: str, actor=None, reason: str = "", expected_version: int | None = None,
    confirm: bool = False,
) -> AssessmentCycle:
    """Chuyển bước kỳ đánh giá (PAR office only). Publishing computes and freezes the results.

    Leaving a phase while some units have not finished it (`selectors.phase_progress`) is refused with
    409 `confirmation_required` and the counts ("12/16 đơn vị đã nộp tự đánh giá; 4 chưa nộp: …
    Vẫn chuyển?") unless `confirm=True`; the counts go into the audit row either way.
    Entering self-assessment fills data-driven criteria from dossier statistics / imported figures.
    """
    c = _lock_cycle(cycle)
    _require(actor, "appraise", c.organiser)
    if expected_version is not None and expected_version != c.version:
        raise ConflictError("Kỳ đánh giá vừa được người khác thay đổi; hãy tải lại.", code="stale_version")
    if not workflow.can_transition(c.state, to_state):
        raise ConflictError(f"Không thể chuyển từ “{c.get_state_display()}” sang {to_state!r}.", code="invalid_transition", field="to_state")
    from_state = c.state
    from .selectors import phase_progress

    progress = phase_progress(c)
    if progress and progress["not_done"] and not confirm:
        raise ConflictError(progress["message"], code="confirmation_required", field="confirm", extra={
            "done": progress["done_count"], "total": progress["total"], "not_done": progress["not_done"]})
    audit_data = {}
    if progress:
        audit_data["progress"] = {"done": progress["done_count"], "total": progress["total"], "not_done": progress["not_done"][:50]}
        audit_data["confirmed"] = bool(progress["not_done"])
    if to_state == workflow.SELF_ASSESSMENT:
        audit_data["dossier_statistics"] = _fill_from_dossier_statistics(c)
        provided = _fill_from_metric_providers(c)
        if provided:
            audit_data["metric_providers"] = provided
        _recompute_data_points(c)
    c.state = to_state
    c.version += 1
    if to_state == workflow.PUBLISHED:
        from .selectors import cycle_compute_results

        results = cycle_compute_results(c)
        CycleResult.objects.filter(cycle=c).delete()
        CycleResult.objects.bulk_create([
            CycleResult(
                cycle=c, unit_id=r["unit_id"], group=r["group"], total=Decimal(str(r["total"])),
                max_points=Decimal(str(r["max"])), index_pct=Decimal(str(r["index_pct"])), rank=r["rank"], data=r,
            )
            for r in results
        ], batch_size=1000)
        c.published_at = timezone.now()
    c.save()
    audit_record(actor=actor, action="indices.cycle.transition", obj=c, from_state=from_state, to_state=to_state, reason=reason,
                 data=audit_data)
    return c


def _leaf(cycle: AssessmentCycle, criterion) -> Criterion:
    if isinstance(criterion, Criterion):
        crit = criterion
    else:
        crit = Criterion.objects.filter(criteria_set_id=cycle.criteria_set_id, code=str(criterion)).first()
        if crit is None:
            raise NotFoundError(f"Không có tiêu chí {criterion!r} trong bộ tiêu chí của kỳ.", code="unknown_criterion", field="criterion")
    if crit.criteria_set_id != cycle.criteria_set_id:
        raise DomainError("Tiêu chí không thuộc bộ tiêu chí của kỳ đánh giá.", code="unknown_criterion", field="criterion")
    if not crit.is_leaf:
        raise DomainError(f"{crit.code} có tiêu chí con; chỉ chấm điểm tiêu chí thành phần.", code="not_leaf", field="criterion")
    return crit


def _participant(cycle: AssessmentCycle, unit) -> None:
    if not CycleUnit.objects.filter(cycle=cycle, unit=unit).exists():
        raise DomainError(f"{unit.name} không tham gia kỳ đánh giá này.", code="not_participant", field="unit")


def _check_range(points: Decimal, crit: Criterion, field: str) -> None:
    if points < 0:
        raise DomainError("Điểm không được âm.", code="invalid_points", field=field)
    if points > crit.max_points:
        raise DomainError(f"Điểm {points} vượt điểm tối đa {crit.max_points} của tiêu chí {crit.code}.", code="points_above_max", field=field)


def _assessment_for_update(cycle, unit, crit) -> Assessment:
    a, _ = Assessment.objects.get_or_create(cycle=cycle, unit=unit, criterion=crit)
    return Assessment.objects.select_for_update().get(pk=a.pk)


@transaction.atomic
def assessment_self_assess(
    *, cycle: AssessmentCycle | int, unit, criterion, points, actor=None, explanation: str = "",
    evidence: Iterable[Mapping] = (),
) -> Assessment:
    """Tự đánh giá một tiêu chí thành phần: points, explanation and evidence references.

    Only while the cycle is in self-assessment, by a user with "manage" on the unit.
    `evidence` items: {"title", "document_number", "document_date", "url"} (files: `evidence_add`).
    """
    c = _lock_cycle(cycle)
    _writable(c, workflow.SELF_ASSESSMENT)
    _require_writer(actor, "self_assess", c, unit)
    _participant(c, unit)
    crit = _leaf(c, criterion)
    if crit.method == ScoringMethod.SURVEY:
        raise DomainError(f"{crit.code} là tiêu chí điều tra xã hội học: điểm do cơ quan thường trực CCHC nhập, đơn vị không tự chấm.",
                          code="survey_criterion", field="criterion")
    pts = _points(points)
    _check_range(pts, crit, "points")
    a = _assessment_for_update(c, unit, crit)
    before = a.self_points
    a.self_points, a.self_explanation, a.source = pts, explanation or a.self_explanation, PointSource.SELF
    a.self_by, a.self_at = (actor if getattr(actor, "pk", None) else None), timezone.now()
    a.save()
    for ev in evidence:
        _evidence_create(a, ev, actor)
    audit_record(actor=actor, action="indices.assessment.self_assess", obj=a, object_id=f"{c.pk}/{unit.pk}/{crit.code}",
                 data={"from": str(before), "to": str(pts)})
    return a


def _evidence_create(a: Assessment, ev: Mapping, actor) -> Evidence:
    title = str(ev.get("title") or ev.get("document_number") or "").strip()
    if not title:
        raise DomainError("Tài liệu kiểm chứng cần tên hoặc số văn bản.", code="invalid", field="evidence")
    return Evidence.objects.create(
        assessment=a, title=title[:255], document_number=str(ev.get("document_number") or "")[:120],
        document_date=ev.get("document_date") or None, url=str(ev.get("url") or ""), file=ev.get("file") or None,
        added_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def evidence_add(*, assessment: Assessment, actor=None, title: str = "", document_number: str = "", document_date=None,
                 url: str = "", file=None) -> Evidence:
    """Thêm tài liệu kiểm chứng (uploaded file or document reference) while self-assessing."""
    c = _lock_cycle(assessment.cycle_id)
    _writable(c, workflow.SELF_ASSESSMENT)
    _require_writer(actor, "evidence", c, assessment.unit)
    ev = _evidence_create(assessment, {"title": title, "document_number": document_number, "document_date": document_date, "url": url, "file": file}, actor)
    audit_record(actor=actor, action="indices.evidence.add", obj=ev, data={"assessment": assessment.pk, "title": ev.title})
    return ev


@transaction.atomic
def assessment_appraise(*, cycle: AssessmentCycle | int, unit, criterion, points, actor=None, reason: str = "") -> Assessment:
    """Thẩm định: accept or adjust one score (round 1 or 2 follows the cycle state).

    Adjusting (points differ from the score being appraised) needs a reason. PAR office ("appraise").
    """
    c = _lock_cycle(cycle)
    _writable(c)
    rnd = workflow.appraisal_round(c.state)
    if rnd is None:
        raise ConflictError("Kỳ đánh giá không ở bước thẩm định.", code="wrong_state")
    _require_writer(actor, "appraise", c, unit)
    _participant(c, unit)
    crit = _leaf(c, criterion)
    pts = _points(points)
    _check_range(pts, crit, "points")
    a = _assessment_for_update(c, unit, crit)
    previous = a.self_points if rnd == 1 else (a.appraisal1_points if a.appraisal1_points is not None else a.self_points)
    if previous is not None and pts != previous and not reason.strip():
        raise DomainError("Điều chỉnh điểm cần nêu lý do.", code="reason_required", field="reason")
    now, who = timezone.now(), (actor if getattr(actor, "pk", None) else None)
    if rnd == 1:
        a.appraisal1_points, a.appraisal1_reason, a.appraisal1_by, a.appraisal1_at = pts, reason, who, now
    else:
        a.appraisal2_points, a.appraisal2_reason, a.appraisal2_by, a.appraisal2_at = pts, reason, who, now
    a.save()
    audit_record(actor=actor, action=f"indices.assessment.appraise_{rnd}", obj=a, object_id=f"{c.pk}/{unit.pk}/{crit.code}",
                 reason=reason, data={"from": str(previous), "to": str(pts)})
    return a


@transaction.atomic
def assessment_explain(*, cycle: AssessmentCycle | int, unit, criterion, explanation: str, actor=None) -> Assessment:
    """Giải trình: the unit explains or contests a first-round score, once per sub-criterion."""
    c = _lock_cycle(cycle)
    _writable(c, workflow.EXPLANATION)
    _require_writer(actor, "explain", c, unit)
    _participant(c, unit)
    crit = _leaf(c, criterion)
    if not (explanation or "").strip():
        raise DomainError("Nội dung giải trình không được trống.", code="invalid", field="explanation")
    a = _assessment_for_update(c, unit, crit)
    if a.explanation:
        raise ConflictError("Đơn vị đã giải trình tiêu chí này; chỉ được giải trình một lần.", code="already_explained")
    a.explanation, a.explained_by, a.explained_at = explanation.strip(), (actor if getattr(actor, "pk", None) else None), timezone.now()
    a.save()
    audit_record(actor=actor, action="indices.assessment.explain", obj=a, object_id=f"{c.pk}/{unit.pk}/{crit.code}", reason=a.explanation)
    return a


# ------------------------------------------------------------------------------ data-driven and survey


def _unit_lookup(cycle: AssessmentCycle) -> dict[str, object]:
    out = {}
    for cu in CycleUnit.objects.filter(cycle=cycle).select_related("unit"):
        out[cu.unit.code] = cu.unit
        out[cu.unit.name] = cu.unit
        out[str(cu.unit.pk)] = cu.unit
    return out


def _recompute_data_points(cycle: AssessmentCycle) -> int:
    """Set self points of data-driven leaves from CriterionDatum rows; returns how many were set."""
    leaves = list(Criterion.objects.filter(
        criteria_set_id=cycle.criteria_set_id, is_leaf=True, method__in=[ScoringMethod.DATA_THRESHOLD, ScoringMethod.DATA_STEPS],
    ))
    if not leaves:
        return 0
    data = {(d.unit_id, d.metric): d.value for d in CriterionDatum.objects.filter(cycle=cycle)}
    unit_ids = list(CycleUnit.objects.filter(cycle=cycle).values_list("unit_id", flat=True))
    count = 0
    for crit in leaves:
        metric = crit.rule.get("metric") or crit.code
        for unit_id in unit_ids:
            value = data.get((unit_id, metric))
            if value is None:
                continue
            pts = scoring.points_from_rule(crit.rule, value, crit.max_points)
            a, _ = Assessment.objects.get_or_create(cycle=cycle, unit_id=unit_id, criterion=crit)
            a.self_points, a.data_value, a.source = pts, value, PointSource.DATA
            a.self_explanation = a.self_explanation or data_explanation(metric, value)
            a.save()
            count += 1
    return count


# what a person reads for a criterion metric (the automatic explanation of data-driven points)
METRIC_LABELS = {
    "on_time_rate": "tỷ lệ hồ sơ giải quyết đúng hạn",
    "online_rate": "tỷ lệ hồ sơ nộp trực tuyến",
    "online_share": "tỷ lệ hồ sơ nộp trực tuyến",
    "digitised_documents_share": "tỷ lệ số hóa hồ sơ",
    "electronic_result_share": "tỷ lệ cấp kết quả điện tử",
}


def data_explanation(metric: str, value) -> str:
    """"Tính tự động từ số liệu: tỷ lệ hồ sơ giải quyết đúng hạn 96,42 %" (metric named, number written the
    Vietnamese way; a metric without a label keeps its key)."""
    from . import metrics

    label, unit = METRIC_LABELS.get(metric), "%"
    if label is None and (provider := metrics.get(metric)) is not None:
        label, unit = provider.label, provider.unit
    number = format_points(value)
    if not label:
        return f"Tính tự động từ số liệu: {metric} = {number}"
    return f"Tính tự động từ số liệu: {label} {number} {unit}".rstrip()


# criterion metric → key of cchc.dossiers.selectors.dossier_statistics (the one definition of each rate)
DOSSIER_METRICS = {
    "on_time_rate": "on_time_rate",
    "online_rate": "online_share",
    "online_share": "online_share",
    "digitised_documents_share": "digitised_documents_share",
    "electronic_result_share": "electronic_result_share",
}


def _fill_from_dossier_statistics(cycle: AssessmentCycle) -> str:
    """Fill the dossier metrics of the criteria (DOSSIER_METRICS, %) from the dossier engine's statistics.

    Calls `cchc.dossiers.selectors.dossier_statistics(units=…, date_from=1/1, date_to=31/12)` once,
    grouped by participant: each participant's own dossiers and those of the units directly below it
    (its one-stop desk) form one group, so the rates are the selector's own (on-time rate = (settled
    early + on time) ÷ settled × 100, online share = received online ÷ received new × 100, …); nothing
    is recomputed here. Imported figures (`criterion_data_import`) win; a unit without a denominator
    gets no figure. Returns what happened, for the transition's audit row: "filled N", "not needed" or
    "unavailable: …".

    The read runs in a savepoint: a database error there (PostgreSQL then marks the transaction as
    aborted) is rolled back to the savepoint, logged and recorded, and the transition goes on with the
    imported figures. Any other exception is a bug and propagates (the whole transition rolls back).
    """
    import datetime as dt

    from django.db.models import Case, IntegerField, Value, When

    from cchc.dossiers.selectors import dossier_statistics
    from cchc.units.models import Unit

    metrics = {m for m in (c.rule.get("metric") for c in Criterion.objects.filter(criteria_set_id=cycle.criteria_set_id, is_leaf=True)) if m}
    wanted = metrics & set(DOSSIER_METRICS)
    if not wanted:
        return "not needed"
    participants = {cu.unit_id: cu.unit for cu in CycleUnit.objects.filter(cycle=cycle).select_related("unit")}
    owner_of = {pk: pk for pk in participants}
    children = list(Unit.objects.filter(parent_id__in=list(participants)).exclude(pk__in=list(participants)))
    for child in children:
        owner_of.setdefault(child.pk, child.parent_id)
    by_owner: dict[int, list[int]] = {}
    for unit_pk, owner in owner_of.items():
        by_owner.setdefault(owner, []).append(unit_pk)
    if not by_owner:
        return "not needed"
    owner_expr = Case(*[When(unit_id__in=sorted(ids), then=Value(owner)) for owner, ids in sorted(by_owner.items())],
                      default=Value(None), output_field=IntegerField())
    try:
        with transaction.atomic():  # savepoint: a failed query must not abort the caller's transaction
            rows = list(dossier_statistics(units=[*participants.values(), *children], date_from=dt.date(cycle.year, 1, 1),
                                           date_to=dt.date(cycle.year, 12, 31), group_by=(), extra_groups={"owner": owner_expr}))
    except DatabaseError as exc:
        logger.warning("indices: dossier statistics unavailable for cycle %s: %s", cycle.pk, exc)
        return f"unavailable: {type(exc).__name__}"
    existing = set(CriterionDatum.objects.filter(cycle=cycle, metric__in=wanted).values_list("unit_id", "metric"))
    count = 0
    for row in rows:
        pk = row.get("owner")
        if pk is None:
            continue
        for metric in sorted(wanted):
            value = row.get(DOSSIER_METRICS[metric])
            if value is None or (pk, metric) in existing:
                continue  # no denominator; or imported figures win over computed ones
            CriterionDatum.objects.create(cycle=cycle, unit_id=pk, metric=metric, value=scoring.q2(Decimal(str(value))),
                                          source="dossier_statistics")
            count += 1
    return f"filled {count}"


def _fill_from_metric_providers(cycle: AssessmentCycle) -> dict[str, str]:
    """Fill the criteria's metrics that a higher app provides (`cchc.indices.metrics.register`).

    For each registered metric used by a leaf of the cycle's criteria set, calls the provider once with the
    participating units and writes a `CriterionDatum` per unit that got a value (source "provider:<module>").
    The same rules as the dossier metrics: imported figures win (an existing datum is never overwritten);
    no value → no datum; the provider runs in a savepoint and a `DatabaseError` there is logged and
    recorded ("unavailable: …") while the others go on. Any other exception propagates (a bug: the
    transition rolls back). Returns {metric: "filled N" | "unavailable: …"} for the audit row.
    """
    from . import metrics

    registered = metrics.providers()
    if not registered:
        return {}
    used = {m for m in (c.rule.get("metric") or c.code for c in Criterion.objects.filter(
        criteria_set_id=cycle.criteria_set_id, is_leaf=True, method__in=[ScoringMethod.DATA_THRESHOLD, ScoringMethod.DATA_STEPS]))}
    wanted = sorted(used & set(registered))
    if not wanted:
        return {}
    unit_ids = sorted(CycleUnit.objects.filter(cycle=cycle).values_list("unit_id", flat=True))
    outcome: dict[str, str] = {}
    for metric in wanted:
        provider = registered[metric]
        try:
            with transaction.atomic():  # savepoint, as for the dossier read
                values = dict(provider.fn(cycle, list(unit_ids)) or {})
        except DatabaseError as exc:
            logger.warning("indices: metric %s unavailable for cycle %s: %s", metric, cycle.pk, exc)
            outcome[metric] = f"unavailable: {type(exc).__name__}"
            continue
        existing = set(CriterionDatum.objects.filter(cycle=cycle, metric=metric).values_list("unit_id", flat=True))
        count = 0
        for unit_id in unit_ids:
            value = values.get(unit_id)
            if value is None or unit_id in existing:
                continue
            CriterionDatum.objects.create(cycle=cycle, unit_id=unit_id, metric=metric,
                                          value=scoring.q2(Decimal(str(value))), source=provider.source)
            count += 1
        outcome[metric] = f"filled {count}"
    return outcome


@transaction.atomic
def criterion_data_import(*, cycle: AssessmentCycle | int, rows: Iterable[Mapping], actor=None, source: str = "import") -> dict:
    """Nhập số liệu cho tiêu chí tính từ dữ liệu: rows {unit (code/name/id), metric, value}.

    Allowed in draft and self-assessment; recomputes the data-driven self points at once.
    """
    c = _lock_cycle(cycle)
    _writable(c)
    if c.state not in (workflow.DRAFT, workflow.SELF_ASSESSMENT):
        raise ConflictError("Chỉ nhập số liệu trước khi kết thúc tự đánh giá.", code="wrong_state")
    _require(actor, "appraise", c.organiser)
    units = _unit_lookup(c)
    written = 0
    for i, row in enumerate(rows, start=2):
        unit = units.get(str(row.get("unit") or "").strip())
        if unit is None:
            raise DomainError(f"Dòng {i}: đơn vị {row.get('unit')!r} không tham gia kỳ đánh giá.", code="unknown_unit", field="unit", extra={"row": i})
        metric = str(row.get("metric") or "").strip()
        if not metric:
            raise DomainError(f"Dòng {i}: thiếu mã số liệu (metric).", code="invalid", field="metric", extra={"row": i})
        try:
            value = scoring.parse_number(row.get("value"), what="giá trị")
        except ValueError as exc:
            raise DomainError(f"Dòng {i}: {exc}", code="invalid", field="value", extra={"row": i}) from None
        CriterionDatum.objects.update_or_create(cycle=c, unit=unit, metric=metric, defaults={"value": value, "source": source})
        written += 1
    computed = _recompute_data_points(c) if c.state == workflow.SELF_ASSESSMENT else 0
    audit_record(actor=actor, action="indices.data.import", obj=c, data={"rows": written, "computed": computed})
    return {"rows": written, "computed": computed}


@transaction.atomic
def survey_scores_import(*, cycle: AssessmentCycle | int, rows: Iterable[Mapping], actor=None, source: str = "survey") -> dict:
    """Nhập điểm điều tra xã hội học: rows {unit, code, points} for survey-method leaves.

    Points enter as the unit's score for that sub-criterion (source "survey"); they are not self-assessed.
    Allowed until the second appraisal round ends.
    """
    c = _lock_cycle(cycle)
    _writable(c)
    _require(actor, "appraise", c.organiser)
    units = _unit_lookup(c)
    events, written = [], 0
    for i, row in enumerate(rows, start=2):
        unit = units.get(str(row.get("unit") or "").strip())
        if unit is None:
            raise DomainError(f"Dòng {i}: đơn vị {row.get('unit')!r} không tham gia kỳ đánh giá.", code="unknown_unit", field="unit", extra={"row": i})
        crit = _leaf(c, str(row.get("code") or "").strip())
        if crit.method != ScoringMethod.SURVEY:
            raise DomainError(f"Dòng {i}: {crit.code} không phải tiêu chí điều tra xã hội học.", code="not_survey", field="code", extra={"row": i})
        pts = _points(row.get("points"))
        try:
            _check_range(pts, crit, "points")
        except DomainError as exc:
            raise DomainError(f"Dòng {i}: {exc.message}", code=exc.code, field="points", extra={"row": i}) from None
        a, _ = Assessment.objects.get_or_create(cycle=c, unit=unit, criterion=crit)
        a.self_points, a.source = pts, PointSource.SURVEY if source == "survey" else PointSource.IMPORT
        a.self_explanation = a.self_explanation or "Điểm điều tra xã hội học"
        a.save()
        events.append(dict(actor=actor, action="indices.survey.score", obj=a, object_id=f"{c.pk}/{unit.pk}/{crit.code}", data={"points": str(pts)}))
        written += 1
    if events:
        audit_record_many(events)
    return {"rows": written}
