"""Bảng thống kê (dashboard) of dossier settlement for leaders, the PAR office and unit heads.

/mot-cua/thong-ke/                      headline tiles, table by unit, lateness attribution, charts
/mot-cua/thong-ke/?ky=thang|quy|6-thang|nam|tuy-chon[&nam=YYYY][&tu=YYYY-MM-DD&den=YYYY-MM-DD]
                 &sap_xep=<column>|-<column>  server-side sort (default: worst on-time rate first)
                 &don_vi=<unit code>          drill-down: the same figures by procedure and by channel
                 &xuat=xlsx                   the table as an Excel workbook

Every figure is one of `selectors.dossier_statistics` (the one definition of each statistic), read from the
rollups (`rollups.rollup_statistics`, `rollups.monthly_series`; docs/rollups.md) so the page never scans the
dossier table; nothing is recomputed here. The lateness attribution reads the steps (selectors.late_steps_by).
Scope: the dossiers the user may see (`dossiers_for_user`, built on the permission helper's scope_q);
table rows are units in the user's scope (`filter_by_scope` on Unit).

A dossier's row ("đơn vị" of the table) is the unit responsible for it: the handling unit (sở, xã) when
that unit is in the viewer's scope, otherwise the receiving unit; a commune's one-stop desk is rolled up
to its commune. So the province leader sees departments, the service centre (dossiers not yet handed to a
department) and communes; the head of the service centre sees the dossiers received at the centre.
"""

from __future__ import annotations

import re
from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cchc.accounts.permissions import can, scope_q
from cchc.core.errors import DomainError
from cchc.core.xlsx import workbook_bytes
from cchc.units.targets import target_for

from . import selectors
from .rollups import total_row
from .views import _error_page, staff_required

MAX_PERIOD_DAYS = 3 * 366 + 1  # custom periods up to three years (36 points on the monthly line)
CHART_UNITS = 30
DRILL_PROCEDURES_SHOWN = 50  # the page shows the first 50 procedures in the chosen order; the XLSX has all

PERIODS = [
    ("thang", "Tháng này"),
    ("quy", "Quý này"),
    ("6-thang", "6 tháng (sơ kết)"),
    ("nam", "Năm (tổng kết)"),
    ("tuy-chon", "Tùy chọn"),
]
PERIOD_KEYS = {k for k, _ in PERIODS}
DEFAULT_PERIOD = "nam"

# column slug → (statistics key, label, kind)  kind: "count" | "rate" | "name"
COLUMNS = [
    ("don-vi", "name", "Đơn vị", "name"),
    ("tiep-nhan", "received", "Tiếp nhận", "count"),
    ("da-giai-quyet", "settled", "Đã giải quyết", "count"),
    ("truoc-han", "settled_early", "Trước hạn", "count"),
    ("dung-han", "settled_on_time", "Đúng hạn", "count"),
    ("tre-han", "settled_late", "Trễ hạn", "count"),
    ("ty-le-dung-han", "on_time_rate", "Tỷ lệ đúng hạn (%)", "rate"),
    ("dang-qua-han", "in_process_overdue", "Đang quá hạn", "count"),
    ("bo-sung", "supplemented", "Yêu cầu bổ sung", "count"),
    ("tu-choi", "rejected", "Từ chối", "count"),
    ("rut", "withdrawn", "Rút hồ sơ", "count"),
    ("xin-loi", "apology_issued", "Phiếu xin lỗi", "count"),
    ("truc-tuyen", "online_share", "Trực tuyến (%)", "rate"),
    ("so-hoa", "digitised_documents_share", "Số hóa (%)", "rate"),
]
SORT_KEYS = {slug: key for slug, key, _, _ in COLUMNS}
DEFAULT_SORT = "ty-le-dung-han"


# ------------------------------------------------------------------------------------------ period

def _parse_date(text: str | None) -> date | None:
    text = (text or "").strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or None
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def _fmt(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def resolve_period(params, today: date) -> dict:
    """Kỳ thống kê from the query string; unknown or bad values fall back to this year, with a message.

    Calendar periods ending today for the running period: tháng này, quý này, 6 tháng đầu năm (sơ kết;
    1/1–30/6, up to today while it runs), năm (tổng kết; 1/1–31/12, up to today), or tu..den.
    `nam=YYYY` picks an earlier year for "6-thang" and "nam".
    """
    error = None
    key = str(params.get("ky") or DEFAULT_PERIOD)
    if key not in PERIOD_KEYS:
        error = "Kỳ thống kê không hợp lệ; đang hiển thị cả năm."
        key = DEFAULT_PERIOD
    year = today.year
    raw_year = str(params.get("nam") or "").strip()
    if raw_year:
        if raw_year.isdigit() and 2000 <= int(raw_year) <= today.year:
            year = int(raw_year)
        else:
            error = f"Năm không hợp lệ; năm phải từ 2000 đến {today.year}."
    if key == "tuy-chon":
        d_from, d_to = _parse_date(params.get("tu")), _parse_date(params.get("den"))
        if d_from is None or d_to is None:
            error = "Nhập ngày bắt đầu và ngày kết thúc (dd/mm/yyyy) cho kỳ tùy chọn; đang hiển thị cả năm."
        elif d_to < d_from:
            error = "Ngày kết thúc trước ngày bắt đầu; đang hiển thị cả năm."
        elif (d_to - d_from).days > MAX_PERIOD_DAYS:
            error = "Kỳ tùy chọn dài tối đa 3 năm; đang hiển thị cả năm."
        elif d_from > today:
            error = "Kỳ tùy chọn bắt đầu sau hôm nay; đang hiển thị cả năm."
        else:
            d_to = min(d_to, today)
            return {"key": key, "date_from": d_from, "date_to": d_to, "label": f"Từ {_fmt(d_from)} đến {_fmt(d_to)}",
                    "error": error, "year": year}
        key = DEFAULT_PERIOD
    if key == "thang":
        d_from = today.replace(day=1)
        d_to = today
        label = f"Tháng {today.month}/{today.year}"
    elif key == "quy":
        q = (today.month - 1) // 3
        d_from = date(today.year, 3 * q + 1, 1)
        d_to = today
        label = f"Quý {q + 1}/{today.year}"
    elif key == "6-thang":
        d_from = date(year, 1, 1)
        d_to = min(date(year, 6, 30), today)
        label = f"6 tháng đầu năm {year} (sơ kết)"
    else:
        d_from = date(year, 1, 1)
        d_to = min(date(year, 12, 31), today)
        label = f"Năm {year} (tổng kết)"
    label += f" · {_fmt(d_from)} – {_fmt(d_to)}"
    return {"key": key, "date_from": d_from, "date_to": d_to, "label": label, "error": error, "year": year}


# ------------------------------------------------------------------------------------------ scope and rows

def add_cells(rows: list[dict], *, year: int, default_unit=None) -> list[dict]:
    """The table cells of each row in column order: rates marked; a rate below its target (the row unit's,
    `selectors.attach_targets`) and open overdue dossiers flagged."""
    selectors.attach_targets(rows, year=year, default_unit=default_unit)
    for r in rows:
        cells = []
        for _, key, _, kind in COLUMNS[1:]:
            v = r.get(key)
            target = r["targets"].get(key)
            bad = r["below"].get(key, False) or (key == "in_process_overdue" and bool(v))
            title = f"Mục tiêu {target.value:g} % ({target.source_label})" if target else ""
            few = key == "on_time_rate" and bool(r.get("few"))
            if few:
                title = (f"Chỉ {r['settled']} hồ sơ đã giải quyết (dưới {selectors.MIN_SETTLED_FOR_RATE}): tỷ lệ chưa đủ "
                         "tin cậy để so sánh, không xếp hạng trên biểu đồ. " + title).strip()
            cells.append({"value": v, "rate": kind == "rate", "bad": bad, "few": few, "title": title})
        r["cells"] = cells
        r["below_target"] = r["below"]["on_time_rate"]
    return rows


def _sort_rows(rows: list[dict], sort: str) -> tuple[list[dict], str]:
    slug = sort.lstrip("-")
    if slug not in SORT_KEYS:
        sort, slug = DEFAULT_SORT, DEFAULT_SORT
    key = SORT_KEYS[slug]
    desc = sort.startswith("-")
    if key == "name":
        rows.sort(key=lambda r: (r.get("name") or "").lower(), reverse=desc)
        return rows, sort
    present = [r for r in rows if r.get(key) is not None]
    missing = [r for r in rows if r.get(key) is None]
    # the on-time rate of a unit with few settled dossiers (selectors.mark_low_volume) is noise: those units come
    # after the ranked ones, in either direction
    few = [r for r in present if key == "on_time_rate" and r.get("few")]
    present = [r for r in present if not (key == "on_time_rate" and r.get("few"))]
    # ties: more settled dossiers first (a 90 % over 500 dossiers matters more than over 2), then by name
    order = lambda r: (-(r[key]) if desc else r[key], -r.get("settled", 0), (r.get("name") or "").lower())  # noqa: E731
    present.sort(key=order)
    few.sort(key=order)
    missing.sort(key=lambda r: (r.get("name") or "").lower())
    return present + few + missing, sort


# ------------------------------------------------------------------------------------------ export

def mark_partial_months(monthly: dict, today: date) -> dict:
    """monthly["partial"][i] = month i is not over (it ends today or later) or is cut by the period's end; its
    label gets "(tạm tính)" so a running month is never read as a drop (the chart and the table say so)."""
    import calendar as _calendar

    partial = []
    for label in monthly["labels"]:
        month, year = (int(x) for x in label.split("/"))
        last = date(year, month, _calendar.monthrange(year, month)[1])
        partial.append(last >= today)
    monthly["partial"] = partial
    monthly["display"] = [f"{lab} (tạm tính)" if p else lab for lab, p in zip(monthly["labels"], partial, strict=True)]
    return monthly


def _monthly_rows(monthly: dict) -> list[dict]:
    """The monthly chart's numbers as table rows (same series)."""
    return [{"label": lab, "display": disp, "partial": p, "received_new": n, "settled": st, "settled_late": lt,
             "sort": f"{lab[3:]}{lab[:2]}"}
            for lab, disp, p, n, st, lt in zip(monthly["labels"], monthly["display"], monthly["partial"],
                                               monthly["received_new"], monthly["settled"], monthly["settled_late"],
                                               strict=True)]


def _extra_sheets(monthly: dict, late: dict) -> list[tuple[str, list[str], list[list]]]:
    """Sheets beside the table: the monthly chart's numbers and the two lateness tables."""
    late_headers = ["Bước đã xong", "Trễ", "Tỷ lệ trễ (%)", "Chưa xong, đã quá hạn"]
    return [
        ("Theo tháng", ["Tháng", "Tiếp nhận mới", "Đã giải quyết", "Trễ hạn"],
         [[r["display"], r["received_new"], r["settled"], r["settled_late"]] for r in _monthly_rows(monthly)]),
        ("Trễ hạn theo đơn vị", ["Đơn vị", *late_headers],
         [[r.get("name") or r.get("unit"), r["steps"], r["late"], r["late_rate"], r["open_late"]] for r in late["unit"]]),
        ("Trễ hạn theo người", ["Người xử lý", "Tài khoản", *late_headers],
         [[r.get("name") or r.get("person"), r.get("person"), r["steps"], r["late"], r["late_rate"], r["open_late"]]
          for r in late["person"]]),
        ("Trễ hạn theo bước", ["Bước (công việc)", *late_headers],
         [[r.get("name") or "(không ghi công việc)", r["steps"], r["late"], r["late_rate"], r["open_late"]]
          for r in late.get("step", [])]),
    ]


def _xlsx(title: str, subtitle: str, sheets: list[tuple[str, str, list[dict], dict | None]], extra=None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for sheet_name, first_label, rows, total in sheets:
        ws = wb.create_sheet(sheet_name[:31])
        ws.append([title])
        ws.append([subtitle])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([])
        headers = ["STT", first_label] + [label for _, _, label, _ in COLUMNS[1:]]
        ws.append(headers)
        for cell in ws[4]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for i, r in enumerate(rows, 1):
            ws.append([i] + [r.get(key) for _, key, _, _ in COLUMNS])
        if total is not None:
            ws.append(["", "Tổng cộng"] + [total.get(key) for _, key, _, kind in COLUMNS[1:]])
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        for col, (_, _, _, kind) in enumerate(COLUMNS, 2):
            if kind == "rate":
                for row in ws.iter_rows(min_row=5, min_col=col, max_col=col):
                    row[0].number_format = "0.00"
        ws.column_dimensions["A"].width = 6
        ws.column_dimensions["B"].width = 42
        for col in range(3, len(COLUMNS) + 2):
            ws.column_dimensions[get_column_letter(col)].width = 12
        ws.freeze_panes = "C5"
    for sheet_name, headers, body in extra or []:
        ws = wb.create_sheet(sheet_name[:31])
        ws.append([title])
        ws.append([subtitle])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([])
        ws.append(headers)
        for cell in ws[4]:
            cell.font = Font(bold=True)
        for line in body:
            ws.append(line)
        ws.column_dimensions["A"].width = 36
    return workbook_bytes(wb)


# ------------------------------------------------------------------------------------------ page

def _scope_label(user) -> str:
    unit = getattr(user, "unit", None)
    if scope_q(user, None) is None:
        return "Toàn hệ thống"
    if unit is None:
        return ""
    role = getattr(user, "role", "")
    if role in ("province_leader", "par_office"):
        return unit.province_unit.name
    if role == "unit_head":
        return f"{unit.name} và các đơn vị trực thuộc"
    return unit.name


def _qs_without(params, *drop: str) -> str:
    from urllib.parse import urlencode

    items = [(k, v) for k in params for v in params.getlist(k) if k not in drop and k != "xuat"]
    return urlencode(items)


def _column_links(sort: str, base_qs: str) -> list[dict]:
    """Header links: a click sorts by the column (counts largest first, rates lowest first); again reverses."""
    out = []
    for slug, key, label, kind in COLUMNS:
        first = slug if kind in ("rate", "name") else f"-{slug}"
        if sort == first:
            nxt = first[1:] if first.startswith("-") else f"-{first}"
        else:
            nxt = first
        current = sort.lstrip("-") == slug
        aria = ("descending" if sort.startswith("-") else "ascending") if current else ""
        href = f"?{base_qs + '&' if base_qs else ''}sap_xep={nxt}"
        out.append({"slug": slug, "key": key, "label": label, "kind": kind, "href": href, "aria": aria})
    return out


@staff_required
def dashboard(request):
    """Thống kê giải quyết hồ sơ: period, tiles, table by unit (drill-down), lateness, charts, XLSX."""
    user = request.user
    if not can(user, "view"):
        return _error_page(request, 403, "Không có quyền", "Bạn không có quyền xem thống kê.")
    now = timezone.now()
    today = timezone.localdate()
    period = resolve_period(request.GET, today)
    d_from, d_to = period["date_from"], period["date_to"]
    # a period that is not over (its last day is today: the running month, quarter, half-year, year) is partial
    period["partial"] = d_to >= today
    scope_ids = selectors.scope_unit_ids(user)
    try:
        rows = selectors.unit_rows(user=user, date_from=d_from, date_to=d_to, now=now, scope_ids=scope_ids, extra=True)
        # every dossier the viewer may see has exactly one responsible unit: the total is the sum of the rows
        total = total_row(rows)
        # không hài lòng: settled dossiers whose applicant rated them 1–2 of 5 (selectors.Q_DISSATISFIED, rollups)
        total["settled_dissatisfied"] = sum(r.get("settled_dissatisfied") or 0 for r in rows)
        total["dissatisfied_share"] = selectors._pct(total["settled_dissatisfied"], total["settled"])
    except DomainError as exc:  # pragma: no cover - the period is validated above
        return _error_page(request, 400, "Yêu cầu không hợp lệ", exc.message)
    selectors.mark_low_volume(rows)
    rows, sort = _sort_rows(rows, str(request.GET.get("sap_xep") or DEFAULT_SORT))

    drill_unit, drill, messages_ = None, None, []
    if period["error"]:
        messages_.append(period["error"])
    code = str(request.GET.get("don_vi") or "").strip()
    if code:
        drill_unit = selectors.unit_in_scope(user, code)
        if drill_unit is None:
            messages_.append("Đơn vị không có trong phạm vi của bạn; đang hiển thị toàn bộ phạm vi.")
        else:
            drill = selectors.drill_rows(user=user, unit=drill_unit, date_from=d_from, date_to=d_to, now=now, scope_ids=scope_ids)
            # by default the procedures with most late dossiers come first (a 0 % over one dossier is noise)
            drill["procedure"], _ = _sort_rows(drill["procedure"], sort if request.GET.get("sap_xep") else "-tre-han")
            drill["channel"], _ = _sort_rows(drill["channel"], sort)
            drill["row"] = next((r for r in rows if r["row_unit"] == drill_unit.pk), None)

    scope_label = _scope_label(user)
    if str(request.GET.get("xuat") or "") == "xlsx":
        title = "Thống kê tình hình giải quyết hồ sơ thủ tục hành chính"
        subtitle = f"{scope_label} · {period['label']}"
        if drill_unit is not None:
            sheets = [("Theo thủ tục", "Thủ tục", drill["procedure"], drill["row"]),
                      ("Theo kênh", "Kênh nộp", drill["channel"], drill["row"])]
            subtitle = f"{drill_unit.name} · {period['label']}"
        else:
            sheets = [("Theo đơn vị", "Đơn vị", rows, total)]
        if period["partial"]:
            subtitle += " · kỳ chưa kết thúc, số liệu tạm tính"
        extra = None
        if drill_unit is None:  # every chart's and table's numbers: the monthly line and the lateness tables
            monthly = mark_partial_months(selectors.monthly_series(user=user, date_from=d_from, date_to=d_to, now=now), today)
            late = selectors.late_attribution(date_from=d_from, date_to=d_to, scope_ids=scope_ids)
            extra = _extra_sheets(monthly, late)
        data = _xlsx(title, subtitle, sheets, extra=extra)
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        name = f"thong-ke-ho-so_{d_from:%Y%m%d}_{d_to:%Y%m%d}{'_' + drill_unit.code if drill_unit else ''}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    monthly = mark_partial_months(selectors.monthly_series(user=user, date_from=d_from, date_to=d_to, now=now), today)
    # hôm nay: today's intake from the rollups (one day, same definition); in process / overdue now are the tiles'
    today_row = (total_row(selectors.unit_rows(user=user, date_from=today, date_to=today, now=now, scope_ids=scope_ids))
                 if period["partial"] else None)
    late = selectors.late_attribution(date_from=d_from, date_to=d_to, scope_ids=scope_ids)
    # bars only for units with enough settled dossiers (worst first, whatever the table's order); the others apart
    chart_rows, few_rows = selectors.rate_chart_rows(rows, limit=CHART_UNITS)
    # the viewer's own target (unit → province → national, units.targets.target_for) heads the page and the chart
    scope_unit = getattr(user, "unit", None)
    target = target_for("on_time_rate", scope_unit, d_to.year)
    # the other tiles' targets (same resolution; None: no target set — the tile says so)
    tile_targets = {m: target_for(m, scope_unit, d_to.year)
                    for m in ("online_share", "digitised_documents_share", "electronic_result_share")}
    tile_below = {m: (t is not None and total.get(m) is not None and total[m] < t.value) for m, t in tile_targets.items()}
    base_qs = _qs_without(request.GET, "sap_xep", "don_vi")
    add_cells(rows, year=d_to.year)
    add_cells([total], year=d_to.year, default_unit=scope_unit)
    charts = {  # bars are red where the row misses ITS target (selectors.attach_targets), not the viewer's
        "target": target.value if target else None,
        "units": {"labels": [r["name"] for r in chart_rows], "rates": [r["on_time_rate"] for r in chart_rows],
                  "below": [r["below_target"] for r in chart_rows], "settled": [r["settled"] for r in chart_rows]},
        "monthly": monthly,
    }
    if drill:
        drill["procedure_hidden"] = max(0, len(drill["procedure"]) - DRILL_PROCEDURES_SHOWN)
        drill["procedure"] = drill["procedure"][:DRILL_PROCEDURES_SHOWN]
        add_cells(drill["procedure"], year=d_to.year, default_unit=drill_unit)
        add_cells(drill["channel"], year=d_to.year, default_unit=drill_unit)
    ctx = {
        "period": period, "periods": PERIODS, "total": total, "rows": rows, "sort": sort,
        "columns": _column_links(sort, _qs_without(request.GET, "sap_xep")),
        "target": target, "below_target": total["below_target"], "tile_targets": tile_targets, "tile_below": tile_below,
        "today_row": today_row, "monthly_rows": _monthly_rows(monthly),
        "late": late, "charts": charts, "chart_count": len(chart_rows), "few_rows": few_rows,
        "min_settled": selectors.MIN_SETTLED_FOR_RATE,
        "chart_height": max(220, 18 * len(chart_rows) + 110), "drill_unit": drill_unit, "drill": drill,
        "scope_label": scope_label, "notices": messages_, "base_qs": base_qs,
        "period_qs": _qs_without(request.GET, "sap_xep"), "full_qs": _qs_without(request.GET),
        "can_process": can(user, "process", getattr(user, "unit", None)),
        "today": today, "now_label": timezone.localtime(now).strftime("%H:%M %d/%m/%Y"),
        "years": list(range(today.year, max(2000, today.year - 5) - 1, -1)),
    }
    return render(request, "dossiers/dashboard.html", ctx)
