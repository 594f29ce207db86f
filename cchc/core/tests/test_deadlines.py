"""The one wording of a deadline in reminders, at its boundaries: the day before, the day itself, the day after."""

from datetime import date

from cchc.core.deadlines import deadline_phrase

DEADLINE = date(2026, 12, 10)


def test_before_on_and_after_the_deadline():
    assert deadline_phrase(DEADLINE, date(2026, 12, 9)) == "còn 1 ngày đến hạn (10/12/2026)"
    assert deadline_phrase(DEADLINE, DEADLINE) == "đến hạn hôm nay"
    assert deadline_phrase(DEADLINE, date(2026, 12, 11)) == "đã quá hạn 1 ngày (hạn 10/12/2026)"
