"""Demo: commendation rules for 2025 and the list computed from the demo's published internal index results
and dossiers, with two office edits and the decision recorded. Deterministic, idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction


def build(ctx: dict, *, stdout=None) -> None:
    from cchc.indices.models import AssessmentCycle, CycleState

    from . import services
    from .models import CommendationRule, Form, Proposal, RuleKind

    province = ctx.get("province")
    if province is None or Proposal.objects.filter(province=province, year=2025).exists():
        return
    cycles = list(AssessmentCycle.objects.filter(organiser=province, year=2025, state=CycleState.PUBLISHED, name__contains="nội bộ")
                  .order_by("pk"))
    if not cycles:
        return
    par = (ctx.get("users") or {}).get("noivu")
    with transaction.atomic():
        for cycle in cycles:
            services.rule_create(province=province, year=2025, kind=RuleKind.INDEX_TOP_N, form=Form.PROVINCIAL_MERIT, cycle=cycle, top_n=3,
                                 actor=par)
            services.rule_create(province=province, year=2025, kind=RuleKind.INDEX_TOP_N, form=Form.CERTIFICATE, cycle=cycle, top_n=8,
                                 actor=par)
        services.rule_create(province=province, year=2025, kind=RuleKind.NO_LATE_DOSSIERS, form=Form.CERTIFICATE, min_settled=20, actor=par)
        proposal = services.proposal_compute(province=province, year=2025, actor=par)
        services.candidate_add(proposal=proposal, official_name="Trần Thị Nội Vụ",
                               official_position="Trưởng phòng Cải cách hành chính, Sở Nội vụ", form=Form.CERTIFICATE,
                               reason="Có thành tích xuất sắc tham mưu triển khai Chỉ số CCHC nội bộ và số hóa hồ sơ năm 2025.", actor=par)
        first_cert = proposal.candidates.filter(form=Form.CERTIFICATE, manual=False).order_by("pk").first()
        if first_cert is not None:
            services.candidate_remove(candidate=first_cert, reason="Đơn vị đã được đề nghị khen thưởng theo chuyên đề khác trong năm; tránh trùng lặp.",
                                      actor=par)
        services.proposal_decide(proposal=proposal, decision_number="512/QĐ-UBND", decision_date=dt.date(2026, 3, 16), actor=par)
    if stdout is not None:
        n = proposal.candidates.filter(removed=False).count()
        stdout.write(f"Khen thưởng CCHC 2025: {CommendationRule.objects.filter(province=province, year=2025).count()} tiêu chí, "
                     f"{n} tập thể, cá nhân (Quyết định 512/QĐ-UBND)\n")
