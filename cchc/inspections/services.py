"""Use cases of inspections (kiểm tra CCHC): one transaction each, the row locked, the rule checked, audited.

Who may write: the province's PAR office (Sở Nội vụ, role par_office → action "appraise" on the province)
writes plans, inspections, findings, recommendations and closes inspections; the responsible unit's head
and specialists write follow-up reports for their own unit only.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.accounts.permissions import can, in_scope
from cchc.core.audit import audit_record
from cchc.core.errors import ConflictError, DomainError, ForbiddenError
from cchc.units.models import Unit, UnitKind

from . import workflow
from .models import (
    ActionTaken,
    Conduct,
    Finding,
    FollowUp,
    Inspection,
    InspectionMember,
    InspectionPlan,
    InspectionStatus,
    Recommendation,
    RecommendationStatus,
    Severity,
)

FOLLOW_UP_ROLES = {Role.UNIT_HEAD, Role.SPECIALIST}


def _today() -> dt.date:
    return timezone.localdate()


def _require_par(actor, province) -> None:
    if actor is None:  # system jobs and the demo builder
        return
    if not can(actor, "appraise", province):
        raise ForbiddenError("Chỉ cơ quan thường trực CCHC (Sở Nội vụ) của tỉnh được thực hiện thao tác này.")


def _text(value, field: str, *, required: bool = True, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(f"{field}: không được để trống.", code="required", field=field)
    if max_length and len(text) > max_length:
        raise DomainError(f"{field}: tối đa {max_length} ký tự.", code="max_length", field=field)
    return text


def plan_create(*, province: Unit, year: int, title: str, document_number: str = "", issued_on: dt.date | None = None,
                actor=None) -> InspectionPlan:
    """Ban hành kế hoạch kiểm tra CCHC năm: one per province and year."""
    if province.kind != UnitKind.PROVINCE:
        raise DomainError("province: phải là đơn vị cấp tỉnh.", code="invalid", field="province")
    if not (2000 <= int(year) <= 2100):
        raise DomainError("year: năm không hợp lệ.", code="invalid", field="year")
    _require_par(actor, province)
    with transaction.atomic():
        if InspectionPlan.objects.filter(province=province, year=year).exists():
            raise ConflictError(f"year: tỉnh đã có kế hoạch kiểm tra năm {year}.", code="duplicate", field="year")
        plan = InspectionPlan.objects.create(
            province=province, year=year, title=_text(title, "title", max_length=255), document_number=(document_number or "").strip(),
            issued_on=issued_on, created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(actor=actor, action="inspections.plan_created", obj=plan, to_state="issued",
                     data={"province": province.code, "year": year, "document_number": plan.document_number})
    return plan


def inspection_create(*, plan: InspectionPlan, unit: Unit, scope: str, planned_start: dt.date, planned_end: dt.date,
                      members: list[dict], actor=None) -> Inspection:
    """Thêm cuộc kiểm tra vào kế hoạch, with its team.

    Rules: the inspected unit belongs to the plan's province; planned dates inside the plan's year, start ≤ end;
    the team (đoàn kiểm tra liên ngành) has exactly one leader and members from at least two units.
    """
    _require_par(actor, plan.province)
    if unit.pk != plan.province_id and unit.province_id != plan.province_id:
        raise DomainError("unit: đơn vị được kiểm tra không thuộc tỉnh của kế hoạch.", code="out_of_scope", field="unit")
    if planned_end < planned_start:
        raise DomainError("planned_end: ngày kết thúc dự kiến trước ngày bắt đầu.", code="invalid_period", field="planned_end")
    if planned_start.year != plan.year or planned_end.year != plan.year:
        raise DomainError(f"planned_start: thời gian kiểm tra phải nằm trong năm {plan.year} của kế hoạch.", code="invalid_period",
                          field="planned_start")
    if not members:
        raise DomainError("members: đoàn kiểm tra chưa có thành viên.", code="required", field="members")
    cleaned = []
    for i, m in enumerate(members):
        name = _text(m.get("name"), f"members[{i}].name", max_length=120)
        member_unit = m.get("unit")
        if not isinstance(member_unit, Unit):
            raise DomainError(f"members[{i}].unit: chưa chọn cơ quan của thành viên.", code="required", field="members")
        cleaned.append(dict(name=name, position=(m.get("position") or "").strip()[:160], unit=member_unit,
                            is_leader=bool(m.get("is_leader"))))
    leaders = sum(1 for m in cleaned if m["is_leader"])
    if leaders != 1:
        raise DomainError(f"members: đoàn kiểm tra phải có đúng một trưởng đoàn (đang có {leaders}).", code="one_leader", field="members")
    if len({m["unit"].pk for m in cleaned}) < 2:
        raise DomainError("members: đoàn kiểm tra liên ngành phải có thành viên từ ít nhất hai cơ quan.", code="interdisciplinary",
                          field="members")
    with transaction.atomic():
        inspection = Inspection.objects.create(plan=plan, unit=unit, scope=_text(scope, "scope"), planned_start=planned_start,
                                               planned_end=planned_end)
        InspectionMember.objects.bulk_create([InspectionMember(inspection=inspection, **m) for m in cleaned])
        audit_record(actor=actor, action="inspections.inspection_created", obj=inspection, to_state=inspection.status,
                     data={"unit": unit.code, "planned_start": planned_start, "planned_end": planned_end,
                           "members": [{"name": m["name"], "unit": m["unit"].code, "leader": m["is_leader"]} for m in cleaned]})
    return inspection


def _lock(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().select_related("plan__province").get(pk=inspection.pk)


def inspection_record_conducted(*, inspection: Inspection, actual_start: dt.date, actual_end: dt.date,
                                conclusion_number: str = "", actor=None, today: dt.date | None = None) -> Inspection:
    """Ghi nhận đã kiểm tra: actual dates (start ≤ end, not in the future) and the conclusion notice number."""
    _require_par(actor, inspection.plan.province)
    today = today or _today()
    if actual_end < actual_start:
        raise DomainError("actual_end: ngày kết thúc trước ngày bắt đầu.", code="invalid_period", field="actual_end")
    if actual_end > today:
        raise DomainError("actual_end: không được ghi ngày kiểm tra trong tương lai.", code="future_date", field="actual_end")
    with transaction.atomic():
        obj = _lock(inspection)
        workflow.check_inspection(obj.status, InspectionStatus.CONDUCTED)
        before = obj.status
        obj.actual_start, obj.actual_end = actual_start, actual_end
        obj.conclusion_number = (conclusion_number or "").strip()[:80]
        obj.status = InspectionStatus.CONDUCTED
        obj.save(update_fields=["actual_start", "actual_end", "conclusion_number", "status"])
        audit_record(actor=actor, action="inspections.inspection_conducted", obj=obj, from_state=before, to_state=obj.status,
                     data={"actual_start": actual_start, "actual_end": actual_end, "conclusion_number": obj.conclusion_number})
    return obj


def inspection_cancel(*, inspection: Inspection, reason: str, actor=None) -> Inspection:
    """Hủy cuộc kiểm tra chưa tiến hành (with a reason)."""
    _require_par(actor, inspection.plan.province)
    reason = _text(reason, "reason")
    with transaction.atomic():
        obj = _lock(inspection)
        workflow.check_inspection(obj.status, InspectionStatus.CANCELLED)
        before, obj.status, obj.closure_note = obj.status, InspectionStatus.CANCELLED, reason
        obj.save(update_fields=["status", "closure_note"])
        audit_record(actor=actor, action="inspections.inspection_cancelled", obj=obj, from_state=before, to_state=obj.status, reason=reason)
    return obj


def _require_conducted(obj: Inspection) -> None:
    if obj.status != InspectionStatus.CONDUCTED:
        raise ConflictError("status: chỉ ghi phát hiện và kiến nghị cho cuộc kiểm tra đã tiến hành và chưa kết thúc.",
                            code="not_conducted", field="status")


def finding_add(*, inspection: Inspection, text: str, severity: str = Severity.MINOR, official_name: str = "",
                official_position: str = "", conduct: str = "", action_taken: str = "", action_note: str = "", actor=None) -> Finding:
    """Ghi phát hiện. A finding about an official names the conduct; the action taken may follow later."""
    _require_par(actor, inspection.plan.province)
    if severity not in Severity.values:
        raise DomainError(f"severity: giá trị không hợp lệ; chọn một trong {', '.join(Severity.values)}.", code="invalid_choice", field="severity")
    if conduct not in Conduct.values:
        raise DomainError("conduct: giá trị không hợp lệ.", code="invalid_choice", field="conduct")
    if action_taken not in ActionTaken.values:
        raise DomainError("action_taken: giá trị không hợp lệ.", code="invalid_choice", field="action_taken")
    official_name = (official_name or "").strip()[:120]
    if (conduct or action_taken) and not official_name:
        raise DomainError("official_name: hành vi và hình thức xử lý chỉ ghi khi phát hiện liên quan đến một cán bộ cụ thể.",
                          code="required", field="official_name")
    if official_name and not conduct:
        raise DomainError("conduct: phát hiện về cán bộ phải nêu hành vi.", code="required", field="conduct")
    with transaction.atomic():
        obj = _lock(inspection)
        _require_conducted(obj)
        finding = Finding.objects.create(
            inspection=obj, text=_text(text, "text"), severity=severity, official_name=official_name,
            official_position=(official_position or "").strip()[:160], conduct=conduct, action_taken=action_taken,
            action_note=(action_note or "").strip(), created_by=actor if getattr(actor, "pk", None) else None,
        )
        # the audit row of a finding about an official names the conduct but not the person (the row is visible wider)
        audit_record(actor=actor, action="inspections.finding_added", obj=finding,
                     data={"inspection": obj.pk, "severity": severity, "about_official": bool(official_name), "conduct": conduct,
                           "action_taken": action_taken})
    return finding


def finding_record_action(*, finding: Finding, action_taken: str, action_note: str = "", actor=None) -> Finding:
    """Ghi hình thức xử lý đối với cán bộ (after the inspection, e.g. once the unit has disciplined the official)."""
    _require_par(actor, finding.inspection.plan.province)
    if not finding.official_name:
        raise DomainError("action_taken: phát hiện này không liên quan đến cán bộ cụ thể.", code="not_about_official", field="action_taken")
    if action_taken not in ActionTaken.values or not action_taken:
        raise DomainError("action_taken: chọn hình thức xử lý.", code="invalid_choice", field="action_taken")
    with transaction.atomic():
        obj = Finding.objects.select_for_update().get(pk=finding.pk)
        before = obj.action_taken
        obj.action_taken, obj.action_note = action_taken, (action_note or "").strip()
        obj.save(update_fields=["action_taken", "action_note"])
        audit_record(actor=actor, action="inspections.finding_action_recorded", obj=obj, from_state=before, to_state=action_taken)
    return obj


def recommendation_add(*, inspection: Inspection, text: str, responsible_unit: Unit, deadline: dt.date, finding: Finding | None = None,
                       actor=None) -> Recommendation:
    """Ghi kiến nghị with its deadline and responsible unit (in the province; deadline not before the inspection ended)."""
    _require_par(actor, inspection.plan.province)
    province_id = inspection.plan.province_id
    if responsible_unit.pk != province_id and responsible_unit.province_id != province_id:
        raise DomainError("responsible_unit: đơn vị thực hiện không thuộc tỉnh.", code="out_of_scope", field="responsible_unit")
    if finding is not None and finding.inspection_id != inspection.pk:
        raise DomainError("finding: phát hiện không thuộc cuộc kiểm tra này.", code="invalid", field="finding")
    with transaction.atomic():
        obj = _lock(inspection)
        _require_conducted(obj)
        if obj.actual_end and deadline < obj.actual_end:
            raise DomainError("deadline: hạn hoàn thành không được trước ngày kết thúc kiểm tra.", code="invalid_deadline", field="deadline")
        rec = Recommendation.objects.create(inspection=obj, finding=finding, text=_text(text, "text"), responsible_unit=responsible_unit,
                                            deadline=deadline)
        audit_record(actor=actor, action="inspections.recommendation_added", obj=rec, to_state=rec.status,
                     data={"inspection": obj.pk, "responsible_unit": responsible_unit.code, "deadline": deadline})
    return rec


def can_follow_up(user, recommendation: Recommendation) -> bool:
    """The responsible unit's head (their subtree) or its specialists (their own unit) — nobody else."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_system_admin", False) or user.is_superuser:
        return True
    return user.role in FOLLOW_UP_ROLES and in_scope(user, recommendation.responsible_unit)


def follow_up_submit(*, recommendation: Recommendation, text: str, completes: bool = False, evidence=None, actor,
                     today: dt.date | None = None) -> FollowUp:
    """Báo cáo kết quả thực hiện kiến nghị. A report that `completes` settles the recommendation: on time when
    reported on or before the deadline day, late otherwise. Evidence goes through the one upload check."""
    if actor is not None and not can_follow_up(actor, recommendation):
        raise ForbiddenError("Chỉ người đứng đầu và chuyên viên của đơn vị thực hiện kiến nghị được báo cáo.")
    from cchc.dossiers.services import MAX_UPLOAD_BYTES, upload_check
    from cchc.dossiers.storage import files_atomic, save_stream

    today = today or _today()
    text = _text(text, "text")
    ext = content_type = None
    if evidence is not None:
        ext, content_type = upload_check(evidence, field="evidence")
    with files_atomic():
        rec = Recommendation.objects.select_for_update().select_related("inspection").get(pk=recommendation.pk)
        if rec.status != RecommendationStatus.OPEN:
            raise ConflictError(f"status: kiến nghị đã ở trạng thái “{rec.get_status_display()}”, không nhận thêm báo cáo.",
                                code="settled", field="status")
        if rec.inspection.status != InspectionStatus.CONDUCTED:
            raise ConflictError("status: cuộc kiểm tra đã kết thúc.", code="closed", field="status")
        stored = save_stream(evidence, folder="inspections", ext=ext, max_bytes=MAX_UPLOAD_BYTES) if evidence is not None else None
        fu = FollowUp.objects.create(
            recommendation=rec, text=text, completes=bool(completes), reported_on=today,
            reported_by=actor if getattr(actor, "pk", None) else None,
            evidence=stored.name if stored else "", evidence_name=(getattr(evidence, "name", "") or "")[:255] if stored else "",
            evidence_type=content_type or "", evidence_sha256=stored.sha256 if stored else "",
        )
        audit_record(actor=actor, action="inspections.follow_up_submitted", obj=fu,
                     data={"recommendation": rec.pk, "completes": bool(completes), "evidence": fu.evidence_name})
        if completes:
            target = workflow.completion_status(today, rec.deadline)
            workflow.check_recommendation(rec.status, target)
            before, rec.status, rec.done_on = rec.status, target, today
            rec.save(update_fields=["status", "done_on"])
            audit_record(actor=actor, action="inspections.recommendation_done", obj=rec, from_state=before, to_state=target,
                         data={"done_on": today, "deadline": rec.deadline})
    return fu


def inspection_close(*, inspection: Inspection, carry_over: dict[int, str] | None = None, note: str = "", actor=None) -> Inspection:
    """Kết thúc cuộc kiểm tra: only when every recommendation is settled (done) or explicitly carried over with a reason.

    `carry_over` maps recommendation id → reason; those become "chuyển tiếp theo dõi" in the same transaction.
    Refused with 409 (code open_recommendations) naming the open ones otherwise; nothing is written then.
    """
    _require_par(actor, inspection.plan.province)
    carry_over = {int(k): (v or "").strip() for k, v in (carry_over or {}).items()}
    with transaction.atomic():
        obj = _lock(inspection)
        workflow.check_inspection(obj.status, InspectionStatus.CLOSED)
        recs = {r.pk: r for r in Recommendation.objects.select_for_update().filter(inspection=obj)}
        unknown = set(carry_over) - set(recs)
        if unknown:
            raise DomainError(f"carry_over: kiến nghị {sorted(unknown)} không thuộc cuộc kiểm tra này.", code="invalid", field="carry_over")
        for pk, reason in carry_over.items():
            if recs[pk].status == RecommendationStatus.OPEN and not reason:
                raise DomainError(f"carry_over: kiến nghị #{pk} chuyển tiếp phải nêu lý do.", code="reason_required", field="carry_over")
        still_open = [pk for pk, r in recs.items() if r.status == RecommendationStatus.OPEN and pk not in carry_over]
        if still_open:
            raise ConflictError(
                f"recommendations: chưa thể kết thúc cuộc kiểm tra — còn {len(still_open)} kiến nghị chưa hoàn thành và chưa chuyển tiếp "
                f"(#{', #'.join(map(str, sorted(still_open)))}). Quy tắc: mọi kiến nghị phải hoàn thành hoặc chuyển tiếp có lý do.",
                code="open_recommendations", field="recommendations", extra={"open": sorted(still_open)},
            )
        for pk, reason in carry_over.items():
            rec = recs[pk]
            if rec.status != RecommendationStatus.OPEN:
                continue
            workflow.check_recommendation(rec.status, RecommendationStatus.CARRIED_OVER)
            rec.status, rec.carry_over_reason = RecommendationStatus.CARRIED_OVER, reason
            rec.save(update_fields=["status", "carry_over_reason"])
            audit_record(actor=actor, action="inspections.recommendation_carried_over", obj=rec, from_state=RecommendationStatus.OPEN,
                         to_state=rec.status, reason=reason)
        before = obj.status
        obj.status, obj.closed_at, obj.closure_note = InspectionStatus.CLOSED, timezone.now(), (note or "").strip()
        obj.save(update_fields=["status", "closed_at", "closure_note"])
        audit_record(actor=actor, action="inspections.inspection_closed", obj=obj, from_state=before, to_state=obj.status,
                     data={"carried_over": sorted(carry_over)})
    return obj
