"""The conference report as PDF (weasyprint, A4 portrait, Noto Serif) and DOCX (python-docx), from one composed report.

Layout of an administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I): issuer and number on the left, the
national motto and the place and date on the right, title centred, body 13–14 pt, "Nơi nhận" and the signature
block "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" at the end; appendices each on a new page.
"""

from __future__ import annotations

import io
import re

from django.template.loader import render_to_string

FONT_DIR = "/usr/share/fonts/truetype/noto"
NUMERIC = re.compile(r"[+\-−]?[\d.,]+ ?%?|—|\[\d+\]")


def _font_faces() -> str:
    faces = []
    for weight, style, suffix in (("normal", "normal", "Regular"), ("bold", "normal", "Bold"), ("normal", "italic", "Italic"),
                                  ("bold", "italic", "BoldItalic")):
        faces.append(f"@font-face {{ font-family: 'Noto Serif'; font-weight: {weight}; font-style: {style}; "
                     f"src: url('file://{FONT_DIR}/NotoSerif-{suffix}.ttf'); }}")
    return "\n".join(faces)


DOCUMENT_CSS = """
.par-report { font-family: 'Noto Serif', 'Times New Roman', serif; font-size: 12.5pt; line-height: 1.35; color: #111; }
.par-report table.masthead, .par-report table.closing { width: 100%; border-collapse: collapse; margin-bottom: 4mm; }
.par-report table.masthead td, .par-report table.closing td { border: none; vertical-align: top; text-align: center; padding: 0; }
.par-report td.issuer { width: 40%; font-size: 12pt; }
.par-report td.motto { width: 60%; font-size: 12pt; }
.par-report .rule { display: inline-block; width: 30mm; border-top: 0.6pt solid #111; height: 0; }
.par-report .u { border-bottom: 0.6pt solid #111; }
.par-report .docno { white-space: pre; }
.par-report .place { display: inline-block; margin-top: 3mm; }
.par-report h1.doc-title { text-align: center; font-size: 14pt; margin: 6mm 0 1mm; }
.par-report h1.doc-title span { font-size: 13pt; display: inline-block; max-width: 150mm; }
.par-report p.coverage { text-align: center; font-style: italic; font-size: 11pt; margin: 0 0 5mm; }
.par-report h2 { font-size: 13pt; margin: 5mm 0 2mm; }
.par-report h3 { font-size: 12.5pt; margin: 3mm 0 1mm; }
.par-report ul.figures { margin: 0 0 2mm 0; padding-left: 6mm; }
.par-report ul.figures li { margin: 0.5mm 0; }
.par-report sup.ref { font-size: 8pt; color: #444; }
.par-report p.para { text-align: justify; margin: 1mm 0; text-indent: 8mm; }
.par-report p.unavailable { font-style: italic; color: #555; margin: 1mm 0 1mm 6mm; }
.par-report p.see, .par-report p.note { margin: 1mm 0 1mm 6mm; font-style: italic; }
.par-report p.table-title { font-weight: bold; font-size: 11pt; margin: 2mm 0 1mm; }
.par-report table.data { width: 100%; border-collapse: collapse; font-size: 9.5pt; margin-bottom: 3mm; }
.par-report table.data th { border: 0.6pt solid #333; background: #eee; padding: 1mm 1.2mm; }
.par-report table.data td { border: 0.6pt solid #333; padding: 0.8mm 1.2mm; vertical-align: top; }
.par-report table.data td.n { text-align: right; }
.par-report table.sources td.n { white-space: nowrap; }
.par-report table.sources td.q { font-family: 'DejaVu Sans Mono', monospace; font-size: 7.5pt; word-break: break-all; }
.par-report td.recipients { text-align: left !important; font-size: 10pt; width: 45%; }
.par-report td.signature { width: 55%; font-size: 12.5pt; }
.par-report h2.appendix-title { text-align: center; }
.par-report h2.appendix-title span { font-size: 12pt; }
"""

PDF_CSS = """
@page { size: A4 portrait; margin: 20mm 15mm 20mm 30mm;
  @bottom-center { content: counter(page); font: 10pt 'Noto Serif'; } }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
section.appendix { page-break-before: always; }
table.closing { page-break-before: auto; margin-top: 4mm; }
/* the last direction, "Nơi nhận" and the signature stay together: the signature never stands alone on a page */
div.closing-block { break-inside: avoid; page-break-inside: avoid; }
h2, h3, p.table-title { page-break-after: avoid; break-after: avoid; }
ul.figures li { break-inside: avoid; }
"""


def html_document(report: dict) -> str:
    return render_to_string("reports/pdf.html", {"r": report, "css": _font_faces() + DOCUMENT_CSS + PDF_CSS})


def pdf_bytes(report: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=html_document(report), base_url="/").write_pdf()


# ------------------------------------------------------------------------------------------------ DOCX

def _borders(table) -> None:
    """Single 0.5 pt borders on every cell (python-docx has no API for it: tblBorders in the table properties)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


def _para(container, text: str = "", *, bold=False, italic=False, size=None, align=None, indent=False, space_after=3):
    from docx.shared import Mm, Pt

    p = container.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Mm(8)
    p.paragraph_format.space_after = Pt(space_after)
    return p


def _row_flags(row, *, header: bool = False) -> None:
    """A table row that never splits across pages (cantSplit); the header row repeats on every page (tblHeader)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", *(("w:tblHeader",) if header else ())):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        tr_pr.append(el)


def _data_table(doc, columns: list[str], cells: list[list], *, numbered: bool = False) -> None:
    """A bordered table; cells are strings or compose's {"t": text, "n": is a number} (numbers right-aligned)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    head = (["STT"] if numbered else []) + list(columns)
    table = doc.add_table(rows=1, cols=len(head))
    _borders(table)
    for i, c in enumerate(head):
        cell = table.rows[0].cells[i]
        cell.text = ""
        run = cell.paragraphs[0].add_run(c)
        run.bold = True
        run.font.size = Pt(10)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _row_flags(table.rows[0], header=True)
    for n, row in enumerate(cells, start=1):
        values = ([{"t": str(n), "n": True}] if numbered else []) + [c if isinstance(c, dict) else {"t": str(c), "n": None} for c in row]
        added = table.add_row()
        _row_flags(added)
        tr = added.cells
        for i, v in enumerate(values):
            tr[i].text = ""
            run = tr[i].paragraphs[0].add_run(v["t"])
            run.font.size = Pt(10)
            if v["n"] or (v["n"] is None and NUMERIC.fullmatch(v["t"])):
                tr[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _para(doc, space_after=2)


def docx_bytes(report: dict) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = Mm(30), Mm(15), Mm(20), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    for name, size in (("Heading 1", 14), ("Heading 2", 13), ("Heading 3", 13)):
        st = doc.styles[name]
        st.font.name = "Times New Roman"
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.color.rgb = None
    center = WD_ALIGN_PARAGRAPH.CENTER
    h = report["header"]
    mast = doc.add_table(rows=1, cols=2)
    left, right = mast.rows[0].cells
    left.width, right.width = Mm(65), Mm(100)
    left.text = right.text = ""
    for i, line in enumerate(h["issuer_lines"]):
        p = left.paragraphs[0] if i == 0 else left.add_paragraph()
        p.alignment = center
        r = p.add_run(line)
        r.bold = i > 0
        r.font.size = Pt(12)
    _para(left, "―――――", align=center, size=10, space_after=0)
    _para(left, h["number"], align=center, size=12)
    p = right.paragraphs[0]
    p.alignment = center
    r = p.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    r.bold, r.font.size = True, Pt(12)
    p = _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, align=center, size=13, space_after=0)
    p.runs[0].underline = True
    _para(right, h["place_date"], italic=True, align=center, size=13)
    _para(doc, h["title"], bold=True, align=center, size=14, space_after=0)
    _para(doc, h["subtitle"], bold=True, align=center, size=13, space_after=2)
    _para(doc, h["coverage"], italic=True, align=center, size=12, space_after=8)
    for part in report["parts"]:
        doc.add_heading(f"{part['number']}. {part['title']}", level=1)
        for s in part["sections"]:
            doc.add_heading(f"{s['number']}. {s['heading']}", level=2)
            if not s["available"]:
                _para(doc, s["note"], italic=True, indent=True)
                continue
            if s["note"]:
                _para(doc, s["note"], italic=True, indent=True)
            if not s["figures"] and not s["body_tables"] and not s["note"]:
                _para(doc, "Không phát sinh số liệu trong kỳ báo cáo.", italic=True, indent=True)
            for f in s["figures"]:
                p = _para(doc, f"- {f['label']}: ", indent=True, space_after=1)
                p.add_run(f["text"]).bold = True
                ref = p.add_run(f" [{f['no']}]")
                ref.font.superscript = True
            for t in s["body_tables"]:
                if t["cells"] is None:
                    _para(doc, f"{t['title']}: xem {t['reference']}.", italic=True, indent=True)
                    continue
                _para(doc, t["title"], bold=True, size=11, space_after=2).paragraph_format.keep_with_next = True
                if t["cells"]:
                    _data_table(doc, t["columns"], t["cells"])
                else:
                    _para(doc, "Không có dòng số liệu.", italic=True, indent=True)
    doc.add_heading(f"III. {report['assessment_title']}", level=1)
    doc.add_heading("1. Ưu điểm", level=2)
    for s in report["assessment"]["strengths"] or ["Chưa đủ số liệu để đánh giá."]:
        _para(doc, f"- {s}", indent=True)
    doc.add_heading("2. Tồn tại, hạn chế", level=2)
    for s in report["assessment"]["weaknesses"] or ["Số liệu trên nền tảng không ghi nhận tồn tại, hạn chế trong kỳ."]:
        _para(doc, f"- {s}", indent=True)
    doc.add_heading(f"IV. {report['directions_title']}", level=1)
    last = None
    for i, s in enumerate(report["directions"], start=1):
        last = _para(doc, f"{i}. {s}", indent=True)
    closing = doc.add_table(rows=1, cols=2)
    # the signature never stands alone on the last page: the last direction keeps with the closing row, which
    # does not split (Word: "keep with next" + "allow row to break across pages" off)
    if last is not None:
        last.paragraph_format.keep_with_next = True
    _row_flags(closing.rows[0])
    left, right = closing.rows[0].cells
    left.text = right.text = ""
    r = left.paragraphs[0].add_run("Nơi nhận:")
    r.bold, r.italic, r.font.size = True, True, Pt(12)
    for x in report["recipients"]:
        _para(left, f"- {x}", size=11, space_after=0)
    for i, line in enumerate(report["signature"]):
        p = right.paragraphs[0] if i == 0 else right.add_paragraph()
        p.alignment = center
        run = p.add_run(line)
        run.bold = True
    for t in report["appendix_tables"]:
        doc.add_page_break()
        _para(doc, t["reference"].upper(), bold=True, align=center, size=13, space_after=0)
        _para(doc, t["title"], bold=True, align=center, size=12, space_after=0)
        _para(doc, f"(Kèm theo Báo cáo của {report['header']['issuer_inline']} — {report['period'].label})", italic=True,
              align=center, size=11)
        if t["cells"]:
            _data_table(doc, t["columns"], t["cells"], numbered=True)
        else:
            _para(doc, "Không có dòng số liệu.", italic=True)
    doc.add_page_break()
    _para(doc, f"{report['sources_reference'].upper()}: NGUỒN SỐ LIỆU", bold=True, align=center, size=13, space_after=0)
    _para(doc, "Mỗi số liệu trong báo cáo được đánh số [n]; bảng sau nêu truy vấn trên nền tảng đã tạo ra số liệu đó. "
          f"{report['header']['coverage']}.", italic=True, align=center, size=11)
    _data_table(doc, ["Số", "Chỉ tiêu", "Giá trị", "Truy vấn (nguồn)"],
                [[f"[{f['no']}]", f["label"], f["text"], f["query"]] for f in report["figures"]])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
