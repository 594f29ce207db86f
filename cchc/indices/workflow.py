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


# ------------------------------------------------------------------ who may write what in each phase
# Ai được ghi gì ở từng bước. One table, checked by the services (so pages and the API obey it alike);
# a write outside its phase is a state conflict (409), a write by the wrong person is forbidden (403)
# with the rule below as the message. A published cycle takes no write at all.
ASSESSED_UNIT = "assessed_unit"  # cán bộ của chính đơn vị được đánh giá
APPRAISER = "appraiser"  # cơ quan thường trực CCHC (Sở Nội vụ) của đơn vị tổ chức kỳ

WRITE_RULES: dict[str, tuple[frozenset[str], str, str]] = {
    # action: (states in which it is allowed, who writes, the rule in words)
    "self_assess": (frozenset({SELF_ASSESSMENT}), ASSESSED_UNIT,
                    "Ở bước tự đánh giá, chỉ cán bộ của chính đơn vị được đánh giá (người đứng đầu đơn vị) "
                    "được chấm điểm tự đánh giá và thêm tài liệu kiểm chứng của đơn vị đó"),
    "evidence": (frozenset({SELF_ASSESSMENT}), ASSESSED_UNIT,
                 "Ở bước tự đánh giá, chỉ cán bộ của chính đơn vị được đánh giá (người đứng đầu đơn vị) "
                 "được chấm điểm tự đánh giá và thêm tài liệu kiểm chứng của đơn vị đó"),
    "appraise": (frozenset({APPRAISAL_1, APPRAISAL_2}), APPRAISER,
                 "Ở các bước thẩm định, chỉ cơ quan thường trực CCHC (Sở Nội vụ) của đơn vị tổ chức kỳ đánh giá "
                 "được chấm điểm thẩm định"),
    "explain": (frozenset({EXPLANATION}), ASSESSED_UNIT,
                "Ở bước giải trình, chỉ đơn vị được đánh giá được giải trình, mỗi tiêu chí thành phần một lần"),
}


def writer_for(action: str) -> str:
    """Who may write `action` (ASSESSED_UNIT or APPRAISER)."""
    return WRITE_RULES[action][1]


def rule_text(action: str) -> str:
    """The rule for `action`, in Vietnamese, as shown in a 403."""
    return WRITE_RULES[action][2]


def allowed_in(action: str, state: str) -> bool:
    """May `action` be written while the cycle is in `state`? (Nothing is allowed once published.)"""
    return state != PUBLISHED and state in WRITE_RULES[action][0]


# ------------------------------------------------------------ what "finished" means when leaving a phase
# Leaving a phase while some units have not finished it needs an explicit confirmation (counts shown).
PHASE_PROGRESS_LABEL = {
    # state left: (done, not done)
    SELF_ASSESSMENT: ("đã nộp tự đánh giá", "chưa nộp"),
    APPRAISAL_1: ("đã được thẩm định lần 1", "chưa thẩm định xong"),
    EXPLANATION: ("đã giải trình các điểm bị điều chỉnh", "chưa giải trình"),
    APPRAISAL_2: ("đã được thẩm định lần 2", "chưa thẩm định xong"),
}


def confirmation_message(state: str, done: list[str], not_done: list[str], *, shown: int = 10) -> str:
    """ "12/16 đơn vị đã nộp tự đánh giá; 4 chưa nộp: A, B, C, D. Vẫn chuyển?" (at most `shown` names)."""
    done_label, not_done_label = PHASE_PROGRESS_LABEL[state]
    total = len(done) + len(not_done)
    names = ", ".join(not_done[:shown]) + (f" và {len(not_done) - shown} đơn vị khác" if len(not_done) > shown else "")
    return f"{len(done)}/{total} đơn vị {done_label}; {len(not_done)} {not_done_label}: {names}. Vẫn chuyển?"
