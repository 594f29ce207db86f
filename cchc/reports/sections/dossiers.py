"""Tiếp nhận, giải quyết hồ sơ TTHC: the dossier figures of the province in the period, from the rollups
(`dossiers.rollups.rollup_statistics`, the same figures as `dossiers.selectors.dossier_statistics`, docs/rollups.md)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from . import figure

TITLE = "Tiếp nhận và giải quyết hồ sơ thủ tục hành chính"

# (key of rollup_statistics, label, unit)
FIGURES = [
    ("received", "Tổng số hồ sơ tiếp nhận (kỳ trước chuyển sang và tiếp nhận mới)", "hồ sơ"),
    ("carried_over", "Hồ sơ kỳ trước chuyển sang", "hồ sơ"),
    ("received_new", "Hồ sơ tiếp nhận mới trong kỳ", "hồ sơ"),
    ("settled", "Hồ sơ đã giải quyết", "hồ sơ"),
    ("settled_in_time", "Hồ sơ giải quyết trước hạn và đúng hạn", "hồ sơ"),
    ("settled_late", "Hồ sơ giải quyết quá hạn", "hồ sơ"),
    ("on_time_rate", "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn", "%"),
    ("in_process", "Hồ sơ đang giải quyết cuối kỳ", "hồ sơ"),
    ("in_process_overdue", "Hồ sơ đang giải quyết đã quá hạn", "hồ sơ"),
    ("apology_issued", "Hồ sơ có văn bản xin lỗi gửi người dân, doanh nghiệp", "hồ sơ"),
]


def statistics(province, start: date, end: date) -> tuple[dict, str]:
    """(the one total row for the province's dossiers, the call that produced it)."""
    from cchc.dossiers.rollups import rollup_statistics

    row = rollup_statistics(date_from=start, date_to=end, group_by=(), where=Q(province=province), extra=True)[0]
    row["settled_in_time"] = row["settled_early"] + row["settled_on_time"]
    call = (f"dossiers.rollups.rollup_statistics(where=Q(province={province.code}), date_from={start.isoformat()}, "
            f"date_to={end.isoformat()}, group_by=())")
    return row, call


def report_section(province, start: date, end: date) -> dict:
    from cchc.dossiers.rollups import rollup_statistics

    row, call = statistics(province, start, end)
    figures = []
    for key, label, unit in FIGURES:
        src = "settled_early + settled_on_time" if key == "settled_in_time" else key
        figures.append(figure(f"dossiers.{key}", label, row[key], unit, f"{call}[{src}]"))
    by_unit = rollup_statistics(date_from=start, date_to=end, group_by=("unit",), where=Q(province=province))
    by_unit.sort(key=lambda r: (-r["received"], r["unit_name"] or ""))
    rows = [[r["unit_name"], r["received"], r["settled"], r["settled_early"] + r["settled_on_time"], r["settled_late"],
             r["on_time_rate"], r["in_process"]] for r in by_unit]
    return {
        "title": TITLE,
        "figures": figures,
        "tables": [{
            "title": "Tình hình tiếp nhận, giải quyết hồ sơ theo đơn vị tiếp nhận",
            "columns": ["Đơn vị tiếp nhận", "Tiếp nhận", "Đã giải quyết", "Trước hạn, đúng hạn", "Quá hạn",
                        "Tỷ lệ đúng hạn (%)", "Đang giải quyết"],
            "rows": rows,
            "appendix": True,
            "query": call.replace("group_by=()", "group_by=('unit',)"),
        }],
    }
