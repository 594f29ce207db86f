"""Quy trình kỳ đánh giá: the assessment-cycle state machine, checked in one place (pure, no Django).

draft → self_assessment (tự đánh giá) → appraisal_1 (thẩm định lần 1) → explanation (giải trình)
→ appraisal_2 (thẩm định lần 2) → published (công bố, frozen).
"""

from __future__ import annotations

DRAFT = "draft"
SELF_ASSESSMENT = "self_assessment"
APPRAISAL_1 = "appraisal_1"
EXPLANATION = "explanation"
APPRAISAL_2 = "appraisal_2"
PUBLISHED = "published"

STATES = [DRAFT, SELF_ASSESSMENT, APPRAISAL_1, EXPLANATION, APPRAISAL_2, PUBLISHED]

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    DRAFT: {SELF_ASSESSMENT},
    SELF_ASSESSMENT: {APPRAISAL_1},
    APPRAISAL_1: {EXPLANATION},
    EXPLANATION: {APPRAISAL_2},
    APPRAISAL_2: {PUBLISHED},
    PUBLISHED: set(),
}

# which write each state allows
STATE_FOR_ACTION = {
    "self_assess": SELF_ASSESSMENT,
    "appraise_1": APPRAISAL_1,
    "explain": EXPLANATION,
    "appraise_2": APPRAISAL_2,
}


def can_transition(from_state: str, to_state: str) -> bool:
    """Is from_state → to_state an allowed step?"""
    return to_state in ALLOWED_TRANSITIONS.get(from_state, set())


def appraisal_round(state: str) -> int | None:
    """1 or 2 when the cycle is in an appraisal round, else None."""
    return {APPRAISAL_1: 1, APPRAISAL_2: 2}.get(state)
