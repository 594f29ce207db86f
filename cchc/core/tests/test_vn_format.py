"""Vietnamese number formatting used by the pages (dot thousands, comma decimals)."""

import pytest

from cchc.core.templatetags.vn_format import format_vn, vn_number, vn_points


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (1250000, 0, "1.250.000"),
    (0, 0, "0"),
    (999, 0, "999"),
    (1000, 0, "1.000"),
    ("92.3149", 2, "92,31"),
    (-1234.5, 1, "-1.234,5"),
    (None, 0, "—"),
    ("", 2, "—"),
    ("abc", 0, "abc"),
    ("NaN", 2, "—"),
])
def test_format_vn_groups_thousands_with_dots_and_uses_a_decimal_comma(value, decimals, expected):
    assert format_vn(value, decimals) == expected


@pytest.mark.parametrize(("value", "expected"), [("10.00", "10"), ("2.50", "2,5"), ("1234.25", "1.234,25"), (None, "—")])
def test_points_drop_trailing_zeros(value, expected):
    assert vn_points(value) == expected


def test_a_bad_decimals_argument_falls_back_to_whole_numbers():
    assert vn_number(1234.6, "x") == "1.235"
