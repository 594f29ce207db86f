"""Demo: the demo province's internal PAR index (Chỉ số CCHC nội bộ).

- 2025 (the first year of the new province, units from 1/7/2025): copies of the internal templates
  (departments, communes), a cycle for all its departments and communes/wards — self-assessed, appraised
  twice with some adjustments and explanations, survey components imported, published;
- 2026 (the year to date): departments self-assessed and in appraisal round 1 (some cuts made), communes in
  self-assessment with most units finished — so year-on-year tables and ranks have a previous year.

Data-driven criteria (on-time rate, online share) come from the generated dossiers through the dossier
selectors (`dossier_statistics`, the one definition): a commune's figure over the dossiers received at its
desk, a department's over the dossiers it handles. A unit's self-assessment quality follows its on-time rate
(a unit late with dossiers is also weaker elsewhere), so the ranks agree with the dashboards.

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


def _head(unit):
    from cchc.accounts.models import Role, User

    return User.objects.filter(role=Role.UNIT_HEAD, unit=unit, is_active=True).order_by("pk").first()


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


def dossier_figures(units, year: int) -> dict:
    """{unit pk: {"on_time_rate": %, "online_rate": %}} for `year` (to today) from the dossier selectors.

    One grouped `dossier_statistics` call: dossiers received at a commune's one-stop desk count for the
    commune, the others for their handling unit (the department). Rates are the selector's own
    (`on_time_rate`, `online_share`); units without settled or new dossiers get no figure.
    """
    import datetime as dt

    from django.db.models import Case, F, When
    from django.utils import timezone

    from cchc.dossiers.selectors import dossier_statistics

    today = timezone.localdate()
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    if end < start:
        return {}
    owner = Case(When(unit__kind=UnitKind.ONE_STOP_DESK, then=F("unit__parent_id")), default=F("handling_unit_id"))
    wanted = {u.pk for u in units}
    out: dict = {}
    for row in dossier_statistics(units=None, date_from=start, date_to=end, group_by=(), extra_groups={"owner": owner}):
        if row["owner"] not in wanted:
            continue
        figures = {}
        if row["on_time_rate"] is not None:
            figures["on_time_rate"] = row["on_time_rate"]
        if row["online_share"] is not None:
            figures["online_rate"] = row["online_share"]
        out[row["owner"]] = figures
    return out


def _quality(units, figures, rng) -> dict:
    """Self-assessment quality per unit (share of criteria done fully): random, lower for a unit late with dossiers."""
    quality = {}
    for u in units:
        q = rng.uniform(0.6, 0.95)
        on_time = (figures.get(u.pk) or {}).get("on_time_rate")
        if on_time is not None and on_time < 99:
            q -= min(0.3, (99 - float(on_time)) * 0.06)
        quality[u.pk] = max(0.3, q)
    return quality


def _import_figures(cycle, units, figures, office) -> None:
    from . import services

    rows = [{"unit": u.code, "metric": metric, "value": value}
            for u in units for metric, value in sorted((figures.get(u.pk) or {}).items())]
    if rows:
        services.criterion_data_import(cycle=cycle, actor=office, source="dossier_statistics (hệ thống một cửa điện tử)", rows=rows)


def _import_survey(cycle, units, office, rng, quality) -> None:
    """Survey components (điểm điều tra xã hội học) of every unit, better for better units."""
    from . import services
    from .models import Criterion, ScoringMethod

    survey = list(Criterion.objects.filter(criteria_set_id=cycle.criteria_set_id, is_leaf=True, method=ScoringMethod.SURVEY))
    if survey:
        services.survey_scores_import(cycle=cycle, actor=office, rows=[
            {"unit": u.code, "code": c.code, "points": str(_q(float(c.max_points) * min(1.0, 0.7 + 0.3 * quality[u.pk] + rng.uniform(-0.05, 0.05))))}
            for u in units for c in survey
        ])


def _run_cycle_2025(cs, organiser, units, office, rng, groups, stdout):
    from . import services
    from .models import Assessment, CycleState

    figures = dossier_figures(units, 2025)
    quality = _quality(units, figures, rng)
    cycle = services.cycle_open(criteria_set=cs, organiser=organiser, year=2025, units=units, name=f"{NAME_2025} — {cs.get_target_group_display()}",
                                actor=office, groups=groups)
    _import_figures(cycle, units, figures, office)
    cycle = services.cycle_transition(cycle=cycle, to_state=CycleState.SELF_ASSESSMENT, actor=office)
    _seed_self_assessment(cycle, units, rng, quality)
    _import_survey(cycle, units, office, rng, quality)
    cycle = services.cycle_transition(cycle=cycle, to_state=CycleState.APPRAISAL_1, actor=office)
    # round 1: the PAR office cuts some over-generous self-scores
    full = list(Assessment.objects.filter(cycle=cycle, source="self", self_points__gt=0).select_related("criterion", "unit").order_by("unit__code", "criterion__position"))
    cut = rng.sample(full, k=min(len(full), max(6, len(units) // 2)))
    reasons = ["Tài liệu kiểm chứng chưa đầy đủ", "Báo cáo gửi chậm so với quy định", "Kế hoạch ban hành sau thời hạn", "Chưa có văn bản chứng minh kết quả"]
    for a in cut:
        services.assessment_appraise(cycle=cycle, unit=a.unit, criterion=a.criterion, points=_q(float(a.self_points) / 2),
                                     reason=rng.choice(reasons), actor=office)
    # round 1 only touched the cut scores: the office confirms moving on with the others accepted as they are
    cycle = services.cycle_transition(cycle=cycle, to_state=CycleState.EXPLANATION, actor=office, confirm=True)
    explained = cut[: max(3, len(cut) // 2)]
    for a in explained:  # only the assessed unit explains (its head; the system when the demo has none)
        services.assessment_explain(cycle=cycle, unit=a.unit, criterion=a.criterion, actor=_head(a.unit),
                                    explanation="Đơn vị bổ sung văn bản số 15/BC ngày 10/12/2025 chứng minh đã hoàn thành đúng hạn.")
    cycle = services.cycle_transition(cycle=cycle, to_state=CycleState.APPRAISAL_2, actor=office, confirm=True)
    for i, a in enumerate(explained):
        restored = a.self_points if i % 2 == 0 else _q(float(a.self_points) * 0.75)
        services.assessment_appraise(cycle=cycle, unit=a.unit, criterion=a.criterion, points=restored, actor=office,
                                     reason="Chấp nhận giải trình" if i % 2 == 0 else "Chấp nhận một phần giải trình")
    cycle = services.cycle_transition(cycle=cycle, to_state=CycleState.PUBLISHED, actor=office, reason="Công bố kết quả tại hội nghị tổng kết")
    return cycle


def _run_cycle_2026(cs, organiser, units, office, rng, prev, *, to_appraisal: bool):
    from . import services
    from .models import Assessment, CycleState

    figures = dossier_figures(units, 2026)
    quality = _quality(units, figures, rng)
    groups = {u.pk: ("commune" if u.kind in COMMUNE_GROUP else u.kind) for u in units}
    cycle = services.cycle_open(criteria_set=cs, organiser=organiser, year=2026, units=units, actor=office, groups=groups,
                                name=f"{NAME_2026} — {cs.get_target_group_display()}", previous=prev)
    _import_figures(cycle, units, figures, office)
    cycle = services.cycle_transition(cycle=cycle, to_state=CycleState.SELF_ASSESSMENT, actor=office)
    # most units have finished their self-assessment by December; a few communes are still at it
    done = units if to_appraisal else [u for u in units if rng.random() < 0.85]
    _seed_self_assessment(cycle, done, rng, quality)
    _import_survey(cycle, units, office, rng, quality)  # the province's survey of 2026 (mid-year), as for 2025
    if not to_appraisal:
        return cycle
    cycle = services.cycle_transition(cycle=cycle, to_state=CycleState.APPRAISAL_1, actor=office)
    full = list(Assessment.objects.filter(cycle=cycle, source="self", self_points__gt=0).select_related("criterion", "unit")
                .order_by("unit__code", "criterion__position"))
    reasons = ["Tài liệu kiểm chứng chưa đầy đủ", "Kế hoạch ban hành sau thời hạn", "Chưa có văn bản chứng minh kết quả"]
    for a in rng.sample(full, k=min(len(full), max(3, len(units) // 3))):
        services.assessment_appraise(cycle=cycle, unit=a.unit, criterion=a.criterion, points=_q(float(a.self_points) / 2),
                                     reason=rng.choice(reasons), actor=office)
    return cycle


@transaction.atomic
def build(ctx: dict, *, stdout=None) -> None:
    from . import reference, selectors
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
    # 2026 (year to date): departments self-assessed and in appraisal round 1, communes mostly self-assessed
    for template, units, prev in (("internal-department-template", deps, published[0] if published else None),
                                  ("internal-commune-template", communes, published[-1] if published else None)):
        if not units:
            continue
        cs26 = _ensure_copy(template, province, office, 2026)
        if AssessmentCycle.objects.filter(organiser=province, year=2026, criteria_set=cs26).exists():
            continue
        _run_cycle_2026(cs26, province, units, office, rng, prev, to_appraisal=template == "internal-department-template")
    # the province's own national PAR INDEX (illustrative) and the departments' explanations of its lost points
    from . import lost_demo

    national = lost_demo.build(province, office, stdout=stdout)
    if national is not None:
        ctx["national_index_cycle"] = national.pk
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
