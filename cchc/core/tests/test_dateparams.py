"""The one reader of ?from=&to= date ranges: defaults, the to ≥ from rule at its boundary, the length bound."""

from datetime import date

from cchc.core.dateparams import date_range

TODAY = date(2026, 12, 6)


def test_missing_dates_are_the_last_thirty_days():
    assert date_range({}, today=TODAY) == (date(2026, 11, 6), TODAY, None)


def test_a_one_day_range_is_allowed_and_to_before_from_falls_back_naming_the_rule():
    assert date_range({"from": "2026-12-01", "to": "2026-12-01"}, today=TODAY) == (date(2026, 12, 1), date(2026, 12, 1), None)
    start, end, error = date_range({"from": "2026-12-02", "to": "2026-12-01"}, what="Kỳ thống kê", today=TODAY)
    assert (start, end) == (date(2026, 11, 6), TODAY) and error.startswith("Kỳ thống kê không hợp lệ") and "to ≥ from" in error


def test_a_malformed_date_falls_back():
    assert date_range({"from": "06/12/2026"}, today=TODAY)[2] is not None


def test_the_length_bound_allows_exactly_max_days_and_trims_one_more():
    assert date_range({"from": "2025-12-05", "to": "2026-12-06"}, max_days=366, today=TODAY)[2] is None
    start, end, error = date_range({"from": "2025-12-04", "to": "2026-12-06"}, max_days=366, today=TODAY)
    assert (start, end) == (date(2025, 12, 5), TODAY) and error == "Kỳ tối đa 366 ngày."
