"""Trạng thái cuộc kiểm tra and kiến nghị: the allowed transitions, checked in one place."""

from __future__ import annotations

from cchc.core.errors import ConflictError

from .models import InspectionStatus as S
from .models import RecommendationStatus as R

INSPECTION_TRANSITIONS: dict[str, set[str]] = {
    S.PLANNED: {S.CONDUCTED, S.CANCELLED},
    S.CONDUCTED: {S.CLOSED},
    S.CLOSED: set(),
    S.CANCELLED: set(),
}

RECOMMENDATION_TRANSITIONS: dict[str, set[str]] = {
    R.OPEN: {R.DONE_ON_TIME, R.DONE_LATE, R.CARRIED_OVER},
    R.DONE_ON_TIME: set(),
    R.DONE_LATE: set(),
    R.CARRIED_OVER: set(),
}


def check_inspection(current: str, target: str) -> None:
    if target not in INSPECTION_TRANSITIONS.get(current, set()):
        raise ConflictError(
            f"status: cuộc kiểm tra đang ở trạng thái “{S(current).label}”, không thể chuyển sang “{S(target).label}”.",
            code="invalid_transition", field="status",
        )


def check_recommendation(current: str, target: str) -> None:
    if target not in RECOMMENDATION_TRANSITIONS.get(current, set()):
        raise ConflictError(
            f"status: kiến nghị đang ở trạng thái “{R(current).label}”, không thể chuyển sang “{R(target).label}”.",
            code="invalid_transition", field="status",
        )


def completion_status(done_on, deadline) -> str:
    """Đúng hạn when done on or before the deadline day (done exactly on the deadline day is on time)."""
    return R.DONE_ON_TIME if done_on <= deadline else R.DONE_LATE
