"""Pure scoring rules, checked against hand-computed cases (no database)."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.indices import scoring

CRITERIA = """code,parent,title,max_points
F1,,Lĩnh vực một,
C1,F1,Tiêu chí,
1.1,C1,Tiêu chí thành phần a,2
1.2,C1,Tiêu chí thành phần b,3
F2,,Lĩnh vực hai,5
2.1,F2,c,5
"""


def tree():
    return scoring.parse_criteria_csv(CRITERIA)


def test_parent_maximum_left_empty_is_the_sum_of_its_children():
    t = tree()
    assert t.nodes["C1"].max_points == D(5)
    assert t.nodes["F1"].max_points == D(5)
    assert t.max_total == D(10)
    assert t.leaves == ["1.1", "1.2", "2.1"]
    assert t.roots == ["F1", "F2"]


@pytest.mark.parametrize(
    "csv_text, row, fragment",
    [
        ("code,parent,title,max_points\nF,,x,4\na,F,y,2\nb,F,z,1\n", 2, "tổng điểm các tiêu chí con là 3"),
        ("code,parent,title,max_points\nF,,x,\na,F,y,2\na,F,z,1\n", 4, "bị trùng"),
        ("code,parent,title,max_points\nF,,x,\na,G,y,2\n", 3, "không tồn tại"),
        ("code,parent,title,max_points\nF,,x,\na,F,y,\n", 3, "chưa có điểm tối đa"),
        ("code,parent,title,max_points\nF,,x,\na,F,y,abc\n", 3, "không phải là số"),
        ("code,parent,title,max_points\nF,,x,\na,F,y,-1\n", 3, "âm"),
        ("code,parent,title,max_points\nF,,x,\na,b,y,1\nb,a,z,1\n", 3, "vòng lặp"),
        ("code,parent,title,max_points\nF,,x,\n,F,y,1\n", 3, "trống"),
    ],
)
def test_invalid_trees_are_refused_naming_the_row(csv_text, row, fragment):
    with pytest.raises(scoring.ScoringError) as info:
        scoring.parse_criteria_csv(csv_text, source="c.csv")
    assert info.value.row == row
    assert fragment in info.value.message
    assert info.value.located().startswith(f"c.csv:{row}: ")


def test_missing_column_is_named_on_the_header_line():
    with pytest.raises(scoring.ScoringError) as info:
        scoring.parse_criteria_csv("code,parent,title\nF,,x\n", source="c.csv")
    assert info.value.row == 1 and info.value.column == "max_points"
    assert "max_points" in info.value.message


def test_bom_and_vietnamese_text_and_decimal_comma_are_accepted():
    t = scoring.parse_criteria_csv("\ufeffcode,parent,title,max_points\nLV1,,Cải cách thủ tục hành chính,\"14,5\"\n")
    assert t.nodes["LV1"].title == "Cải cách thủ tục hành chính"
    assert t.max_total == D("14.5")


def test_a_tree_of_fields_only_scores_fields_as_leaves():
    t = scoring.parse_criteria_csv("code,parent,title,max_points\nA,,a,4\nB,,b,6\n")
    [r] = scoring.score_all(t, {"X": {"A": D(4)}})
    assert r.total == D(4) and r.missing == ["B"] and r.lost == [("B", D(6))]


def test_scores_total_index_lost_and_missing_by_hand():
    t = tree()
    [r] = scoring.score_all(t, {"Xã A": {"1.1": D(2), "1.2": D("1.5")}})
    assert r.total == D("3.5")
    assert r.index_pct == D("35.00")
    assert r.fields == {"F1": D("3.5"), "F2": D(0)}
    # 2.1 missing → counts 0 and 5 lost; 1.2 lost 1.5; sorted by loss desc
    assert r.lost == [("2.1", D(5)), ("1.2", D("1.5"))]
    assert r.missing == ["2.1"]


def test_lost_ties_are_sorted_by_code():
    t = scoring.parse_criteria_csv("code,parent,title,max_points\nF,,f,\nb,F,,2\na,F,,2\n")
    [r] = scoring.score_all(t, {"U": {}})
    assert [c for c, _ in r.lost] == ["a", "b"]
    assert r.missing == ["b", "a"]  # missing keeps the order of the criteria file


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"a": D(90), "b": D(80), "c": D(80), "d": D(70)}, {"a": 1, "b": 2, "c": 2, "d": 4}),
        ({"a": D("80.004"), "b": D("80.001"), "c": D(79)}, {"a": 1, "b": 1, "c": 3}),
        ({"a": D("80.005"), "b": D("80.004")}, {"a": 1, "b": 2}),  # 80.01 vs 80.00 after half-up rounding
        ({"a": D(5), "b": D(5), "c": D(5)}, {"a": 1, "b": 1, "c": 1}),
        ({}, {}),
    ],
)
def test_competition_ranks_share_the_best_rank_on_two_decimals(values, expected):
    assert scoring.competition_ranks(values) == expected


def test_units_with_equal_rank_are_sorted_by_name_and_field_ranks_are_separate():
    t = tree()
    scores = {
        "Xã B": {"1.1": D(2), "1.2": D(3), "2.1": D(1)},  # 6: F1 5, F2 1
        "Xã A": {"1.1": D(1), "1.2": D(0), "2.1": D(5)},  # 6: F1 1, F2 5
        "Xã C": {"1.1": D(2), "1.2": D(3), "2.1": D(5)},  # 10
        "Xã D": {"1.1": D(0), "1.2": D(0), "2.1": D(1)},  # 1
    }
    out = scoring.score_all(t, scores)
    assert [(r.unit, r.rank) for r in out] == [("Xã C", 1), ("Xã A", 2), ("Xã B", 2), ("Xã D", 4)]
    by = {r.unit: r for r in out}
    assert by["Xã B"].field_ranks == {"F1": 1, "F2": 3}
    assert by["Xã A"].field_ranks == {"F1": 3, "F2": 1}
    assert by["Xã C"].field_ranks == {"F1": 1, "F2": 1}


@pytest.mark.parametrize(
    "scores_csv, row, fragment",
    [
        ("unit,code,points\nA,1.1,3\n", 2, "vượt điểm tối đa"),
        ("unit,code,points\nA,9.9,1\n", 2, "không có trong bộ tiêu chí"),
        ("unit,code,points\nA,1.1,-1\n", 2, "âm"),
        ("unit,code,points\nA,1.1,1\nA,C1,1\n", 3, "không phải tiêu chí thành phần"),
        ("unit,code,points\nA,1.1,1\nA,1.1,2\n", 3, "bị trùng"),
        ("unit,code,points\nA,1.1,hai\n", 2, "không phải là số"),
        ("unit,code,points\nA,1.1,NaN\n", 2, "không phải là số hữu hạn"),
        ("unit,code,points\n,1.1,1\n", 2, "thiếu tên đơn vị"),
        ("unit,code\nA,1.1\n", 1, "thiếu cột 'points'"),
    ],
)
def test_bad_score_rows_are_refused_naming_the_row(scores_csv, row, fragment):
    with pytest.raises(scoring.ScoringError) as info:
        scoring.parse_scores_csv(scores_csv, tree(), source="s.csv")
    assert info.value.row == row and fragment in info.value.message


def test_blank_lines_keep_line_numbers_of_the_file():
    with pytest.raises(scoring.ScoringError) as info:
        scoring.parse_scores_csv("unit,code,points\n\nA,1.1,9\n", tree())
    assert info.value.row == 3


def test_result_dict_rounds_numbers_to_two_decimals():
    t = scoring.parse_criteria_csv("code,parent,title,max_points\nF,,f,\na,F,,3\nb,F,,3\nc,F,,3\n")
    out = scoring.results_as_dict(t, scoring.score_all(t, {"U": {"a": D("0.1"), "b": D("0.2"), "c": D("1.111")}}))
    u = out["units"][0]
    assert u["total"] == 1.41 and u["max"] == 9.0 and u["index_pct"] == 15.68
    assert u["fields"] == {"F": {"points": 1.41, "max": 9.0, "rank": 1}}
    assert u["lost"][0] == {"code": "a", "lost": 2.9}


@pytest.mark.parametrize(
    "rule, value, max_points, expected",
    [
        ({"type": "threshold_linear", "target": 98}, 99, 2, D(2)),
        ({"type": "threshold_linear", "target": 98}, 98, 2, D(2)),
        ({"type": "threshold_linear", "target": 98}, 49, 2, D(1)),
        ({"type": "threshold_linear", "target": 98, "floor": 90}, 89.9, 2, D(0)),
        ({"type": "threshold_linear", "target": 98}, 0, 2, D(0)),
        ({"type": "steps", "steps": [[98, 2], [95, 1], [90, 0.5]]}, 96, 2, D(1)),
        ({"type": "steps", "steps": [[98, 2], [95, 1], [90, 0.5]]}, 89, 2, D(0)),
        ({"type": "steps", "steps": [[50, 1], [30, 0.5]], "fraction": True}, 30, 3, D("1.5")),
        ({"type": "threshold_linear", "target": 98}, None, 2, None),
    ],
)
def test_data_driven_point_rules(rule, value, max_points, expected):
    assert scoring.points_from_rule(rule, value, D(max_points)) == expected


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_threshold_rule_never_exceeds_the_maximum_and_is_monotonic(rate):
    rule = {"type": "threshold_linear", "target": 98}
    pts = scoring.points_from_rule(rule, rate, D(3))
    assert D(0) <= pts <= D(3)
    higher = scoring.points_from_rule(rule, min(rate + 1, D(100)), D(3))
    assert higher >= pts


@pytest.mark.parametrize(
    "predecessors, expected",
    [([D("80.00"), D("90.00")], D("85.00")), ([D("81.33")], D("81.33")), ([D(80), D(81), D(83)], D("81.33")), ([], None)],
)
def test_previous_index_of_a_merged_unit_is_the_mean_of_its_predecessors(predecessors, expected):
    assert scoring.previous_index_through_mergers(predecessors) == expected


def test_rank_of_a_value_in_a_table_shares_the_best_rank():
    assert scoring.rank_of_value(D("85.00"), [D(90), D(85), D(80)]) == 2
    assert scoring.rank_of_value(D("95"), [D(90)]) == 1


def test_path_to_target_takes_the_kth_peer_score_and_picks_by_points_per_effort():
    lost = [
        scoring.LostItem("a", D(3), D(3)),  # 1 per effort
        scoring.LostItem("b", D(2), D(1)),  # 2 per effort
        scoring.LostItem("c", D("0.5"), D(1)),  # 0.5 per effort
    ]
    plan = scoring.path_to_target(current_score=D(80), peer_scores=[D(90), D(85), D(84), D(70)], target_rank=2, lost=lost)
    assert plan.current_rank == 4
    assert plan.needed_score == D(85) and plan.gap == D(5)
    assert [p.code for p in plan.picks] == ["b", "a"] and plan.recovered == D(5) and plan.reachable


def test_path_to_target_already_reached_needs_nothing_and_unreachable_is_flagged():
    done = scoring.path_to_target(current_score=D(95), peer_scores=[D(90)], target_rank=1, lost=[])
    assert done.gap == 0 and done.picks == [] and done.reachable
    fewer_peers = scoring.path_to_target(current_score=D(50), peer_scores=[D(90)], target_rank=5, lost=[])
    assert fewer_peers.gap == 0
    far = scoring.path_to_target(current_score=D(50), peer_scores=[D(90)], target_rank=1, lost=[scoring.LostItem("x", D(10))])
    assert far.gap == D(40) and not far.reachable and far.recovered == D(10)


@pytest.mark.parametrize("tag, expected", [("low", D(1)), ("medium", D(2)), ("high", D(3)), ("Cao", D(3)), ("2.5", D("2.5")), (None, D(1))])
def test_effort_tags_map_to_numbers(tag, expected):
    assert scoring.effort_value(tag) == expected


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=30))
def test_ranks_are_between_one_and_n_and_order_consistent(values):
    ranks = scoring.competition_ranks({str(i): v for i, v in enumerate(values)})
    for i, a in enumerate(values):
        assert 1 <= ranks[str(i)] <= len(values)
        for j, b in enumerate(values):
            if a > b:
                assert ranks[str(i)] < ranks[str(j)]
            if a == b:
                assert ranks[str(i)] == ranks[str(j)]


@given(st.lists(st.one_of(st.none(), st.sampled_from(["0", "0.25", "0.5", "1", "1.75", "2"])), min_size=6, max_size=6))
def test_scoring_from_shortfalls_equals_scoring_from_all_points(values):
    t = scoring.parse_criteria_csv("code,parent,title,max_points\nF,,f,\na,F,,2\nb,F,,1\nG,,g,\nc,G,,2\nd,G,,0\ne,G,,2\nf,G,,2\n")
    points = {}
    for code, v in zip(["a", "b", "c", "d", "e", "f"], values, strict=True):
        if v is not None:
            points[code] = min(D(v), t.nodes[code].max_points)
    full = scoring.score_unit(t, "U", points)
    shortfalls = {code: points.get(code) for code in t.leaves if points.get(code) is None or points[code] < t.nodes[code].max_points}
    quick = scoring.score_unit_from_shortfalls(t, "U", shortfalls)
    assert (quick.total, quick.index_pct, quick.fields, quick.lost, quick.missing) == (full.total, full.index_pct, full.fields, full.lost, full.missing)


@given(st.lists(st.sampled_from(["draft", "self_assessment", "appraisal_1", "explanation", "appraisal_2", "published"]), max_size=20))
def test_any_sequence_of_requested_steps_only_moves_forward_one_state_at_a_time(requests):
    from cchc.indices import workflow

    state, visited = workflow.DRAFT, [workflow.DRAFT]
    for wanted in requests:
        if workflow.can_transition(state, wanted):
            state = wanted
            visited.append(state)
    assert visited == workflow.STATES[: len(visited)]
    assert not workflow.ALLOWED_TRANSITIONS[workflow.PUBLISHED]


def test_an_empty_points_cell_is_no_score_so_the_leaf_is_missing_and_lost():
    t = tree()
    scores = scoring.parse_scores_csv("unit,code,points\nXã A,1.1,2\nXã A,1.2,\n", t)
    assert scores == {"Xã A": {"1.1": D(2)}}
    [r] = scoring.score_all(t, scores)
    assert r.missing == ["1.2", "2.1"]
    assert ("1.2", D(3)) in r.lost


def test_a_unit_whose_only_rows_are_empty_is_still_scored_with_everything_missing():
    t = tree()
    [r] = scoring.score_all(t, scoring.parse_scores_csv("unit,code,points\nXã A,1.1,\n", t))
    assert r.total == D(0) and r.missing == t.leaves


def test_the_error_message_names_the_file_line_unit_and_code():
    with pytest.raises(scoring.ScoringError) as info:
        scoring.parse_scores_csv("unit,code,points\nXã A,1.1,1\nXã Bình,1.2,99\n", tree(), source="s.csv")
    text = info.value.located()
    assert text.startswith("s.csv:3: dòng 3: ")
    assert "'Xã Bình'" in text and "'1.2'" in text
