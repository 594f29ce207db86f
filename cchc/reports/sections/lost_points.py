"""Điểm bị trừ Chỉ số CCHC cấp tỉnh và giải trình: the latest national-index cycle of the province not after
the period (`indices.lost_selectors.national_lost_points`, the one definition: max − final points), with the
department in charge and its cause and remedy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from . import figure

TITLE = "Điểm bị trừ trong Chỉ số CCHC cấp tỉnh và giải trình của cơ quan chủ trì"


def national_cycle(province, year: int):
    from cchc.indices.models import AssessmentCycle, TargetGroup

    return (AssessmentCycle.objects.filter(criteria_set__target_group=TargetGroup.PROVINCE, participants__unit=province,
                                           year__lte=year).select_related("criteria_set").order_by("-year", "-pk").first())


def report_section(province, start: date, end: date) -> dict:
    from cchc.indices import lost_selectors as ls

    cycle = national_cycle(province, end.year)
    if cycle is None:
        return {"title": TITLE, "figures": [], "tables": [],
                "note": "Chưa có kỳ đánh giá Chỉ số CCHC cấp tỉnh của tỉnh trên nền tảng."}
    rows = ls.national_lost_points(cycle=cycle, province=province)
    call = f"indices.lost_selectors.national_lost_points(cycle={cycle.pk} «{cycle.name}», province={province.code})"
    s = ls.summary(rows)
    explained = sum(1 for r in rows if r["cause"] or r["remedy"])
    figures = [
        figure("lost.count", f"Tiêu chí thành phần bị trừ điểm ({cycle.name})", s["rows"], "tiêu chí", f"len({call})"),
        figure("lost.points", f"Tổng số điểm bị trừ ({cycle.name})", s["lost"], "điểm", f"sum({call}[lost])"),
        figure("lost.explained", "Tiêu chí bị trừ điểm đã có giải trình nguyên nhân, giải pháp", explained, "tiêu chí",
               f"count({call}[cause or remedy])"),
    ]
    fields = []
    for g in ls.by_field(rows):
        fields.append([f"{g['code']}. {g['title']}" if g["code"] else g["title"], len(g["rows"]), g["lost"]])
    table_rows = [[r["code"], r["title"], r["max"], r["points"], r["lost"], r["department"] or "Chưa giao",
                   "; ".join(x for x in (r["cause"], r["remedy"] and f"Giải pháp: {r['remedy']}") if x) or "Chưa giải trình"]
                  for r in sorted(rows, key=lambda r: (-r["lost"], r["code"]))]
    return {
        "title": TITLE,
        "figures": figures,
        "tables": [
            {"title": f"Điểm bị trừ theo lĩnh vực ({cycle.name})", "columns": ["Lĩnh vực", "Số tiêu chí bị trừ", "Điểm bị trừ"],
             "rows": fields, "query": f"indices.lost_selectors.by_field({call})"},
            {"title": f"Bảng điểm bị trừ và giải trình ({cycle.name})",
             "columns": ["Mã", "Tiêu chí thành phần", "Điểm tối đa", "Điểm đạt", "Điểm bị trừ", "Cơ quan chủ trì", "Nguyên nhân, giải pháp"],
             "rows": table_rows, "appendix": True, "query": call},
        ],
        "lost_total": Decimal(s["lost"]),
    }
