"""Demo: the demo province's internal PAR index (Chỉ số CCHC nội bộ).

- 2025: copies of the internal templates (departments, communes), a cycle for all its departments and
  communes/wards — self-assessed (data-driven criteria from imported on-time and online rates), appraised
  twice with some adjustments and explanations, survey components imported, published;
- 2026: a cycle open in self-assessment with a few units started.

Deterministic (seeded), idempotent: an existing cycle of the same name is left alone.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from cchc.units.models import Unit, UnitKind

COMMUNE_GROUP = {UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE}
NAME_2025 = "Chỉ số CCHC nội bộ năm 2025"
NAME_2026 = "Chỉ số CCHC nội bộ năm 2026"


def _office_user(province):
    from cchc.accounts.models import Role, User

    return User.objects.filter(role=Role.PAR_OFFICE, unit__province=province).order_by("pk").first() or \
        User.objects.filter(role=Role.PAR_OFFICE, unit=province).first()


def _units(ctx, province):
    deps = list((ctx.get("departments") or {}).values()) or list(Unit.objects.filter(province=province, kind=UnitKind.DEPARTMENT))
    communes = list(ctx.get("communes") or []) or list(Unit.objects.filter(province=province, kind__in=COMMUNE_GROUP))
    return deps, communes


def _q(x: float) -> Decimal:
    return (Decimal(str(x)) * 4).to_integral_value() / 4  # quarter points, as councils score


def _ensure_copy(template_code, province, office, year):
    from .models import CriteriaSet
    from .services import criteria_set_copy

    code = f"{template_code.replace('-template', '')}-{province.code}-{year}".lower()
    cs = CriteriaSet.objects.filter(code=code).first()
    if cs is None:
        cs = criteria_set_copy(source=CriteriaSet.objects.get(code=template_code), owner=province, year=year, code=code,
                               name=f"Chỉ số CCHC nội bộ {year} — {'sở, ban, ngành' if 'department' in template_code else 'UBND xã, phường'} — {province.name}",
                               actor=office)
    return cs


def _seed_self_assessment(cycle, units, rng, quality):
    """Self-assess every self-assessed leaf of every unit (bulk; one audit event per unit)."""
    from django.utils import timezone

    from cchc.core.audit import audit_record_many

    from .models import Assessment, Criterion, PointSource, ScoringMethod

    leaves = list(Criterion.objects.filter(criteria_set=cycle.criteria_set, is_leaf=True, method=ScoringMethod.SELF_ASSESSED).order_by("position"))
    rows, events, now = [], [], timezone.now()
    for u in units:
        q = quality[u.pk]
        for c in leaves:
            share = 1.0 if rng.random() < q else rng.choice([0.5, 0.75, 0.25, 0.0])
            rows.append(Assessment(cycle=cycle, unit=u, criterion=c, self_points=_q(float(c.max_points) * share), source=PointSource.SELF,
                                   self_explanation="Đã thực hiện đầy đủ" if share == 1.0 else "Thực hiện chưa đầy đủ", self_at=now))
        events.append(dict(actor=None, action="indices.assessment.self_assess_bulk", object_type="indices.assessmentcycle",
                           object_id=f"{cycle.pk}/{u.pk}", data={"leaves": len(leaves), "source": "demo"}))
    Assessment.objects.bulk_create(rows, batch_size=1000)
    audit_record_many(events)


def _run_cycle_2025(cs, organiser, units, office, rng, groups, stdout):
    from . import services
    from .models import Assessment, Criterion, CycleState, ScoringMethod

    quality = {u.pk: rng.uniform(0.55, 0.95) for u in units}
    cycle = services.cycle_open(criteria_set=cs, organiser=organiser, year=2025, units=units, name=f"{NAME_2025} — {cs.get_target_group_display()}",
                                actor=office, groups=groups)
    services.criterion_data_import(cycle=cycle, actor=office, source="demo: hệ thống một cửa điện tử", rows=[
        row for u in units for row in (
            {"unit": u.code, "metric": "on_time_rate", "value": round(min(100.0, 90 + 10 * quality[u.pk] + rng.uniform(-2, 3)), 2)},
            {"unit": u.code, "metric": "online_rate", "value": round(20 + 45 * quality[u.pk] + rng.uniform(-10, 10), 2)},
        )
    ])
    cycle = services.cycle_transition(cycle=cycle, to_state=CycleState.SELF_ASSESSMENT, actor=office)
    _seed_self_assessment(cycle, units, rng, quality)
    survey = list(Criterion.objects.filter(criteria_set=cs, is_leaf=True, method=ScoringMethod.SURVEY))
    services.survey_scores_import(cycle=cycle, actor=office, rows=[
        {"unit": u.code, "code": c.code, "points": str(_q(float(c.max_points) * min(1.0, 0.7 + 0.3 * quality[u.pk] + rng.uniform(-0.05, 0.05))))}
        for u in units for c in survey
    ])
    cycle = services.cycle_transition(cycle=cycle, to_state=CycleState.APPRAISAL_1, actor=office)
    # round 1: the PAR office cuts some over-generous self-scores
    full = list(Assessment.objects.filter(cycle=cycle, source="self", self_points__gt=0).select_related("criterion", "unit").order_by("unit__code", "criterion__position"))
    cut = rng.sample(full, k=min(len(full), max(6, len(units) // 2)))
    reasons = ["Tài liệu kiểm chứng chưa đầy đủ", "Báo cáo gửi chậm so với quy định", "Kế hoạch ban hành sau thời hạn", "Chưa có văn bản chứng minh kết quả"]
    for a in cut:
        services.assessment_appraise(cycle=cycle, unit=a.unit, criterion=a.criterion, points=_q(float(a.self_points) / 2),
                                     reason=rng.choice(reasons), actor=office)
    cycle = services.cycle_transition(cycle=cycle, to_state=CycleState.EXPLANATION, actor=office)
    explained = cut[: max(3, len(cut) // 2)]
    for a in explained:
        services.assessment_explain(cycle=cycle, unit=a.unit, criterion=a.criterion, actor=office,
                                    explanation="Đơn vị bổ sung văn bản số 15/BC ngày 10/12/2025 chứng minh đã hoàn thành đúng hạn.")
    cycle = services.cycle_transition(cycle=cycle, to_state=CycleState.APPRAISAL_2, actor=office)
    for i, a in enumerate(explained):
        restored = a.self_points if i % 2 == 0 else _q(float(a.self_points) * 0.75)
        services.assessment_appraise(cycle=cycle, unit=a.unit, criterion=a.criterion, points=restored, actor=office,
                                     reason="Chấp nhận giải trình" if i % 2 == 0 else "Chấp nhận một phần giải trình")
    cycle = services.cycle_transition(cycle=cycle, to_state=CycleState.PUBLISHED, actor=office, reason="Công bố kết quả tại hội nghị tổng kết")
    return cycle


@transaction.atomic
def build(ctx: dict, *, stdout=None) -> None:
    from . import reference, selectors, services
    from .models import AssessmentCycle, CycleState

    reference.load()
    province = ctx.get("province")
    if province is None:
        return
    office = _office_user(province)
    deps, communes = _units(ctx, province)
    if not deps and not communes:
        return
    rng = random.Random(2025)
    dept_set = _ensure_copy("internal-department-template", province, office, 2025)
    commune_set = _ensure_copy("internal-commune-template", province, office, 2025)
    published = []
    for cs, units in ((dept_set, deps), (commune_set, communes)):
        if not units:
            continue
        existing = AssessmentCycle.objects.filter(organiser=province, year=2025, criteria_set=cs).first()
        if existing is None:
            groups = {u.pk: ("commune" if u.kind in COMMUNE_GROUP else u.kind) for u in units}
            existing = _run_cycle_2025(cs, province, units, office, rng, groups, stdout)
        published.append(existing)
    # 2026: open, in self-assessment, a few units started
    for template, units, prev in (("internal-department-template", deps, published[0] if published else None),
                                  ("internal-commune-template", communes, published[-1] if published else None)):
        if not units:
            continue
        cs26 = _ensure_copy(template, province, office, 2026)
        if AssessmentCycle.objects.filter(organiser=province, year=2026, criteria_set=cs26).exists():
            continue
        groups = {u.pk: ("commune" if u.kind in COMMUNE_GROUP else u.kind) for u in units}
        c26 = services.cycle_open(criteria_set=cs26, organiser=province, year=2026, units=units, actor=office, groups=groups,
                                  name=f"{NAME_2026} — {cs26.get_target_group_display()}", previous=prev)
        c26 = services.cycle_transition(cycle=c26, to_state=CycleState.SELF_ASSESSMENT, actor=office)
        first_leaf = c26.criteria_set.criteria.filter(is_leaf=True, method="self_assessed").order_by("position").first()
        for u in units[:3]:
            services.assessment_self_assess(cycle=c26, unit=u, criterion=first_leaf, points=first_leaf.max_points, actor=office,
                                            explanation="Đã ban hành kế hoạch CCHC năm 2026",
                                            evidence=[{"title": "Kế hoạch CCHC năm 2026", "document_number": "01/KH", "document_date": "2026-01-05"}])
    ctx["index_cycles"] = [c.pk for c in published]
    if stdout is not None and published:
        for cycle in published:
            if cycle.state != CycleState.PUBLISHED:
                continue
            res = selectors.cycle_results(cycle=cycle)
            lost = selectors.lost_points(cycle=cycle)
            stdout.write(f"Chỉ số: {cycle.name} (#{cycle.pk}) — {len(res)} đơn vị, {len(lost)} dòng điểm bị trừ\n")
            for r in lost[:3]:
                stdout.write(f"   −{r['lost']:g} {r['unit']}: {r['code']} {r['title']} ({r['responsible']})\n")
            if len(res) > 3:
                last = res[-1]
                plan = selectors.path_to_target(cycle=cycle, unit=Unit.objects.get(pk=last["unit_id"]), target_rank=max(1, len(res) // 2))
                stdout.write(f"   Lộ trình: {last['unit']} hạng {last['rank']} → hạng {plan['target_rank']}: cần {plan['needed_score']}% "
                             f"(+{plan['gap']}), ưu tiên {', '.join(p['code'] for p in plan['picks'])}\n")
