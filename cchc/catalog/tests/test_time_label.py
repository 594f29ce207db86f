"""Thời hạn giải quyết as pages print it: one property, no "0 trong ngày"."""

from decimal import Decimal

import pytest

from cchc.catalog.models import ProvinceProcedure, TimeUnit


@pytest.mark.parametrize("value, unit, expected", [
    (Decimal("0"), TimeUnit.SAME_DAY, "Trong ngày"),
    (Decimal("1"), TimeUnit.SAME_DAY, "Trong ngày"),
    (Decimal("1.5"), TimeUnit.WORKING_DAYS, "1,5 ngày làm việc"),
    (Decimal("20"), TimeUnit.WORKING_DAYS, "20 ngày làm việc"),
    (Decimal("2"), TimeUnit.MONTHS, "2 tháng"),
    (Decimal("0.25"), TimeUnit.WORKING_HOURS, "0,25 giờ làm việc"),
    (None, TimeUnit.WORKING_DAYS, "—"),
])
def test_processing_time_reads_as_a_person_says_it(value, unit, expected):
    assert ProvinceProcedure(time_value=value, time_unit=unit).time_label == expected
