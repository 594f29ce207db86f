"""Ticket workflow: states and the one table of allowed officer actions (checked in one place)."""

from __future__ import annotations

from cchc.core.errors import ConflictError

from .models import TicketStatus

S = TicketStatus
# action -> {from_state: to_state}
ALLOWED_TRANSITIONS: dict[str, dict[str, str]] = {
    "recall": {S.CALLED: S.CALLED},
    "start": {S.CALLED: S.SERVING},
    "skip": {S.CALLED: S.SKIPPED},
    "finish": {S.CALLED: S.DONE, S.SERVING: S.DONE},
    "transfer": {S.CALLED: S.TRANSFERRED, S.SERVING: S.TRANSFERRED},
}


def check_transition(state: str, action: str) -> str:
    """The state after `action`, or ConflictError (409) naming the state that forbids it."""
    to = ALLOWED_TRANSITIONS.get(action, {}).get(state)
    if to is None:
        raise ConflictError(f"Không thể '{action}' số đang ở trạng thái '{S(state).label}'.", code="invalid_transition", field="status")
    return to
