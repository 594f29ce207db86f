"""Thử lại có giãn cách: the one exponential backoff of the outboxes (portal sync, notices to the applicant)."""

from __future__ import annotations

from datetime import timedelta


def backoff(attempts: int, *, base: timedelta, cap: timedelta) -> timedelta:
    """Delay before the next try after `attempts` failed tries (≥ 1): base × 2^(attempts−1), at most `cap`.
    The doubling stops once the cap is reached, so a large attempt count cannot overflow a timedelta."""
    delay = base
    for _ in range(max(0, attempts - 1)):
        if delay >= cap:
            break
        delay *= 2
    return min(cap, delay)
