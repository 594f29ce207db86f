"""The shipped published results as the demo province sees them: new Tây Ninh (old Tây Ninh + Long An)
gets every year published for either predecessor, the charts span all years with gaps left empty,
and loading the shipped files twice changes nothing."""

import datetime as dt

import pytest

from cchc.surveys import selectors
from cchc.surveys.reference import SHIPPED, load_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_tay_ninh(db):
    from cchc.units import reference
    from cchc.units.selectors import province_by_name_or_code

    reference.load()
    return province_by_name_or_code("Tây Ninh", on_date=dt.date(2026, 1, 1))


def test_loading_the_shipped_files_twice_changes_nothing(new_tay_ninh):
    first = load_published()
    second = load_published()
    assert set(first) == set(SHIPPED)
    for name in SHIPPED:
        assert first[name]["rejected"] == 0
        assert second[name]["imported"] == 0 and second[name]["updated"] == 0
        assert second[name]["unchanged"] == first[name]["imported"]
        assert second[name]["flagged"] == first[name]["flagged"]


def test_the_demo_province_sees_both_predecessors_years(new_tay_ninh):
    load_published()
    history = selectors.national_history(province=new_tay_ninh)
    par = {(r.entity_name, r.year) for r in history["par_index"]["rows"]}
    sipas = {(r.entity_name, r.year) for r in history["sipas"]["rows"]}
    assert {("Tây Ninh", 2018), ("Tây Ninh", 2019), ("Long An", 2019), ("Long An", 2022), ("Long An", 2023), ("Long An", 2024)} <= par
    assert {("Tây Ninh", 2017), ("Tây Ninh", 2018), ("Tây Ninh", 2019), ("Long An", 2023), ("Long An", 2024)} <= sipas
    # every row of the lineage is attached to an old (63-province) unit, none to another province
    assert all(r.unit_id for r in history["par_index"]["rows"] + history["sipas"]["rows"])
    assert not any(r.entity_name not in {"Tây Ninh", "Long An"} for r in history["sipas"]["rows"])


def test_the_charts_span_every_year_and_leave_missing_years_empty(new_tay_ninh):
    load_published()
    history = selectors.national_history(province=new_tay_ninh)
    sipas = selectors.chart_data(history, "sipas", averages=selectors.national_averages("sipas"))
    assert sipas["years"] == list(range(2017, 2025))
    assert sipas["missing_years"] == [2020, 2021, 2022]
    tay_ninh = next(s for s in sipas["scores"] if s["label"] == "Tây Ninh")
    assert tay_ninh["data"][:3] == [79.76, 81.24, 83.45] and tay_ninh["data"][3:] == [None] * 5  # gaps, not interpolated
    average = next(s for s in sipas["scores"] if s["label"] == "Trung bình cả nước")
    assert average["dashed"] and average["data"][-2:] == [82.66, 83.94]
    par = selectors.chart_data(history, "par_index", averages=selectors.national_averages("par_index"))
    assert par["years"][0] == 2018 and par["years"][-1] == 2024 and 2020 in par["missing_years"]
    ranks = {s["label"]: s["data"] for s in par["ranks"]}
    assert ranks["Tây Ninh"][:2] == [48, 44]  # 2018 derived from the 2019 source ("tăng 4 bậc"), 2019 stated


def test_chart_data_without_any_figure_is_empty():
    assert selectors.chart_data({}, "par_index", averages={2024: 88.37}) == {"years": [], "scores": [], "ranks": [], "missing_years": []}


def test_an_average_whose_year_is_unconfirmed_is_not_drawn_as_the_national_line(new_tay_ninh):
    load_published()
    par = selectors.national_averages("par_index")
    assert 2018 not in par  # 76.92, "last year" in a 2019 article: flagged "Chưa xác nhận"
    assert par[2019] == 81.15 and par[2023] == 86.98 and par[2024] == 88.37
