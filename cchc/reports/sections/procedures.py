"""Kiểm soát, đơn giản hóa TTHC: the province's procedure events in the period from the catalogue
(`catalog.selectors.simplification_report`: events of the province's publication decisions)."""

from __future__ import annotations

from datetime import date

from . import figure

TITLE = "Kiểm soát, công bố và đơn giản hóa thủ tục hành chính"


def report_section(province, start: date, end: date) -> dict:
    from cchc.catalog.selectors import simplification_report

    r = simplification_report(province=province, date_from=start, date_to=end)
    call = f"catalog.selectors.simplification_report(province={province.code}, date_from={start.isoformat()}, date_to={end.isoformat()})"
    spec = [
        ("in_force", "Thủ tục hành chính đang áp dụng trên địa bàn tỉnh (cuối kỳ)", "thủ tục"),
        ("new", "Thủ tục công bố ban hành mới trong kỳ", "thủ tục"),
        ("amended", "Thủ tục công bố sửa đổi, bổ sung trong kỳ", "thủ tục"),
        ("abolished", "Thủ tục công bố bãi bỏ trong kỳ", "thủ tục"),
        ("simplified_in_period", "Thủ tục được đơn giản hóa trong kỳ", "thủ tục"),
        ("time_cut", "Thủ tục được cắt giảm thời gian giải quyết trong kỳ", "thủ tục"),
        ("simplified", "Thủ tục đang áp dụng đã được đơn giản hóa hoặc cắt giảm thời gian (lũy kế)", "thủ tục"),
        ("simplified_pct", "Tỷ lệ thủ tục đang áp dụng đã được đơn giản hóa (lũy kế)", "%"),
    ]
    figures = [figure(f"procedures.{key}", label, r[key], unit, f"{call}[{key}]") for key, label, unit in spec]
    return {"title": TITLE, "figures": figures, "tables": []}
