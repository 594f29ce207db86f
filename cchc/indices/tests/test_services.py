"""The whole assessment cycle through services and selectors (both databases)."""

from datetime import date as dt_date
from decimal import Decimal as D

import pytest

from cchc.core.errors import ConflictError, DomainError, ForbiddenError
from cchc.core.models import AuditEvent
from cchc.indices import selectors, services, workflow
from cchc.indices.models import Criterion, CycleResult, CycleState
from cchc.units.models import UnitKind

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    prov = f.province()
    a = f.unit(parent=prov, name="Sở Alpha", region="Bắc")
    b = f.unit(parent=prov, name="Sở Beta", region="Nam")
    c = f.unit(parent=prov, name="Sở Gamma", region="Nam")
    office = f.par_office(prov)
    cs = services.criteria_set_create(code="test-set", name="Bộ thử", year=2025, target_group="department", rows=f.SMALL_TREE, owner=prov, actor=office)
    return {"prov": prov, "a": a, "b": b, "c": c, "office": office, "cs": cs, "head_a": f.unit_head(a), "head_b": f.unit_head(b)}


def _run_to(cycle, state, actor):
    order = workflow.STATES
    while cycle.state != state:
        cycle = services.cycle_transition(cycle=cycle, to_state=order[order.index(cycle.state) + 1], actor=actor, confirm=True)
    return cycle


def test_criteria_set_computes_parent_maxima_and_total(world):
    cs = world["cs"]
    assert cs.max_total == D(20)
    assert Criterion.objects.get(criteria_set=cs, code="1").max_points == D(10)
    assert list(cs.criteria.filter(is_leaf=True).values_list("code", flat=True)) == ["1.1", "1.2", "2.1", "2.2"]


def test_a_tree_whose_maxima_do_not_add_up_is_refused_naming_the_row(world):
    rows = [{"code": "A", "parent": "", "title": "a", "max_points": "5"}, {"code": "A.1", "parent": "A", "title": "b", "max_points": "4"}]
    with pytest.raises(DomainError) as info:
        services.criteria_set_create(code="bad", name="x", year=2025, target_group="commune", rows=rows, owner=world["prov"], actor=world["office"])
    assert info.value.extra["row"] == 2 and info.value.field == "max_points"


def test_repeated_codes_are_refused_naming_the_row(world):
    rows = [{"code": "A", "parent": "", "title": "a", "max_points": "5"}, {"code": "A", "parent": "", "title": "b", "max_points": "4"}]
    with pytest.raises(DomainError) as info:
        services.criteria_set_create(code="bad", name="x", year=2025, target_group="commune", rows=rows, owner=world["prov"], actor=world["office"])
    assert info.value.extra["row"] == 3


def test_copying_a_template_gives_an_editable_own_set(world):
    from cchc.indices.reference import load

    load()
    from cchc.indices.models import CriteriaSet

    template = CriteriaSet.objects.get(code="internal-commune-template")
    copy = services.criteria_set_copy(source=template, owner=world["prov"], year=2026, actor=world["office"])
    assert copy.copied_from == template and copy.owner == world["prov"]
    assert copy.criteria.count() == template.criteria.count() and copy.max_total == template.max_total
    leaf = copy.criteria.filter(is_leaf=True).order_by("position").first()
    parent_code, parent_max = leaf.parent.code, leaf.parent.max_points
    services.criterion_update(criterion=leaf, max_points=leaf.max_points + 1, actor=world["office"])
    copy.refresh_from_db()
    assert copy.max_total == template.max_total + 1
    assert copy.criteria.get(code=parent_code).max_points == parent_max + 1
    template.refresh_from_db()
    assert template.max_total == D(100)


def test_shipped_reference_sets_have_the_documented_structure():
    from cchc.indices.models import CriteriaSet
    from cchc.indices.reference import load

    load()
    s2948 = CriteriaSet.objects.get(code="par-province-2948")
    fields = list(s2948.criteria.filter(level=0).order_by("position").values_list("max_points", flat=True))
    assert fields == [D("10"), D("10"), D("14.5"), D("11"), D("16"), D("7"), D("16"), D("15.5")]
    assert s2948.max_total == D(100)
    assert s2948.criteria.filter(level=2).count() == 81
    s1150 = CriteriaSet.objects.get(code="par-province-1150")
    assert s1150.criteria.filter(level=0).count() == 8
    assert s1150.criteria.filter(level=1).count() == 43
    assert s1150.criteria.filter(level=2).count() == 95
    assert not s1150.confirmed and not s1150.criteria.filter(level=2, confirmed=True).exists()
    assert load() == {"criteria_sets_created": 0, "criteria_sets_total": 4, "lost_point_defaults_created": 0}


def test_full_cycle_keeps_all_three_scores_and_freezes_on_publish(world):
    w = world
    cycle = services.cycle_open(criteria_set=w["cs"], organiser=w["prov"], year=2025, units=[w["a"], w["b"]], actor=w["office"])
    assert cycle.state == CycleState.DRAFT
    services.criterion_data_import(cycle=cycle, rows=[{"unit": w["a"].code, "metric": "on_time_rate", "value": "99"},
                                                      {"unit": w["b"].name, "metric": "on_time_rate", "value": "49"}], actor=w["office"])
    cycle = services.cycle_transition(cycle=cycle, to_state="self_assessment", actor=w["office"])
    # data-driven leaf filled itself: ≥98% → 6; 49% → 49/98×6 = 3
    pts = {(a.unit_id, a.criterion.code): a.self_points for a in selectors.cycle_assessments(cycle)}
    assert pts[(w["a"].pk, "2.1")] == D(6) and pts[(w["b"].pk, "2.1")] == D(3)

    services.assessment_self_assess(cycle=cycle, unit=w["a"], criterion="1.1", points="4", explanation="Đã ban hành", actor=w["head_a"],
                                    evidence=[{"title": "Kế hoạch CCHC", "document_number": "12/KH-SAL", "document_date": "2025-01-10"}])
    services.assessment_self_assess(cycle=cycle, unit=w["a"], criterion="1.2", points="6", actor=w["head_a"])
    services.assessment_self_assess(cycle=cycle, unit=w["b"], criterion="1.1", points="4", actor=w["head_b"])
    services.assessment_self_assess(cycle=cycle, unit=w["b"], criterion="1.2", points="5", actor=w["head_b"])
    services.survey_scores_import(cycle=cycle, rows=[{"unit": w["a"].code, "code": "2.2", "points": "3.5"},
                                                     {"unit": w["b"].code, "code": "2.2", "points": "4"}], actor=w["office"])
    with pytest.raises(ForbiddenError):
        services.assessment_self_assess(cycle=cycle, unit=w["b"], criterion="1.1", points="1", actor=w["head_a"])
    with pytest.raises(DomainError):
        services.assessment_self_assess(cycle=cycle, unit=w["a"], criterion="1.1", points="4.5", actor=w["head_a"])
    with pytest.raises(DomainError):
        services.assessment_self_assess(cycle=cycle, unit=w["a"], criterion="1", points="1", actor=w["head_a"])
    with pytest.raises(DomainError) as info:
        services.assessment_self_assess(cycle=cycle, unit=w["a"], criterion="2.2", points="1", actor=w["head_a"])
    assert info.value.code == "survey_criterion"
    with pytest.raises(ForbiddenError):
        services.cycle_transition(cycle=cycle, to_state="appraisal_1", actor=w["head_a"])

    cycle = services.cycle_transition(cycle=cycle, to_state="appraisal_1", actor=w["office"])
    with pytest.raises(ConflictError):
        services.assessment_self_assess(cycle=cycle, unit=w["a"], criterion="1.1", points="4", actor=w["head_a"])
    with pytest.raises(DomainError) as info:
        services.assessment_appraise(cycle=cycle, unit=w["a"], criterion="1.2", points="3", actor=w["office"])
    assert info.value.code == "reason_required"
    services.assessment_appraise(cycle=cycle, unit=w["a"], criterion="1.2", points="3", reason="Báo cáo nộp muộn", actor=w["office"])
    services.assessment_appraise(cycle=cycle, unit=w["a"], criterion="1.1", points="4", actor=w["office"])  # accepted as is

    cycle = services.cycle_transition(cycle=cycle, to_state="explanation", actor=w["office"], confirm=True)
    services.assessment_explain(cycle=cycle, unit=w["a"], criterion="1.2", explanation="Báo cáo gửi đúng hạn qua hệ thống", actor=w["head_a"])
    with pytest.raises(ConflictError):
        services.assessment_explain(cycle=cycle, unit=w["a"], criterion="1.2", explanation="lần hai", actor=w["head_a"])

    cycle = services.cycle_transition(cycle=cycle, to_state="appraisal_2", actor=w["office"])
    services.assessment_appraise(cycle=cycle, unit=w["a"], criterion="1.2", points="5", reason="Chấp nhận một phần giải trình", actor=w["office"])

    live = {r["unit"]: r for r in selectors.cycle_results(cycle=cycle)}
    # A: 4 + 5 (2nd round) + 6 + 3.5 = 18.5 / 20 = 92.5 %; B: 4 + 5 + 3 + 4 = 16 → 80 %
    assert live["Sở Alpha"]["total"] == 18.5 and live["Sở Alpha"]["index_pct"] == 92.5 and live["Sở Alpha"]["rank"] == 1
    assert live["Sở Beta"]["total"] == 16.0 and live["Sở Beta"]["rank"] == 2
    assert live["Sở Alpha"]["stage_totals"] == {"self": 19.5, "appraisal_1": 16.5, "appraisal_2": 18.5}
    assert live["Sở Alpha"]["lost"][0]["code"] == "1.2" and live["Sở Alpha"]["lost"][0]["explanation"].startswith("Báo cáo gửi")

    cycle = services.cycle_transition(cycle=cycle, to_state="published", actor=w["office"])
    assert CycleResult.objects.filter(cycle=cycle).count() == 2
    with pytest.raises(ConflictError):
        services.assessment_appraise(cycle=cycle, unit=w["a"], criterion="1.2", points="6", reason="x", actor=w["office"])
    with pytest.raises(ConflictError):
        services.survey_scores_import(cycle=cycle, rows=[], actor=w["office"])
    with pytest.raises(ConflictError):
        services.cycle_transition(cycle=cycle, to_state="appraisal_2", actor=w["office"])
    # a direct edit behind the services' back does not change the published index
    from cchc.indices.models import Assessment

    Assessment.objects.filter(cycle=cycle, unit=w["a"]).update(appraisal2_points=0)
    frozen = {r["unit"]: r for r in selectors.cycle_results(cycle=cycle)}
    assert frozen["Sở Alpha"]["total"] == 18.5
    actions = set(AuditEvent.objects.filter(action__startswith="indices.").values_list("action", flat=True))
    assert {"indices.cycle.open", "indices.cycle.transition", "indices.assessment.self_assess", "indices.assessment.appraise_1",
            "indices.assessment.explain", "indices.assessment.appraise_2"} <= actions


def test_criteria_in_use_cannot_be_edited(world):
    cycle = services.cycle_open(criteria_set=world["cs"], organiser=world["prov"], year=2025, units=[world["a"]], actor=world["office"])
    services.cycle_transition(cycle=cycle, to_state="self_assessment", actor=world["office"])
    leaf = world["cs"].criteria.get(code="1.1")
    with pytest.raises(ConflictError):
        services.criterion_update(criterion=leaf, max_points="5", actor=world["office"])


@pytest.mark.parametrize("frm", workflow.STATES)
@pytest.mark.parametrize("to", workflow.STATES)
def test_state_machine_allows_exactly_the_listed_steps(frm, to):
    expected = workflow.STATES.index(to) == workflow.STATES.index(frm) + 1
    assert workflow.can_transition(frm, to) is expected


def _publish_with_scores(w, units, scores, year, previous=None, extra_units=()):
    cycle = services.cycle_open(criteria_set=w["cs"], organiser=w["prov"], year=year, units=[*units, *extra_units], actor=w["office"], previous=previous)
    cycle = services.cycle_transition(cycle=cycle, to_state="self_assessment", actor=w["office"])
    heads = {}
    for u, pts in zip(units, scores, strict=True):
        for code, p in pts.items():
            if code == "2.2":
                services.survey_scores_import(cycle=cycle, rows=[{"unit": u.code, "code": code, "points": p}], actor=w["office"])
            else:
                services.assessment_self_assess(cycle=cycle, unit=u, criterion=code, points=p, actor=heads.setdefault(u.pk, f.unit_head(u)))
    return _run_to(cycle, "published", w["office"])


def test_year_on_year_follows_units_through_a_merger(world):
    w = world
    x = f.unit(parent=w["prov"], name="Sở Cũ X")
    y = f.unit(parent=w["prov"], name="Sở Cũ Y")
    z = f.unit(parent=w["prov"], name="Sở Mới Z")
    z.predecessors.add(x, y)
    # 2024: X 16/20 = 80 %, Y 18/20 = 90 %, A 17/20 = 85 %
    prev = _publish_with_scores(
        w, [x, y, w["a"]],
        [{"1.1": "4", "1.2": "6", "2.1": "6"}, {"1.1": "4", "1.2": "6", "2.1": "6", "2.2": "2"}, {"1.1": "4", "1.2": "6", "2.1": "6", "2.2": "1"}],
        2024,
    )
    # 2025: Z 19/20 = 95 %, A 15/20 = 75 %
    cur = _publish_with_scores(w, [z, w["a"]], [{"1.1": "4", "1.2": "6", "2.1": "6", "2.2": "3"}, {"1.1": "4", "1.2": "5", "2.1": "6"}], 2025, previous=prev)
    res = {r["unit"]: r for r in selectors.cycle_results(cycle=cur)}
    # Z's previous index = mean(80, 90) = 85; in the 2024 table (Y 90, A 85, X 80) that ranks 2nd (tied with A)
    assert res["Sở Mới Z"]["previous"] == {"index_pct": 85.0, "rank": 2, "rule": "mean_of_predecessors", "from": sorted([x.code, y.code])}
    assert res["Sở Mới Z"]["rank"] == 1 and res["Sở Mới Z"]["change"] == {"index_pct": 10.0, "rank": 1}
    # A was itself assessed: 85 % rank 2 (Y 90 first) → 75 % rank 2
    assert res["Sở Alpha"]["previous"]["rule"] == "same_unit"
    assert res["Sở Alpha"]["previous"]["index_pct"] == 85.0 and res["Sở Alpha"]["previous"]["rank"] == 2
    assert res["Sở Alpha"]["change"] == {"index_pct": -10.0, "rank": 0}


def test_ties_share_the_best_rank_and_groups_rank_separately(world):
    w = world
    commune = f.unit(kind=UnitKind.COMMUNE, parent=w["prov"], name="Xã Một")
    cycle = _publish_with_scores(
        w, [w["a"], w["b"], w["c"], commune],
        [{"1.1": "4"}, {"1.1": "4"}, {"1.1": "2"}, {"1.1": "1"}], 2025,
    )
    res = selectors.cycle_results(cycle=cycle)
    assert [(r["unit"], r["group"], r["rank"]) for r in res] == [
        ("Xã Một", "commune", 1), ("Sở Alpha", "department", 1), ("Sở Beta", "department", 1), ("Sở Gamma", "department", 3),
    ]
    figs = selectors.group_figures(cycle=cycle)
    assert figs["department"]["count"] == 3 and figs["department"]["mean"] == round((20 + 20 + 10) / 3, 2)
    assert figs["department"]["by_region"] == {"Bắc": 20.0, "Nam": 15.0}
    assert figs["department"]["top"][0]["unit"] == "Sở Alpha" and figs["department"]["bottom"][0]["unit"] == "Sở Gamma"


def test_lost_points_are_largest_first_with_unit_in_charge(world):
    w = world
    cycle = _publish_with_scores(w, [w["a"]], [{"1.1": "4", "1.2": "1", "2.1": "5"}], 2025)
    rows = selectors.lost_points(cycle=cycle)
    assert [(r["code"], r["lost"]) for r in rows] == [("1.2", 5.0), ("2.2", 4.0), ("2.1", 1.0)]
    assert rows[0]["responsible"] == "Sở Nội vụ"


def test_path_to_target_uses_peers_and_effort(world):
    w = world
    cycle = _publish_with_scores(w, [w["a"]], [{"1.1": "2", "1.2": "2", "2.1": "6", "2.2": "4"}], 2025)
    # A: 14/20 = 70 %. Lost: 1.1 2 pts (low effort=1) = 10 %, 1.2 4 pts (high=3) = 20 %
    plan = selectors.path_to_target(cycle=cycle, unit=w["a"], target_rank=1, peers=[{"unit": "X", "index_pct": 78}, {"unit": "Y", "index_pct": 60}])
    assert plan["needed_score"] == 78.0 and plan["gap"] == 8.0 and plan["current_rank"] == 2
    assert [p["code"] for p in plan["picks"]] == ["1.1"] and plan["reachable"]
    plan2 = selectors.path_to_target(cycle=cycle, unit=w["a"], target_rank=1, peers=[{"unit": "X", "index_pct": 95}])
    assert [p["code"] for p in plan2["picks"]] == ["1.1", "1.2"] and plan2["recovered"] == 30.0 and plan2["reachable"]


def test_results_are_scoped_to_what_the_user_may_see(world):
    w = world
    cycle = _publish_with_scores(w, [w["a"], w["b"]], [{"1.1": "4"}, {"1.1": "3"}], 2025)
    assert {r["unit"] for r in selectors.cycle_results(cycle=cycle, user=w["head_a"])} == {"Sở Alpha"}
    assert len(selectors.cycle_results(cycle=cycle, user=w["office"])) == 2
    other = f.par_office(f.province("Tỉnh Khác"))
    assert not selectors.cycles_visible(other).filter(pk=cycle.pk).exists()


def _settled_dossiers(unit, province, *, early=0, on_time=0, late=0, open_=0):
    """Real Dossier rows of 2025 at `unit`: settled early (day before due), on time (at due), late, or open."""
    import datetime as dt
    from itertools import count
    from zoneinfo import ZoneInfo

    from cchc.catalog.models import Procedure, ProvinceProcedure
    from cchc.dossiers.models import Dossier

    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    proc, _ = Procedure.objects.get_or_create(code="1.000001", defaults={"name": "Thủ tục thử"})
    pp, _ = ProvinceProcedure.objects.get_or_create(province=province, procedure=proc, level="province",
                                                    defaults={"time_value": 3, "effective_from": dt.date(2020, 1, 1)})
    seq = count(Dossier.objects.count() + 1)
    due = dt.datetime(2025, 3, 5, 9, 0, tzinfo=vn)
    for kind, n in (("early", early), ("on_time", on_time), ("late", late), ("open", open_)):
        for _ in range(n):
            settled = {"early": due - dt.timedelta(days=1), "on_time": due, "late": due + dt.timedelta(seconds=1)}.get(kind)
            Dossier.objects.create(
                code=f"T-{next(seq)}", lookup_token="ABC", status="returned" if settled else "in_process", procedure=proc,
                province_procedure=pp, unit=unit, province=province, channel="counter", applicant_name="A",
                received_at=dt.datetime(2025, 3, 2, 9, 0, tzinfo=vn), due_at=due, due_date=due.date(),
                settled_at=settled, settled_on=settled.date() if settled else None, closed_at=settled,
            )


def test_data_driven_criteria_fill_themselves_from_dossier_statistics(world):
    """The index figure IS the dossier selector's on-time rate (no recomputation); a desk rolls up; imports win."""
    from cchc.dossiers.selectors import dossier_statistics

    w = world
    desk = f.unit(kind=UnitKind.ONE_STOP_DESK, parent=w["b"], name="Một cửa Beta")
    _settled_dossiers(w["a"], w["prov"], early=50, on_time=49, late=1)           # 99 %
    _settled_dossiers(w["b"], w["prov"], early=10, on_time=10, late=20, open_=3)  # with its desk:
    _settled_dossiers(desk, w["prov"], on_time=29, late=31)                        # (20 + 29) / 100 = 49 %
    _settled_dossiers(w["c"], w["prov"], late=5)                                    # imported 100 % wins
    cycle = services.cycle_open(criteria_set=w["cs"], organiser=w["prov"], year=2025, units=[w["a"], w["b"], w["c"]], actor=w["office"])
    services.criterion_data_import(cycle=cycle, rows=[{"unit": w["c"].code, "metric": "on_time_rate", "value": "100"}], actor=w["office"])
    cycle = services.cycle_transition(cycle=cycle, to_state="self_assessment", actor=w["office"])
    pts = {(a.unit_id, a.criterion.code): (a.data_value, a.self_points) for a in selectors.cycle_assessments(cycle)}
    [b_rate] = dossier_statistics(units=[w["b"], desk], date_from=dt_date(2025, 1, 1), date_to=dt_date(2025, 12, 31), group_by=())
    assert b_rate["on_time_rate"] == 49.0
    # A: 99 % ≥ 98 → 6; B with its desk: 49 % → 49/98 × 6 = 3; C: imported 100 % wins over the computed 0 %
    assert pts[(w["a"].pk, "2.1")] == (D("99"), D("6"))
    assert pts[(w["b"].pk, "2.1")] == (D("49"), D("3"))
    assert pts[(w["c"].pk, "2.1")] == (D("100"), D("6"))
