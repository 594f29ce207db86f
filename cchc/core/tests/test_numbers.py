"""The one Vietnamese number formatter (cchc.core.numbers) and the helpers routed through it."""

from decimal import Decimal
from fractions import Fraction

import pytest

from cchc.core.numbers import format_points, format_signed_text, format_vn


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (999, 0, "999"),            # boundary: no separator below a thousand …
    (1000, 0, "1.000"),         # … a dot from a thousand on
    (999.995, 2, "1.000,00"),   # rounding carries into the thousands
    (Decimal("3.25"), 2, "3,25"),
    (0.1 + 0.2, 2, "0,30"),     # a float is read by its shortest repr, not its binary expansion
    (-0.001, 2, "0,00"),        # never "-0,00"
    (-1234.5, 1, "-1.234,5"),
    (True, 0, "True"),          # a boolean is not a number here
])
def test_format_vn_writes_dot_thousands_and_comma_decimals(value, decimals, expected):
    assert format_vn(value, decimals) == expected


@pytest.mark.parametrize(("value", "expected"), [(4.05, "+4,05"), (-1.5, "-1,50"), (0, "0,00"), (0.004, "0,00")])
def test_signed_numbers_carry_a_plus_only_when_above_zero_after_rounding(value, expected):
    assert format_vn(value, 2, signed=True) == expected


@pytest.mark.parametrize(("value", "expected"), [(Decimal("3.25"), "3,25"), ("10.00", "10"), (1234.5, "1.234,5"), (None, "—")])
def test_points_drop_trailing_zeros(value, expected):
    assert format_points(value) == expected


@pytest.mark.parametrize(("stated", "expected"), [
    ("+4.05", "+4,05"), ("-1.5", "-1,5"), ("4,05", "+4,05"), ("−2.10", "-2,1"), ("+16", "+16"), ("0", "0"),
    ("1.234", "+1,234"),       # every digit the source printed is kept
    ("tăng mạnh", "tăng mạnh"), ("1.234.567", "1.234.567"), ("", ""), (None, ""),
])
def test_a_stated_change_is_rewritten_only_when_it_is_one_number(stated, expected):
    assert format_signed_text(stated) == expected


def test_helpers_that_had_their_own_formatting_now_agree_with_format_vn():
    from cchc.calendar.workdays import _vn_number
    from cchc.catalog.feeparse import vnd
    from cchc.catalog.staff_services import vn_int, vn_pct
    from cchc.dossiers.templatetags.dossier_format import vnd as vnd_filter
    from cchc.surveys.templatetags.cchc_index import pct

    assert vnd(1250000) == "1.250.000 đồng" and vnd_filter(1250000) == "1.250.000"
    assert vn_int(1937) == "1.937" and vn_pct(1234.5) == "1.234,50%"
    assert _vn_number(Fraction(3, 2)) == "1,5" and _vn_number(Fraction(2)) == "2"
    assert pct(1234.567) == "1.234,57" and pct(None) == "—" and pct("x") == "x"
