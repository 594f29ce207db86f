"""Table-driven tests of the pure SIPAS formulas (no database)."""

import math

import pytest

from cchc.surveys import sipas


@pytest.mark.parametrize(
    "population, margin, expected",
    [
        (0, 0.05, 0),
        (1, 0.05, 1),
        (100, 0.05, 80),  # 100 / 1.25 = 80 exactly
        (400, 0.05, 200),  # 400 / 2 = 200 exactly
        (1000, 0.05, 286),  # 285.71 → 286
        (10000, 0.05, 385),  # 384.62 → 385
        (200000, 0.05, 400),  # 399.2 → 400
        (1000, 0.10, 91),  # 90.9 → 91
    ],
)
def test_sample_size_follows_n_equals_N_over_1_plus_N_e_squared(population, margin, expected):
    assert sipas.sample_size(population, margin) == expected


@pytest.mark.parametrize("population, margin", [(-1, 0.05), (10, 0), (10, 1)])
def test_sample_size_refuses_impossible_inputs(population, margin):
    with pytest.raises(ValueError):
        sipas.sample_size(population, margin)


@pytest.mark.parametrize(
    "p, n, population, expected",
    [
        (0.5, 100, None, 1.96 * 0.05),
        (0.8, 400, None, 1.96 * math.sqrt(0.8 * 0.2 / 400)),
        (0.5, 100, 1000, 1.96 * 0.05 * math.sqrt(900 / 999)),
        (0.5, 1000, 1000, 0.0),  # the whole population answered
        (1.0, 50, None, 0.0),
    ],
)
def test_margin_of_error_of_a_proportion_with_finite_population_correction(p, n, population, expected):
    assert sipas.margin_of_error(p, n, population) == pytest.approx(expected)


def test_margin_of_error_is_unknown_without_answers():
    assert sipas.margin_of_error(0.5, 0) is None


@pytest.mark.parametrize(
    "answers, valid, satisfied, index",
    [
        ({5: 10}, 10, 10, 100.0),
        ({1: 5, 2: 5}, 10, 0, 0.0),
        ({3: 2, 4: 3, 5: 5}, 10, 8, 80.0),
        ([4, 5, 3, None, 0, 6], 3, 2, 200 / 3),  # None, 0 and 6 are not valid answers
        ({}, 0, 0, None),
    ],
)
def test_aspect_index_is_share_of_satisfied_and_very_satisfied_among_valid_answers(answers, valid, satisfied, index):
    result = sipas.aspect_result("access", answers)
    assert (result.valid, result.satisfied) == (valid, satisfied)
    if index is None:
        assert result.index_pct is None and result.margin_pct is None
    else:
        assert result.index_pct == pytest.approx(index)


def test_aspect_margin_uses_respondents_not_answers_when_given():
    many = sipas.aspect_result("access", {4: 40, 2: 60}, population=None)
    fewer = sipas.aspect_result("access", {4: 40, 2: 60}, population=None, sample_n=50)
    assert fewer.margin_pct == pytest.approx(1.96 * math.sqrt(0.4 * 0.6 / 50) * 100)
    assert fewer.margin_pct > many.margin_pct


def test_overall_index_is_the_mean_of_the_five_aspect_indices():
    answers = {
        "access": {5: 9, 2: 1},  # 90
        "procedure": {4: 8, 3: 2},  # 80
        "civil_servant": {5: 10},  # 100
        "result": {4: 7, 1: 3},  # 70
        "feedback": {4: 6, 3: 4},  # 60
    }
    result = sipas.sipas_result(answers, population=500)
    assert result.index_pct == pytest.approx(80.0)
    assert result.complete is True
    se = [a.margin_pct / 1.96 for a in result.aspects.values()]
    assert result.margin_pct == pytest.approx(1.96 * math.sqrt(sum(s * s for s in se)) / 5)


def test_overall_index_over_fewer_aspects_is_marked_incomplete():
    result = sipas.sipas_result({"access": {5: 1}, "procedure": {1: 1}})
    assert result.index_pct == pytest.approx(50.0)
    assert result.complete is False


def test_configurable_rule_can_count_only_very_satisfied():
    rule = sipas.SipasRule.from_dict({"satisfied_levels": [5]})
    assert sipas.aspect_result("access", {4: 5, 5: 5}, rule=rule).index_pct == pytest.approx(50.0)


@pytest.mark.parametrize(
    "data",
    [{"satisfied_levels": [6]}, {"satisfied_levels": []}, {"confidence": 0.8}, {"overall": "median"}, {"margin": 0}],
)
def test_invalid_rules_are_refused(data):
    with pytest.raises(ValueError):
        sipas.SipasRule.from_dict(data)


def test_rule_round_trips_through_a_dict():
    rule = sipas.SipasRule(satisfied_levels=(5,), confidence=0.99)
    assert sipas.SipasRule.from_dict(rule.as_dict()) == rule
    assert rule.z == pytest.approx(2.5758)
