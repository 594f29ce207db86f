"""Use cases of commendations (khen thưởng CCHC): one transaction each, audited; the PAR office writes.

How a proposal is computed (the issue is silent; our choice, documented in docs/inspections.md):
- the pool is the participants of the index rules' cycles of that form (or, for a form with no index rule, the
  province's departments and communes);
- a unit is proposed for a form when it meets every rule of that form that applies to it (an index rule applies
  to the participants of its cycle; the dossier rule and the plan-task rule apply to every unit);
- the plan-task rule ("hoàn thành đúng hạn mọi nhiệm vụ kế hoạch CCHC trong năm") reads the programme's completion
  selector for the calendar year (tasks whose unit in charge is the unit or below it): met when at least one task
  was due and every due task was done on or before its deadline (the deadline day counts as on time, cancelled
  tasks are out of the count); a unit with no task due in the year does not meet it (nothing to state as basis,
  as the dossier rule with no dossier);
- a unit qualifying for both forms is proposed for the higher one (bằng khen) only;
- recomputing keeps the office's edits: manual additions stay, removed candidates stay removed.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cchc.accounts.permissions import can
from cchc.core.audit import audit_record
from cchc.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from cchc.units.models import COMMUNE_KINDS, Unit, UnitKind

from . import selectors
from .models import FORM_ORDER, Candidate, CommendationRule, Form, Proposal, ProposalStatus, RuleKind


def _require_par(actor, province) -> None:
    if actor is None:
        return
    if not can(actor, "appraise", province):
        raise ForbiddenError("Chỉ cơ quan thường trực CCHC (Sở Nội vụ) của tỉnh được thực hiện thao tác này.")


def _reason(value, field: str = "reason") -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(f"{field}: phải nêu lý do.", code="reason_required", field=field)
    return text


def rule_create(*, province: Unit, year: int, kind: str, form: str, cycle=None, top_n: int | None = None, min_settled: int = 1,
                actor=None) -> CommendationRule:
    """Đặt tiêu chí: index rules name a cycle organised by the province and N ≥ 1; the dossier rule a minimum volume."""
    _require_par(actor, province)
    if kind not in RuleKind.values:
        raise DomainError(f"kind: chọn một trong {', '.join(RuleKind.values)}.", code="invalid_choice", field="kind")
    if form not in Form.values:
        raise DomainError(f"form: chọn một trong {', '.join(Form.values)}.", code="invalid_choice", field="form")
    if kind == RuleKind.INDEX_TOP_N:
        if cycle is None:
            raise DomainError("cycle: tiêu chí xếp hạng phải chọn kỳ đánh giá Chỉ số CCHC nội bộ.", code="required", field="cycle")
        if cycle.organiser_id != province.pk:
            raise DomainError("cycle: kỳ đánh giá không do tỉnh tổ chức.", code="out_of_scope", field="cycle")
        if not top_n or int(top_n) < 1:
            raise DomainError("top_n: số đơn vị dẫn đầu phải từ 1 trở lên.", code="invalid", field="top_n")
    elif kind == RuleKind.PLAN_TASKS_ON_TIME:
        cycle, top_n, min_settled = None, None, 1
    else:
        cycle, top_n = None, None
        if int(min_settled) < 1:
            raise DomainError("min_settled: tối thiểu 1 hồ sơ (đơn vị không có hồ sơ thì không xét tiêu chí này).", code="invalid",
                              field="min_settled")
    with transaction.atomic():
        if Proposal.objects.filter(province=province, year=year, status=ProposalStatus.DECIDED).exists():
            raise ConflictError(f"year: danh sách khen thưởng năm {year} đã có quyết định; không sửa tiêu chí.", code="decided", field="year")
        rule = CommendationRule.objects.create(province=province, year=year, kind=kind, form=form, cycle=cycle, top_n=top_n,
                                               min_settled=min_settled, created_by=actor if getattr(actor, "pk", None) else None)
        audit_record(actor=actor, action="commendations.rule_created", obj=rule,
                     data={"year": year, "kind": kind, "form": form, "cycle": getattr(cycle, "pk", None), "top_n": top_n,
                           "min_settled": min_settled})
    return rule


def rule_delete(*, rule: CommendationRule, actor=None) -> None:
    _require_par(actor, rule.province)
    with transaction.atomic():
        if Proposal.objects.filter(province=rule.province, year=rule.year, status=ProposalStatus.DECIDED).exists():
            raise ConflictError("year: danh sách đã có quyết định; không sửa tiêu chí.", code="decided", field="year")
        audit_record(actor=actor, action="commendations.rule_deleted", obj=rule, data={"kind": rule.kind, "form": rule.form})
        rule.delete()


def _evaluate(province, year: int, rules: list[CommendationRule]) -> dict[str, dict[int, dict]]:
    """form → {unit id: facts} of the units meeting every applicable rule of that form."""
    from cchc.indices.models import CycleState

    result: dict[str, dict[int, dict]] = {}
    ranks_cache: dict[int, dict] = {}
    for form in FORM_ORDER:
        form_rules = [r for r in rules if r.form == form]
        if not form_rules:
            continue
        index_rules = [r for r in form_rules if r.kind == RuleKind.INDEX_TOP_N]
        for r in index_rules:
            if r.cycle.state != CycleState.PUBLISHED:
                raise ConflictError(f"cycle: kỳ đánh giá “{r.cycle.name}” chưa công bố kết quả; chỉ đề nghị từ kết quả đã công bố.",
                                    code="not_published", field="cycle")
            if r.cycle_id not in ranks_cache:
                ranks_cache[r.cycle_id] = selectors.index_ranks(r.cycle)
        if index_rules:
            pool = set().union(*(ranks_cache[r.cycle_id].keys() for r in index_rules))
        else:
            pool = set(Unit.objects.filter(province=province, is_active=True, kind__in=[UnitKind.DEPARTMENT, *COMMUNE_KINDS])
                       .values_list("pk", flat=True))
        dossier_rules = [r for r in form_rules if r.kind == RuleKind.NO_LATE_DOSSIERS]
        task_rules = [r for r in form_rules if r.kind == RuleKind.PLAN_TASKS_ON_TIME]
        figures = selectors.dossier_figures(province=province, unit_ids=pool, year=year)
        tasks = selectors.task_figures(unit_ids=pool, year=year) if task_rules else {}
        qualified = {}
        for uid in pool:
            facts = {"index": [], "dossiers": figures.get(uid), "rules": [r.pk for r in form_rules]}
            ok = True
            for r in index_rules:
                row = ranks_cache[r.cycle_id].get(uid)
                if row is None:
                    continue  # the rule does not apply to a unit outside its cycle
                if row["rank"] is None or row["rank"] > r.top_n:
                    ok = False
                    break
                facts["index"].append(row)
            if ok and index_rules and not facts["index"]:
                ok = False
            for r in dossier_rules:
                d = figures.get(uid) or {"settled": 0, "settled_late": 0, "overdue_open": 0}
                if d["settled"] < r.min_settled or d["settled_late"] > 0 or d["overdue_open"] > 0:
                    ok = False
                else:
                    facts["no_late"] = True
            if task_rules:
                t = {**tasks.get(uid, {"due": 0, "done_on_time": 0}), "year": year}
                facts["tasks"] = t
                if t["due"] >= 1 and t["done_on_time"] == t["due"]:
                    facts["tasks_on_time"] = True
                else:
                    ok = False
            if ok:
                qualified[uid] = facts
        result[form] = qualified
    return result


def proposal_compute(*, province: Unit, year: int, actor=None) -> Proposal:
    """Lập (or refresh) the draft list of the year from the rules; the office's edits are kept. 409 once decided."""
    _require_par(actor, province)
    rules = list(CommendationRule.objects.filter(province=province, year=year).select_related("cycle"))
    if not rules:
        raise DomainError(f"year: chưa có tiêu chí khen thưởng năm {year}.", code="no_rules", field="year")
    evaluated = _evaluate(province, year, rules)
    with transaction.atomic():
        proposal, _ = Proposal.objects.select_for_update().get_or_create(province=province, year=year)
        if proposal.status == ProposalStatus.DECIDED:
            raise ConflictError(f"status: danh sách năm {year} đã có quyết định số {proposal.decision_number}; không tính lại.",
                                code="decided", field="status")
        existing = {(c.unit_id, c.form): c for c in proposal.candidates.filter(official_name="", manual=False)}
        seen = set()
        added = updated = 0
        taken: set[int] = set()
        for form in FORM_ORDER:
            for uid, facts in sorted(evaluated.get(form, {}).items()):
                if uid in taken:
                    continue  # already proposed for a higher form
                taken.add(uid)
                key = (uid, form)
                seen.add(key)
                basis = selectors.basis_text(facts)
                if key in existing:
                    c = existing[key]
                    if (c.basis, c.facts) != (basis, facts):
                        c.basis, c.facts = basis, facts
                        c.save(update_fields=["basis", "facts"])
                        updated += 1
                else:
                    Candidate.objects.create(proposal=proposal, unit_id=uid, form=form, basis=basis, facts=facts)
                    added += 1
        dropped = [c for key, c in existing.items() if key not in seen and not c.removed]
        for c in dropped:
            c.delete()
        proposal.computed_at = timezone.now()
        proposal.save(update_fields=["computed_at"])
        audit_record(actor=actor, action="commendations.proposal_computed", obj=proposal,
                     data={"year": year, "rules": [r.pk for r in rules], "added": added, "updated": updated, "dropped": len(dropped)})
    return proposal


def _draft(proposal: Proposal) -> Proposal:
    p = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if p.status != ProposalStatus.DRAFT:
        raise ConflictError(f"status: danh sách đã có quyết định số {p.decision_number}; không sửa được.", code="decided", field="status")
    return p


def candidate_add(*, proposal: Proposal, form: str, reason: str, basis: str = "", unit: Unit | None = None, official_name: str = "",
                  official_position: str = "", actor=None) -> Candidate:
    """Bổ sung một đơn vị hoặc cá nhân (with the reason; basis defaults to the reason)."""
    _require_par(actor, proposal.province)
    reason = _reason(reason)
    if form not in Form.values:
        raise DomainError(f"form: chọn một trong {', '.join(Form.values)}.", code="invalid_choice", field="form")
    official_name = (official_name or "").strip()[:120]
    if (unit is None) == (not official_name):
        raise DomainError("unit: chọn một đơn vị hoặc nhập họ tên một cá nhân (không cả hai).", code="invalid", field="unit")
    if unit is not None and unit.province_id != proposal.province_id:
        raise DomainError("unit: đơn vị không thuộc tỉnh.", code="out_of_scope", field="unit")
    with transaction.atomic():
        p = _draft(proposal)
        if unit is not None and p.candidates.filter(unit=unit, removed=False).exists():
            raise ConflictError("unit: đơn vị đã có trong danh sách.", code="duplicate", field="unit")
        c = Candidate.objects.create(proposal=p, unit=unit, official_name=official_name, official_position=(official_position or "").strip()[:200],
                                     form=form, basis=(basis or "").strip() or reason, manual=True, added_reason=reason)
        audit_record(actor=actor, action="commendations.candidate_added", obj=c, reason=reason,
                     data={"proposal": p.pk, "unit": getattr(unit, "code", None), "official": official_name, "form": form})
    return c


def candidate_remove(*, candidate: Candidate, reason: str, actor=None) -> Candidate:
    """Loại khỏi danh sách (with the reason); the row stays, marked removed, so a recomputation does not bring it back."""
    _require_par(actor, candidate.proposal.province)
    reason = _reason(reason)
    with transaction.atomic():
        _draft(candidate.proposal)
        c = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if c.removed:
            raise ConflictError("status: đối tượng đã bị loại.", code="already_removed", field="status")
        c.removed, c.removed_reason = True, reason
        c.save(update_fields=["removed", "removed_reason"])
        audit_record(actor=actor, action="commendations.candidate_removed", obj=c, reason=reason, from_state="proposed", to_state="removed")
    return c


def proposal_decide(*, proposal: Proposal, decision_number: str, decision_date: dt.date, actor=None) -> Proposal:
    """Ghi quyết định khen thưởng: number and date required, at least one candidate; the list is frozen afterwards."""
    _require_par(actor, proposal.province)
    number = (decision_number or "").strip()
    if not number:
        raise DomainError("decision_number: nhập số quyết định khen thưởng.", code="required", field="decision_number")
    if decision_date is None:
        raise DomainError("decision_date: nhập ngày quyết định.", code="required", field="decision_date")
    if decision_date > timezone.localdate():
        raise DomainError("decision_date: ngày quyết định không được ở tương lai.", code="future_date", field="decision_date")
    if decision_date.year < proposal.year:
        raise DomainError(f"decision_date: quyết định khen thưởng năm {proposal.year} không thể ban hành trước năm đó.", code="invalid",
                          field="decision_date")
    with transaction.atomic():
        p = _draft(proposal)
        if not p.candidates.filter(removed=False).exists():
            raise ConflictError("candidates: danh sách trống; không ghi quyết định.", code="empty", field="candidates")
        p.status, p.decision_number, p.decision_date = ProposalStatus.DECIDED, number[:80], decision_date
        p.decided_by = actor if getattr(actor, "pk", None) else None
        p.save(update_fields=["status", "decision_number", "decision_date", "decided_by"])
        audit_record(actor=actor, action="commendations.proposal_decided", obj=p, from_state=ProposalStatus.DRAFT, to_state=p.status,
                     data={"decision_number": p.decision_number, "decision_date": decision_date,
                           "candidates": p.candidates.filter(removed=False).count()})
    return p


def proposal_get(*, user, pk: int) -> Proposal:
    p = selectors.proposals_visible(user).filter(pk=pk).first()
    if p is None:
        raise NotFoundError("Không tìm thấy danh sách khen thưởng.")
    return p
