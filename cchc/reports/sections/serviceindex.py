"""Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg) of the province (`serviceindex.compute.compute_index`).

The index is defined per month, quarter or year: the year-end report shows the year (to date while it runs),
the six-month report shows quarters 1 and 2 (the index has no half-year period)."""

from __future__ import annotations

from datetime import date

from . import figure

TITLE = "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)"


def report_section(province, start: date, end: date) -> dict:
    from cchc.core.errors import NotFoundError
    from cchc.serviceindex.compute import compute_index
    from cchc.serviceindex.periods import parse_period

    half = start.month == 1 and end <= date(start.year, 6, 30)
    labels = [f"{start.year}-Q1", f"{start.year}-Q2"] if half else [str(start.year)]
    figures, tables = [], []
    for label in labels:
        period = parse_period(label)
        if period.date_from > end:
            continue
        try:
            res = compute_index(province=province, period=period)
        except NotFoundError as exc:  # no indicator set in force for the period: say so, invent nothing
            # the service's message speaks to an administrator (a CLI command); the report speaks to its readers
            note = ("Chưa có bộ chỉ số 766 áp dụng cho kỳ này trên nền tảng; chưa tính được Chỉ số."
                    if exc.code == "no_indicator_set" else exc.message)
            return {"title": TITLE, "figures": figures, "tables": tables, "note": note}
        call = f"serviceindex.compute.compute_index(province={province.code}, period={label})"
        total = res["total"]
        suffix = " (tạm tính)" if res["partial"] else ""
        figures.append(figure(f"si766.{label}.points", f"Chỉ số 766 {res['period_label'].lower()}{suffix}: tổng điểm",
                              total["points"], f"/{total['max']:g} điểm", f"{call}[total.points]"))
        if total.get("missing_indicators"):
            figures.append(figure(f"si766.{label}.missing", f"Chỉ số 766 {res['period_label'].lower()}: chỉ tiêu chưa có số liệu",
                                  total["missing_indicators"], "chỉ tiêu", f"{call}[total.missing_indicators]"))
        tables.append({
            "title": f"Chỉ số 766 {res['period_label'].lower()}{suffix} theo nhóm chỉ tiêu",
            "columns": ["Nhóm chỉ tiêu", "Điểm đạt", "Điểm tối đa"],
            "rows": [[f"{g['code']}. {g['name']}", g["points"], g["max"]] for g in res["groups"]],
            "query": f"{call}[groups]",
        })
    return {"title": TITLE, "figures": figures, "tables": tables}
