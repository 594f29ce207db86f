"""Reads of inspections: what each role may see, overdue recommendations, figures for the indices and the report.

Visibility (deny by default): the PAR office and province leaders see the province's inspections; a unit's
head sees the inspections of units in their subtree, other staff those of their own unit (scope_q on the
inspected unit). Findings about an official are visible only to the PAR office and the inspected unit's head.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.accounts.permissions import filter_by_scope, in_scope, scope_q

from .models import (
    Finding,
    Inspection,
    InspectionPlan,
    InspectionStatus,
    Recommendation,
    RecommendationStatus,
)

DONE_STATUSES = (InspectionStatus.CONDUCTED, InspectionStatus.CLOSED)


def _staff(user) -> bool:
    return bool(getattr(user, "is_staff_member", False) or getattr(user, "is_system_admin", False))


def plans_visible(user) -> QuerySet[InspectionPlan]:
    if not _staff(user):
        return InspectionPlan.objects.none()
    q = scope_q(user, "province")
    qs = InspectionPlan.objects.select_related("province")
    if q is None:
        return qs
    if user.role in (Role.PAR_OFFICE, Role.PROVINCE_LEADER):
        return qs.filter(q)
    # other staff: plans that inspect a unit they may see
    return qs.filter(pk__in=inspections_visible(user).values("plan_id"))


def inspections_visible(user) -> QuerySet[Inspection]:
    if not _staff(user):
        return Inspection.objects.none()
    qs = Inspection.objects.select_related("plan__province", "unit")
    return filter_by_scope(qs, user, "unit")


def can_see_official_findings(user, inspection: Inspection) -> bool:
    """Phát hiện về cán bộ: the PAR office of the province (and system admins) and the inspected unit's head only."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or getattr(user, "is_system_admin", False):
        return True
    if user.role == Role.PAR_OFFICE:
        return in_scope(user, inspection.plan.province)
    if user.role == Role.UNIT_HEAD:
        return in_scope(user, inspection.unit)
    return False


def findings_visible(user, inspection: Inspection) -> QuerySet[Finding]:
    qs = Finding.objects.filter(inspection=inspection)
    if not can_see_official_findings(user, inspection):
        qs = qs.filter(official_name="")
    return qs


def recommendations_visible(user) -> QuerySet[Recommendation]:
    """Kiến nghị of inspections the user may see, plus those their unit is responsible for."""
    if not _staff(user):
        return Recommendation.objects.none()
    qs = Recommendation.objects.select_related("inspection__unit", "inspection__plan", "responsible_unit")
    q_insp, q_resp = scope_q(user, "inspection__unit"), scope_q(user, "responsible_unit")
    if q_insp is None:
        return qs
    return qs.filter(q_insp | q_resp)


def q_overdue(as_of: dt.date) -> Q:
    """Quá hạn: open and the deadline day already passed (deadline < as_of)."""
    return Q(status=RecommendationStatus.OPEN, deadline__lt=as_of)


def can_see_overdue_list(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or getattr(user, "is_system_admin", False) or user.role in (Role.PAR_OFFICE, Role.UNIT_HEAD)


def overdue_recommendations(*, user, as_of: dt.date | None = None) -> QuerySet[Recommendation]:
    """Danh sách kiến nghị quá hạn for the PAR office (province) and unit heads (units in their subtree)."""
    if not can_see_overdue_list(user):
        return Recommendation.objects.none()
    as_of = as_of or timezone.localdate()
    return recommendations_visible(user).filter(q_overdue(as_of)).order_by("deadline", "pk")


def recommendation_status_label(rec: Recommendation, as_of: dt.date) -> tuple[str, str]:
    """(code, Vietnamese label) with "overdue" derived from the date asked."""
    if rec.is_overdue(as_of):
        return "overdue", "Quá hạn"
    return rec.status, rec.get_status_display()


def _province_inspections(province, start: dt.date, end: dt.date) -> QuerySet[Inspection]:
    return Inspection.objects.filter(plan__province=province, planned_start__lte=end, planned_end__gte=start).exclude(
        status=InspectionStatus.CANCELLED)


def plan_done_rate(*, province, year: int, as_of: dt.date | None = None) -> dict:
    """Tỷ lệ thực hiện kế hoạch kiểm tra: inspections conducted (actual_end ≤ as_of) ÷ inspections planned in the
    year's plan (cancelled ones excluded from both). rate None when nothing was planned."""
    as_of = as_of or timezone.localdate()
    qs = Inspection.objects.filter(plan__province=province, plan__year=year).exclude(status=InspectionStatus.CANCELLED)
    planned = qs.count()
    done = qs.filter(status__in=DONE_STATUSES, actual_end__lte=as_of).count()
    return {"planned": planned, "done": done, "rate": round(done * 100.0 / planned, 2) if planned else None}


def recommendations_followed_up(*, unit_ids, start: dt.date, end: dt.date, as_of: dt.date | None = None) -> dict:
    """Kiến nghị đã thực hiện: of the recommendations due in [start, end] whose responsible unit is one of
    `unit_ids`, those done (on time or late) by as_of; rate None when none were due."""
    as_of = as_of or timezone.localdate()
    qs = Recommendation.objects.filter(responsible_unit_id__in=list(unit_ids), deadline__gte=start, deadline__lte=end)
    due = qs.count()
    done = qs.filter(status__in=[RecommendationStatus.DONE_ON_TIME, RecommendationStatus.DONE_LATE], done_on__lte=as_of).count()
    on_time = qs.filter(status=RecommendationStatus.DONE_ON_TIME, done_on__lte=as_of).count()
    return {"due": due, "done": done, "done_on_time": on_time, "rate": round(done * 100.0 / due, 2) if due else None}


def report_section(province, start: dt.date, end: dt.date) -> dict:
    """Phần "Công tác kiểm tra CCHC" of the conference report for [start, end] (both inclusive).

    Inspections counted by their planned dates overlapping the period; done = conducted with actual_end ≤ end.
    Recommendations counted by the inspections in the period; overdue as of `end`.
    """
    inspections = _province_inspections(province, start, end)
    planned = inspections.count()
    done_qs = inspections.filter(status__in=DONE_STATUSES, actual_end__lte=end)
    done = done_qs.count()
    units = done_qs.values("unit_id").distinct().count()
    findings = Finding.objects.filter(inspection__in=done_qs)
    n_findings = findings.count()
    about_officials = findings.exclude(official_name="").count()
    recs = Recommendation.objects.filter(inspection__in=done_qs)
    agg = recs.aggregate(
        total=Count("pk"),
        done_on_time=Count("pk", filter=Q(status=RecommendationStatus.DONE_ON_TIME, done_on__lte=end)),
        done_late=Count("pk", filter=Q(status=RecommendationStatus.DONE_LATE, done_on__lte=end)),
        carried=Count("pk", filter=Q(status=RecommendationStatus.CARRIED_OVER)),
        overdue=Count("pk", filter=Q(deadline__lt=end) & (Q(status=RecommendationStatus.OPEN) | Q(done_on__gt=end))),
    )
    period = f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"
    figures = [
        {"key": "inspections_planned", "label": "Cuộc kiểm tra theo kế hoạch", "value": planned, "unit": "cuộc",
         "query": f"Cuộc kiểm tra (không tính cuộc đã hủy) của tỉnh có thời gian dự kiến giao với {period}"},
        {"key": "inspections_done", "label": "Cuộc kiểm tra đã thực hiện", "value": done, "unit": "cuộc",
         "query": f"Trong số trên, cuộc đã tiến hành và kết thúc kiểm tra thực tế đến {end:%d/%m/%Y}"},
        {"key": "inspection_done_rate", "label": "Tỷ lệ thực hiện kế hoạch kiểm tra",
         "value": round(done * 100.0 / planned, 1) if planned else None, "unit": "%", "query": "Đã thực hiện ÷ theo kế hoạch × 100"},
        {"key": "units_inspected", "label": "Đơn vị được kiểm tra", "value": units, "unit": "đơn vị",
         "query": "Số đơn vị khác nhau của các cuộc kiểm tra đã thực hiện"},
        {"key": "findings", "label": "Phát hiện (hạn chế, vi phạm)", "value": n_findings, "unit": "phát hiện",
         "query": "Phát hiện ghi trong các cuộc kiểm tra đã thực hiện"},
        {"key": "findings_about_officials", "label": "Phát hiện liên quan cán bộ, công chức", "value": about_officials, "unit": "trường hợp",
         "query": "Phát hiện có ghi tên cán bộ (hành vi và hình thức xử lý); tên không đưa vào báo cáo"},
        {"key": "recommendations", "label": "Kiến nghị", "value": agg["total"], "unit": "kiến nghị",
         "query": "Kiến nghị của các cuộc kiểm tra đã thực hiện"},
        {"key": "recommendations_done_on_time", "label": "Kiến nghị hoàn thành đúng hạn", "value": agg["done_on_time"], "unit": "kiến nghị",
         "query": f"Hoàn thành vào hoặc trước ngày hạn, đến {end:%d/%m/%Y}"},
        {"key": "recommendations_done_late", "label": "Kiến nghị hoàn thành trễ hạn", "value": agg["done_late"], "unit": "kiến nghị",
         "query": f"Hoàn thành sau ngày hạn, đến {end:%d/%m/%Y}"},
        {"key": "recommendations_overdue", "label": "Kiến nghị quá hạn chưa hoàn thành", "value": agg["overdue"], "unit": "kiến nghị",
         "query": f"Hạn trước {end:%d/%m/%Y} và chưa hoàn thành tại ngày đó"},
    ]
    rows = []
    for insp in done_qs.select_related("unit").annotate(
        n_find=Count("findings", distinct=True), n_rec=Count("recommendations", distinct=True),
        n_done=Count("recommendations", filter=Q(recommendations__status__in=[RecommendationStatus.DONE_ON_TIME, RecommendationStatus.DONE_LATE],
                                                 recommendations__done_on__lte=end), distinct=True),
    ).order_by("actual_start", "pk"):
        rows.append([insp.unit.name, f"{insp.actual_start:%d/%m/%Y}" if insp.actual_start else "", insp.n_find, insp.n_rec, insp.n_done])
    return {
        "title": "Công tác kiểm tra cải cách hành chính",
        "figures": figures,
        "tables": [{"title": "Kết quả kiểm tra theo đơn vị", "columns": ["Đơn vị được kiểm tra", "Ngày kiểm tra", "Phát hiện", "Kiến nghị",
                                                                        "Kiến nghị đã hoàn thành"], "rows": rows}],
    }


def metric_plan_done_rate(cycle, unit_ids) -> dict[int, float | None]:
    """Index metric `inspection_plan_done_rate` (province level): for each participating province, the share of its
    year's planned inspections conducted by 31/12 of the cycle's year. Other units get no figure."""
    from cchc.units.models import Unit, UnitKind

    out = {}
    year_end = dt.date(cycle.year, 12, 31)
    for unit in Unit.objects.filter(pk__in=list(unit_ids), kind=UnitKind.PROVINCE):
        rate = plan_done_rate(province=unit, year=cycle.year, as_of=year_end)["rate"]
        if rate is not None:
            out[unit.pk] = rate
    return out


def metric_recommendations_followed_up_rate(cycle, unit_ids) -> dict[int, float | None]:
    """Index metric `recommendations_followed_up_rate` per unit: recommendations addressed to the unit (or a unit
    below it) with a deadline in the cycle's year, done by 31/12 ÷ all of them. No recommendation due → no figure."""
    from cchc.accounts.permissions import descendant_ids

    start, end = dt.date(cycle.year, 1, 1), dt.date(cycle.year, 12, 31)
    out = {}
    for unit_id in unit_ids:
        rate = recommendations_followed_up(unit_ids=descendant_ids([unit_id]), start=start, end=end, as_of=end)["rate"]
        if rate is not None:
            out[unit_id] = rate
    return out
