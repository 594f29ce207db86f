"""Báo cáo điểm bị trừ (lost-points report) and bảng xếp hạng (ranking) of a cycle as XLSX (openpyxl) and PDF
(weasyprint, A4 landscape).

The tables a province takes to its PAR conference: every sub-criterion where a unit got less than the
maximum, largest loss first, with the unit in charge and the unit's explanation; the ranking by group
with the figures of the results page. Numbers in the PDF are written the Vietnamese way (92,31; 1.234,5);
XLSX cells stay numbers with a number format (Excel shows the reader's decimal sign).
"""

from __future__ import annotations

from html import escape

from django.utils import timezone

from cchc.core.templatetags.vn_format import format_vn
from cchc.core.xlsx import workbook_bytes

from .selectors import cycle_get, cycle_results, lost_points

FONT_DIR = "/usr/share/fonts/truetype/noto"
POINTS_FORMAT = "#,##0.00"  # XLSX: two decimals, thousands grouped (shown with the reader's separators)


def _pts(value) -> str:
    """Points in a PDF: 3.25 → "3,25", 10 → "10", 0.5 → "0,5"."""
    return format_vn(value, 2, strip_zeros=True)


def _pct(value) -> str:
    """An index in a PDF: always two decimals, comma ("92,31")."""
    return format_vn(value, 2)
HEADERS = ["STT", "Đơn vị", "Mã", "Tiêu chí thành phần", "Điểm tối đa", "Điểm đạt", "Điểm bị trừ", "Cơ quan phụ trách", "Giải trình của đơn vị"]


def group_label(group: str) -> str:
    """Vietnamese label of a ranking group (unit kinds; "commune" = xã, phường, đặc khu)."""
    from cchc.units.models import UnitKind

    if group == "commune":
        return "Xã, phường, đặc khu"
    try:
        return UnitKind(group).label
    except ValueError:
        return group


def _department_explanations(cycle) -> dict:
    """{(unit_id, code): national row} when the cycle's lost points were assigned to departments, else {}."""
    from . import lost_selectors
    from .models import LostPointAssignment

    if not LostPointAssignment.objects.filter(cycle=cycle).exists():
        return {}
    return {(r["unit_id"], r["code"]): r for r in lost_selectors.national_lost_points(cycle=cycle)}


EXPLAINED_HEADERS = ["Cơ quan chủ trì giải trình", "Trạng thái", "Hạn", "Nguyên nhân", "Giải pháp khắc phục"]


def _data(cycle_id: int, user=None, unit=None):
    cycle = cycle_get(cycle_id=cycle_id, user=user)
    rows = lost_points(cycle=cycle, user=user, unit=unit)
    national = _department_explanations(cycle)
    for r in rows:
        n = national.get((r["unit_id"], r["code"]))
        r["national"] = n
    cycle.has_department_explanations = bool(national)
    results = cycle_results(cycle=cycle, user=user)
    if unit is not None:
        results = [r for r in results if r["unit_id"] == unit.pk]
    return cycle, rows, results


def _state_note(cycle) -> str:
    if cycle.state == "published":
        return f"Kết quả đã công bố ngày {timezone.localtime(cycle.published_at):%d/%m/%Y}"
    return f"Kết quả tạm tính — kỳ đang ở bước “{cycle.get_state_display()}”"


def lost_points_xlsx(*, cycle_id: int, user=None, unit=None) -> bytes:
    """XLSX: sheet "Điểm bị trừ" (largest loss first) and sheet "Xếp hạng" (results by group)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    cycle, rows, results = _data(cycle_id, user, unit)
    wb = Workbook()
    ws = wb.active
    ws.title = "Điểm bị trừ"
    ws.append([f"BẢNG TỔNG HỢP ĐIỂM BỊ TRỪ — {cycle.name}"])
    ws.append([_state_note(cycle)])
    ws.append([])
    extra = getattr(cycle, "has_department_explanations", False)
    ws.append(HEADERS + (EXPLAINED_HEADERS if extra else []))
    bold = Font(bold=True)
    ws["A1"].font = Font(bold=True, size=13)
    for cell in ws[4]:
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for i, r in enumerate(rows, start=1):
        line = [i, r["unit"], r["code"], r["title"], r["max"], r["points"], r["lost"], r["responsible"], r["explanation"]]
        if extra:
            n = r.get("national") or {}
            line += [n.get("department_name", ""), n.get("status_label", "Chưa giao"), n.get("deadline"), n.get("cause", ""), n.get("remedy", "")]
        ws.append(line)
        if extra and line[11]:
            ws.cell(row=ws.max_row, column=12).number_format = "DD/MM/YYYY"
    for col, width in zip("ABCDEFGHIJKLMN", [6, 28, 9, 60, 11, 10, 11, 26, 50, 28, 16, 12, 50, 50], strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=5):
        for cell in (row[3], row[8]):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in (row[4], row[5], row[6]):
            cell.number_format = POINTS_FORMAT
    ws.freeze_panes = "A5"

    ws2 = wb.create_sheet("Xếp hạng")
    ws2.append(["Nhóm", "Hạng", "Đơn vị", "Tổng điểm", "Điểm tối đa", "Chỉ số (%)", "Tự đánh giá", "Thẩm định lần 1", "Thẩm định lần 2", "Chỉ số năm trước", "Thay đổi hạng"])
    for cell in ws2[1]:
        cell.font = bold
    for r in results:
        prev = r.get("previous") or {}
        change = r.get("change") or {}
        st = r.get("stage_totals") or {}
        ws2.append([group_label(r["group"]), r["rank"], r["unit"], r["total"], r["max"], r["index_pct"], st.get("self"), st.get("appraisal_1"),
                    st.get("appraisal_2"), prev.get("index_pct"), change.get("rank")])
    ws2.column_dimensions["C"].width = 32
    for row in ws2.iter_rows(min_row=2):
        for cell in row[3:10]:
            cell.number_format = POINTS_FORMAT
    return workbook_bytes(wb)


def _font_faces() -> str:
    faces = []
    for family, prefix in (("Noto Serif", "NotoSerif"), ("Noto Sans", "NotoSans")):
        for weight, suffix in (("normal", "Regular"), ("bold", "Bold")):
            faces.append(f"@font-face {{ font-family: '{family}'; font-weight: {weight}; src: url('file://{FONT_DIR}/{prefix}-{suffix}.ttf'); }}")
    return "\n".join(faces)


def _css() -> str:
    return f"""{_font_faces()}
@page {{ size: A4 landscape; margin: 14mm 12mm 16mm 12mm;
  @bottom-right {{ content: "Trang " counter(page) "/" counter(pages); font: 8pt 'Noto Sans'; color: #555; }} }}
body {{ font-family: 'Noto Serif'; font-size: 9pt; color: #111; }}
h1 {{ font-family: 'Noto Sans'; font-size: 14pt; margin: 0 0 2mm 0; text-transform: uppercase; }}
p.note {{ font-family: 'Noto Sans'; color: #444; margin: 0 0 4mm 0; }}
table {{ width: 100%; border-collapse: collapse; }}
th {{ font-family: 'Noto Sans'; font-size: 8pt; background: #dde6f0; border: 0.5pt solid #777; padding: 1.5mm; }}
td {{ border: 0.5pt solid #999; padding: 1.2mm 1.5mm; vertical-align: top; }}
td.n {{ text-align: right; white-space: nowrap; }}
td.lost {{ font-weight: bold; color: #a11; }}
td.ex {{ font-size: 8pt; width: 22%; }}
thead {{ display: table-header-group; }}
tr {{ page-break-inside: avoid; }}
h2 {{ font-family: 'Noto Sans'; font-size: 11pt; margin: 6mm 0 2mm 0; }}
"""


def _ranking_groups(cycle, user):
    """(fields, {group: rows}) exactly as the results page shows them."""
    rows = cycle_results(cycle=cycle, user=user)
    fields, groups = {}, {}
    for r in rows:
        for code, f in r["fields"].items():
            fields.setdefault(code, {"code": code, "title": f["title"], "max": f["max"]})
        groups.setdefault(r["group"], []).append(r)
    return list(fields.values()), groups


def _change_text(r) -> str:
    change = r.get("change") or {}
    if not change:
        return "—"
    rank = change.get("rank") or 0
    # "không đổi", not "＝": the full-width sign is in no installed font and printed as an empty box
    arrow = f"▲{rank}" if rank > 0 else f"▼{-rank}" if rank < 0 else "không đổi"
    pct = change.get("index_pct") or 0
    return f"{arrow} ({'+' if pct == 0 else ''}{format_vn(pct, 2, signed=True)})"


def ranking_xlsx(*, cycle_id: int, user=None) -> bytes:
    """XLSX of the ranking page: one sheet per group (rank/size, unit, points, index, change vs last year,
    each field's points and rank) and a sheet naming the fields."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    cycle = cycle_get(cycle_id=cycle_id, user=user)
    fields, groups = _ranking_groups(cycle, user)
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for group, rows in groups.items() or [("", [])]:
        ws = wb.create_sheet(group_label(group)[:31] if group else "Xếp hạng")
        ws.append([f"BẢNG XẾP HẠNG — {cycle.name} — {group_label(group) if group else ''}"])
        ws.append([_state_note(cycle)])
        ws.append([])
        head = ["Hạng", "Số đơn vị", "Đơn vị", "Điểm", "Điểm tối đa", "Chỉ số (%)", "Chỉ số năm trước (%)", "Thay đổi chỉ số (điểm %)",
                "Thay đổi hạng"]
        for f in fields:
            head += [f"{f['code']} điểm", f"{f['code']} hạng"]
        ws.append(head)
        ws["A1"].font = Font(bold=True, size=13)
        for cell in ws[4]:
            cell.font = bold
            cell.fill = PatternFill("solid", fgColor="DDE6F0")
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for r in rows:
            prev, change = r.get("previous") or {}, r.get("change") or {}
            line = [r["rank"], r.get("group_size"), r["unit"], r["total"], r["max"], r["index_pct"], prev.get("index_pct"),
                    change.get("index_pct"), change.get("rank")]
            for f in fields:
                cell = r["fields"].get(f["code"]) or {}
                line += [cell.get("points"), cell.get("rank")]
            ws.append(line)
        for row in ws.iter_rows(min_row=5):
            for i, cell in enumerate(row):
                if i in (3, 4, 5, 6, 7) or (i >= 9 and (i - 9) % 2 == 0):
                    cell.number_format = POINTS_FORMAT
        ws.column_dimensions["C"].width = 34
        ws.freeze_panes = "D5"
    legend = wb.create_sheet("Lĩnh vực")
    legend.append(["Mã", "Lĩnh vực", "Điểm tối đa"])
    for cell in legend[1]:
        cell.font = bold
    for f in fields:
        legend.append([f["code"], f["title"], f["max"]])
        legend.cell(row=legend.max_row, column=3).number_format = POINTS_FORMAT
    legend.column_dimensions["B"].width = 70
    return workbook_bytes(wb)


def ranking_html(*, cycle_id: int, user=None) -> str:
    cycle = cycle_get(cycle_id=cycle_id, user=user)
    fields, groups = _ranking_groups(cycle, user)
    field_heads = "".join(f"<th>{escape(f['code'])}</th>" for f in fields)
    parts = []
    for group, rows in groups.items():
        body = "".join(
            f"<tr><td class=n><b>{r['rank']}</b>/{r.get('group_size', '')}</td><td>{escape(r['unit'])}</td>"
            f"<td class=n>{_pts(r['total'])}/{_pts(r['max'])}</td><td class=n><b>{_pct(r['index_pct'])}</b></td>"
            f"<td class=n>{escape(_change_text(r))}</td>"
            + "".join(f"<td class=n>{_pts((r['fields'].get(f['code']) or {}).get('points'))}</td>" for f in fields)
            + "</tr>"
            for r in rows
        )
        parts.append(f"<h2>Nhóm: {escape(group_label(group))} ({len(rows)} đơn vị)</h2><table><thead><tr><th>Hạng</th><th>Đơn vị</th>"
                     f"<th>Điểm</th><th>Chỉ số (%)</th><th>So với năm trước</th>{field_heads}</tr></thead><tbody>{body}</tbody></table>")
    legend = "; ".join(f"{escape(f['code'])}: {escape(f['title'])} (tối đa {_pts(f['max'])})" for f in fields)
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>{_css()}</style></head><body>
<h1>Bảng xếp hạng</h1>
<p class="note">{escape(cycle.name)} — {escape(_state_note(cycle))}</p>
{''.join(parts) or '<p>Chưa có kết quả.</p>'}
<p class="note" style="margin-top:4mm">Lĩnh vực: {legend}</p>
</body></html>"""


def ranking_pdf(*, cycle_id: int, user=None) -> bytes:
    """PDF (A4 landscape) of the ranking page."""
    from weasyprint import HTML

    return HTML(string=ranking_html(cycle_id=cycle_id, user=user)).write_pdf()


def _national_cell(r) -> str:
    """PDF: the department's explanation (cause, remedy, status, deadline) under the unit's own explanation."""
    n = r.get("national")
    if not n:
        return escape(r["explanation"])
    parts = [escape(r["explanation"])] if r["explanation"] else []
    head = f"<b>{escape(n['department'] or 'Chưa giao')}</b> — {escape(n['status_label'])}"
    if n["deadline"]:
        head += f", hạn {n['deadline']:%d/%m/%Y}"
    parts.append(head)
    if n["cause"]:
        parts.append(f"Nguyên nhân: {escape(n['cause'])}")
    if n["remedy"]:
        parts.append(f"Giải pháp: {escape(n['remedy'])}")
    return "<br>".join(parts)


def lost_points_html(*, cycle_id: int, user=None, unit=None) -> str:
    cycle, rows, results = _data(cycle_id, user, unit)
    body_rows = "".join(
        f"<tr><td class=n>{i}</td><td>{escape(r['unit'])}</td><td>{escape(r['code'])}</td><td>{escape(r['title'])}</td>"
        f"<td class=n>{_pts(r['max'])}</td><td class=n>{_pts(r['points'])}</td><td class='n lost'>{_pts(r['lost'])}</td>"
        f"<td>{escape(r['responsible'])}</td><td class=ex>{_national_cell(r)}</td></tr>"
        for i, r in enumerate(rows, start=1)
    )
    rank_rows = "".join(
        f"<tr><td>{escape(group_label(r['group']))}</td><td class=n>{r['rank']}</td><td>{escape(r['unit'])}</td><td class=n>{_pts(r['total'])}</td>"
        f"<td class=n>{_pct(r['index_pct'])}</td></tr>"
        for r in results
    )
    headers = HEADERS[:-1] + (["Giải trình (đơn vị; cơ quan chủ trì: nguyên nhân, giải pháp)"]
                              if getattr(cycle, "has_department_explanations", False) else HEADERS[-1:])
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
{_css()}
table.lost th:nth-child(2) {{ width: 17%; }}
table.lost th:nth-child(4) {{ width: 27%; }}
table.lost th:nth-child(8) {{ width: 12%; }}
</style></head><body>
<h1>Bảng tổng hợp điểm bị trừ</h1>
<p class="note">{escape(cycle.name)} — {escape(_state_note(cycle))} — {len(rows)} tiêu chí thành phần bị trừ điểm, xếp theo số điểm bị trừ giảm dần.</p>
<table class="lost"><thead><tr>{head}</tr></thead><tbody>{body_rows}</tbody></table>
<h2>Xếp hạng</h2>
<table style="width:60%"><thead><tr><th>Nhóm</th><th>Hạng</th><th>Đơn vị</th><th>Tổng điểm</th><th>Chỉ số (%)</th></tr></thead><tbody>{rank_rows}</tbody></table>
</body></html>"""


def lost_points_pdf(*, cycle_id: int, user=None, unit=None) -> bytes:
    """PDF (A4 landscape, Noto Serif/Noto Sans) of the lost-points table and the ranking."""
    from weasyprint import HTML

    return HTML(string=lost_points_html(cycle_id=cycle_id, user=user, unit=unit)).write_pdf()


NATIONAL_HEADERS = ["Lĩnh vực", "Mã", "Tiêu chí thành phần", "Điểm tối đa", "Điểm đạt", "Điểm bị trừ", "Cơ quan chủ trì",
                    "Cơ quan phối hợp", "Trạng thái", "Hạn giải trình", "Quá hạn", "Nguyên nhân", "Giải pháp khắc phục", "Ý kiến của cơ quan thường trực"]


def national_lost_points_xlsx(*, cycle_id: int, user=None, today=None) -> bytes:
    """XLSX for the steering committee: every lost sub-criterion of the province in the national index, by field,
    with the department in charge, status, deadline, overdue, cause and remedy; a sheet of counts."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from . import lost_selectors

    cycle = cycle_get(cycle_id=cycle_id, user=None)
    rows = lost_selectors.national_lost_points(cycle=cycle, user=user, today=today)
    summary = lost_selectors.summary(rows)
    wb = Workbook()
    ws = wb.active
    ws.title = "Giải trình điểm bị trừ"
    ws.append([f"TỔNG HỢP GIẢI TRÌNH ĐIỂM BỊ TRỪ — {cycle.name}"])
    ws.append([f"{summary['rows']} tiêu chí thành phần bị trừ {_pts(summary['lost'])} điểm; {summary['overdue']} quá hạn; "
               f"lập ngày {timezone.localdate():%d/%m/%Y}"])
    ws.append([])
    ws.append(NATIONAL_HEADERS)
    ws["A1"].font = Font(bold=True, size=13)
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for r in rows:
        ws.append([f"{r['field_code']}. {r['field_title']}", r["code"], r["title"], float(r["max"]), float(r["points"]), float(r["lost"]),
                   r["department_name"], ", ".join(r["cooperating"]), r["status_label"], r["deadline"], "Quá hạn" if r["overdue"] else "",
                   r["cause"], r["remedy"], r["review_note"]])
    for row in ws.iter_rows(min_row=5):
        for cell in row[3:6]:
            cell.number_format = POINTS_FORMAT
        row[9].number_format = "DD/MM/YYYY"
        for cell in (row[0], row[2], row[11], row[12], row[13]):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEFGHIJKLMN", [28, 8, 50, 10, 10, 10, 28, 24, 16, 12, 9, 50, 50, 36], strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "D5"
    ws2 = wb.create_sheet("Tổng hợp")
    ws2.append(["Trạng thái", "Số tiêu chí thành phần", "Điểm bị trừ"])
    for cell in ws2[1]:
        cell.font = Font(bold=True)
    for s_ in summary["by_status"]:
        ws2.append([s_["label"], s_["count"], float(s_["lost"])])
    ws2.append(["Quá hạn", summary["overdue"], None])
    ws2.append(["Tổng", summary["rows"], float(summary["lost"])])
    for row in ws2.iter_rows(min_row=2):
        row[2].number_format = POINTS_FORMAT
    ws2.column_dimensions["A"].width = 24
    return workbook_bytes(wb)
