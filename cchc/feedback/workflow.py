"""The feedback workflow as data: allowed transitions checked in one place (style.md, Signalen)."""

from __future__ import annotations

from .models import Status

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.RECEIVED: {Status.CLASSIFIED, Status.REJECTED},
    Status.CLASSIFIED: {Status.ROUTED, Status.CLASSIFIED, Status.REJECTED},
    Status.ROUTED: {Status.ROUTED, Status.ANSWERED, Status.REJECTED},
    Status.ANSWERED: {Status.PUBLISHED},
    Status.PUBLISHED: set(),
    Status.REJECTED: set(),
}


def allowed(from_state: str, to_state: str) -> bool:
    return to_state in ALLOWED_TRANSITIONS.get(from_state, set())
