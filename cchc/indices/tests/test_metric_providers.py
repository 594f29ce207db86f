"""Metric providers of higher apps fill data-driven criteria like the dossier metrics (both databases)."""

from decimal import Decimal as D

import pytest
from django.db import DatabaseError

from cchc.core.models import AuditEvent
from cchc.indices import metrics, selectors, services
from cchc.indices.models import CriterionDatum

from . import factories as f

pytestmark = pytest.mark.django_db

TREE = [
    {"code": "1", "parent": "", "title": "Chỉ đạo điều hành", "max_points": ""},
    {"code": "1.1", "parent": "1", "title": "Hoàn thành kế hoạch CCHC", "max_points": "4", "method": "data_threshold",
     "rule": {"type": "threshold_linear", "target": 100, "metric": "test_plan_rate"}},
    {"code": "1.2", "parent": "1", "title": "Báo cáo", "max_points": "6"},
]


@pytest.fixture
def world():
    prov = f.province()
    a, b, c = (f.unit(parent=prov, name=n) for n in ("Sở Alpha", "Sở Beta", "Sở Gamma"))
    office = f.par_office(prov)
    cs = services.criteria_set_create(code="mp-set", name="Bộ thử", year=2026, target_group="department", rows=TREE, owner=prov, actor=office)
    cycle = services.cycle_open(criteria_set=cs, organiser=prov, year=2026, units=[a, b, c], actor=office)
    yield {"prov": prov, "a": a, "b": b, "c": c, "office": office, "cycle": cycle}
    metrics.unregister("test_plan_rate")


def test_a_provider_fills_its_metric_imported_figures_win_and_no_value_gives_no_datum(world):
    w = world
    calls = []

    def provide(cycle, unit_ids):
        calls.append((cycle.year, sorted(unit_ids)))
        return {w["a"].pk: 100, w["b"].pk: D("50"), w["c"].pk: 0}

    metrics.register("test_plan_rate", "tỷ lệ nhiệm vụ hoàn thành đúng hạn", provide)
    services.criterion_data_import(cycle=w["cycle"], rows=[{"unit": w["c"].code, "metric": "test_plan_rate", "value": "75"}], actor=w["office"])
    cycle = services.cycle_transition(cycle=w["cycle"], to_state="self_assessment", actor=w["office"])
    assert calls == [(2026, sorted([w["a"].pk, w["b"].pk, w["c"].pk]))]
    data = {d.unit_id: (d.value, d.source) for d in CriterionDatum.objects.filter(cycle=cycle)}
    assert data[w["a"].pk] == (D("100"), "provider:" + __name__)
    assert data[w["b"].pk][0] == D("50")
    assert data[w["c"].pk] == (D("75"), "import")  # imported wins over the provided 0
    pts = {a.unit_id: (a.self_points, a.self_explanation) for a in selectors.cycle_assessments(cycle) if a.criterion.code == "1.1"}
    assert pts[w["a"].pk][0] == D("4") and pts[w["b"].pk][0] == D("2")
    assert pts[w["a"].pk][1] == "Tính tự động từ số liệu: tỷ lệ nhiệm vụ hoàn thành đúng hạn 100 %"
    row = AuditEvent.objects.filter(action__contains="transition").order_by("-pk").first()
    assert row.data["metric_providers"] == {"test_plan_rate": "filled 2"}


def test_a_unit_without_a_value_gets_no_datum(world):
    w = world
    metrics.register("test_plan_rate", "tỷ lệ", lambda cycle, ids: {w["a"].pk: 90, w["b"].pk: None})
    cycle = services.cycle_transition(cycle=w["cycle"], to_state="self_assessment", actor=w["office"])
    assert set(CriterionDatum.objects.filter(cycle=cycle).values_list("unit_id", flat=True)) == {w["a"].pk}


def test_a_provider_database_error_is_recorded_and_the_transition_goes_on(world):
    w = world

    def broken(cycle, unit_ids):
        from cchc.units.models import Unit

        list(Unit.objects.raw("SELECT * FROM no_such_table_here"))
        raise DatabaseError("unreachable")

    metrics.register("test_plan_rate", "tỷ lệ", broken)
    cycle = services.cycle_transition(cycle=w["cycle"], to_state="self_assessment", actor=w["office"])
    assert cycle.state == "self_assessment"
    assert not CriterionDatum.objects.filter(cycle=cycle).exists()
    row = AuditEvent.objects.filter(action__contains="transition").order_by("-pk").first()
    assert row.data["metric_providers"]["test_plan_rate"].startswith("unavailable: ")


def test_an_unused_metric_is_not_asked(world):
    w = world
    metrics.register("unused_metric_x", "x", lambda cycle, ids: 1 / 0)
    try:
        cycle = services.cycle_transition(cycle=w["cycle"], to_state="self_assessment", actor=w["office"])
        assert cycle.state == "self_assessment"
    finally:
        metrics.unregister("unused_metric_x")


def test_a_provider_bug_rolls_the_transition_back(world):
    w = world
    metrics.register("test_plan_rate", "x", lambda cycle, ids: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.cycle_transition(cycle=w["cycle"], to_state="self_assessment", actor=w["office"])
    w["cycle"].refresh_from_db()
    assert w["cycle"].state == "draft"


def test_register_refuses_bad_input():
    with pytest.raises(ValueError):
        metrics.register("", "x", lambda c, i: {})
    with pytest.raises(ValueError):
        metrics.register("on_time_rate", "x", lambda c, i: {})
    with pytest.raises(ValueError):
        metrics.register("m", "x", None)
