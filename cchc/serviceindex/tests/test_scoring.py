"""Point conversion of Decision 766 (pure): boundaries of each rule, rounding, empty denominators."""

from decimal import Decimal as D

import pytest

from cchc.serviceindex import scoring as s


def test_capped_linear_reaches_full_points_exactly_at_the_target_and_not_below():
    assert s.points_for(D("80"), max_points=4, rule=s.CAPPED_LINEAR, target=80) == D("4.00")
    # 60 % of a target of 80 with 4 points: 60 × 4 ÷ 80 = 3
    assert s.points_for(D("60"), max_points=4, rule=s.CAPPED_LINEAR, target=80) == D("3.00")
    # 79 × 4 ÷ 80 = 3.95: below the target never gets the full points
    assert s.points_for(D("79"), max_points=4, rule=s.CAPPED_LINEAR, target=80) == D("3.95")
    # just below: 79.99 × 4 ÷ 80 = 3.9995 → 4.00 after half-up rounding, the rule itself was "below"
    assert s.points_for(D("79.99"), max_points=4, rule=s.CAPPED_LINEAR, target=80) == D("4.00")
    assert s.points_for(D("79.8"), max_points=4, rule=s.CAPPED_LINEAR, target=80) == D("3.99")


def test_half_up_rounding_of_points():
    # 50 × 6 ÷ 90 = 3.3333… → 3.33 ; 45.125 × 4 ÷ 100 = 1.805 → 1.81 (half-up, not banker's 1.80)
    assert s.points_for(D("50"), max_points=6, rule=s.CAPPED_LINEAR, target=90) == D("3.33")
    assert s.points_for(D("45.125"), max_points=4, rule=s.LINEAR) == D("1.81")
    assert s.q2(D("0.005")) == D("0.01") and s.q2(D("2.675")) == D("2.68")


def test_no_target_scores_rate_times_max_over_100():
    assert s.points_for(D("50"), max_points=20, rule=s.LINEAR) == D("10.00")
    assert s.points_for(D("50"), max_points=20, rule=s.CAPPED_LINEAR, target=None) == D("10.00")


def test_a_rate_above_100_never_gives_more_than_the_maximum():
    assert s.points_for(D("120"), max_points=20, rule=s.LINEAR) == D("20.00")
    assert s.points_for(D("150"), max_points=4, rule=s.CAPPED_LINEAR, target=80) == D("4.00")


def test_a_negative_rate_scores_zero():
    assert s.points_for(D("-5"), max_points=6, rule=s.CAPPED_LINEAR, target=90) == D("0.00")


def test_step_rule_takes_the_highest_threshold_reached():
    steps = {"95": 20, "90": 15, "80": 5}
    assert s.points_for(D("95"), max_points=20, rule=s.STEP, steps=steps) == D("20.00")   # at the threshold
    assert s.points_for(D("94.99"), max_points=20, rule=s.STEP, steps=steps) == D("15.00")
    assert s.points_for(D("79.99"), max_points=20, rule=s.STEP, steps=steps) == D("0.00")


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        s.points_for(D("50"), max_points=4, rule="quadratic")


def test_zero_denominator_is_not_applicable_and_leaves_the_max_out_of_the_total():
    r = s.score_indicator(code="2.1", name="x", numerator=0, denominator=0, max_points=20, rule=s.LINEAR)
    assert (r.status, r.rate, r.points, r.counted_max) == (s.NOT_APPLICABLE, None, None, D(0))


def test_missing_entered_figure_is_no_data_and_keeps_its_max_in_the_total():
    r = s.score_indicator(code="1.1", name="x", numerator=None, denominator=None, max_points=4.5, rule=s.LINEAR, missing=True)
    assert (r.status, r.points, r.counted_max) == (s.NO_DATA, None, D("4.5"))
    g = s.GroupResult(code="CKMB", name="x", max=D(18), indicators=[r])
    assert s.total_of([g]) == {"points": D("0.00"), "max": D("4.50")}


def test_rate_is_rounded_half_up_to_two_decimals():
    r = s.score_indicator(code="3.3", name="x", numerator=2, denominator=3, max_points=4, rule=s.CAPPED_LINEAR, target=50)
    assert r.rate == D("66.67") and r.points == D("4.00")
    r = s.score_indicator(code="2.1", name="x", numerator=1, denominator=3, max_points=20, rule=s.LINEAR)
    assert r.rate == D("33.33") and r.points == D("6.67")  # 33.333… × 20 ÷ 100 = 6.666… (from the unrounded rate)


def test_info_indicator_shows_a_ratio_and_never_scores():
    r = s.score_indicator(code="2.2", name="x", numerator=D("7.5"), denominator=3, max_points=0, rule=s.INFO)
    assert r.rate == D("2.50") and r.points is None and r.counted_max == D(0)


def test_points_lost_if_some_in_time_items_go_late():
    # 9/10 = 90 % of 20 points linear = 18; with 2 more late: 7/10 = 14 → 4 points at risk
    assert s.points_lost_if(numerator=9, denominator=10, lost=2, max_points=20, rule=s.LINEAR) == D("4.00")
    # capped: 10/10 with target 90 → 6; 8/10 = 80 → 80 × 6 ÷ 90 = 5.33 → 0.67 at risk
    assert s.points_lost_if(numerator=10, denominator=10, lost=2, max_points=6, rule=s.CAPPED_LINEAR, target=90) == D("0.67")
    assert s.points_lost_if(numerator=0, denominator=0, lost=3, max_points=6) == D("0")
