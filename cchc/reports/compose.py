"""Báo cáo sơ kết / tổng kết CCHC: compose the report of a province for a period from the registered sections.

The report owns no statistic: every figure comes from a section (one per source, see `registry.SECTIONS`), is
numbered in reading order ([1], [2], …) and listed in the appendix "Phụ lục: nguồn số liệu" with the query that
produced it. The assessment (đánh giá chung) and directions (phương hướng) are sentences built from those same
numbered figures by fixed rules, so every number in them is traceable too.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from cchc.core.numbers import MISSING, format_points, format_vn

from . import registry
from .periods import ReportPeriod

PARTS = {
    "I": "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
    "II": "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
    "III": "ĐÁNH GIÁ CHUNG",
    "IV": "PHƯƠNG HƯỚNG, NHIỆM VỤ",
}


def format_value(value, unit: str = "", *, signed: bool = False) -> str:
    """A figure as it is printed: 12.345 hồ sơ; 92,31%; 12/63; +3 bậc; "chưa có số liệu" for None."""
    if value is None:
        return "chưa có số liệu"
    if isinstance(value, bool):  # a yes/no figure ("Ban hành kế hoạch đúng hạn") reads as a word, never True/False
        text = "Có" if value else "Không"
    elif isinstance(value, str):
        text = value
    elif isinstance(value, int):
        text = format_vn(value, 0, signed=signed)
    elif unit == "%":
        text = format_vn(value, 2, signed=signed)
    else:
        text = format_vn(value, 2, strip_zeros=True, signed=signed)
    if not unit:
        return text
    if unit == "%" or unit.startswith("/"):
        return f"{text}{unit}"
    return f"{text} {unit}"


def format_cell(value, column: str = "") -> str:
    """A table cell: counts grouped (1.234), rates in a "(%)" column with two decimals (100,00), points short (2,5)."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int):
        return format_vn(value)
    if isinstance(value, (float, Decimal)):
        return format_vn(value, 2) if "%" in column else format_points(value)
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def place_name(province) -> str:
    """"Tỉnh Tây Ninh" → "Tây Ninh" (the place on the date line)."""
    name = province.name
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _call(entry: registry.Entry, province, period: ReportPeriod) -> dict:
    func, why = registry.resolve(entry)
    if func is None:
        return {"available": False, "note": why, "figures": [], "tables": []}
    data = func(province, period.start, period.data_to)
    return {"available": True, "note": data.get("note", ""), "figures": [dict(f) for f in data.get("figures") or []],
            "tables": list(data.get("tables") or []), "source_title": data.get("title", "")}


def _is_number(value) -> bool:
    """Numbers are right-aligned in tables; text (names, bases, decisions) stays left."""
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _signed(key: str) -> bool:
    return key.endswith("_change")


def compose(*, province, period: ReportPeriod, entries: list[registry.Entry] | None = None) -> dict:
    """The whole report as data: header, parts I–IV with numbered figures, appendix tables and the sources table."""
    entries = registry.SECTIONS if entries is None else entries
    figures: list[dict] = []
    parts = {p: [] for p in ("I", "II")}
    appendix_tables: list[dict] = []
    for entry in entries:
        data = _call(entry, province, period)
        section = {"heading": entry.heading, "key": entry.path or "", **data, "body_tables": []}
        prefix = (entry.app or "").rsplit(".", 1)[-1]
        for f in section["figures"]:
            if prefix and "." not in f["key"]:  # another app's key, made unique in the report ("inspections.findings")
                f["key"] = f"{prefix}.{f['key']}"
            f["no"] = len(figures) + 1
            f["text"] = format_value(f.get("value"), f.get("unit") or "", signed=_signed(f["key"]))
            f["section"] = entry.heading
            figures.append(f)
        for t in section["tables"]:
            cols = list(t.get("columns") or [])
            t = {**t, "cells": [[{"t": format_cell(c, cols[i] if i < len(cols) else ""), "n": _is_number(c) or c is None} for i, c in enumerate(row)]
                                for row in t.get("rows") or []]}
            if t.get("appendix"):
                t["reference"] = f"Phụ lục {_roman(len(appendix_tables) + 1)}"
                appendix_tables.append(t)
                section["body_tables"].append({"title": t["title"], "reference": t["reference"], "cells": None})
            else:
                section["body_tables"].append(t)
        section["number"] = len(parts[entry.part]) + 1
        parts[entry.part].append(section)
    by_key = {f["key"]: f for f in figures}
    header = {
        "issuer": f"ỦY BAN NHÂN DÂN\n{province.name.upper()}",
        "issuer_inline": f"UBND {province.name[:1].lower()}{province.name[1:]}",
        "issuer_lines": ["ỦY BAN NHÂN DÂN", province.name.upper()],
        "number": "Số:        /BC-UBND",
        "place_date": f"{place_name(province)}, ngày {period.report_date:%d} tháng {period.report_date:%m} năm {period.report_date:%Y}",
        "title": "BÁO CÁO",
        "subtitle": period.title,
        "coverage": period.coverage,
    }
    return {
        "province": province, "period": period, "header": header,
        "parts": [{"number": n, "title": PARTS[n], "sections": parts[n]} for n in ("I", "II")],
        "assessment": assessment(by_key, figures),
        "assessment_title": PARTS["III"],
        "directions": directions(by_key, parts, period),
        "directions_title": f"{PARTS['IV']} {period.next_label.upper()}",
        "appendix_tables": appendix_tables,
        "sources_reference": f"Phụ lục {_roman(len(appendix_tables) + 1)}",
        "figures": figures,
        "generated_at": timezone.localtime(),
        "recipients": ["Bộ Nội vụ;", "Thường trực Tỉnh ủy;", "Thường trực HĐND tỉnh;", "Chủ tịch, các Phó Chủ tịch UBND tỉnh;",
                       "Các sở, ban, ngành tỉnh;", "UBND các xã, phường;", "Lưu: VT, SNV."],
        "signature": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    }


def _roman(n: int) -> str:
    return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n - 1] if n <= 10 else str(n)


def _ref(f: dict) -> str:
    return f"{f['text']} [{f['no']}]"


def _val(by_key: dict, key: str):
    f = by_key.get(key)
    return None if f is None else f.get("value")


def assessment(by_key: dict, figures: list[dict]) -> dict:
    """Ưu điểm / tồn tại, hạn chế: fixed rules over the numbered figures (each sentence cites its figures)."""
    good, bad = [], []
    f = by_key.get("dossiers.on_time_rate")
    if f and f["value"] is not None:
        good.append(f"Tỷ lệ hồ sơ thủ tục hành chính giải quyết trước hạn và đúng hạn đạt {_ref(f)} trên tổng số "
                    f"{_ref(by_key['dossiers.settled'])} đã giải quyết.")
    f = by_key.get("digital.online_share")
    if f and f["value"] is not None:
        # a strength only when something was received online; 0% read as "đạt 0,00%" under ưu điểm is nonsense
        (good if f["value"] > 0 else bad).append(
            f"Tỷ lệ hồ sơ tiếp nhận trực tuyến {'đạt' if f['value'] > 0 else 'chỉ đạt'} {_ref(f)}; tỷ lệ hồ sơ được số hóa đạt "
            f"{_ref(by_key['digital.digitised_documents_share'])}.")
    done = [(verb, by_key[k]) for verb, k in (("đơn giản hóa", "procedures.simplified_in_period"),
                                              ("cắt giảm thời gian giải quyết", "procedures.time_cut")) if by_key.get(k, {}).get("value")]
    if done:
        good.append("Đã công bố " + "; ".join(f"{verb} {_ref(f)}" for verb, f in done) + ".")
    for key, fig in by_key.items():
        if key.startswith("national.") and key.endswith(".rank_change") and fig["value"]:
            label = fig["label"].split(":")[0]
            (good if fig["value"] > 0 else bad).append(
                f"{label} {'tăng' if fig['value'] > 0 else 'giảm'} {format_vn(abs(fig['value']))} bậc so với năm trước [{fig['no']}].")
    late = by_key.get("dossiers.settled_late")
    if late and late["value"]:
        bad.append(f"Còn {_ref(late)} giải quyết quá hạn; đã có văn bản xin lỗi người dân, doanh nghiệp đối với "
                   f"{_ref(by_key['dossiers.apology_issued'])}.")
    over = by_key.get("dossiers.in_process_overdue")
    if over and over["value"]:
        bad.append(f"Đến cuối kỳ còn {_ref(over)} đang giải quyết đã quá hạn.")
    lost = by_key.get("lost.points")
    if lost and lost["value"]:
        bad.append(f"Chỉ số CCHC cấp tỉnh còn bị trừ {_ref(lost)} ở {_ref(by_key['lost.count'])}.")
    # the other apps' overdue figures (tasks, recommendations, feedback past the legal time), one sentence per section
    # named by its heading: a bare "Hoàn thành quá hạn: 6 nhiệm vụ" or "Kiến nghị hoàn thành trễ hạn" (of an
    # inspection, not a citizen's) does not say what it is about
    by_section: dict[str, list[str]] = {}
    for fig in figures:
        if fig["key"].split(".", 1)[0] in ("dossiers", "digital", "procedures", "national", "lost", "si766"):
            continue
        if ("overdue" in fig["key"] or "late" in fig["key"]) and isinstance(fig.get("value"), (int, float, Decimal)) and fig["value"] > 0:
            by_section.setdefault(fig.get("section") or "", []).append(f"{_lower_first(fig['label'])} {_ref(fig)}")
    for section, items in by_section.items():
        bad.append(f"{section}: {'; '.join(items)}." if section else f"{'; '.join(items)}.")
    return {"strengths": good, "weaknesses": bad}


def _lower_first(label: str) -> str:
    """"Trả lời quá hạn" → "trả lời quá hạn" inside a sentence; an acronym ("PAR INDEX", "UBND") stays as written."""
    return label[:1].lower() + label[1:] if len(label) > 1 and label[1].islower() else label


def directions(by_key: dict, parts: dict, period: ReportPeriod) -> list[str]:
    """Phương hướng: the standing tasks of the next period, and the ones the figures call for."""
    out = [f"Tiếp tục triển khai đồng bộ các nhiệm vụ của Kế hoạch cải cách hành chính {period.next_label}; "
           "gắn trách nhiệm người đứng đầu với kết quả thực hiện."]
    units = next((t for s in parts["II"] for t in s["tables"] if t.get("title", "").startswith("Tình hình tiếp nhận")), None)
    if units and units.get("rows"):
        worst = [r for r in sorted(units["rows"], key=lambda r: -(r[4] or 0)) if r[4]][:3]
        if worst:
            out.append("Chấn chỉnh tình trạng giải quyết hồ sơ quá hạn, tập trung tại: "
                       + "; ".join(f"{r[0]} ({format_vn(r[4])} hồ sơ quá hạn)" for r in worst) + ".")
    lost_tables = [t for s in parts["II"] for t in s["tables"] if t.get("title", "").startswith("Điểm bị trừ theo lĩnh vực")]
    if lost_tables and lost_tables[0]["rows"]:
        top = sorted(lost_tables[0]["rows"], key=lambda r: -(r[2] or 0))[:3]
        out.append("Khắc phục các tiêu chí bị trừ điểm trong Chỉ số CCHC, tập trung các lĩnh vực: "
                   + "; ".join(f"{r[0]} (bị trừ {format_points(r[2])} điểm)" for r in top) + ".")
    if _val(by_key, "digital.online_share") is not None:
        out.append("Đẩy mạnh tiếp nhận hồ sơ trực tuyến, số hóa hồ sơ và trả kết quả điện tử; thanh toán phí, lệ phí trực tuyến.")
    out.append("Rà soát, đơn giản hóa thủ tục hành chính và cắt giảm thời gian giải quyết; công khai, minh bạch việc giải quyết hồ sơ.")
    return out
