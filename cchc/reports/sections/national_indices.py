"""Kết quả Chỉ số CCHC (PAR INDEX) và Chỉ số hài lòng (SIPAS) công bố: the latest year not after the period with a
published score or rank, for the province and its predecessors (`surveys.selectors.national_history`), with the rank change and
the change of every component against the year before."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from . import figure

TITLE = "Kết quả Chỉ số CCHC (PAR INDEX) và Chỉ số hài lòng (SIPAS) được công bố"


def _stated_change(text: str) -> Decimal | None:
    try:
        return Decimal((text or "").strip().replace(",", ".").replace("−", "-").lstrip("+")) if text else None
    except InvalidOperation:
        return None


def report_section(province, start: date, end: date) -> dict:
    from cchc.surveys.models import IndexKind
    from cchc.surveys.selectors import national_history

    series = national_history(province=province)
    call = f"surveys.selectors.national_history(province={province.code})"
    figures, tables = [], []
    for kind, short in ((IndexKind.PAR_INDEX, "PAR INDEX"), (IndexKind.SIPAS, "SIPAS")):
        rows = [r for r in series[kind]["rows"] if r.year <= end.year]
        totals = [r for r in rows if not r.component and (r.score is not None or r.rank is not None)]
        if not totals:
            continue
        year = max(r.year for r in totals)
        by_key: dict = {}
        for r in rows:  # first source per (component, entity, year), as the national-index page shows it
            by_key.setdefault((r.component, r.entity_key, r.year), r)
        entities = sorted({r.entity_key: r.entity_name for r in totals if r.year == year}.items(), key=lambda kv: kv[1])
        for key, name in entities:
            cur = by_key[("", key, year)]
            prev = by_key.get(("", key, year - 1))
            q = f"{call}[{kind}][year={year}, entity={name}]"
            slug = f"national.{kind}.{year}.{key}"
            if cur.score is not None:
                figures.append(figure(f"{slug}.score", f"{short} {year} — {name}: chỉ số đạt", cur.score, "%", f"{q}.score"))
            if cur.rank is not None:
                figures.append(figure(f"{slug}.rank", f"{short} {year} — {name}: xếp hạng",
                                      cur.rank, f"/{cur.rank_of}" if cur.rank_of else "", f"{q}.rank"))
            if cur.rank_move is not None:
                figures.append(figure(f"{slug}.rank_change", f"{short} {year} — {name}: thay đổi thứ hạng so với năm {year - 1} (+ là tăng bậc)",
                                      cur.rank_move, "bậc", f"{q}.rank_move = hạng {year - 1} − hạng {year}"))
            change = (cur.score - prev.score) if prev is not None and prev.score is not None else _stated_change(cur.change_stated)
            if change is not None:
                how = f"score − score[{year - 1}]" if prev is not None and prev.score is not None else "change_stated (nguồn công bố)"
                figures.append(figure(f"{slug}.score_change", f"{short} {year} — {name}: thay đổi chỉ số so với năm {year - 1}",
                                      change, "điểm %", f"{q}.{how}"))
            comps = sorted({c for (c, k, y) in by_key if c and k == key and y == year},
                           key=lambda c: (len(c), c))
            if comps:
                table_rows = []
                for c in comps:
                    r = by_key[(c, key, year)]
                    p = by_key.get((c, key, year - 1))
                    delta = (r.score - p.score) if (p is not None and p.score is not None and r.score is not None) else _stated_change(r.change_stated)
                    table_rows.append([c, r.score, p.score if p is not None else None, delta, r.rank])
                tables.append({
                    "title": f"Chỉ số thành phần {short} {year} — {name}",
                    "columns": ["Chỉ số thành phần", f"Năm {year}", f"Năm {year - 1}", "Thay đổi", "Xếp hạng"],
                    "rows": table_rows, "query": f"{q}[component≠'']",
                })
    return {"title": TITLE, "figures": figures, "tables": tables}
