"""How a figure's value is printed in the report (pure)."""

from decimal import Decimal

from cchc.reports.compose import format_cell, format_value


def test_a_yes_no_figure_reads_as_a_word_in_lines_and_cells():
    assert format_value(True) == "Có" and format_value(False) == "Không"
    assert format_cell(True) == "Có" and format_cell(False) == "Không"


def test_numbers_are_written_the_vietnamese_way():
    assert format_value(12345, "hồ sơ") == "12.345 hồ sơ"
    assert format_value(Decimal("92.314"), "%") == "92,31%"
    assert format_value(None) == "chưa có số liệu"
