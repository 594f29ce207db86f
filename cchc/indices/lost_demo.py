"""Demo: the demo province's national PAR INDEX cycle (Chỉ số CCHC cấp tỉnh năm 2025, ILLUSTRATIVE figures — the
Ministry has not published the 2025 results of the new province in any stored source) and the explanation of
its lost points by the departments in charge.

The province is the assessed unit of a cycle against the shipped 1150/QĐ-BNV structure (maxima UNCONFIRMED):
its PAR office enters the self-assessment, the Ministry's appraisal (round 1, and round 2 after the
province's explanation) and the survey scores, then publishes. The PAR office assigns every lost
sub-criterion by the default mapping (field → department), then adjusts one by hand; some departments
have explained, some explanations were accepted, one was sent back for more, some are overdue.
Deterministic and idempotent (an existing cycle of the same name is left alone).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

NAME = "Chỉ số CCHC cấp tỉnh năm 2025 (Bộ Nội vụ thẩm định) — số liệu minh họa"
# sub-criteria the Ministry cut in round 1, per field (share of the maximum kept); round 2 restores two of them
CUTS = {"1": 2, "2": 4, "3": 3, "4": 1, "5": 2, "6": 2, "7": 3}

CAUSES = {
    "noi_vu": ("Báo cáo CCHC quý gửi chậm so với thời hạn của Bộ Nội vụ; kế hoạch kiểm tra CCHC chưa thực hiện đủ số đơn vị.",
               "Giao Phòng CCHC theo dõi lịch báo cáo trên hệ thống; kiểm tra đủ 100% đơn vị theo kế hoạch năm 2026, báo cáo UBND tỉnh hằng quý."),
    "tu_phap": ("Một số văn bản quy phạm pháp luật ban hành chậm so với chương trình; tự kiểm tra văn bản chưa đúng hạn.",
                "Rà soát chương trình xây dựng văn bản từ quý I; theo dõi tiến độ từng văn bản hằng tháng; phân công lãnh đạo sở chịu trách nhiệm."),
    "van_phong_ubnd": ("Công bố, công khai một số thủ tục hành chính sau thời hạn; tỷ lệ số hóa hồ sơ chưa đạt chỉ tiêu.",
                       "Ban hành quyết định công bố TTHC trong 5 ngày làm việc kể từ khi văn bản của bộ có hiệu lực; giao chỉ tiêu số hóa theo tháng."),
    "tai_chinh": ("Giải ngân vốn đầu tư công chưa đạt kế hoạch; công khai dự toán của một số đơn vị chậm.",
                  "Lập tổ công tác đôn đốc giải ngân; nhắc công khai ngân sách trước thời hạn 15 ngày."),
    "khoa_hoc_cong_nghe": ("Tỷ lệ dịch vụ công trực tuyến toàn trình phát sinh hồ sơ còn thấp; kết nối một số cơ sở dữ liệu chưa hoàn thành.",
                           "Rà soát, đề xuất cắt giảm dịch vụ không phát sinh hồ sơ; hoàn thành kết nối cơ sở dữ liệu dân cư trong quý II."),
}


def _department_key(unit) -> str:
    from .lost_selectors import KIND_PATTERNS

    name = unit.name_folded
    for kind, patterns in KIND_PATTERNS.items():
        if any(name.startswith(p) for p in patterns):
            return str(kind)
    return ""


def _q(x: float) -> Decimal:
    return (Decimal(str(x)) * 4).to_integral_value() / 4


def build(province, office, *, stdout=None):
    """Create the national cycle of `province` with its explained lost points (see the module docstring)."""
    from cchc.accounts.models import Role, User

    from . import lost_services, services
    from .models import (
        AssessmentCycle,
        CriteriaSet,
        Criterion,
        CycleState,
        LostPointAssignment,
        ScoringMethod,
    )

    cs = CriteriaSet.objects.filter(code="par-province-1150").first()
    if cs is None or AssessmentCycle.objects.filter(organiser=province, name=NAME).exists():
        return None
    rng = random.Random(1150)
    leaves = list(Criterion.objects.filter(criteria_set=cs, is_leaf=True).order_by("position"))
    cycle = services.cycle_open(criteria_set=cs, organiser=province, year=2025, units=[province], actor=office, name=NAME)
    cycle = services.cycle_transition(cycle=cycle, to_state=CycleState.SELF_ASSESSMENT, actor=office)
    own = [c for c in leaves if c.method == ScoringMethod.SELF_ASSESSED]
    for c in own:  # the province claims full marks nearly everywhere
        pts = c.max_points if rng.random() < 0.93 else _q(float(c.max_points) * 0.75)
        services.assessment_self_assess(cycle=cycle, unit=province, criterion=c, points=pts, actor=office,
                                        explanation="Đã thực hiện theo kế hoạch CCHC năm 2025 của tỉnh")
    survey = [c for c in leaves if c.method == ScoringMethod.SURVEY]
    services.survey_scores_import(cycle=cycle, actor=office, rows=[
        {"unit": province.code, "code": c.code, "points": str(_q(float(c.max_points) * rng.uniform(0.82, 0.97)))} for c in survey])
    cycle = services.cycle_transition(cycle=cycle, to_state=CycleState.APPRAISAL_1, actor=office, confirm=True)
    by_field: dict[str, list] = {}
    for c in own:
        by_field.setdefault(c.code.split(".")[0], []).append(c)
    cut = []
    for field, n in CUTS.items():
        cut += rng.sample(by_field.get(field, []), k=min(n, len(by_field.get(field, []))))
    for c in cut:
        share = rng.choice([0.5, 0.75, 0.25, 0.0])
        services.assessment_appraise(cycle=cycle, unit=province, criterion=c, points=_q(float(c.max_points) * share), actor=office,
                                     reason="Bộ Nội vụ thẩm định: tài liệu kiểm chứng chưa chứng minh đủ kết quả")
    cycle = services.cycle_transition(cycle=cycle, to_state=CycleState.EXPLANATION, actor=office, confirm=True)
    cycle = services.cycle_transition(cycle=cycle, to_state=CycleState.APPRAISAL_2, actor=office, confirm=True)
    for c in cut[:2]:  # the province's explanation to the Ministry restored part of two scores
        services.assessment_appraise(cycle=cycle, unit=province, criterion=c, points=_q(float(c.max_points) * 0.75), actor=office,
                                     reason="Bộ Nội vụ chấp nhận một phần giải trình của tỉnh")
    cycle = services.cycle_transition(cycle=cycle, to_state=CycleState.PUBLISHED, actor=office, confirm=True,
                                      reason="Nhập kết quả Chỉ số CCHC năm 2025 do Bộ Nội vụ công bố (minh họa)")

    # the PAR office assigns by default (deadline in three weeks), then adjusts one row by hand
    today = timezone.localdate()
    out = lost_services.lost_points_assign_default(cycle=cycle, deadline=today + dt.timedelta(days=21), actor=office, today=today)
    assignments = list(LostPointAssignment.objects.filter(cycle=cycle).select_related("department", "criterion").order_by("criterion__position"))
    people = {}
    for a in assignments:
        if a.department_id not in people:
            people[a.department_id] = (User.objects.filter(unit=a.department, is_active=True, role=Role.UNIT_HEAD).order_by("pk").first()
                                       or (office if office.unit_id == a.department_id else None))
    seen: dict[int, int] = {}
    counts = {"accepted": 0, "explained": 0, "more_requested": 0, "overdue": 0, "assigned": 0}
    for a in assignments:
        i = seen.get(a.department_id, 0)
        seen[a.department_id] = i + 1
        scenario = ("accepted", "explained", "assigned", "more_requested", "overdue", "explained")[i % 6]
        who = people[a.department_id]
        cause, remedy = CAUSES.get(_department_key(a.department), CAUSES["noi_vu"])
        if scenario == "overdue":  # assigned earlier with a deadline that has passed, nothing explained yet
            lost_services.lost_point_assign(cycle=cycle, criterion=a.criterion, department=a.department, deadline=today - dt.timedelta(days=6),
                                            cooperating=list(a.cooperating.all()), actor=None, today=today)
        elif scenario != "assigned":
            lost_services.lost_point_explain(assignment=a, cause=f"{a.criterion.code}: {cause}", remedy=remedy, actor=who, today=today)
            if scenario == "accepted":
                lost_services.lost_point_review(assignment=a, decision="accept", note="Đồng ý nguyên nhân và giải pháp; theo dõi kết quả quý II.",
                                                actor=office, today=today)
            elif scenario == "more_requested":
                lost_services.lost_point_review(assignment=a, decision="request_more", actor=office, today=today,
                                                note="Nêu rõ số văn bản, thời gian chậm và người chịu trách nhiệm; bổ sung lộ trình theo quý.")
        counts[scenario] += 1
    if stdout is not None:
        stdout.write(f"Chỉ số CCHC cấp tỉnh 2025 (minh họa, #{cycle.pk}): {out['assigned']} tiêu chí bị trừ điểm giao cho cơ quan chủ trì — "
                     f"{counts['accepted']} đã chấp nhận, {counts['explained']} đã giải trình, {counts['more_requested']} yêu cầu bổ sung, "
                     f"{counts['overdue']} quá hạn, {counts['assigned']} đang chờ\n")
    return cycle
