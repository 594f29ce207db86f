import datetime as dt
from decimal import Decimal

from cchc.feedback import selectors, services

from .conftest import routed, vn

START, END = dt.date(2026, 3, 1), dt.date(2026, 3, 31)


def _answer(world, fb, at):
    return services.feedback_answer(actor=world["specialist"], feedback_id=fb.pk, answer="Đã trả lời.", at=at)


def _scenario(world, file_one):
    on_time = routed(world, file_one(at=vn(2026, 3, 2)))  # due 16/03
    _answer(world, on_time, vn(2026, 3, 16, 17))
    late = routed(world, file_one(at=vn(2026, 3, 2, 10)))
    _answer(world, late, vn(2026, 3, 17, 8))
    open_overdue = routed(world, file_one(at=vn(2026, 3, 3)))  # due 17/03, never answered
    open_not_due = file_one(at=vn(2026, 3, 30))  # due mid-April
    rejected = file_one(at=vn(2026, 3, 5))
    services.feedback_reject(actor=world["par"], feedback_id=rejected.pk, reason="Là khiếu nại.", at=vn(2026, 3, 6))
    file_one(at=vn(2026, 4, 1))  # outside the period
    return on_time, late, open_overdue, open_not_due


def test_counts_and_rates_of_a_period(world, file_one):
    _scenario(world, file_one)
    c = selectors.feedback_counts(world["province"], START, END, today=dt.date(2026, 12, 5))
    assert (c["received"], c["answered"], c["answered_on_time"], c["answered_late"]) == (5, 2, 1, 1)
    assert (c["open"], c["open_overdue"], c["open_not_due"], c["rejected"]) == (2, 1, 1, 1)
    assert c["on_time_rate"] == Decimal("50.0")
    assert c["in_time_rate"] == Decimal("50.0")  # (1 on time + 1 open not due) ÷ (5 − 1 rejected)


def test_state_is_taken_at_the_end_of_the_period(world, file_one):
    fb = routed(world, file_one(at=vn(2026, 3, 25)))  # due 08/04
    _answer(world, fb, vn(2026, 4, 2))
    c = selectors.feedback_counts(world["province"], START, END, today=dt.date(2026, 12, 5))
    assert (c["answered"], c["open_not_due"]) == (0, 1)  # as of 31/03 it was still open and in time
    c = selectors.feedback_counts(world["province"], START, dt.date(2026, 4, 30), today=dt.date(2026, 12, 5))
    assert (c["answered"], c["answered_on_time"]) == (1, 1)


def test_open_feedback_due_today_is_not_overdue_yet(world, file_one):
    fb = file_one(at=vn(2026, 3, 2))  # due 16/03
    c = selectors.feedback_counts(world["province"], START, END, today=fb.due_date)
    assert (c["open_not_due"], c["open_overdue"]) == (1, 0)
    c = selectors.feedback_counts(world["province"], START, END, today=fb.due_date + dt.timedelta(days=1))
    assert (c["open_not_due"], c["open_overdue"]) == (0, 1)


def test_empty_period_has_no_rate(world):
    c = selectors.feedback_counts(world["province"], START, END)
    assert c["received"] == 0 and c["on_time_rate"] is None and c["in_time_rate"] is None
    assert selectors.satisfaction_inputs(world["province"], START, END)["indicator_5_2"] is None


def test_on_time_rate_per_unit(world, file_one):
    a = routed(world, file_one(at=vn(2026, 3, 2)), unit=world["justice"])
    _answer(world, a, vn(2026, 3, 3))
    b = routed(world, file_one(at=vn(2026, 3, 2)), unit=world["building"])
    services.feedback_answer(actor=world["builder"], feedback_id=b.pk, answer="x", at=vn(2026, 3, 20))
    rows = {r["unit_name"]: r for r in selectors.on_time_by_unit(world["province"], START, END)}
    assert rows["Sở Tư pháp"]["on_time_rate"] == Decimal("100.0")
    assert rows["Sở Xây dựng"]["on_time_rate"] == Decimal("0.0")


def test_counts_by_kind_lists_every_kind(world, file_one):
    file_one(at=vn(2026, 3, 2), kind="kien_nghi")
    rows = {r["key"]: r["received"] for r in selectors.counts_by(world["province"], START, END, "kind")}
    assert rows == {"phan_anh": 0, "kien_nghi": 1}


def test_report_section_shape_and_figures(world, file_one):
    _scenario(world, file_one)
    services.dialogue_record(actor=world["par"], unit=world["commune"], held_on=dt.date(2026, 3, 20), title="Đối thoại",
                             chaired_by="Chủ tịch xã", participants_count=80, issues=[{"content": "a"}, {"content": "b"}])
    s = selectors.report_section(world["province"], START, END)
    assert set(s) == {"title", "figures", "tables"}
    figures = {f["key"]: f for f in s["figures"]}
    for f in s["figures"]:
        assert set(f) == {"key", "label", "value", "unit", "query"} and f["query"]
    assert figures["feedback_received"]["value"] == 5
    assert figures["feedback_answered_on_time"]["value"] == 1
    assert figures["feedback_answered_late"]["value"] == 1
    assert figures["dialogues_held"]["value"] == 1 and figures["dialogue_issues"]["value"] == 2
    for t in s["tables"]:
        assert set(t) == {"title", "columns", "rows"}
        assert all(len(r) == len(t["columns"]) for r in t["rows"])


def test_index_metric_provider_is_registered_and_counts_per_unit(world, file_one):
    from cchc.indices import metrics

    p = metrics.get("feedback_answered_on_time_rate")
    assert p is not None and p.unit == "%"
    a = routed(world, file_one(at=vn(2026, 3, 2)), unit=world["justice"])
    _answer(world, a, vn(2026, 3, 3))

    class Cycle:
        year = 2026

    got = p.fn(Cycle(), [world["justice"].pk, world["building"].pk, world["province"].pk])
    assert got == {world["justice"].pk: Decimal("100.0"), world["building"].pk: None, world["province"].pk: Decimal("100.0")}


def test_766_indicator_5_2_is_served_from_feedback_for_the_province_and_a_unit(world, file_one):
    from cchc.feedback import hooks
    from cchc.serviceindex import inputs

    assert inputs.PROVIDERS["5.2"] is hooks.indicator_5_2
    on_time = routed(world, file_one(at=vn(2026, 3, 2)))        # due 16/03, answered that day: on time
    _answer(world, on_time, vn(2026, 3, 16, 17))
    late = routed(world, file_one(at=vn(2026, 3, 2)))           # answered 17/03: late
    _answer(world, late, vn(2026, 3, 17, 8))
    routed(world, file_one(at=vn(2026, 3, 25)), unit=world["commune"])  # due 08/04: open, still in time at 31/03
    # (1 on time + 1 open not due) ÷ 3 received
    assert hooks.indicator_5_2(world["province"], START, END) == {"numerator": 2, "denominator": 3, "source": "feedback"}
    assert hooks.indicator_5_2(world["province"], START, END, unit=world["justice"]) == {
        "numerator": 1, "denominator": 2, "source": "feedback"}
    assert hooks.indicator_5_2(world["province"], START, END, unit=world["building"]) is None  # nothing routed there
    assert hooks.indicator_5_2(world["province"], dt.date(2026, 5, 1), dt.date(2026, 5, 31)) is None  # empty period
