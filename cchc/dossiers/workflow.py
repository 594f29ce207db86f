"""Quy trình hồ sơ: the dossier state machine, as data (pure: no Django import).

`ALLOWED_TRANSITIONS` maps action → (from_states, to_state). `to_state` may be one of two markers:
- STAY: the state does not change (hand-over, apology letter);
- PREVIOUS: back to the state the dossier was in before the pause that this action ends.
`check_transition` is the one place that decides whether an action may happen.
"""

from __future__ import annotations

from dataclasses import dataclass

# States (trạng thái hồ sơ)
WAITING_ACCEPTANCE = "waiting_acceptance"
RECEIVED = "received"
IN_PROCESS = "in_process"
SUPPLEMENT_REQUESTED = "supplement_requested"
PAUSED = "paused"
RESULT_READY = "result_ready"
RETURNED = "returned"
RETURNED_LATE = "returned_late"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"

STATUS_LABELS = {
    WAITING_ACCEPTANCE: "Chờ tiếp nhận",
    RECEIVED: "Mới tiếp nhận",
    IN_PROCESS: "Đang giải quyết",
    SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung hồ sơ",
    PAUSED: "Tạm dừng giải quyết",
    RESULT_READY: "Chờ trả kết quả",
    RETURNED: "Đã trả kết quả",
    RETURNED_LATE: "Đã trả kết quả (quá hạn)",
    REJECTED: "Từ chối giải quyết",
    WITHDRAWN: "Đã rút hồ sơ",
}
STATES = tuple(STATUS_LABELS)
STATUS_CHOICES = list(STATUS_LABELS.items())

# Dossiers being handled (the clock runs or is paused).
ACTIVE_STATES = frozenset({RECEIVED, IN_PROCESS, SUPPLEMENT_REQUESTED, PAUSED})
PAUSED_STATES = frozenset({SUPPLEMENT_REQUESTED, PAUSED})
OPEN_STATES = frozenset({WAITING_ACCEPTANCE, *ACTIVE_STATES, RESULT_READY})
FINAL_STATES = frozenset({RETURNED, RETURNED_LATE, REJECTED, WITHDRAWN})
SETTLED_STATES = frozenset({RESULT_READY, RETURNED, RETURNED_LATE})

STAY = "__stay__"
PREVIOUS = "__previous__"

# Actions (thao tác)
ACCEPT = "accept"
ASSIGN = "assign"
HANDOVER = "handover"
REQUEST_SUPPLEMENT = "request_supplement"
SUPPLY = "supply"
PAUSE = "pause"
RESUME = "resume"
APOLOGISE = "apologise"
COMPLETE = "complete"
RETURN = "return"
RETURN_LATE = "return_late"
REJECT = "reject"
WITHDRAW = "withdraw"

ALLOWED_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    # online dossier accepted by the desk: the clock starts now
    ACCEPT: (frozenset({WAITING_ACCEPTANCE}), RECEIVED),
    # desk passes the dossier to the handling unit/officer (first line of the process-control sheet)
    ASSIGN: (frozenset({RECEIVED}), IN_PROCESS),
    # further hand-overs between officers and units (một cửa liên thông)
    HANDOVER: (frozenset({IN_PROCESS}), STAY),
    REQUEST_SUPPLEMENT: (frozenset({RECEIVED, IN_PROCESS}), SUPPLEMENT_REQUESTED),
    SUPPLY: (frozenset({SUPPLEMENT_REQUESTED}), PREVIOUS),
    PAUSE: (frozenset({RECEIVED, IN_PROCESS}), PAUSED),
    RESUME: (frozenset({PAUSED}), PREVIOUS),
    APOLOGISE: (frozenset({RECEIVED, IN_PROCESS, SUPPLEMENT_REQUESTED, PAUSED}), STAY),
    COMPLETE: (frozenset({RECEIVED, IN_PROCESS}), RESULT_READY),
    RETURN: (frozenset({RESULT_READY}), RETURNED),
    RETURN_LATE: (frozenset({RESULT_READY}), RETURNED_LATE),
    REJECT: (frozenset({WAITING_ACCEPTANCE, RECEIVED, IN_PROCESS, SUPPLEMENT_REQUESTED, PAUSED}), REJECTED),
    WITHDRAW: (frozenset({WAITING_ACCEPTANCE, RECEIVED, IN_PROCESS, SUPPLEMENT_REQUESTED, PAUSED}), WITHDRAWN),
}
ACTIONS = tuple(ALLOWED_TRANSITIONS)

ACTION_LABELS = {
    ACCEPT: "Tiếp nhận hồ sơ trực tuyến",
    ASSIGN: "Chuyển xử lý",
    HANDOVER: "Chuyển bước / liên thông",
    REQUEST_SUPPLEMENT: "Yêu cầu bổ sung hồ sơ",
    SUPPLY: "Nhận hồ sơ bổ sung",
    PAUSE: "Tạm dừng giải quyết",
    RESUME: "Tiếp tục giải quyết",
    APOLOGISE: "Phiếu xin lỗi và hẹn lại ngày trả",
    COMPLETE: "Có kết quả giải quyết",
    RETURN: "Trả kết quả",
    RETURN_LATE: "Trả kết quả (quá hạn)",
    REJECT: "Từ chối giải quyết",
    WITHDRAW: "Rút hồ sơ",
}

# Actions that need a written reason (lý do), recorded on the audit event.
REASON_REQUIRED = frozenset({REQUEST_SUPPLEMENT, PAUSE, APOLOGISE, REJECT})
# Rule: supplement may be requested only once (Decree 61/2018 art. 19 wording "một lần"; see docs/dossiers.md).
MAX_SUPPLEMENT_REQUESTS = 1


class TransitionError(Exception):
    """The action is not allowed from the current state (→ HTTP 409)."""

    def __init__(self, message: str, *, code: str = "transition_not_allowed"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Transition:
    action: str
    from_state: str
    to_state: str


def allowed_actions(state: str) -> list[str]:
    """Actions allowed from `state`, in declaration order (pages show them as buttons)."""
    return [a for a, (sources, _) in ALLOWED_TRANSITIONS.items() if state in sources]


def check_transition(state: str, action: str, *, previous_state: str | None = None) -> Transition:
    """Return the transition for `action` from `state`, or raise TransitionError.

    `previous_state` is the state saved when the current pause started (needed for SUPPLY/RESUME).
    """
    if action not in ALLOWED_TRANSITIONS:
        raise TransitionError(f"Thao tác không tồn tại: {action!r}.", code="unknown_action")
    if state not in STATUS_LABELS:
        raise TransitionError(f"Trạng thái không hợp lệ: {state!r}.", code="unknown_state")
    sources, target = ALLOWED_TRANSITIONS[action]
    if state not in sources:
        raise TransitionError(
            f"Không thể thực hiện “{ACTION_LABELS[action]}” khi hồ sơ đang ở trạng thái “{STATUS_LABELS[state]}”."
        )
    if target == STAY:
        target = state
    elif target == PREVIOUS:
        if previous_state not in ACTIVE_STATES - PAUSED_STATES:
            raise TransitionError("Không xác định được trạng thái trước khi tạm dừng.", code="no_previous_state")
        target = previous_state
    return Transition(action=action, from_state=state, to_state=target)
