"""The one backoff of the outboxes: doubling from the base, the cap reached exactly, no overflow."""

from datetime import timedelta

from cchc.core.retry import backoff

BASE, CAP = timedelta(minutes=1), timedelta(hours=6)


def test_doubles_from_the_base_and_stops_at_the_cap():
    assert [backoff(n, base=BASE, cap=CAP) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert backoff(9, base=BASE, cap=CAP) == timedelta(minutes=256)   # 256 min < 6 h
    assert backoff(10, base=BASE, cap=CAP) == CAP                     # 512 min > 6 h: capped


def test_a_huge_attempt_count_is_the_cap_not_an_overflow():
    assert backoff(10**6, base=BASE, cap=CAP) == CAP


def test_zero_or_one_attempt_waits_the_base():
    assert backoff(0, base=BASE, cap=CAP) == BASE == backoff(1, base=BASE, cap=CAP)
