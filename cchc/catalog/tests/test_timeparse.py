"""Processing-time parsing: every pattern of the national crawl, plus the free-text forms people write."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.catalog.timeparse import compose_time_text, parse_processing_time

CASES = [
    # text, value, unit, ambiguous
    ("5 Ngày làm việc", Decimal(5), "working_days", False),
    ("1 Ngày làm việc", Decimal(1), "working_days", False),
    ("1.5 Ngày làm việc", Decimal("1.5"), "working_days", False),
    ("05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", Decimal(5), "working_days", False),
    ("30 Ngày", Decimal(30), "calendar_days", True),
    ("Ngày", None, "calendar_days", True),
    ("1", Decimal(1), "unknown", True),
    ("120", Decimal(120), "unknown", True),
    ("120.000", Decimal(120), "unknown", True),
    ("0", Decimal(0), "unknown", True),
    ("Trong ngày", Decimal(1), "same_day", False),
    ("trong ngày làm việc", Decimal(1), "same_day", False),
    ("1 Giờ", Decimal(1), "working_hours", False),
    ("24 giờ làm việc", Decimal(24), "working_hours", False),
    ("6 Tháng", Decimal(6), "months", False),
    ("Không có thông tin", None, "unknown", False),
    ("(không có thông tin)", None, "unknown", False),
    ("", None, "unknown", False),
    (None, None, "unknown", False),
    ("03 đến 05 ngày làm việc", Decimal(5), "working_days", True),
    ("03 đến 05 ngày", Decimal(5), "calendar_days", True),
    ("3-5 ngày làm việc", Decimal(5), "working_days", True),
    ("NGÀY LÀM VIỆC", None, "working_days", True),
    ("theo quy định", None, "unknown", True),
]


@pytest.mark.parametrize(("text", "value", "unit", "ambiguous"), CASES)
def test_processing_time_is_parsed_into_value_unit_and_flag(text, value, unit, ambiguous):
    parsed = parse_processing_time(text)
    assert (parsed.value, parsed.unit, parsed.ambiguous) == (value, unit, ambiguous)


def test_every_flagged_time_says_why():
    for text, *_ in CASES:
        parsed = parse_processing_time(text)
        if parsed.ambiguous:
            assert parsed.reason


def test_number_and_unit_columns_are_joined_back_into_one_text():
    assert compose_time_text("5", "Ngày làm việc") == "5 Ngày làm việc"
    assert compose_time_text("1", "") == "1"
    assert compose_time_text("", "(không có thông tin)") == "(không có thông tin)"


def test_every_time_in_the_shipped_catalogue_parses_without_error():
    import csv

    from cchc.catalog.reference import CATALOGUE_FILE

    units = set()
    with CATALOGUE_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            parsed = parse_processing_time(compose_time_text(row["thoi_han_so"], row["thoi_han_don_vi"]))
            units.add(parsed.unit)
            if row["thoi_han_don_vi"] == "Ngày làm việc":
                assert parsed.unit == "working_days" and not parsed.ambiguous
            if row["thoi_han_don_vi"] == "Ngày":
                assert parsed.ambiguous
    assert {"working_days", "calendar_days", "working_hours", "months", "unknown"} <= units


@given(st.text(max_size=60))
def test_any_text_parses_to_a_known_unit_and_a_non_negative_value(text):
    parsed = parse_processing_time(text)
    assert parsed.unit in {"working_days", "calendar_days", "working_hours", "same_day", "months", "unknown"}
    assert parsed.value is None or parsed.value >= 0
    assert parsed.ambiguous or parsed.unit != "unknown" or parsed.value is None


@given(st.integers(min_value=0, max_value=999), st.sampled_from(["Ngày làm việc", "ngày làm việc", "NGÀY LÀM VIỆC"]))
def test_n_working_days_is_never_flagged(n, unit):
    parsed = parse_processing_time(f"{n} {unit}")
    assert (parsed.value, parsed.unit, parsed.ambiguous) == (n, "working_days", False)


def test_an_implausibly_large_number_is_flagged_not_crashed_on():
    from cchc.catalog.timeparse import parse_processing_time

    parsed = parse_processing_time("10000000000000000000000000000")
    assert parsed.value is None and parsed.ambiguous
    big = parse_processing_time("100000 Ngày làm việc")
    assert big.value is None and big.unit == "working_days"
