"""Kỳ báo cáo: 2026H1 = 01/01–30/06, 2026 = the year up to the report date; bad text and future periods refused."""

from datetime import date

import pytest

from cchc.reports.periods import ReportPeriodError, parse_report_period


def test_the_six_month_period_ends_on_30_june_and_is_whole_after_it():
    p = parse_report_period("2026H1", today=date(2026, 12, 5))
    assert (p.start, p.end, p.data_to, p.kind, p.partial) == (date(2026, 1, 1), date(2026, 6, 30), date(2026, 6, 30), "half", False)
    assert "6 tháng đầu năm 2026" in p.title and "6 tháng cuối năm 2026" in p.title
    assert p.coverage == "Kỳ báo cáo: từ ngày 01/01/2026 đến ngày 30/06/2026"


def test_the_year_report_made_in_december_states_its_cut_off_date():
    p = parse_report_period("2026", today=date(2026, 12, 5))
    assert (p.end, p.data_to, p.partial) == (date(2026, 12, 31), date(2026, 12, 5), True)
    assert p.coverage.endswith("số liệu tính đến ngày 05/12/2026")
    assert "năm 2027" in p.title


@pytest.mark.parametrize("today, data_to, partial", [
    (date(2026, 6, 29), date(2026, 6, 29), True), (date(2026, 6, 30), date(2026, 6, 30), False),
    (date(2026, 7, 1), date(2026, 6, 30), False)])
def test_the_half_year_is_to_date_until_its_last_day(today, data_to, partial):
    p = parse_report_period("2026h1", today=today)
    assert (p.code, p.data_to, p.partial) == ("2026H1", data_to, partial)


@pytest.mark.parametrize("text", ["", "2026H2", "2026-H1", "26", "2026Q1", "1999", "năm 2026"])
def test_bad_period_text_is_refused_with_the_accepted_forms(text):
    with pytest.raises(ReportPeriodError, match="YYYYH1|ngoài khoảng"):
        parse_report_period(text, today=date(2026, 12, 5))


def test_a_period_that_has_not_started_is_refused():
    with pytest.raises(ReportPeriodError, match="chưa bắt đầu"):
        parse_report_period("2027", today=date(2026, 12, 31))
    assert parse_report_period("2027", today=date(2027, 1, 1)).data_to == date(2027, 1, 1)
