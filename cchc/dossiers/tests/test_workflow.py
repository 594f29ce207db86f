"""The state machine as data: every (state, action) pair is either allowed or refused, never both."""

import pytest

from cchc.dossiers import workflow as wf

ALLOWED = {
    (wf.WAITING_ACCEPTANCE, wf.ACCEPT): wf.RECEIVED,
    (wf.WAITING_ACCEPTANCE, wf.REJECT): wf.REJECTED,
    (wf.WAITING_ACCEPTANCE, wf.WITHDRAW): wf.WITHDRAWN,
    (wf.RECEIVED, wf.ASSIGN): wf.IN_PROCESS,
    (wf.RECEIVED, wf.REQUEST_SUPPLEMENT): wf.SUPPLEMENT_REQUESTED,
    (wf.RECEIVED, wf.PAUSE): wf.PAUSED,
    (wf.RECEIVED, wf.APOLOGISE): wf.RECEIVED,
    (wf.RECEIVED, wf.COMPLETE): wf.RESULT_READY,
    (wf.RECEIVED, wf.REJECT): wf.REJECTED,
    (wf.RECEIVED, wf.WITHDRAW): wf.WITHDRAWN,
    (wf.IN_PROCESS, wf.HANDOVER): wf.IN_PROCESS,
    (wf.IN_PROCESS, wf.REQUEST_SUPPLEMENT): wf.SUPPLEMENT_REQUESTED,
    (wf.IN_PROCESS, wf.PAUSE): wf.PAUSED,
    (wf.IN_PROCESS, wf.APOLOGISE): wf.IN_PROCESS,
    (wf.IN_PROCESS, wf.COMPLETE): wf.RESULT_READY,
    (wf.IN_PROCESS, wf.REJECT): wf.REJECTED,
    (wf.IN_PROCESS, wf.WITHDRAW): wf.WITHDRAWN,
    (wf.SUPPLEMENT_REQUESTED, wf.SUPPLY): "previous",
    (wf.SUPPLEMENT_REQUESTED, wf.APOLOGISE): wf.SUPPLEMENT_REQUESTED,
    (wf.SUPPLEMENT_REQUESTED, wf.REJECT): wf.REJECTED,
    (wf.SUPPLEMENT_REQUESTED, wf.WITHDRAW): wf.WITHDRAWN,
    (wf.PAUSED, wf.RESUME): "previous",
    (wf.PAUSED, wf.APOLOGISE): wf.PAUSED,
    (wf.PAUSED, wf.REJECT): wf.REJECTED,
    (wf.PAUSED, wf.WITHDRAW): wf.WITHDRAWN,
    (wf.RESULT_READY, wf.RETURN): wf.RETURNED,
    (wf.RESULT_READY, wf.RETURN_LATE): wf.RETURNED_LATE,
}

ALL_PAIRS = [(s, a) for s in wf.STATES for a in wf.ACTIONS]


@pytest.mark.parametrize(("state", "action"), ALL_PAIRS)
def test_every_state_action_pair_is_either_allowed_with_its_target_or_refused(state, action):
    if (state, action) in ALLOWED:
        expected = ALLOWED[(state, action)]
        previous = wf.IN_PROCESS if expected == "previous" else None
        tr = wf.check_transition(state, action, previous_state=previous)
        assert tr.from_state == state
        assert tr.to_state == (wf.IN_PROCESS if expected == "previous" else expected)
        assert action in wf.allowed_actions(state)
    else:
        with pytest.raises(wf.TransitionError) as exc:
            wf.check_transition(state, action, previous_state=wf.IN_PROCESS)
        assert exc.value.code == "transition_not_allowed"
        assert wf.STATUS_LABELS[state] in exc.value.message
        assert action not in wf.allowed_actions(state)


def test_the_table_of_the_test_matches_the_declared_transitions_exactly():
    declared = {(s, a) for a, (sources, _) in wf.ALLOWED_TRANSITIONS.items() for s in sources}
    assert declared == set(ALLOWED)


@pytest.mark.parametrize("previous", [wf.RECEIVED, wf.IN_PROCESS])
def test_ending_a_pause_returns_to_the_state_before_it(previous):
    assert wf.check_transition(wf.SUPPLEMENT_REQUESTED, wf.SUPPLY, previous_state=previous).to_state == previous
    assert wf.check_transition(wf.PAUSED, wf.RESUME, previous_state=previous).to_state == previous


def test_ending_a_pause_without_a_known_previous_state_is_refused():
    with pytest.raises(wf.TransitionError):
        wf.check_transition(wf.PAUSED, wf.RESUME, previous_state=None)
    with pytest.raises(wf.TransitionError):
        wf.check_transition(wf.PAUSED, wf.RESUME, previous_state=wf.RETURNED)


def test_unknown_actions_and_states_are_refused_with_their_own_code():
    with pytest.raises(wf.TransitionError) as exc:
        wf.check_transition(wf.RECEIVED, "teleport")
    assert exc.value.code == "unknown_action"
    with pytest.raises(wf.TransitionError) as exc:
        wf.check_transition("nowhere", wf.ACCEPT)
    assert exc.value.code == "unknown_state"


def test_final_states_allow_no_action_and_every_state_has_a_vietnamese_label():
    for state in wf.FINAL_STATES:
        assert wf.allowed_actions(state) == []
    assert all(wf.STATUS_LABELS[s] for s in wf.STATES)
    assert set(wf.ACTION_LABELS) == set(wf.ACTIONS)
