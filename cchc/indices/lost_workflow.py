"""Giải trình điểm bị trừ Chỉ số CCHC cấp tỉnh: the state machine, who acts, and the overdue rule (pure, no Django).

unassigned (chưa giao) → assigned (đã giao) → explained (đã giải trình) → accepted (đã chấp nhận)
                                            ↘ explained → more_requested (yêu cầu bổ sung) → explained …
The PAR office (cơ quan thường trực CCHC) assigns, accepts and asks for more; only the department in
charge (cơ quan chủ trì) explains.
"""

from __future__ import annotations

import datetime as dt

UNASSIGNED = "unassigned"
ASSIGNED = "assigned"
EXPLAINED = "explained"
ACCEPTED = "accepted"
MORE_REQUESTED = "more_requested"

STATES = [UNASSIGNED, ASSIGNED, EXPLAINED, MORE_REQUESTED, ACCEPTED]

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    UNASSIGNED: {ASSIGNED},
    ASSIGNED: {ASSIGNED, EXPLAINED},  # re-assign (other department, deadline); explain
    MORE_REQUESTED: {ASSIGNED, EXPLAINED},  # re-assign; explain again
    EXPLAINED: {EXPLAINED, ACCEPTED, MORE_REQUESTED},  # the department revises before review; accept; ask for more
    ACCEPTED: set(),  # closed
}

PAR_OFFICE = "par_office"
DEPARTMENT = "department"

# action → (state it leads to, who may do it)
ACTIONS: dict[str, tuple[str, str]] = {
    "assign": (ASSIGNED, PAR_OFFICE),
    "explain": (EXPLAINED, DEPARTMENT),
    "accept": (ACCEPTED, PAR_OFFICE),
    "request_more": (MORE_REQUESTED, PAR_OFFICE),
}

RULES = {
    PAR_OFFICE: "Chỉ cơ quan thường trực CCHC (Sở Nội vụ) của tỉnh được giao, chấp nhận hoặc yêu cầu bổ sung giải trình điểm bị trừ",
    DEPARTMENT: "Chỉ cơ quan chủ trì được giao (lãnh đạo, công chức của cơ quan đó) được giải trình điểm bị trừ",
}

OPEN = frozenset({ASSIGNED, MORE_REQUESTED})  # waiting for the department


def can_transition(from_state: str, to_state: str) -> bool:
    return to_state in ALLOWED_TRANSITIONS.get(from_state, set())


def target_of(action: str) -> str:
    return ACTIONS[action][0]


def actor_of(action: str) -> str:
    return ACTIONS[action][1]


def is_overdue(status: str, deadline: dt.date | None, today: dt.date) -> bool:
    """Quá hạn: still waiting for the department (assigned / more requested) after the deadline day.

    The deadline day itself is not late (today == deadline → False); an explained or accepted row is never
    overdue, whenever it was explained.
    """
    return status in OPEN and deadline is not None and today > deadline
