"""Indicator sets are data: shipped maxima add up per group, a revision is a new version, figures are audited."""

import json
from decimal import Decimal

import pytest

from cchc.core.audit import audit_verify
from cchc.core.errors import DomainError, ForbiddenError
from cchc.core.models import AuditEvent
from cchc.serviceindex import reference
from cchc.serviceindex.models import EnteredFigure, Indicator, IndicatorSet
from cchc.serviceindex.services import figure_enter, indicator_set_revise

pytestmark = pytest.mark.django_db
GROUP_MAX = {"CKMB": 18, "TDGQ": 20, "CLGQ": 12, "TTTT": 10, "MDHL": 18, "MDSH": 22}


def test_shipped_set_has_the_confirmed_group_maxima_and_indicator_maxima_adding_up(indicator_set):
    groups = {g.code: g for g in indicator_set.groups.all()}
    assert {c: int(g.max_points) for c, g in groups.items()} == GROUP_MAX
    for g in groups.values():
        assert sum(i.max_points for i in g.indicators.all()) == g.max_points
    assert not indicator_set.confirmed and not Indicator.objects.filter(max_confirmed=True).exists()
    assert sum(GROUP_MAX.values()) == 100


def test_loading_twice_creates_nothing(indicator_set):
    assert reference.load() == {"indicator_sets_created": 0}
    assert IndicatorSet.objects.count() == 1


def test_a_revision_is_a_new_version_and_the_old_one_is_untouched(world, indicator_set):
    before = {i.code: i.max_points for i in Indicator.objects.filter(group__indicator_set=indicator_set)}
    v2 = indicator_set_revise(base=indicator_set, changes={"1.1": {"max": 6}, "1.2": {"max": 3}}, actor=world["admin"])
    assert (v2.version, v2.copied_from_id) == (2, indicator_set.pk)
    assert {i.code: i.max_points for i in Indicator.objects.filter(group__indicator_set=indicator_set)} == before
    assert Indicator.objects.get(group__indicator_set=v2, code="1.1").max_points == Decimal("6")
    assert AuditEvent.objects.filter(action="serviceindex.set_create", object_id=str(v2.pk)).exists()


def test_a_revision_whose_group_no_longer_adds_up_is_refused_and_writes_nothing(world, indicator_set):
    with pytest.raises(DomainError) as exc:
        indicator_set_revise(base=indicator_set, changes={"1.1": {"max": 6}}, actor=world["admin"])
    assert exc.value.code == "group_sum_mismatch"
    assert IndicatorSet.objects.count() == 1


@pytest.mark.parametrize("change, code", [
    ({"3.1": {"target": 0}}, "invalid_target"),
    ({"3.1": {"target": "100.01"}}, "invalid_target"),
    ({"3.1": {"rule": "quadratic"}}, "invalid_rule"),
    ({"9.9": {"max": 1}}, "unknown_indicator"),
    ({"3.1": {"name": "x"}}, "invalid_change"),
])
def test_bad_revisions_are_refused(world, indicator_set, change, code):
    with pytest.raises(DomainError) as exc:
        indicator_set_revise(base=indicator_set, changes=change, actor=world["admin"])
    assert exc.value.code == code


def test_a_target_of_exactly_100_is_allowed(world, indicator_set):
    v2 = indicator_set_revise(base=indicator_set, changes={"3.1": {"target": 100}}, actor=world["admin"])
    assert Indicator.objects.get(group__indicator_set=v2, code="3.1").target == 100


def test_only_the_par_office_revises_or_enters(world, indicator_set):
    with pytest.raises(ForbiddenError):
        indicator_set_revise(base=indicator_set, changes={}, actor=world["head"])
    with pytest.raises(ForbiddenError):
        figure_enter(actor=world["leader"], province=world["province"], period="2026-03", indicator_code="1.1", numerator=1, denominator=2)


def test_entering_a_figure_twice_updates_it_and_audits_before_and_after(world, indicator_set):
    figure_enter(actor=world["admin"], province=world["province"], period="2026-03", indicator_code="5.2", numerator=8, denominator=10)
    figure_enter(actor=world["admin"], province=world["province"], period="2026-03", indicator_code="5.2", numerator=9, denominator=10)
    fig = EnteredFigure.objects.get()
    assert (fig.numerator, fig.denominator) == (9, 10)
    last = AuditEvent.objects.filter(action="serviceindex.figure_enter").order_by("-id").first()
    assert last.data["before"] == {"numerator": "8.00", "denominator": "10.00"} and last.data["after"]["numerator"] == "9"
    assert audit_verify().ok


@pytest.mark.parametrize("num, den, field", [(-1, 10, "numerator"), (1, -1, "denominator"), (11, 10, "numerator"), ("x", 10, "numerator")])
def test_bad_figures_are_refused(world, indicator_set, num, den, field):
    with pytest.raises(DomainError) as exc:
        figure_enter(actor=world["admin"], province=world["province"], period="2026-03", indicator_code="5.2", numerator=num, denominator=den)
    assert exc.value.field == field and not EnteredFigure.objects.exists()


def test_equal_numerator_and_denominator_is_allowed(world, indicator_set):
    fig = figure_enter(actor=world["admin"], province=world["province"], period="2026", indicator_code="1.3", numerator=5, denominator=5)
    assert fig.period == "2026"


def test_shipped_json_names_its_sources():
    from cchc.serviceindex.reference import DATA

    spec = json.loads((DATA / "qd766_v1.json").read_text(encoding="utf-8"))
    assert "truongquangphuc/new-766" in spec["source"] and "formula-reference.js" in spec["source"]


def test_a_figure_table_reads_from_xlsx_and_refuses_missing_columns(world, indicator_set):
    import io

    from openpyxl import Workbook

    from cchc.serviceindex.services import figures_import, read_figure_table

    wb = Workbook()
    wb.active.append(["Period", "Indicator", "Numerator", "Denominator"])
    wb.active.append(["2026-Q1", "4.3", 30, 40])
    buf = io.BytesIO()
    wb.save(buf)
    rows = read_figure_table(buf.getvalue(), name="so-lieu.xlsx")
    assert rows == [{"period": "2026-Q1", "indicator": "4.3", "numerator": "30", "denominator": "40"}]
    assert figures_import(actor=world["admin"], province=world["province"], rows=rows) == {"province": "T99", "figures": 1}
    with pytest.raises(DomainError) as exc:
        figures_import(actor=world["admin"], province=world["province"], rows=[{"period": "2026-03", "indicator": "1.1"}])
    assert exc.value.field == "file" and "numerator" in exc.value.message
